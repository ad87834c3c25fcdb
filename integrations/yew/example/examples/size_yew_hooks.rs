//! The smallest useful Yew app on the hooks: the state and the last 100 messages of
//! `/sse` as a list. scripts/bench weighs it against `size_yew_core`, the same app on the
//! core crate directly, to show what the hooks add.
use wasm_bindgen::prelude::*;
use web_eventsource_yew::{use_event_source, use_event_source_history};
use yew::prelude::*;

#[component]
fn App() -> Html {
    let es = use_event_source("/sse");
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
