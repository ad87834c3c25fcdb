//! The minimal app of `size_web_eventsource.rs` sharing its connection across tabs: the
//! same app with `.share_across_tabs(true)`, so the difference between the two is what
//! sharing links in (the election, the channel, the relay and the presence check).
use wasm_bindgen::prelude::*;
use web_eventsource::EventSource;

#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    let es = EventSource::builder("/sse")
        .share_across_tabs(true)
        .open()
        .map_err(|err| JsValue::from_str(&err.to_string()))?;
    let listener = es.on_message(|msg| web_sys::console::log_1(&msg.data().into()));
    // The app listens for as long as the page lives.
    std::mem::forget(listener);
    Ok(())
}
