//! [`UseEventSourceMessage`]: one received event as plain data.

use serde::de::DeserializeOwned;
use web_eventsource::Error;

/// Turns a received event's text into a hook's `T`: the text itself, or JSON decoded.
pub(crate) type Decode<T> = fn(&UseEventSourceMessage) -> Result<T, Error>;

/// One event as the hooks deliver it: plain data, `Send + Sync`, cheap to clone.
///
/// It holds copies of the event's fields rather than the browser's `MessageEvent`, so it
/// fits Leptos' thread-safe signals, a `history` of hundreds of events keeps no JS object
/// alive, and `<For/>` can key rows by [`seq`](Self::seq). `T` is `String` for
/// [`use_event_source`](crate::use_event_source) and the decoded type for
/// [`use_event_source_json`](crate::use_event_source_json).
///
/// # Examples
///
/// ```no_run
/// use leptos::prelude::*;
/// use web_eventsource_leptos::{use_event_source, UseEventSourceMessage};
///
/// #[component]
/// fn Latest() -> impl IntoView {
///     let source = use_event_source("/sse");
///     let text = move || match source.message.get() {
///         Some(UseEventSourceMessage { event_type, data, last_event_id, .. }) => {
///             format!("{event_type} #{last_event_id}: {data}")
///         }
///         None => "nothing yet".to_owned(),
///     };
///     view! { <p>{text}</p> }
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct UseEventSourceMessage<T = String> {
    /// The event's type: `"message"` for events without an `event:` field.
    pub event_type: String,
    /// The event's data (`data:` lines joined by `\n`), decoded for the typed hooks.
    pub data: T,
    /// The last event id the browser had seen when this event arrived (the spec's
    /// `lastEventId`; an event without an `id:` field carries the previous one).
    pub last_event_id: String,
    /// The position of this event among those the hook has received, from 1, across
    /// reconnects and URL changes: unique within a hook, so a stable `<For/>` key even
    /// when the server sends no ids.
    pub seq: u64,
}

impl UseEventSourceMessage<String> {
    /// Decodes the data as JSON into `U`.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] with the event type and serde's message when the data is not
    /// valid JSON for `U`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source_with_options, UseEventSourceOptions};
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Ping {
    ///     time: String,
    /// }
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// let _source = use_event_source_with_options(
    ///     "/sse",
    ///     UseEventSourceOptions::default()
    ///         .event_types(["ping"])
    ///         .on_event(|msg| match msg.json::<Ping>() {
    ///             Ok(ping) => leptos::logging::log!("ping at {}", ping.time),
    ///             Err(err) => leptos::logging::warn!("{err}"),
    ///         }),
    /// );
    /// # view! {}
    /// # }
    /// ```
    pub fn json<U: DeserializeOwned>(&self) -> Result<U, Error> {
        serde_json::from_str(&self.data).map_err(|err| Error::Decode {
            event_type: self.event_type.clone(),
            message: err.to_string(),
        })
    }
}
