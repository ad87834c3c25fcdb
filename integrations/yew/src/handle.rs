//! [`UseEventSourceHandle`]: what [`use_event_source`](crate::use_event_source) returns.

use std::fmt;
use std::rc::Rc;

use web_eventsource::{EventSource, ReadyState};
use yew::UseReducerHandle;

use crate::hub::Hub;
use crate::status::Status;
use crate::UseEventSourceError;

/// The state of a hook's source, and the controls over it. Cheap to clone; pass it to
/// child components as a prop (it is `PartialEq`: equal while it is the same hook's and
/// nothing it shows has changed) and to the listener and history hooks.
///
/// [`ready_state`](Self::ready_state) and [`error`](Self::error) read the latest value;
/// the component (and a child given the handle as a prop) re-renders when they change,
/// not on every message.
///
/// # Examples
///
/// ```
/// use web_eventsource_yew::use_event_source;
/// use yew::prelude::*;
///
/// #[component]
/// fn Live() -> Html {
///     let es = use_event_source("/sse");
///     let onclick = {
///         let es = es.clone();
///         Callback::from(move |_| es.close())
///     };
///     html! {
///         <p>{ format!("{} ", es.ready_state()) }<button {onclick}>{ "Close" }</button></p>
///     }
/// }
/// ```
#[derive(Clone)]
pub struct UseEventSourceHandle {
    pub(crate) hub: Rc<Hub>,
    pub(crate) status: UseReducerHandle<Status>,
}

impl UseEventSourceHandle {
    /// The state of the source: `Connecting` until it opens (and always on the server;
    /// `Closed` at an empty URL),
    /// `Open`, `Connecting` again while the browser or a
    /// [`Reconnect`](web_eventsource::Reconnect) policy reconnects, `Paused`, and
    /// `Closed` after [`close`](Self::close), a final failure or a URL that does not open.
    ///
    /// # Examples
    ///
    /// ```
    /// use web_eventsource::ReadyState;
    /// use web_eventsource_yew::use_event_source;
    /// use yew::prelude::*;
    ///
    /// #[component]
    /// fn Badge() -> Html {
    ///     let es = use_event_source("/sse");
    ///     let live = es.ready_state() == ReadyState::Open;
    ///     html! { <span class={classes!(live.then_some("live"))}>{ es.ready_state().to_string() }</span> }
    /// }
    /// ```
    pub fn ready_state(&self) -> ReadyState {
        self.status.ready_state
    }

    /// The last error since the current source was opened: the browser refused the URL
    /// ([`UseEventSourceError::Open`]), or the connection reported an error, lost or
    /// final. A new URL, new options that open a new source, or [`reopen`](Self::reopen)
    /// clears it.
    ///
    /// # Examples
    ///
    /// ```
    /// use web_eventsource_yew::use_event_source;
    /// use yew::prelude::*;
    ///
    /// #[component]
    /// fn Problem() -> Html {
    ///     let es = use_event_source("/sse");
    ///     html! { <p class="error">{ es.error().map(ToString::to_string).unwrap_or_default() }</p> }
    /// }
    /// ```
    pub fn error(&self) -> Option<&UseEventSourceError> {
        self.status.error.as_ref()
    }

    /// The id of the last event received, read now (it does not cause renders): empty
    /// before the first event with an id, on the server, and when a new URL did not open
    /// (new options at the same URL that did not open keep it: the next open resumes after
    /// it). While the URL is empty it is the resume point of the stream that URL left,
    /// which resumes after it when its URL comes back. Only events that some listener or
    /// history hook subscribes to are seen. On the fetch transport the source reads the
    /// id of every event, of any type, and [`reopen`](Self::reopen) resumes after the
    /// source's own id
    /// ([`EventSource::last_event_id`](web_eventsource::EventSource::last_event_id)), which
    /// can be later than this one.
    ///
    /// # Examples
    ///
    /// ```
    /// use web_eventsource_yew::use_event_source;
    /// use yew::prelude::*;
    ///
    /// #[component]
    /// fn ResumePoint() -> Html {
    ///     let es = use_event_source("/sse");
    ///     // Read at render time: as fresh as the last render, which messages do not cause.
    ///     html! { <small>{ format!("resume point: {:?}", es.last_event_id()) }</small> }
    /// }
    /// ```
    pub fn last_event_id(&self) -> String {
        self.hub.last_event_id()
    }

    /// The hook's source, for anything the hooks do not cover (streams, `on_open`...);
    /// `None` before the component's first effect, on the server, after unmounting, and
    /// when the URL did not open. After [`close`](Self::close) it is the closed source
    /// (kept for its last event id) until [`reopen`](Self::reopen) or a new URL replaces
    /// it: check [`ready_state`](Self::ready_state) rather than `is_some()`. To stop the
    /// stream for good, call the handle's [`close`](Self::close): a GET closed through
    /// this source is not closed by the hook, so new options, or its URL coming back,
    /// open it again.
    ///
    /// # Examples
    ///
    /// ```
    /// use web_eventsource_yew::use_event_source;
    /// use yew::prelude::*;
    ///
    /// #[component]
    /// fn Url() -> Html {
    ///     let es = use_event_source("/sse");
    ///     html! { <code>{ es.source().map(|s| s.url().to_owned()).unwrap_or_default() }</code> }
    /// }
    /// ```
    pub fn source(&self) -> Option<EventSource> {
        self.hub.source()
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
    /// use web_eventsource_yew::use_event_source;
    /// use yew::prelude::*;
    ///
    /// #[component]
    /// fn Stop() -> Html {
    ///     let es = use_event_source("/sse");
    ///     let onclick = {
    ///         let es = es.clone();
    ///         Callback::from(move |_| es.close())
    ///     };
    ///     html! { <button {onclick}>{ "Stop" }</button> }
    /// }
    /// ```
    pub fn close(&self) {
        self.hub.close();
    }

    /// Opens a new source at the same URL with the same options, in place of the current
    /// one (closed first, if it is not). It resumes after the last event id: when there
    /// is one, the URL carries it in the resume parameter (`lastEventId`, or the one the
    /// options' [`Reconnect`](web_eventsource::Reconnect) policy names; see
    /// [`Builder::last_event_id`](web_eventsource::Builder::last_event_id)), since a new
    /// browser `EventSource` cannot send the `Last-Event-ID` header (on the fetch
    /// transport the request carries that header too), so a server that reads either
    /// sends neither a gap nor a repeat. Listener and history hooks carry over. Does
    /// nothing on the server, before the component's first effect, or after unmounting.
    ///
    /// # Examples
    ///
    /// ```
    /// use web_eventsource_yew::use_event_source;
    /// use yew::prelude::*;
    ///
    /// #[component]
    /// fn Retry() -> Html {
    ///     let es = use_event_source("/sse");
    ///     let onclick = {
    ///         let es = es.clone();
    ///         Callback::from(move |_| es.reopen())
    ///     };
    ///     html! { <button {onclick}>{ "Reconnect" }</button> }
    /// }
    /// ```
    pub fn reopen(&self) {
        self.hub.reopen();
    }
}

/// Equal when both come from the same hook and were made by renders that showed the
/// same state and error. (Yew's own comparison of the reducer handles compares what each
/// render saw; dereferencing both would read the latest value twice, and a child given
/// the handle as a prop would never re-render.)
impl PartialEq for UseEventSourceHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.hub, &other.hub) && self.status == other.status
    }
}

impl fmt::Debug for UseEventSourceHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UseEventSourceHandle")
            .field("ready_state", &self.ready_state())
            .field("error", &self.error())
            .field("hub", &self.hub)
            .finish()
    }
}
