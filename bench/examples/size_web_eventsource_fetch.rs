//! The minimal app of `size_web_eventsource.rs` on the fetch transport: the same app with
//! `.transport(Transport::Fetch)`, so the difference between the two is what choosing
//! fetch links in (the request, the body reader and the parser).
use wasm_bindgen::prelude::*;
use web_eventsource::{EventSource, Transport};

#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    let es = EventSource::builder("/sse")
        .transport(Transport::Fetch)
        .open()
        .map_err(|err| JsValue::from_str(&err.to_string()))?;
    let listener = es.on_message(|msg| web_sys::console::log_1(&msg.data().into()));
    // The app listens for as long as the page lives.
    std::mem::forget(listener);
    Ok(())
}
