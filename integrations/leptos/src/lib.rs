//! Leptos 0.8 hooks for [`web_eventsource`]: server-sent events in a component, every
//! event in order, SSR-safe.
//!
//! The shape is leptos-use's `use_event_source`: [`use_event_source`]`(url)` and
//! [`use_event_source_with_options`]`(url, options)` return [`UseEventSourceReturn`] with
//! `ready_state`, `message` (the latest), `error` and `last_event_id` as signals, plus
//! `open` and `close`. Switching takes a few renames: no codec type parameter
//! ([`use_event_source_json`] decodes JSON), [`ReadyState`] (with `Paused`) for
//! `ConnectionReadyState`, [`UseEventSourceError`]'s own variants, a [`Reconnect`] policy
//! for `reconnect_limit` and `reconnect_interval`, and an `on_event` that takes a
//! [`UseEventSourceMessage`]. What differs is underneath:
//!
//! - **Every event, in order.** The `message` signal holds the latest event, as
//!   leptos-use's does; [`UseEventSourceOptions::on_event`] is called for each event and
//!   [`UseEventSourceOptions::history`] keeps the last N for `<For/>` lists, so a burst
//!   of 100 events in one network chunk gives 100 calls and 100 entries.
//! - **Typed JSON** through serde: [`use_event_source_json`].
//! - **A reconnect policy** ([`Reconnect`]): backoff with jitter, a retry count that
//!   resets once connected, resume after the last event id (no gap, no repeat), `204`
//!   as "stop". The browser's listeners are removed when a connection is replaced or
//!   the component goes away: nothing is leaked.
//! - **SSR-safe**: with the `ssr` feature (and on any target other than wasm32) the hooks
//!   open nothing and touch no browser API; the signals keep their initial values.
//!
//! Signals hold plain data ([`UseEventSourceMessage`], [`UseEventSourceError`]), never
//! the browser's objects, so they are the ordinary thread-safe `Signal<T>`s the rest of
//! a Leptos app uses.
//!
//! # Example
//!
//! ```no_run
//! use leptos::prelude::*;
//! use web_eventsource_leptos::{use_event_source_with_options, UseEventSourceOptions};
//!
//! #[component]
//! fn Events() -> impl IntoView {
//!     let events = use_event_source_with_options(
//!         "/sse",
//!         UseEventSourceOptions::default().named_events(["ping"]).history(50),
//!     );
//!     view! {
//!         <p>{move || events.ready_state.get().to_string()}</p>
//!         <ul>
//!             <For each=move || events.history.get() key=|msg| msg.seq let:msg>
//!                 <li>{msg.last_event_id} " " {msg.event_type} ": " {msg.data}</li>
//!             </For>
//!         </ul>
//!     }
//! }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]
#![warn(rust_2018_idioms, unreachable_pub)]

#[cfg(all(target_arch = "wasm32", not(feature = "ssr")))]
mod client;
mod error;
mod message;
mod options;
mod return_type;
mod use_event_source;

pub use error::{ConnectionFailure, UseEventSourceError};
pub use message::UseEventSourceMessage;
pub use options::UseEventSourceOptions;
pub use return_type::UseEventSourceReturn;
pub use use_event_source::{
    use_event_source, use_event_source_json, use_event_source_json_with_options,
    use_event_source_with_options,
};
pub use web_eventsource::{
    Error, ErrorKind, Jitter, ReadyState, Reconnect, ShareAcrossTabs, Transport,
};

// Every Rust block of the README is a doc test: `cargo test --doc` compiles them
// natively, and scripts/lib/test_newcomer.sh compiles them for wasm32.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
#[doc(test(attr(deny(warnings))))]
mod readme {}
