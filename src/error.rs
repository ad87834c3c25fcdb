//! The crate's error types: [`Error`] for what a call returns, [`ConnectionError`] for what
//! the connection reports while it runs.

use std::fmt::{self, Write as _};
use std::rc::Rc;
use std::time::Duration;

use wasm_bindgen::{JsCast, JsValue};

use crate::reconnect::timer_millis;
use crate::ReadyState;

/// What can go wrong when opening a source or decoding an event.
///
/// Nothing in this crate panics or lets a JavaScript exception escape on bad input: it
/// returns one of these instead.
///
/// # Examples
///
/// ```no_run
/// use web_eventsource::{Error, EventSource};
///
/// match EventSource::new("http://[::1") {
///     Err(Error::InvalidUrl { url, message }) => web_sys::console::log_1(&format!("{url}: {message}").into()),
///     Err(other) => web_sys::console::log_1(&other.to_string().into()),
///     Ok(_) => unreachable!("not a URL"),
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The browser refused the URL (`new EventSource(url)` threw a `SyntaxError`; on the
    /// fetch transport, the `URL` parser a `TypeError`), with the browser's message. The
    /// fetch transport also refuses a URL that parses but that `fetch` never loads: one
    /// with a user name or password, or a scheme such as `ws:`, `ftp:` or `file:`.
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// The browser's own message.
        message: String,
    },
    /// An event's data is not valid JSON for the requested type.
    Decode {
        /// The type of the event whose data failed to decode (`"message"` for plain ones).
        event_type: String,
        /// serde's message, with the line and column.
        message: String,
    },
    /// Any other JavaScript failure, such as `EventSource` missing from this context.
    Js {
        /// The exception's message.
        message: String,
    },
    /// An option of the [`Builder`](crate::Builder) cannot be used as given: an idle
    /// timeout or status probe under 1 ms, an empty `resume_param`, a header name or value
    /// the browser refuses, a `headers_with` that threw, a method the browser forbids or
    /// HEAD (whose answer has no body), a body on a GET, a `max_event_size` of 0, a
    /// `last_event_id` with a NUL, CR or LF, or a fetch-only
    /// option (`header`, `method`, `body`, ...) together with
    /// [`Transport::Native`](crate::Transport::Native).
    InvalidOption {
        /// The option, as the builder method is named (`"idle_timeout"`, `"header"`).
        option: &'static str,
        /// What is wrong with it.
        message: String,
    },
}

impl Error {
    /// Builds the error for a failed `new EventSource(url)`: a `SyntaxError` means the URL
    /// did not parse, anything else (a `ReferenceError` in a context without
    /// `EventSource`, say) is a plain JS failure.
    pub(crate) fn from_constructor(url: &str, exception: &JsValue) -> Self {
        let Some(error) = exception.dyn_ref::<js_sys::Error>() else {
            let message = exception
                .as_string()
                .unwrap_or_else(|| "unknown JavaScript exception".to_owned());
            return Self::Js { message };
        };
        let message = String::from(error.message());
        if error.name() == "SyntaxError" {
            Self::InvalidUrl {
                url: url.to_owned(),
                message,
            }
        } else {
            Self::Js { message }
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Quotes written out rather than `{:?}`: Debug escaping of a string would pull
        // Unicode tables and slicing panics into every app's wasm (a third of its size).
        // Pieces written with `write_str` rather than `write!`: a `{}` of a string goes
        // through `Formatter::pad` (its width and precision), about 1 KB of every app.
        // The browser's own sentence is written as it is: trimming its period would link
        // pattern-matching code into every app that shows an error (184 bytes).
        let pieces: [&str; 5] = match self {
            Self::InvalidUrl { url, message } => {
                ["invalid event source URL \"", url, "\": ", message, ""]
            }
            Self::Decode {
                event_type,
                message,
            } => [
                "cannot decode the data of a \"",
                event_type,
                "\" event: ",
                message,
                "",
            ],
            Self::Js { message } => ["JavaScript error: ", message, "", "", ""],
            Self::InvalidOption { option, message } => {
                ["invalid option \"", option, "\": ", message, ""]
            }
        };
        pieces.iter().try_for_each(|piece| f.write_str(piece))
    }
}

impl std::error::Error for Error {}

/// Why a [`ConnectionError`] was reported.
///
/// # Examples
///
/// ```no_run
/// use web_eventsource::{ErrorKind, EventSource};
///
/// let es = EventSource::new("/sse")?;
/// let _errors = es.on_error(|err| {
///     if err.kind() == ErrorKind::NoContent {
///         web_sys::console::log_1(&"the server asked us to stop".into());
///     }
/// });
/// # Ok::<(), web_eventsource::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The connection dropped (or, on the fetch transport, the body ended or the request
    /// failed on the network) and the transport is reconnecting by itself, sending
    /// `Last-Event-ID`. With a [`Reconnect`](crate::Reconnect) policy, a connection that
    /// fails before it opens is the policy's to retry, and reported as
    /// [`Failed`](Self::Failed).
    Lost,
    /// The browser failed the connection for good: a non-200 status, a wrong
    /// `Content-Type`, a network failure or an aborted response. Final without a
    /// [`Reconnect`](crate::Reconnect) policy; with one, a replacement follows.
    Failed,
    /// The connection was quiet for the policy's idle timeout (no event on the native
    /// transport, no bytes on fetch); a replacement follows, unless it was the last
    /// attempt `max_retries` allows. Then the final error is this one with
    /// `max_retries(Some(0))`, and [`RetriesExhausted`](Self::RetriesExhausted) after
    /// more attempts.
    IdleTimeout,
    /// The server answered `204 No Content`, the spec's "stop reconnecting": final.
    NoContent,
    /// The policy's `max_retries` attempts all failed: final.
    RetriesExhausted,
    /// An event's data grew past [`Builder::max_event_size`](crate::Builder::max_event_size)
    /// (fetch transport): final without a [`Reconnect`](crate::Reconnect) policy; with
    /// one, a replacement follows.
    TooLarge,
}

/// An error reported by the connection: lost (it will be retried) or over.
///
/// The browser gives no reason with its `error` event. What it does afterwards, as the
/// WHATWG spec defines it, is the one thing that can be known: after a dropped connection
/// it reconnects by itself; after a non-200 status, a wrong `Content-Type`, a network
/// failure or an aborted response it fails the connection for good. Without a
/// [`Reconnect`](crate::Reconnect) policy, such a failure ends every stream of the source;
/// with one, the policy replaces the connection and reports each attempt here.
///
/// # Examples
///
/// ```no_run
/// use web_eventsource::EventSource;
///
/// let es = EventSource::new("/sse")?;
/// let _errors = es.on_error(|err| {
///     if err.will_reconnect() {
///         web_sys::console::log_1(&"connection lost, reconnecting".into());
///     } else {
///         web_sys::console::log_1(&format!("connection over: {err}").into());
///     }
/// });
/// # Ok::<(), web_eventsource::Error>(())
/// ```
///
/// When the request itself could not be made, [`request_error`](Self::request_error)
/// (also the error's [`source()`](std::error::Error::source)) is the [`Error`] that says
/// why: a header that a [`headers_with`](crate::Builder::headers_with) closure returned
/// for a reconnect, say, which the browser refused.
///
/// Two errors are equal when they say the same (kind, attempt, delay, status, what happens
/// next, request error) about the same browser event.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectionError {
    kind: ErrorKind,
    will_reconnect: bool,
    attempt: Option<u32>,
    retry_delay: Option<Duration>,
    status: Option<u16>,
    event: Option<web_sys::Event>,
    /// Why the request could not be made; shared, as the error is cloned for each
    /// listener.
    cause: Option<Rc<Error>>,
    /// Another tab's connection reported it ([`relayed`](Self::relayed)).
    from_another_tab: bool,
}

impl ConnectionError {
    /// The transport lost the connection and is reconnecting by itself.
    pub(crate) fn lost(event: Option<web_sys::Event>) -> Self {
        Self {
            kind: ErrorKind::Lost,
            will_reconnect: true,
            attempt: None,
            retry_delay: None,
            status: None,
            event,
            cause: None,
            from_another_tab: false,
        }
    }

    /// The same error, with the HTTP status the transport saw.
    pub(crate) fn with_status(mut self, status: Option<u16>) -> Self {
        self.status = status;
        self
    }

    /// The same error, with why the request could not be made (its `request_error()`).
    pub(crate) fn with_cause(mut self, cause: Option<Rc<Error>>) -> Self {
        self.cause = cause;
        self
    }

    /// A final error: nothing will be tried again.
    pub(crate) fn last(
        kind: ErrorKind,
        attempt: Option<u32>,
        event: Option<web_sys::Event>,
    ) -> Self {
        Self {
            kind,
            will_reconnect: false,
            attempt,
            retry_delay: None,
            status: None,
            event,
            cause: None,
            from_another_tab: false,
        }
    }

    /// A failure the policy will retry: attempt `attempt` comes after `delay`.
    pub(crate) fn retrying(
        kind: ErrorKind,
        attempt: u32,
        delay: Duration,
        event: Option<web_sys::Event>,
    ) -> Self {
        Self {
            kind,
            will_reconnect: true,
            attempt: Some(attempt),
            // What the timer waits: a jittered delay's fraction of a millisecond would make
            // `retry_delay()` disagree with the message, and with the wait.
            retry_delay: Some(Duration::from_millis(timer_millis(delay).into())),
            status: None,
            event,
            cause: None,
            from_another_tab: false,
        }
    }

    /// An error as another tab's connection reported it, every field given (no browser
    /// event crosses tabs).
    pub(crate) fn relayed(
        kind: ErrorKind,
        will_reconnect: bool,
        attempt: Option<u32>,
        retry_delay: Option<Duration>,
        status: Option<u16>,
    ) -> Self {
        Self {
            kind,
            will_reconnect,
            attempt,
            retry_delay,
            status,
            event: None,
            cause: None,
            from_another_tab: true,
        }
    }

    /// Whether the connection will be tried again (`true`), by the browser or by the
    /// [`Reconnect`](crate::Reconnect) policy, or is over (`false`: every stream of the
    /// source ends after this error).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # let es = web_eventsource::EventSource::new("/sse")?;
    /// let _errors = es.on_error(|err| {
    ///     if err.will_reconnect() {
    ///         web_sys::console::warn_1(&format!("{err}; the stream will resume").into());
    ///     } else {
    ///         web_sys::console::error_1(&format!("{err}; the stream is over").into());
    ///     }
    /// });
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn will_reconnect(&self) -> bool {
        self.will_reconnect
    }

    /// The opposite of [`will_reconnect`](Self::will_reconnect): this is the last event
    /// of the source.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # let es = web_eventsource::EventSource::new("/sse")?;
    /// let _errors = es.on_error(|err| {
    ///     if err.is_final() {
    ///         web_sys::console::log_1(&"giving up".into());
    ///     }
    /// });
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn is_final(&self) -> bool {
        !self.will_reconnect
    }

    /// Why the error was reported.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use web_eventsource::ErrorKind;
    /// # let es = web_eventsource::EventSource::new("/sse")?;
    /// let _errors = es.on_error(|err| {
    ///     if err.kind() == ErrorKind::IdleTimeout {
    ///         web_sys::console::log_1(&"the server went quiet".into());
    ///     }
    /// });
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The source's state after the error: `Connecting` when it will reconnect, else
    /// `Closed`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # let es = web_eventsource::EventSource::new("/sse")?;
    /// let _errors = es.on_error(|err| web_sys::console::log_1(&format!("error, now {}", err.ready_state()).into()));
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn ready_state(&self) -> ReadyState {
        if self.will_reconnect {
            ReadyState::Connecting
        } else {
            ReadyState::Closed
        }
    }

    /// With a [`Reconnect`](crate::Reconnect) policy: how many attempts in a row have
    /// failed, this one included (1 for the first failure after a connection proved
    /// itself: it delivered an event, or stayed open for
    /// [`min_uptime`](crate::Reconnect::min_uptime)). The next
    /// attempt, if any, is this number. `None` without a policy, and for a reconnect the
    /// transport makes by itself ([`ErrorKind::Lost`]: the browser's, or the fetch
    /// transport's).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # let es = web_eventsource::EventSource::new("/sse")?;
    /// let _errors = es.on_error(|err| {
    ///     if let Some(attempt) = err.attempt() {
    ///         web_sys::console::log_1(&format!("failure {attempt} in a row").into());
    ///     }
    /// });
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn attempt(&self) -> Option<u32> {
        self.attempt
    }

    /// With a [`Reconnect`](crate::Reconnect) policy: how long until the next attempt, in
    /// whole milliseconds, as the browser's timer waits it (a jittered delay is rounded
    /// down; the longest is the timer's, 2^31 - 1 ms). `None` when the error is final or
    /// the transport reconnects by itself ([`ErrorKind::Lost`], after the stream's
    /// `retry:` time, which the browser's `EventSource` does not show).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # let es = web_eventsource::EventSource::new("/sse")?;
    /// let _errors = es.on_error(|err| {
    ///     if let Some(delay) = err.retry_delay() {
    ///         web_sys::console::log_1(&format!("retrying in {} ms", delay.as_millis()).into());
    ///     }
    /// });
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn retry_delay(&self) -> Option<Duration> {
        self.retry_delay
    }

    /// The HTTP status of the response that failed, e.g. `Some(401)` or `Some(503)`, on
    /// the [fetch transport](crate::Transport::Fetch). `None` on the native transport
    /// (the browser does not show it), for a network failure, and for an idle timeout.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use web_eventsource::{EventSource, Transport};
    ///
    /// let es = EventSource::builder("/sse").transport(Transport::Fetch).open()?;
    /// let _errors = es.on_error(|err| {
    ///     if err.status() == Some(401) {
    ///         web_sys::console::log_1(&"log in again".into());
    ///     }
    /// });
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// Whether another tab's connection reported this error: the source follows a
    /// connection shared across tabs ([`Builder::share_across_tabs`](crate::Builder::share_across_tabs)),
    /// and the error is the leader's, passed on. Its
    /// [`request_error`](Self::request_error) is then about the other tab's request,
    /// made with that tab's `headers_with`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// let es = web_eventsource::EventSource::builder("/sse")
    ///     .share_across_tabs(true)
    ///     .open()?;
    /// let _errors = es.on_error(|err| {
    ///     let whose = if err.from_another_tab() { "the leading tab's" } else { "this tab's" };
    ///     web_sys::console::log_1(&format!("{whose} connection: {err}").into());
    /// });
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn from_another_tab(&self) -> bool {
        self.from_another_tab
    }

    /// The browser's own `error` event, when there was one (the native transport; not
    /// for an idle timeout).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # let es = web_eventsource::EventSource::new("/sse")?;
    /// let _errors = es.on_error(|err| {
    ///     if let Some(event) = err.raw() {
    ///         web_sys::console::log_1(event);
    ///     }
    /// });
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn raw(&self) -> Option<&web_sys::Event> {
        self.event.as_ref()
    }

    /// Why the request could not be made, when that is the failure: the
    /// [`Error`] that [`open()`](crate::Builder::open) returns for the same problem in the
    /// first request, e.g. [`Error::InvalidOption`] for a header that a
    /// [`headers_with`](crate::Builder::headers_with) closure returned for a reconnect,
    /// which the browser refused. `None` for a request that was sent.
    ///
    /// It is also the error's [`source()`](std::error::Error::source); this getter needs
    /// no downcast, and links no `Debug` formatting into the app, as making a `dyn Error`
    /// of the cause does.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use web_eventsource::{Error, EventSource};
    ///
    /// let es = EventSource::builder("/sse")
    ///     .headers_with(|| vec![("Authorization".into(), "Bearer token".into())])
    ///     .open()?;
    /// let _errors = es.on_error(|err| {
    ///     if let Some(Error::InvalidOption { option, message }) = err.request_error() {
    ///         web_sys::console::error_1(&format!("the {option} was refused: {message}").into());
    ///     }
    /// });
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn request_error(&self) -> Option<&Error> {
        self.cause.as_deref()
    }
}

impl fmt::Display for ConnectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            ErrorKind::Lost => "event source connection lost; reconnecting",
            ErrorKind::Failed => "event source connection failed",
            ErrorKind::IdleTimeout => "the connection was quiet for the idle timeout",
            ErrorKind::NoContent => "the server answered 204 No Content: stop reconnecting",
            ErrorKind::RetriesExhausted => "event source connection failed; no retries left",
            ErrorKind::TooLarge => "an event exceeded the maximum event size",
        })?;
        if let Some(status) = self.status {
            f.write_str(" (HTTP ")?;
            write_decimal(f, status.into())?;
            f.write_str(")")?;
        }
        match (self.attempt, self.retry_delay) {
            // A retry delay is a browser timer's, at most 2^31 - 1 ms, so as a `u32` it is
            // exact.
            (Some(attempt), Some(delay)) => {
                f.write_str("; reconnecting in ")?;
                write_decimal(f, timer_millis(delay))?;
                f.write_str(" ms (attempt ")?;
                write_decimal(f, attempt)?;
                f.write_str(")")
            }
            (Some(attempt), None) if self.kind == ErrorKind::RetriesExhausted => {
                f.write_str(" after ")?;
                write_decimal(f, attempt.saturating_sub(1))?;
                f.write_str(" attempts")
            }
            _ if self.kind == ErrorKind::Failed && !self.will_reconnect => {
                f.write_str("; it will not reconnect")
            }
            _ => Ok(()),
        }
    }
}

/// Writes `n` in decimal, a digit at a time: `{}` of an integer (or any `write!` with
/// arguments) would link the formatter's padding and argument machinery, about 1 KB of
/// every app that shows an error.
fn write_decimal(f: &mut fmt::Formatter<'_>, n: u32) -> fmt::Result {
    if n >= 10 {
        write_decimal(f, n / 10)?;
    }
    f.write_char(char::from(b'0' + (n % 10) as u8))
}

/// [`source()`](std::error::Error::source) is why the request could not be made, when
/// that is what failed: [`request_error`](ConnectionError::request_error). `Display`
/// leaves it out, as the error-handling project group's guidance asks of an error with a
/// source: a reporter that walks the chain shows it once.
///
/// # Examples
///
/// ```no_run
/// use std::error::Error as _;
/// use web_eventsource::EventSource;
///
/// let es = EventSource::builder("/sse")
///     .headers_with(|| vec![("Authorization".into(), "Bearer token".into())])
///     .open()?;
/// let _errors = es.on_error(|err| {
///     let why = err.source().map(|cause| format!(": {cause}")).unwrap_or_default();
///     web_sys::console::log_1(&format!("{err}{why}").into());
/// });
/// # Ok::<(), web_eventsource::Error>(())
/// ```
impl std::error::Error for ConnectionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.request_error()
            .map(|cause| cause as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::Error;

    #[test]
    fn errors_say_what_failed() {
        let invalid = Error::InvalidUrl {
            url: "http://[::1".into(),
            message: "The URL is invalid.".into(),
        };
        assert_eq!(
            invalid.to_string(),
            r#"invalid event source URL "http://[::1": The URL is invalid."#
        );
        let decode = Error::Decode {
            event_type: "ping".into(),
            message: "expected value at line 1 column 1".into(),
        };
        assert_eq!(
            decode.to_string(),
            r#"cannot decode the data of a "ping" event: expected value at line 1 column 1"#
        );
        let js = Error::Js {
            message: "EventSource is not defined".into(),
        };
        assert_eq!(
            js.to_string(),
            "JavaScript error: EventSource is not defined"
        );
        let option = Error::InvalidOption {
            option: "header",
            message: "Invalid name".into(),
        };
        assert_eq!(
            option.to_string(),
            r#"invalid option "header": Invalid name"#
        );
    }

    #[test]
    fn numbers_in_connection_errors_are_written_whole() {
        use super::{ConnectionError, ErrorKind};
        use std::time::Duration;
        // Written a digit at a time (no formatter): the ends of the range, and zeros
        // inside a number.
        let at_limit =
            ConnectionError::retrying(ErrorKind::Lost, u32::MAX, Duration::from_millis(0), None)
                .with_status(Some(503));
        assert_eq!(
            at_limit.to_string(),
            "event source connection lost; reconnecting (HTTP 503); reconnecting in 0 ms (attempt 4294967295)"
        );
        let exhausted = ConnectionError::last(ErrorKind::RetriesExhausted, Some(101), None)
            .with_status(Some(204));
        assert_eq!(
            exhausted.to_string(),
            "event source connection failed; no retries left (HTTP 204) after 100 attempts"
        );
    }

    #[test]
    fn connection_errors_say_what_happens_next() {
        use super::{ConnectionError, ErrorKind};
        let failed = ConnectionError::last(ErrorKind::Failed, None, None);
        assert_eq!(
            failed.to_string(),
            "event source connection failed; it will not reconnect"
        );
        assert!(failed.is_final());
        let retrying = ConnectionError::retrying(
            ErrorKind::Failed,
            2,
            std::time::Duration::from_millis(1500),
            None,
        );
        assert_eq!(
            retrying.to_string(),
            "event source connection failed; reconnecting in 1500 ms (attempt 2)"
        );
        assert_eq!(retrying.ready_state(), crate::ReadyState::Connecting);
        let exhausted = ConnectionError::last(ErrorKind::RetriesExhausted, Some(4), None);
        assert_eq!(
            exhausted.to_string(),
            "event source connection failed; no retries left after 3 attempts"
        );
        assert_eq!(exhausted.ready_state(), crate::ReadyState::Closed);
    }

    #[test]
    fn the_retry_delay_is_the_whole_milliseconds_the_timer_waits() {
        use super::{ConnectionError, ErrorKind};
        use std::time::Duration;
        let jittered = Duration::from_nanos(1_001_999_999);
        let error = ConnectionError::retrying(ErrorKind::Lost, 1, jittered, None);
        assert_eq!(error.retry_delay(), Some(Duration::from_millis(1001)));
        assert!(error.to_string().contains("reconnecting in 1001 ms"));
        let beyond = ConnectionError::retrying(ErrorKind::Lost, 1, Duration::MAX, None);
        assert_eq!(
            beyond.retry_delay(),
            Some(Duration::from_millis(2_147_483_647))
        );
    }

    #[test]
    fn is_a_std_error() {
        fn assert_error<E: std::error::Error + Clone + Send + Sync + 'static>() {}
        assert_error::<Error>();
    }
}
