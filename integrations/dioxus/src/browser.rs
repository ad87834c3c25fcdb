//! The one place the hooks reach the browser: opening a source. Everything else acts on
//! a source once one is open, and none ever is where this does nothing.
//!
//! Gated as dioxus-sdk gates its web code, on the target and on a feature: a server build
//! (any target other than wasm32, or wasm32 without this crate's `web` feature) compiles
//! the hooks and renders with them, and its hooks are inert. Dioxus may run effects on the
//! server (a fullstack render waiting for suspense does), so the gate is here and not in
//! a hope that effects never run there.

use crate::hub::Hub;
use crate::UseEventSourceOptions;

/// Opens `hub`'s source at `url` with `options` (or keeps the one open if it is already
/// that): in a browser build.
#[cfg(all(target_arch = "wasm32", feature = "web"))]
pub(crate) fn mount(hub: &Hub, url: &str, options: &UseEventSourceOptions) {
    hub.mount(url, options);
}

/// Does nothing: a server build opens no source.
#[cfg(not(all(target_arch = "wasm32", feature = "web")))]
pub(crate) fn mount(_: &Hub, _: &str, _: &UseEventSourceOptions) {}
