//! [`UseEventSourceError`]: what the `error` signal holds.

use std::fmt;
use std::time::Duration;

use web_eventsource::{ConnectionError, Error, ErrorKind, ReadyState};

/// The latest error of a hook, as plain data (`Send + Sync`, comparable).
///
/// # Examples
///
/// ```no_run
/// use leptos::prelude::*;
/// use web_eventsource_leptos::{use_event_source, UseEventSourceError};
///
/// #[component]
/// fn Status() -> impl IntoView {
///     let source = use_event_source("/sse");
///     let text = move || match source.error.get() {
///         None => String::new(),
///         Some(UseEventSourceError::Connection(failure)) if failure.will_reconnect => {
///             "reconnecting…".to_owned()
///         }
///         Some(other) => other.to_string(),
///     };
///     view! { <p class="error">{text}</p> }
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UseEventSourceError {
    /// The source could not be opened: the browser refused the URL
    /// ([`Error::InvalidUrl`]) or has no `EventSource` ([`Error::Js`]), or the core
    /// refused an option ([`Error::InvalidOption`]: a zero idle timeout, a header that is
    /// not valid HTTP, a body on a GET, a fetch-only option with
    /// [`Transport::Native`](crate::Transport::Native)). The state is `Closed`; a new URL
    /// or `open()` tries again.
    Open(Error),
    /// The connection reported an error (lost, failed, idle, `204`, retries exhausted).
    Connection(ConnectionFailure),
    /// An event's data did not decode into the typed hook's `T` ([`Error::Decode`]). The
    /// event is not delivered; the ones after it are.
    Decode(Error),
}

impl fmt::Display for UseEventSourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Open(err) | Self::Decode(err) => err.fmt(f),
            Self::Connection(failure) => failure.fmt(f),
        }
    }
}

/// `Display` is the wrapped error's, so `source()` is its source too: a connection
/// failure's [`request_error`](ConnectionFailure::request_error).
impl std::error::Error for UseEventSourceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Open(_) | Self::Decode(_) => None,
            Self::Connection(failure) => std::error::Error::source(failure),
        }
    }
}

/// A [`ConnectionError`] copied into plain data, so that it can live in a thread-safe
/// signal (the original holds the browser's `Event`).
///
/// # Examples
///
/// ```no_run
/// use leptos::prelude::*;
/// use web_eventsource_leptos::{use_event_source, UseEventSourceError};
///
/// # #[component]
/// # fn Demo() -> impl IntoView {
/// let source = use_event_source("/sse");
/// let retry = move || match source.error.get() {
///     Some(UseEventSourceError::Connection(failure)) => failure
///         .retry_delay
///         .map(|delay| format!("attempt {:?} failed, next in {delay:?}", failure.attempt)),
///     _ => None,
/// };
/// # view! { <p>{retry}</p> }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConnectionFailure {
    /// What happened.
    pub kind: ErrorKind,
    /// Whether another connection will follow (the browser's own reconnect, or the
    /// policy's).
    pub will_reconnect: bool,
    /// The policy's attempt number, when a policy is retrying.
    pub attempt: Option<u32>,
    /// The delay before the policy's next attempt.
    pub retry_delay: Option<Duration>,
    /// The HTTP status of the failed response, on the fetch transport (`Some(401)` for a
    /// wrong token); `None` on the native transport, which does not say, and for
    /// failures without a response (see
    /// [`ConnectionError::status`](web_eventsource::ConnectionError::status)).
    pub status: Option<u16>,
    /// The source's state when the error was reported.
    pub ready_state: ReadyState,
    /// The error's text (`Display` of the original).
    pub message: String,
    /// Why the request could not be made, when that is the failure (see
    /// [`ConnectionError::request_error`]): e.g. [`Error::InvalidOption`] for a header that
    /// a [`headers_with`](crate::UseEventSourceOptions::headers_with) closure returned for
    /// a reconnect. Also the failure's [`source()`](std::error::Error::source).
    pub request_error: Option<Error>,
}

impl ConnectionFailure {
    /// Whether this error ends the source for good (no reconnect follows).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source, UseEventSourceError};
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// let source = use_event_source("/sse");
    /// let gone = move || {
    ///     matches!(source.error.get(), Some(UseEventSourceError::Connection(f)) if f.is_final())
    /// };
    /// # view! { <p>{move || gone().then_some("the stream is over")}</p> }
    /// # }
    /// ```
    pub fn is_final(&self) -> bool {
        !self.will_reconnect
    }
}

impl From<&ConnectionError> for ConnectionFailure {
    fn from(err: &ConnectionError) -> Self {
        Self {
            kind: err.kind(),
            will_reconnect: err.will_reconnect(),
            attempt: err.attempt(),
            retry_delay: err.retry_delay(),
            status: err.status(),
            ready_state: err.ready_state(),
            message: err.to_string(),
            request_error: err.request_error().cloned(),
        }
    }
}

impl fmt::Display for ConnectionFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConnectionFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.request_error
            .as_ref()
            .map(|cause| cause as &(dyn std::error::Error + 'static))
    }
}
