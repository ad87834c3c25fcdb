//! The minimal app on web-eventsource-leptos: the state and the latest message. The state
//! is written as in the leptos-use app, so that only the hooks differ.
#![forbid(unsafe_code)]

use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;
use web_eventsource_leptos::{use_event_source, ReadyState};

#[component]
fn App() -> impl IntoView {
    let source = use_event_source("/sse");
    view! {
        <p>{move || match source.ready_state.get() {
            ReadyState::Connecting => "connecting",
            ReadyState::Open => "open",
            ReadyState::Paused => "paused",
            ReadyState::Closed => "closed",
        }}</p>
        <p>{move || source.message.get().map(|msg| msg.data)}</p>
    }
}

#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(App);
}
