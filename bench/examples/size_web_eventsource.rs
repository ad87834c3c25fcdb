//! The smallest useful app on web-eventsource: log each message.
use wasm_bindgen::prelude::*;
use web_eventsource::EventSource;

#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    let es = EventSource::new("/sse").map_err(|err| JsValue::from_str(&err.to_string()))?;
    let listener = es.on_message(|msg| web_sys::console::log_1(&msg.data().into()));
    // The app listens for as long as the page lives. Leaked as the app at the commit
    // before the fetch transport leaked it, so that scripts/bench compares the same
    // source: `listener.forget()`, which also frees the callback if the source closes,
    // links about 0.4 KB more.
    std::mem::forget(listener);
    Ok(())
}
