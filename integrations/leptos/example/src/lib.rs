//! The Leptos example: MDN's server-sent events page, client-side rendered. One `<li>`
//! per event of sse-server's `/sse` (a `ping` with the time every second, a plain
//! message now and then), with its id, plus the connection's state and Close /
//! Reconnect buttons. `scripts/demo leptos` builds it and serves it with sse-server.
#![forbid(unsafe_code)]
#![cfg(target_arch = "wasm32")]

mod app;

use wasm_bindgen::prelude::wasm_bindgen;

/// Mounts the app on the page's `<body>` when the wasm module loads.
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(app::App);
}
