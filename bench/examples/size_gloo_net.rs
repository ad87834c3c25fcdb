//! The same app on gloo-net's EventSource.
use futures::StreamExt;
use gloo_net::eventsource::futures::EventSource;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    let mut es = EventSource::new("/sse").map_err(|err| JsValue::from_str(&err.to_string()))?;
    let mut messages = es
        .subscribe("message")
        .map_err(|err| JsValue::from_str(&err.to_string()))?;
    wasm_bindgen_futures::spawn_local(async move {
        let _es = es; // gloo-net closes the source when this handle is dropped
        while let Some(Ok((_, event))) = messages.next().await {
            web_sys::console::log_1(&event.data());
        }
    });
    Ok(())
}
