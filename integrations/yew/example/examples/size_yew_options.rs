//! `size_yew_hooks` with options: the same app, opened by `use_event_source_with_options`
//! with a reconnect policy. scripts/bench weighs it built as it is (the crate's `fetch`
//! feature off, the default) and with the feature, and checks that the first links none of
//! the fetch transport: Yew's options are plain fields, so only the feature decides.
use wasm_bindgen::prelude::*;
use web_eventsource::Reconnect;
use web_eventsource_yew::{
    use_event_source_history, use_event_source_with_options, UseEventSourceOptions,
};
use yew::prelude::*;

#[component]
fn App() -> Html {
    let es = use_event_source_with_options(
        "/sse",
        UseEventSourceOptions {
            reconnect: Some(Reconnect::default()),
            ..Default::default()
        },
    );
    let messages = use_event_source_history(&es, "message", 100);
    html! {
        <>
            <p>{ es.ready_state().to_string() }</p>
            <ul>{ for messages.iter().map(|m| html! { <li>{ m.data() }</li> }) }</ul>
        </>
    }
}

#[wasm_bindgen(start)]
pub fn start() {
    yew::Renderer::<App>::new().render();
}
