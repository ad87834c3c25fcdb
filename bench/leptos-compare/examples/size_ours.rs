//! The minimal app on web-eventsource-leptos: the state and the latest message.
#![forbid(unsafe_code)]

use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;
use web_eventsource_leptos::use_event_source;

#[component]
fn App() -> impl IntoView {
    let source = use_event_source("/sse");
    view! {
        <p>{move || source.ready_state.get().to_string()}</p>
        <p>{move || source.message.get().map(|msg| msg.data)}</p>
    }
}

#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(App);
}
