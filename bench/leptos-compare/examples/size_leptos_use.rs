//! The same minimal app on leptos-use's use_event_source.
#![forbid(unsafe_code)]

use codee::string::FromToStringCodec;
use leptos::prelude::*;
use leptos_use_event_source::{use_event_source, ConnectionReadyState, UseEventSourceReturn};
use wasm_bindgen::prelude::wasm_bindgen;

#[component]
fn App() -> impl IntoView {
    let UseEventSourceReturn {
        ready_state,
        message,
        ..
    } = use_event_source::<String, FromToStringCodec>("/sse");
    view! {
        <p>{move || match ready_state.get() {
            ConnectionReadyState::Connecting => "connecting",
            ConnectionReadyState::Open => "open",
            ConnectionReadyState::Closing => "closing",
            ConnectionReadyState::Closed => "closed",
        }}</p>
        <p>{move || message.get().map(|msg| msg.data)}</p>
    }
}

#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(App);
}
