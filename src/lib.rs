//! Typed, leak-free access to the browser's own [`EventSource`][mdn] (server-sent events) from
//! Rust compiled to WebAssembly.
//!
//! By default ([`Transport::Native`]) the browser does the HTTP and the
//! `text/event-stream` parsing; [`Transport::Fetch`] reads the stream with `fetch`
//! instead, for custom headers, POST and a real `Last-Event-ID` header, and parses it in
//! Rust. Either way this crate turns the events into Rust callbacks, async
//! [`Stream`](futures_core::Stream)s and typed values, with one lifecycle you can rely on:
//!
//! - An [`EventSource`] is a cheap handle. The connection stays open while it, a clone, or
//!   any [`Listener`] or stream made from it lives, and closes when the last is dropped or
//!   at once on [`EventSource::close`].
//! - Each event type gets one JS listener on the browser's source (on fetch, none at
//!   all), however many Rust subscribers it has; dropping the last subscriber removes it.
//!   No closure is leaked.
//! - After an error the transport is either reconnecting or has failed the connection for
//!   good; [`ConnectionError::will_reconnect`] says which. A failure, or `close()`, ends
//!   every stream (`None`). A closed source can still be used: it never panics or throws.
//! - With a [`Reconnect`] policy, a connection the browser gave up on is replaced after a
//!   backoff, resuming after the last event id; listeners and streams carry over.
//!
//! # Callbacks, in a start function
//!
//! Each callback method returns a [`Listener`]: dropping it unsubscribes, and dropping the
//! last handle closes the connection. A `#[wasm_bindgen(start)]` function returns at once,
//! so it hands its listeners to [`Listener::forget`], which keeps each callback until the
//! source closes (a leak you ask for, freed when the source closes). Without it nothing
//! would arrive, and nothing would say why.
//!
//! ```no_run
//! use wasm_bindgen::prelude::*;
//! use web_eventsource::EventSource;
//!
//! #[derive(serde::Deserialize)]
//! struct Ping {
//!     time: String,
//! }
//!
//! #[wasm_bindgen(start)]
//! pub fn start() -> Result<(), JsError> {
//!     let es = EventSource::new("/sse")?;
//!     es.on_open(|| web_sys::console::log_1(&"connected".into()))
//!         .forget();
//!     es.on("ping", |msg| match msg.json::<Ping>() {
//!         Ok(ping) => web_sys::console::log_1(&format!("ping at {}", ping.time).into()),
//!         Err(err) => web_sys::console::warn_1(&err.to_string().into()),
//!     })
//!     .forget();
//!     es.on_error(|err| {
//!         if !err.will_reconnect() {
//!             web_sys::console::error_1(&"the server is gone".into());
//!         }
//!     })
//!     .forget();
//!     Ok(())
//! }
//! ```
//!
//! # Keeping listeners to stop later
//!
//! To unsubscribe or close later, keep the listeners (and the source) where the code that
//! stops them can reach them: in the state they feed (a component, a struct), or, for a
//! page-wide feed, in a `thread_local!`. Dropping them unsubscribes and closes.
//!
//! ```no_run
//! use std::cell::RefCell;
//! use wasm_bindgen::prelude::*;
//! use web_eventsource::{EventSource, Listener};
//!
//! thread_local! {
//!     static FEED: RefCell<Option<(EventSource, Listener)>> = const { RefCell::new(None) };
//! }
//!
//! #[wasm_bindgen(start)]
//! pub fn start() -> Result<(), JsError> {
//!     let es = EventSource::new("/sse")?;
//!     let on_message = es.on_message(|msg| web_sys::console::log_1(&msg.data().into()));
//!     FEED.with(|slot| slot.replace(Some((es, on_message))));
//!     Ok(())
//! }
//!
//! /// Called from JavaScript: stops listening and closes the connection.
//! #[wasm_bindgen]
//! pub fn stop() {
//!     let feed = FEED.with(|slot| slot.take());
//!     drop(feed); // outside the borrow: dropping runs the callbacks' own drop code
//! }
//! ```
//!
//! # Streams
//!
//! ```no_run
//! use futures::StreamExt;
//! use web_eventsource::{Event, EventSource};
//!
//! # async fn run() -> Result<(), web_eventsource::Error> {
//! let es = EventSource::new("/sse")?;
//! let mut events = es.events();
//! while let Some(event) = events.next().await {
//!     match event {
//!         Event::Open => {}
//!         Event::Message(msg) => web_sys::console::log_1(&msg.data().into()),
//!         Event::Error(err) if err.will_reconnect() => {}
//!         Event::Error(err) => web_sys::console::error_1(&err.to_string().into()),
//!         _ => {}
//!     }
//! }
//! // `None`: the source was closed or failed for good.
//! # Ok(())
//! # }
//! ```
//!
//! [mdn]: https://developer.mozilla.org/en-US/docs/Web/API/EventSource
#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]
#![warn(rust_2018_idioms, unreachable_pub)]

#[cfg(feature = "bench-internals")]
#[doc(hidden)]
pub mod __bench {
    //! Not API: see `bench_internals.rs`.
    pub use crate::bench_internals::{Data, Parser, TooLarge};
}
#[doc(hidden)]
pub mod __integrations {
    //! Not API: what the crate's own framework integrations (web-eventsource-yew,
    //! -leptos, -dioxus and their hooks core) share with it. No stability promise: it
    //! may change in any release, together with them.
    pub use crate::guard::guarded;
}
#[cfg(feature = "bench-internals")]
mod bench_internals;
mod builder;
mod cells;
mod connection;
mod delivery;
mod dom_listener;
mod error;
mod event;
mod fetch_api;
mod first_request;
mod global;
mod guard;
mod js_text;
mod listener;
mod message;
mod parser;
mod probe;
mod ready_state;
mod reconnect;
mod recovery;
mod resume;
mod share;
mod source;
mod stream;
mod subscribers;
mod topics;
mod transport;
mod visibility;
mod weak;

pub use builder::Builder;
pub use error::{ConnectionError, Error, ErrorKind};
pub use event::Event;
pub use listener::Listener;
pub use message::Message;
pub use ready_state::ReadyState;
pub use reconnect::{Jitter, Reconnect};
pub use share::{ShareAcrossTabs, Sharing};
pub use source::EventSource;
pub use stream::{EventStream, JsonStream, MessageStream, StateStream};
pub use transport::Transport;
pub use weak::WeakEventSource;

// Every Rust block of the README is a doc test: `cargo test --doc` compiles them
// natively, and scripts/lib/test_newcomer.sh compiles them for wasm32.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
#[doc(test(attr(deny(warnings), allow(dead_code))))]
mod readme {}
