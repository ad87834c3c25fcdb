//! The source hub that web-eventsource's Yew and Dioxus hooks share. **Not for direct
//! use:** depend on `web-eventsource-yew` or `web-eventsource-dioxus`; this crate follows
//! their versions and makes no promise of its own.
//!
//! A `use_event_source` hook owns one [`Hub`]. It holds the source now open, and the
//! callbacks of the listener and history hooks given the hook's handle
//! ([`HookListener`]s). On every new source (a new URL or options, or a reopen), it
//! attaches each of them in the same turn of the event loop in which the source opens,
//! before the browser can deliver anything. A reopen inside a listener keeps the old
//! source's listeners to the end of that event's delivery, so the hooks after it still get
//! the event. What differs between frameworks (the options, and whether the hook's state
//! lives in a reducer or in signals) is their [`Frontend`].

#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]
#![warn(rust_2018_idioms, unreachable_pub)]

mod error;
mod fetch_feature;
mod frontend;
mod hook_listener;
mod hub;
mod retired;

pub use error::{ends_at, UseEventSourceError};
pub use fetch_feature::{apply_fetch_options, sort_headers, FetchFields};
pub use frontend::Frontend;
pub use hook_listener::{Deliver, HookListener};
pub use hub::{first_state, Hub};
