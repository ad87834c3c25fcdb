//! `size_dioxus_hooks` with options: the same app, opened by
//! `use_event_source_with_options` with a reconnect policy. scripts/bench weighs it built as
//! it is (the crate's `fetch` feature off, the default) and with the feature, and checks
//! that the first links none of the fetch transport: Dioxus' options are plain fields, so
//! only the feature decides.
use dioxus::prelude::*;
use wasm_bindgen::prelude::*;
use web_eventsource::Reconnect;
use web_eventsource_dioxus::{
    use_event_source_history, use_event_source_with_options, UseEventSourceOptions,
};

#[component]
fn App() -> Element {
    let es = use_event_source_with_options(
        "/sse",
        UseEventSourceOptions {
            reconnect: Some(Reconnect::default()),
            ..Default::default()
        },
    );
    let messages = use_event_source_history(es, "message", 100);
    rsx! {
        p { "{es.ready_state()}" }
        ul {
            for message in messages.iter() {
                li { "{message.data()}" }
            }
        }
    }
}

#[wasm_bindgen(start)]
pub fn start() {
    dioxus_web::launch::launch_cfg(App, dioxus_web::Config::new());
}
