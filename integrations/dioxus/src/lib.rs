//! [Dioxus](https://dioxuslabs.com) 0.7 hooks for [`web_eventsource`]: server-sent events
//! in components, every event in order, nothing leaked, inert on the server.
//!
//! - [`use_event_source`] / [`use_event_source_with_options`] open a source for as long
//!   as the component is mounted and return a `Copy` handle, [`UseEventSource`]: the
//!   ready state, the last error, the last event id and the latest message as
//!   [`ReadSignal`](dioxus::prelude::ReadSignal)s, the
//!   [`EventSource`](web_eventsource::EventSource) itself, [`reopen`](UseEventSource::reopen)
//!   and [`close`](UseEventSource::close). The URL may be a signal: a new URL reopens;
//!   unmounting closes.
//! - [`use_event_source_listener`] calls a closure for every event of a type, in order,
//!   and [`use_event_source_json_listener`] decodes each from JSON first.
//! - [`use_event_source_history`] keeps the last N events of a type in a signal for
//!   rendering a list; [`use_event_source_json_history`] decodes them. A burst of events
//!   that arrives in one network chunk yields one call and one entry per event: nothing is
//!   collapsed into a "latest value".
//! - Server-side rendering: the source opens in an effect, and only in a browser build
//!   (wasm32 with the `web` feature, on by default). A server build compiles the same
//!   hooks; they render `Connecting` and open nothing, even where effects run. So do the
//!   desktop, mobile and liveview renderers, which have no browser `EventSource` or
//!   `fetch` in the app's process: only the web renderer connects.
//! - An empty URL (one not known yet, or not now) opens nothing: the state is `Closed`,
//!   no error. The URL after it resumes the stream after the last event id if it is the URL
//!   before it (a user who signs out and in again), and starts afresh if not.
//!
//! # Example
//!
//! The list of MDN's EventSource example, one `<li>` per event:
//!
//! ```
//! use dioxus::prelude::*;
//! use web_eventsource_dioxus::{use_event_source, use_event_source_history};
//!
//! #[component]
//! fn Events() -> Element {
//!     let es = use_event_source("/sse");
//!     let messages = use_event_source_history(es, "message", 100);
//!     rsx! {
//!         p { "State: {es.ready_state()}" }
//!         ul {
//!             for message in messages.iter() {
//!                 li { "{message.data()}" }
//!             }
//!         }
//!     }
//! }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]
#![warn(rust_2018_idioms, unreachable_pub)]

mod batch;
mod browser;
mod handle;
mod headers_with;
mod history;
mod hub;
mod listener;
mod options;
mod report;
mod subscription;
mod url;
mod use_event_source;

pub use handle::UseEventSource;
pub use headers_with::use_headers_with;
pub use history::{use_event_source_history, use_event_source_json_history};
pub use listener::{use_event_source_json_listener, use_event_source_listener};
pub use options::{HeadersWith, UseEventSourceOptions};
pub use url::EventSourceUrl;
pub use use_event_source::{use_event_source, use_event_source_with_options};
/// Why the source of a [`use_event_source`] hook is not (or no longer) delivering: it
/// could not be opened, or the connection reported an error.
///
/// # Examples
///
/// ```
/// use dioxus::prelude::*;
/// use web_eventsource_dioxus::{use_event_source, UseEventSourceError};
///
/// #[component]
/// fn Status() -> Element {
///     let es = use_event_source("/sse");
///     match es.error().cloned() {
///         None => rsx! {},
///         Some(UseEventSourceError::Open(err)) => rsx! { p { "cannot open: {err}" } },
///         Some(err) => rsx! { p { "{err}" } },
///     }
/// }
/// ```
pub use web_eventsource_hooks_core::UseEventSourceError;

// Every Rust block of the README is a doc test: `cargo test --doc` compiles them
// natively, and scripts/lib/test_newcomer.sh compiles them for wasm32.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
#[doc(test(attr(deny(warnings))))]
mod readme {}
