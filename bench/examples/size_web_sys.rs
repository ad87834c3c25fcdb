//! The same app on raw web-sys: the floor any wrapper is measured against.
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    let es = web_sys::EventSource::new("/sse")?;
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
            web_sys::console::log_1(&event.data());
        });
    es.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // Raw web-sys: the closure must be leaked to outlive this function.
    on_message.forget();
    Ok(())
}
