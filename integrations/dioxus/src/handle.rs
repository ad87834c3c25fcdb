//! [`UseEventSource`]: what [`use_event_source`](crate::use_event_source) returns.

use std::fmt;
use std::rc::Rc;

use dioxus::prelude::{CopyValue, ReadSignal, ReadableExt};
use web_eventsource::{EventSource, Message, ReadyState};

use crate::hub::Hub;
use crate::report::Report;
use crate::UseEventSourceError;

/// A hook's source as signals, and the controls over it. `Copy`, like Dioxus's own
/// handles (`Signal`, `Resource`): move it into event handlers and pass it to child
/// components as a prop (it is `PartialEq`: equal when it is the same hook's) and to the
/// listener and history hooks.
///
/// Each getter returns a [`ReadSignal`]: a component (or memo, or effect) that reads it
/// re-runs when it changes, and one that does not read it is not disturbed. Reading one
/// in a component that has unmounted is Dioxus's usual error: keep the handle within its
/// component's subtree.
///
/// # Examples
///
/// ```
/// use dioxus::prelude::*;
/// use web_eventsource_dioxus::use_event_source;
///
/// #[component]
/// fn Live() -> Element {
///     let es = use_event_source("/sse");
///     rsx! {
///         p { "{es.ready_state()}" }
///         button { onclick: move |_| es.close(), "Close" }
///         button { onclick: move |_| es.reopen(), "Reconnect" }
///     }
/// }
/// ```
#[derive(Clone, Copy, PartialEq)]
pub struct UseEventSource {
    ready_state: ReadSignal<ReadyState>,
    error: ReadSignal<Option<UseEventSourceError>>,
    last_event_id: ReadSignal<String>,
    message: ReadSignal<Option<Message>>,
    hub: CopyValue<Rc<Hub>>,
}

impl UseEventSource {
    /// The read halves of `report`'s signals, and `hub`, made once per hook.
    pub(crate) fn new(report: &Report, hub: Rc<Hub>) -> Self {
        Self {
            ready_state: ReadSignal::new(report.ready_state),
            error: ReadSignal::new(report.error),
            last_event_id: ReadSignal::new(report.last_event_id),
            message: ReadSignal::new(report.message),
            hub: CopyValue::new(hub),
        }
    }

    /// The hub, unless the component that owns it has unmounted.
    pub(crate) fn hub(&self) -> Option<Rc<Hub>> {
        self.hub.try_peek().ok().map(|hub| Rc::clone(&hub))
    }

    /// The state of the source: `Connecting` until it opens (and always on the server;
    /// `Closed` at an empty URL),
    /// `Open`, `Connecting` again while the browser or a
    /// [`Reconnect`](web_eventsource::Reconnect) policy reconnects, `Paused`, and `Closed`
    /// after [`close`](Self::close), a final failure or a URL that does not open.
    ///
    /// # Examples
    ///
    /// ```
    /// use dioxus::prelude::*;
    /// use web_eventsource::ReadyState;
    /// use web_eventsource_dioxus::use_event_source;
    ///
    /// #[component]
    /// fn Badge() -> Element {
    ///     let es = use_event_source("/sse");
    ///     let live = es.ready_state()() == ReadyState::Open;
    ///     rsx! { span { class: if live { "live" }, "{es.ready_state()}" } }
    /// }
    /// ```
    pub fn ready_state(&self) -> ReadSignal<ReadyState> {
        self.ready_state
    }

    /// The last error since the current source was opened: the browser refused the URL
    /// ([`UseEventSourceError::Open`]), or the connection reported an error, lost or
    /// final. A new URL, new options that open a new source, or [`reopen`](Self::reopen)
    /// clears it.
    ///
    /// # Examples
    ///
    /// ```
    /// use dioxus::prelude::*;
    /// use web_eventsource_dioxus::use_event_source;
    ///
    /// #[component]
    /// fn Problem() -> Element {
    ///     let es = use_event_source("/sse");
    ///     rsx! {
    ///         if let Some(err) = es.error().cloned() {
    ///             p { class: "error", "{err}" }
    ///         }
    ///     }
    /// }
    /// ```
    pub fn error(&self) -> ReadSignal<Option<UseEventSourceError>> {
        self.error
    }

    /// The id of the last event received (written with the burst's other signals, after
    /// it; a listener hook's callback gets it with its message, as
    /// [`Message::last_event_id`]): empty before the first event with an id, on
    /// the server, when a new URL did not open, and after a change to another URL until
    /// the new source's first event (while the URL is empty it keeps the resume point of
    /// the stream that URL left, which resumes after it when its URL comes back). New
    /// options at the same URL that did not open keep it: the next open resumes after it.
    /// The events seen are `message` events and those of the types a listener or history
    /// hook subscribes to. On the fetch transport the source reads the id of every event,
    /// of any type, and [`reopen`](Self::reopen) resumes after the source's own id
    /// ([`EventSource::last_event_id`](web_eventsource::EventSource::last_event_id)), which
    /// can be later than this one.
    ///
    /// # Examples
    ///
    /// ```
    /// use dioxus::prelude::*;
    /// use web_eventsource_dioxus::use_event_source;
    ///
    /// #[component]
    /// fn ResumePoint() -> Element {
    ///     let es = use_event_source("/sse");
    ///     rsx! { small { "resume point: {es.last_event_id()}" } }
    /// }
    /// ```
    pub fn last_event_id(&self) -> ReadSignal<String> {
        self.last_event_id
    }

    /// The latest `message` event (an event without an `event:` field): `None` before the
    /// first, and again once another URL or request opens. It is the latest only: the events of a burst (one network chunk) are written
    /// together after it, so a reader re-renders once and sees the last. For every event
    /// use
    /// [`use_event_source_listener`](crate::use_event_source_listener) or
    /// [`use_event_source_history`](crate::use_event_source_history).
    ///
    /// # Examples
    ///
    /// ```
    /// use dioxus::prelude::*;
    /// use web_eventsource_dioxus::use_event_source;
    ///
    /// #[component]
    /// fn Latest() -> Element {
    ///     let es = use_event_source("/sse");
    ///     let text = es.message().read().as_ref().map(|m| m.data().to_owned());
    ///     rsx! { p { {text.unwrap_or_else(|| "nothing yet".into())} } }
    /// }
    /// ```
    pub fn message(&self) -> ReadSignal<Option<Message>> {
        self.message
    }

    /// The source now open, for anything the hooks do not cover (streams, `on_open`...);
    /// `None` before the component's first effect, on the server, after unmounting, and
    /// when the URL did not open. A new URL, new options that open a new source, or
    /// [`reopen`](Self::reopen) replaces it. To stop the stream for good, call the
    /// handle's [`close`](Self::close): a GET closed through this source is not closed by
    /// the hook, so new options, or its URL coming back, open it again.
    ///
    /// # Examples
    ///
    /// ```
    /// use dioxus::prelude::*;
    /// use web_eventsource_dioxus::use_event_source;
    ///
    /// #[component]
    /// fn Transport() -> Element {
    ///     let es = use_event_source("/sse");
    ///     // Not a signal: read in an event handler, or where a state change re-renders.
    ///     let transport = es.source().map(|s| format!("{:?}", s.transport()));
    ///     rsx! { code { {transport.unwrap_or_default()} } }
    /// }
    /// ```
    pub fn source(&self) -> Option<EventSource> {
        self.hub().and_then(|hub| hub.source())
    }

    /// Opens a new source at the same URL with the same options, in place of the current
    /// one (closed first, if it is not): Reconnect. It resumes after the last event id:
    /// when there is one, the URL carries it in the resume parameter (`lastEventId`, or the
    /// one the options' [`Reconnect`](web_eventsource::Reconnect) policy names; see
    /// [`Builder::last_event_id`](web_eventsource::Builder::last_event_id)), and the fetch
    /// transport also sends it as `Last-Event-ID`, so a server that reads either sends
    /// neither a gap nor a repeat. Listener and history hooks carry over. Does nothing on
    /// the server, before the component's first effect, or after unmounting.
    ///
    /// # Examples
    ///
    /// ```
    /// use dioxus::prelude::*;
    /// use web_eventsource_dioxus::use_event_source;
    ///
    /// #[component]
    /// fn Retry() -> Element {
    ///     let es = use_event_source("/sse");
    ///     rsx! { button { onclick: move |_| es.reopen(), "Reconnect" } }
    /// }
    /// ```
    #[doc(alias = "open")]
    pub fn reopen(&self) {
        if let Some(hub) = self.hub() {
            hub.reopen();
        }
    }

    /// Closes the source: the server sees the client go, the state becomes `Closed`, no
    /// listener is called again, until [`reopen`](Self::reopen), a new URL or another
    /// request (a new `method` or `body`) opens a new one. Other new options (a refreshed
    /// token, say) keep it closed, and are the ones `reopen` opens with. Harmless when
    /// already closed, on the server, or after unmounting.
    ///
    /// # Examples
    ///
    /// ```
    /// use dioxus::prelude::*;
    /// use web_eventsource_dioxus::use_event_source;
    ///
    /// #[component]
    /// fn Stop() -> Element {
    ///     let es = use_event_source("/sse");
    ///     rsx! { button { onclick: move |_| es.close(), "Stop" } }
    /// }
    /// ```
    pub fn close(&self) {
        if let Some(hub) = self.hub() {
            hub.close();
        }
    }
}

impl fmt::Debug for UseEventSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Peeked, not read: formatting must not subscribe anything, nor panic once the
        // component has unmounted.
        f.debug_struct("UseEventSource")
            .field("ready_state", &self.ready_state.try_peek().map(|s| *s).ok())
            .field(
                "error",
                &self.error.try_peek().map(|e| e.clone()).ok().flatten(),
            )
            .field(
                "last_event_id",
                &self.last_event_id.try_peek().map(|id| id.clone()).ok(),
            )
            .field("hub", &self.hub())
            .finish()
    }
}
