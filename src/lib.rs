//! Typed, leak-free access to the browser's own [`EventSource`][mdn] (server-sent events) from
//! Rust compiled to WebAssembly.
//!
//! The browser does the HTTP and the `text/event-stream` parsing; this crate turns its
//! events into Rust callbacks, async [`Stream`](futures_core::Stream)s and typed values,
//! with one lifecycle you can rely on:
//!
//! - An [`EventSource`] is a cheap handle. The connection stays open while it, a clone, or
//!   any [`Listener`] or stream made from it lives, and closes when the last is dropped or
//!   at once on [`EventSource::close`].
//! - Each event type gets one JS listener on the browser's source, however many Rust
//!   subscribers it has; dropping the last subscriber removes it. No closure is leaked.
//! - After an error the browser is either reconnecting or has failed the connection for
//!   good; [`ConnectionError::will_reconnect`] says which. A failure, or `close()`, ends
//!   every stream (`None`). A closed source can still be used: it never panics or throws.
//! - With a [`Reconnect`] policy, a connection the browser gave up on is replaced after a
//!   backoff, resuming after the last event id; listeners and streams carry over.
//!
//! # Callbacks
//!
//! ```no_run
//! use web_eventsource::EventSource;
//!
//! #[derive(serde::Deserialize)]
//! struct Ping {
//!     time: String,
//! }
//!
//! let es = EventSource::new("/sse")?;
//! let _on_open = es.on_open(|| web_sys::console::log_1(&"connected".into()));
//! let _on_ping = es.on("ping", |msg| match msg.json::<Ping>() {
//!     Ok(ping) => web_sys::console::log_1(&format!("ping at {}", ping.time).into()),
//!     Err(err) => web_sys::console::warn_1(&err.to_string().into()),
//! });
//! let _on_error = es.on_error(|err| {
//!     if !err.will_reconnect() {
//!         web_sys::console::error_1(&"the server is gone".into());
//!     }
//! });
//! // Keep the listeners alive as long as you want the callbacks called.
//! # Ok::<(), web_eventsource::Error>(())
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

mod builder;
mod connection;
mod delivery;
mod dom_listener;
mod error;
mod event;
mod fetch_api;
mod first_request;
mod global;
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
pub use share::Sharing;
pub use source::EventSource;
pub use stream::{EventStream, JsonStream, MessageStream, StateStream};
pub use transport::Transport;
pub use weak::WeakEventSource;
