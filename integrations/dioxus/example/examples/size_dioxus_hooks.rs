//! The smallest useful Dioxus app on the hooks: the state and the last 100 messages of
//! `/sse` as a list. scripts/bench weighs it against `size_dioxus_core`, the same app on
//! the core crate with the effect written by hand, to show what the hooks add.
use dioxus::prelude::*;
use wasm_bindgen::prelude::*;
use web_eventsource_dioxus::{use_event_source, use_event_source_history};

#[component]
fn App() -> Element {
    let es = use_event_source("/sse");
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
