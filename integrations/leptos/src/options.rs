//! [`UseEventSourceOptions`]: what the `_with_options` hooks accept.

use std::fmt;
use std::rc::Rc;
use std::time::Duration;

use web_eventsource::Reconnect;

use crate::UseEventSourceMessage;

/// A callback called for every received event, in order.
pub(crate) type OnEvent = Rc<dyn Fn(&UseEventSourceMessage)>;

/// Options for [`use_event_source_with_options`](crate::use_event_source_with_options) and
/// [`use_event_source_json_with_options`](crate::use_event_source_json_with_options).
///
/// Defaults: open at once, no credentials, the default [`Reconnect`] policy (backoff from
/// 1 s, resume after the last event id, unlimited retries), listen to `"message"` events,
/// no history, no `on_event`.
///
/// # Examples
///
/// ```no_run
/// use std::time::Duration;
/// use leptos::prelude::*;
/// use web_eventsource_leptos::{use_event_source_with_options, Reconnect, UseEventSourceOptions};
///
/// #[component]
/// fn Pings() -> impl IntoView {
///     let pings = use_event_source_with_options(
///         "/sse",
///         UseEventSourceOptions::default()
///             .event_types(["ping"])
///             .history(50)
///             .reconnect(Reconnect::default().max_retries(Some(10)))
///             .pause_when_hidden(Duration::from_secs(30)),
///     );
///     view! {
///         <ul>
///             <For each=move || pings.history.get() key=|msg| msg.seq let:msg>
///                 <li>{msg.data}</li>
///             </For>
///         </ul>
///     }
/// }
/// ```
pub struct UseEventSourceOptions {
    pub(crate) immediate: bool,
    pub(crate) with_credentials: bool,
    pub(crate) reconnect: Option<Reconnect>,
    pub(crate) pause_when_hidden: Option<Duration>,
    pub(crate) event_types: Vec<String>,
    pub(crate) history: usize,
    pub(crate) on_event: Option<OnEvent>,
}

impl Default for UseEventSourceOptions {
    fn default() -> Self {
        Self {
            immediate: true,
            with_credentials: false,
            reconnect: Some(Reconnect::default()),
            pause_when_hidden: None,
            event_types: vec!["message".to_owned()],
            history: 0,
            on_event: None,
        }
    }
}

impl UseEventSourceOptions {
    /// Whether the hook opens the source by itself, in an effect once the component is
    /// created (default `true`). With `false`, nothing opens until `open()` is called or
    /// the URL signal changes.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source_with_options, UseEventSourceOptions};
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// let source = use_event_source_with_options("/sse", UseEventSourceOptions::default().immediate(false));
    /// let open = source.open.clone();
    /// view! { <button on:click=move |_| open()>"Connect"</button> }
    /// # }
    /// ```
    pub fn immediate(mut self, immediate: bool) -> Self {
        self.immediate = immediate;
        self
    }

    /// Sends cookies and HTTP authentication cross-origin (`withCredentials`; default
    /// `false`).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source_with_options, UseEventSourceOptions};
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// let _source = use_event_source_with_options(
    ///     "https://api.example.com/sse",
    ///     UseEventSourceOptions::default().with_credentials(true),
    /// );
    /// # view! {}
    /// # }
    /// ```
    pub fn with_credentials(mut self, with_credentials: bool) -> Self {
        self.with_credentials = with_credentials;
        self
    }

    /// The reconnect policy for connections the browser gives up on (a non-200 status, a
    /// wrong `Content-Type`): backoff, jitter, a retry limit, an idle timeout, and resume
    /// after the last event id. `None` leaves only the browser's own reconnects after a
    /// dropped connection. Default: `Some(Reconnect::default())`.
    ///
    /// A zero idle timeout is refused: nothing opens, the state is `Closed` and the
    /// `error` signal holds [`UseEventSourceError::Open`](crate::UseEventSourceError::Open)
    /// naming `idle_timeout` (use `None` for no idle timeout).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source_with_options, Reconnect, UseEventSourceOptions};
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// let _source = use_event_source_with_options(
    ///     "/sse",
    ///     UseEventSourceOptions::default().reconnect(
    ///         Reconnect::default()
    ///             .initial_delay(Duration::from_millis(500))
    ///             .max_retries(Some(5)),
    ///     ),
    /// );
    /// let _browser_only = use_event_source_with_options("/sse", UseEventSourceOptions::default().reconnect(None));
    /// # view! {}
    /// # }
    /// ```
    pub fn reconnect(mut self, policy: impl Into<Option<Reconnect>>) -> Self {
        self.reconnect = policy.into();
        self
    }

    /// Closes the connection after the page has been hidden for `grace` and reopens it,
    /// resuming after the last event id, when the page is visible again (the state is
    /// `Paused` meanwhile). `None` (the default) keeps it open.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source_with_options, UseEventSourceOptions};
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// let _source = use_event_source_with_options(
    ///     "/sse",
    ///     UseEventSourceOptions::default().pause_when_hidden(Duration::from_secs(30)),
    /// );
    /// # view! {}
    /// # }
    /// ```
    pub fn pause_when_hidden(mut self, grace: impl Into<Option<Duration>>) -> Self {
        self.pause_when_hidden = grace.into();
        self
    }

    /// The event types to receive, replacing the default `["message"]` (`"message"` is
    /// the type of events without an `event:` field). Events of several types arrive in
    /// the server's order. A type given twice is received once.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source_with_options, UseEventSourceOptions};
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// // Only `event: ping` events.
    /// let _pings = use_event_source_with_options("/sse", UseEventSourceOptions::default().event_types(["ping"]));
    /// # view! {}
    /// # }
    /// ```
    pub fn event_types<S: Into<String>>(
        mut self,
        event_types: impl IntoIterator<Item = S>,
    ) -> Self {
        self.event_types.clear();
        for event_type in event_types.into_iter().map(Into::into) {
            // One listener per type: a repeated one would deliver each event twice.
            if !self.event_types.contains(&event_type) {
                self.event_types.push(event_type);
            }
        }
        self
    }

    /// Named event types to receive besides `"message"`, as leptos-use's option of the
    /// same name does (naming `"message"` again changes nothing).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source_with_options, UseEventSourceOptions};
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// // Plain messages, `notice` and `update` events.
    /// let _source = use_event_source_with_options(
    ///     "/sse",
    ///     UseEventSourceOptions::default().named_events(["notice", "update"]),
    /// );
    /// # view! {}
    /// # }
    /// ```
    pub fn named_events<S: Into<String>>(self, named_events: impl IntoIterator<Item = S>) -> Self {
        let types =
            std::iter::once("message".to_owned()).chain(named_events.into_iter().map(Into::into));
        self.event_types(types)
    }

    /// Keeps the last `size` events in the `history` signal, oldest first, for `<For/>`
    /// lists (default 0: `history` stays empty). Every event counts, however many
    /// arrive in one chunk.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source_with_options, UseEventSourceOptions};
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// let feed = use_event_source_with_options("/sse", UseEventSourceOptions::default().history(100));
    /// view! {
    ///     <ol>
    ///         <For each=move || feed.history.get() key=|msg| msg.seq let:msg>
    ///             <li>{msg.last_event_id} ": " {msg.data}</li>
    ///         </For>
    ///     </ol>
    /// }
    /// # }
    /// ```
    pub fn history(mut self, size: usize) -> Self {
        self.history = size;
        self
    }

    /// Calls `callback` for every event received, in order, as it arrives: unlike the
    /// `message` signal, which holds only the latest, a burst of events in one chunk
    /// makes one call each. Called before the signals are updated, with the event's text
    /// (for the JSON hooks too, so an event that fails to decode still reaches it).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source_with_options, UseEventSourceOptions};
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// let (total, set_total) = signal(0_u64);
    /// let _source = use_event_source_with_options(
    ///     "/sse",
    ///     UseEventSourceOptions::default().on_event(move |msg| {
    ///         set_total.update(|total| *total += msg.data.len() as u64);
    ///     }),
    /// );
    /// view! { <p>{total} " bytes"</p> }
    /// # }
    /// ```
    pub fn on_event(mut self, callback: impl Fn(&UseEventSourceMessage) + 'static) -> Self {
        self.on_event = Some(Rc::new(callback));
        self
    }
}

impl fmt::Debug for UseEventSourceOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UseEventSourceOptions")
            .field("immediate", &self.immediate)
            .field("with_credentials", &self.with_credentials)
            .field("reconnect", &self.reconnect)
            .field("pause_when_hidden", &self.pause_when_hidden)
            .field("event_types", &self.event_types)
            .field("history", &self.history)
            .field("on_event", &self.on_event.as_ref().map(|_| "Fn"))
            .finish()
    }
}
