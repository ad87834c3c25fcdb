//! [`UseEventSourceReturn`]: what the hooks return.

use std::fmt;

use leptos::prelude::*;
use web_eventsource::ReadyState;

use crate::{UseEventSourceError, UseEventSourceMessage};

/// What [`use_event_source`](crate::use_event_source) and its variants return: the
/// connection's signals and two closures, as leptos-use's hook does.
///
/// Every signal is thread-safe and holds plain data. `open` and `close` are `Send + Sync`
/// but act only on the thread that called the hook (the browser's main thread).
///
/// # Examples
///
/// ```no_run
/// use leptos::prelude::*;
/// use web_eventsource_leptos::{use_event_source, UseEventSourceReturn};
///
/// #[component]
/// fn Feed() -> impl IntoView {
///     let UseEventSourceReturn { ready_state, message, last_event_id, open, close, .. } =
///         use_event_source("/sse");
///     view! {
///         <p>{move || ready_state.get().to_string()} " after id " {last_event_id}</p>
///         <p>{move || message.get().map(|msg| msg.data)}</p>
///         <button on:click=move |_| close()>"Close"</button>
///         <button on:click=move |_| open()>"Reconnect"</button>
///     }
/// }
/// ```
pub struct UseEventSourceReturn<T, OpenFn, CloseFn>
where
    T: Send + Sync + 'static,
    OpenFn: Fn() + Clone + Send + Sync + 'static,
    CloseFn: Fn() + Clone + Send + Sync + 'static,
{
    /// The connection's state: `Closed` before it opens and on the server, then every
    /// change (`Connecting`, `Open`, `Paused`, `Closed`).
    pub ready_state: Signal<ReadyState>,
    /// The latest event received (of the types listened to). A reader sees the value
    /// when it runs, not every value the signal took in between: for every event, use
    /// `history` or the `on_event` option.
    pub message: Signal<Option<UseEventSourceMessage<T>>>,
    /// The last `history(n)` events, oldest first (empty unless the option is set).
    pub history: Signal<Vec<UseEventSourceMessage<T>>>,
    /// The latest error; cleared when a connection opens, on `close()` and `open()`,
    /// and when the URL changes (an empty one included).
    pub error: Signal<Option<UseEventSourceError>>,
    /// The last event id received (`""` before any, and again when another URL opens):
    /// where a reconnect resumes.
    pub last_event_id: Signal<String>,
    /// Opens the source at the current URL, closing the current connection first.
    /// Reopening the URL last opened resumes after the last event id (in the policy's
    /// resume parameter, `lastEventId` by default, and on the fetch transport in the
    /// `Last-Event-ID` header too; see
    /// [`Builder::last_event_id`](web_eventsource::Builder::last_event_id)), so a Close /
    /// Reconnect pair repeats no event.
    pub open: OpenFn,
    /// Closes the source: no more events, no reconnect, the state becomes `Closed`
    /// (called from `on_event`, the event being handed over still reaches `history` and
    /// `message`). Called as the component renders, before the hook's first effect, it
    /// keeps the source from opening. The URL set again after an empty one does not open
    /// it again; `open()` or another URL does.
    pub close: CloseFn,
}

impl<T, OpenFn, CloseFn> Clone for UseEventSourceReturn<T, OpenFn, CloseFn>
where
    T: Send + Sync + 'static,
    OpenFn: Fn() + Clone + Send + Sync + 'static,
    CloseFn: Fn() + Clone + Send + Sync + 'static,
{
    fn clone(&self) -> Self {
        Self {
            ready_state: self.ready_state,
            message: self.message,
            history: self.history,
            error: self.error,
            last_event_id: self.last_event_id,
            open: self.open.clone(),
            close: self.close.clone(),
        }
    }
}

impl<T, OpenFn, CloseFn> fmt::Debug for UseEventSourceReturn<T, OpenFn, CloseFn>
where
    T: Send + Sync + 'static,
    OpenFn: Fn() + Clone + Send + Sync + 'static,
    CloseFn: Fn() + Clone + Send + Sync + 'static,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The signals' values, read without tracking, would say more but could panic
        // after disposal; their handles are what this value holds.
        f.debug_struct("UseEventSourceReturn")
            .field("ready_state", &self.ready_state)
            .field("message", &self.message)
            .field("history", &self.history)
            .field("error", &self.error)
            .field("last_event_id", &self.last_event_id)
            .finish_non_exhaustive()
    }
}
