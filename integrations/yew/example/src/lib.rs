//! The Yew example of web-eventsource-yew: MDN's EventSource example in Yew, one `<li>`
//! per event of the stream (the server's `/sse` by default, or `?url=`), with its event
//! id, the connection's state, and Close and Reconnect buttons.
//!
//! `www/main.js` loads this module; `#[wasm_bindgen(start)]` mounts [`App`] into
//! `<main id="app">`. `scripts/demo yew` builds and serves it.
#![forbid(unsafe_code)]

mod app;
mod item;
mod page;

pub use app::App;

use wasm_bindgen::prelude::*;

/// Mounts the app into the page's `#app` element.
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    let root = page::element("app")?;
    yew::Renderer::<App>::with_root(root).render();
    Ok(())
}
