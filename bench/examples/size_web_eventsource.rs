//! The smallest useful app on web-eventsource: log each message.
use wasm_bindgen::prelude::*;
use web_eventsource::EventSource;

#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    let es = EventSource::new("/sse").map_err(|err| JsValue::from_str(&err.to_string()))?;
    // The app listens for as long as the page lives (the source never closes).
    es.on_message(|msg| web_sys::console::log_1(&msg.data().into()))
        .forget();
    Ok(())
}
