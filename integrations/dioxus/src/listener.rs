//! [`use_event_source_listener`] and its typed JSON variant
//! [`use_event_source_json_listener`].

use dioxus::prelude::use_callback;
use serde::de::DeserializeOwned;
use web_eventsource::__integrations::guarded;
use web_eventsource::{Error, Message};

use crate::subscription::use_subscription;
use crate::UseEventSource;

/// Calls `callback` with every event of type `event_type` (the `event:` field;
/// `"message"` for events without one) of `handle`'s source, in the order the server sent
/// them, one call per event: a burst of events in one network chunk is not collapsed.
///
/// The subscription follows the source across a new URL, new options and
/// [`reopen`](UseEventSource::reopen), and is made during the render, before any source
/// opens. `callback` is held as [`use_callback`] holds it: the latest render's closure is
/// the one called, from the next event on, and nothing is resubscribed or dropped. A new
/// `event_type` subscribes to the new type instead. Unmounting unsubscribes.
///
/// `callback` runs in the component's scope, as an event handler does: it may write
/// signals, `spawn`, read context. Calling it does not re-render the component by itself.
/// A JavaScript exception it throws (`unwrap_throw`, say) ends that call alone: the next
/// event is delivered as usual.
///
/// # Examples
///
/// ```
/// use dioxus::prelude::*;
/// use web_eventsource_dioxus::{use_event_source, use_event_source_listener};
///
/// #[component]
/// fn Counter() -> Element {
///     let es = use_event_source("/sse");
///     let mut pings = use_signal(|| 0_u64);
///     // Every ping counts, even in a burst: one call each.
///     use_event_source_listener(es, "ping", move |_| pings += 1);
///     rsx! { p { "{pings} pings" } }
/// }
/// ```
pub fn use_event_source_listener(
    handle: UseEventSource,
    event_type: &str,
    mut callback: impl FnMut(Message) + 'static,
) {
    // Dioxus's `Callback::call` holds the callback's storage borrowed while it runs: a
    // JavaScript exception thrown from `callback` (`unwrap_throw`, `throw_str`) would skip
    // its release, and every later event, and the component's next render, would panic on
    // it. Caught inside, the throw ends this call alone, as the core does for its own.
    let callback = use_callback(move |message: Message| {
        let mut message = Some(message);
        guarded(|| {
            if let Some(message) = message.take() {
                callback(message);
            }
        });
    });
    use_subscription(handle, event_type, |_| {
        Box::new(move |message| callback.call(message))
    });
}

/// Calls `callback` with every event of type `event_type`, its data decoded from JSON into
/// `T`, as [`use_event_source_listener`] does: in order, one call per event. An event
/// whose data is not valid JSON for `T` is an `Err(`[`Error::Decode`]`)` call, and the next
/// one decodes as usual.
///
/// # Examples
///
/// ```
/// use dioxus::prelude::*;
/// use web_eventsource::Error;
/// use web_eventsource_dioxus::{use_event_source, use_event_source_json_listener};
///
/// #[derive(serde::Deserialize)]
/// struct Ping {
///     time: String,
/// }
///
/// #[component]
/// fn Clock() -> Element {
///     let es = use_event_source("/sse");
///     let mut time = use_signal(String::new);
///     use_event_source_json_listener(es, "ping", move |ping: Result<Ping, Error>| match ping {
///         Ok(ping) => time.set(ping.time),
///         Err(err) => time.set(err.to_string()),
///     });
///     rsx! { time { "{time}" } }
/// }
/// ```
pub fn use_event_source_json_listener<T>(
    handle: UseEventSource,
    event_type: &str,
    mut callback: impl FnMut(Result<T, Error>) + 'static,
) where
    T: DeserializeOwned + 'static,
{
    use_event_source_listener(handle, event_type, move |message: Message| {
        callback(message.json::<T>())
    });
}
