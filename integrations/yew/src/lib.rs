//! [Yew](https://yew.rs) hooks for [`web_eventsource`]: server-sent events in function
//! components, every event in order, nothing leaked, inert on the server.
//!
//! - [`use_event_source`] / [`use_event_source_with_options`] open a source for as long
//!   as the component is mounted and return a [`UseEventSourceHandle`]: the ready state,
//!   the last error, the last event id, the [`EventSource`](web_eventsource::EventSource)
//!   itself, [`close`](UseEventSourceHandle::close) and
//!   [`reopen`](UseEventSourceHandle::reopen). The component re-renders when the state
//!   changes, not on every message. A new URL reopens; unmounting closes.
//! - [`use_event_source_listener`] calls a [`Callback`](yew::Callback) for every event of
//!   a type, in order, and [`use_event_source_json_listener`] decodes each from JSON first.
//! - [`use_event_source_history`] keeps the last N events of a type for rendering a list.
//!   A burst of events that arrives in one network chunk yields one call and one entry
//!   per event: nothing is collapsed into a "latest value".
//! - Server-side rendering: the hooks open their source only in effects, which do not run
//!   on the server, and touch no browser API while rendering. Enable this crate's `ssr`
//!   feature (it enables Yew's) to render with `yew::ServerRenderer`.
//! - An empty URL (one not known yet, or not now) opens nothing: the state is `Closed`,
//!   no error. The URL after it resumes the stream after the last event id if it is the URL
//!   before it (a user who signs out and in again), and starts afresh if not.
//!
//! # Example
//!
//! The list of MDN's EventSource example, one `<li>` per event:
//!
//! ```
//! use web_eventsource_yew::{use_event_source, use_event_source_history};
//! use yew::prelude::*;
//!
//! #[component]
//! fn Events() -> Html {
//!     let es = use_event_source("/sse");
//!     let messages = use_event_source_history(&es, "message", 100);
//!     html! {
//!         <>
//!             <p>{ format!("State: {}", es.ready_state()) }</p>
//!             <ul>
//!                 { for messages.iter().map(|msg| html! {
//!                     <li>{ msg.data() }</li>
//!                 }) }
//!             </ul>
//!         </>
//!     }
//! }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]
#![warn(rust_2018_idioms, unreachable_pub)]

mod handle;
mod history;
mod hub;
mod latest_headers;
mod listener;
mod options;
mod status;
mod use_event_source;

pub use handle::UseEventSourceHandle;
pub use history::{use_event_source_history, UseEventSourceHistoryHandle};
pub use listener::{use_event_source_json_listener, use_event_source_listener};
pub use options::UseEventSourceOptions;
pub use use_event_source::{use_event_source, use_event_source_with_options};
/// Why the source of a [`use_event_source`] hook is not (or no longer) delivering: it
/// could not be opened, or the connection reported an error.
///
/// # Examples
///
/// ```
/// use web_eventsource_yew::{use_event_source, UseEventSourceError};
/// use yew::prelude::*;
///
/// #[component]
/// fn Status() -> Html {
///     let es = use_event_source("/sse");
///     match es.error() {
///         None => html! {},
///         Some(UseEventSourceError::Open(err)) => html! { <p>{ format!("cannot open: {err}") }</p> },
///         Some(err) => html! { <p>{ err.to_string() }</p> },
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
