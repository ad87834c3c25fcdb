//! The Dioxus example of web-eventsource-dioxus: MDN's EventSource example in Dioxus, one
//! `<li>` per event of the stream (the server's `/sse` by default, or `?url=`), with its
//! event id, the connection's state, and Close and Reconnect buttons.
//!
//! `www/main.js` loads this module; `#[wasm_bindgen(start)]` launches [`App`] with the web
//! renderer into `<main id="app">`. `scripts/demo dioxus` builds and serves it.
#![forbid(unsafe_code)]

mod app;
mod item;
mod page;

pub use app::App;

use wasm_bindgen::prelude::*;

/// Launches the app into the page's `#app` element, in place of its loading text.
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    let root = page::element("app")?;
    // The web renderer appends to its root: the page's placeholder goes first.
    root.set_inner_html("");
    dioxus_web::launch::launch_cfg(App, dioxus_web::Config::new().rootelement(root));
    Ok(())
}
