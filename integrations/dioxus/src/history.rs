//! [`use_event_source_history`] and [`use_event_source_json_history`]: the last N events
//! of a type, for rendering lists.

use std::cell::Cell;
use std::rc::Rc;

use dioxus::prelude::{use_hook, use_signal, ReadSignal, ReadableExt, Signal, WritableExt};
use serde::de::DeserializeOwned;
use web_eventsource::{Error, Message};

use crate::report::{write, InScope};
use crate::subscription::use_subscription;
use crate::UseEventSource;

/// Keeps the last `capacity` events of type `event_type` of `handle`'s source, oldest
/// first, in a signal: a component that reads it re-renders as they arrive. Every event is
/// kept: a burst of 100 events in one network chunk adds 100 entries, where a signal that
/// holds only the latest value (the handle's [`message`](UseEventSource::message)) keeps
/// the last of them. The entries of a burst are written together after it, so the list
/// renders once per burst, not once per event (the browser dispatches each event of a
/// chunk as a task of its own, and Dioxus renders between tasks).
///
/// The entries carry over a change of `event_type`: the list goes on with the new type's
/// events after the old type's (key the component on the type for a fresh list).
///
/// The history carries over a new URL and [`reopen`](UseEventSource::reopen). A smaller
/// `capacity` on a later render drops the oldest entries; `capacity` 0 keeps nothing.
///
/// # Examples
///
/// ```
/// use dioxus::prelude::*;
/// use web_eventsource_dioxus::{use_event_source, use_event_source_history};
///
/// #[component]
/// fn Pings() -> Element {
///     let es = use_event_source("/sse");
///     let pings = use_event_source_history(es, "ping", 20);
///     rsx! {
///         p { "{pings.len()} pings" }
///         ol {
///             for ping in pings.iter() {
///                 li { "{ping.last_event_id()}: {ping.data()}" }
///             }
///         }
///     }
/// }
/// ```
pub fn use_event_source_history(
    handle: UseEventSource,
    event_type: &str,
    capacity: usize,
) -> ReadSignal<Vec<Message>> {
    use_history(handle, event_type, capacity, |message| message)
}

/// [`use_event_source_history`] with each event's data decoded from JSON into `T`. An
/// event whose data is not valid JSON for `T` is an `Err(`[`Error::Decode`]`)` entry, in
/// its place in the list, and the events after it decode as usual.
///
/// # Examples
///
/// ```
/// use dioxus::prelude::*;
/// use web_eventsource_dioxus::{use_event_source, use_event_source_json_history};
///
/// #[derive(serde::Deserialize)]
/// struct Price {
///     symbol: String,
///     cents: u64,
/// }
///
/// #[component]
/// fn Ticker() -> Element {
///     let es = use_event_source("/prices");
///     let prices = use_event_source_json_history::<Price>(es, "price", 10);
///     rsx! {
///         ul {
///             for price in prices.iter() {
///                 match &*price {
///                     Ok(price) => rsx! { li { "{price.symbol}: {price.cents}" } },
///                     Err(err) => rsx! { li { class: "error", "{err}" } },
///                 }
///             }
///         }
///     }
/// }
/// ```
pub fn use_event_source_json_history<T>(
    handle: UseEventSource,
    event_type: &str,
    capacity: usize,
) -> ReadSignal<Vec<Result<T, Error>>>
where
    T: DeserializeOwned + 'static,
{
    use_history(handle, event_type, capacity, |message| message.json::<T>())
}

/// The history of `event_type`, each event turned into an entry by `entry`.
fn use_history<T: 'static>(
    handle: UseEventSource,
    event_type: &str,
    capacity: usize,
    entry: fn(Message) -> T,
) -> ReadSignal<Vec<T>> {
    let entries = use_signal(Vec::<T>::new);
    let kept = use_hook(|| Rc::new(Cell::new(capacity)));
    if kept.replace(capacity) != capacity {
        trim(entries, capacity);
    }
    let scope = use_hook(InScope::current);
    use_subscription(handle, event_type, |hub| {
        let batch = Rc::clone(&hub.frontend().report.batch);
        Box::new(move |message| {
            let (scope, kept, pending) = (scope.clone(), Rc::clone(&kept), Rc::downgrade(&batch));
            // Deferred with the source's other writes: a burst renders the list once.
            batch.defer(move || {
                write(&pending, &scope, entries, move |list| {
                    list.push(entry(message));
                    let excess = list.len().saturating_sub(kept.get());
                    list.drain(..excess);
                });
            });
        })
    });
    use_hook(|| ReadSignal::new(entries))
}

/// Drops the oldest entries beyond `capacity` (a write only when there are some, so that
/// a render that lowers the capacity re-renders only when the list changes).
fn trim<T: 'static>(mut entries: Signal<Vec<T>>, capacity: usize) {
    let excess = entries.peek().len().saturating_sub(capacity);
    if excess > 0 {
        entries.write().drain(..excess);
    }
}
