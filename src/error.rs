//! The crate's error types: [`Error`] for what a call returns, [`ConnectionError`] for what
//! the connection reports while it runs.

use std::fmt;

use wasm_bindgen::{JsCast, JsValue};

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
///     Err(Error::InvalidUrl { url, message }) => eprintln!("{url}: {message}"),
///     Err(other) => eprintln!("{other}"),
///     Ok(_) => unreachable!("not a URL"),
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The browser refused the URL (`new EventSource(url)` threw a `SyntaxError`).
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
}

impl Error {
    /// Builds the error for a failed `new EventSource(url)`: a `SyntaxError` means the URL
    /// did not parse, anything else (a `ReferenceError` in a context without
    /// `EventSource`, say) is a plain JS failure.
    pub(crate) fn from_constructor(url: &str, exception: &JsValue) -> Self {
        let message = js_message(exception);
        if js_name(exception).as_deref() == Some("SyntaxError") {
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
        match self {
            Self::InvalidUrl { url, message } => {
                write!(f, "invalid event source URL {url:?}: {message}")
            }
            Self::Decode {
                event_type,
                message,
            } => write!(
                f,
                "cannot decode the data of a {event_type:?} event: {message}"
            ),
            Self::Js { message } => write!(f, "JavaScript error: {message}"),
        }
    }
}

impl std::error::Error for Error {}

/// The `message` of a JS exception, or its string form when it has none.
fn js_message(exception: &JsValue) -> String {
    if let Some(error) = exception.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    exception
        .as_string()
        .unwrap_or_else(|| format!("{exception:?}"))
}

/// The `name` of a JS exception (`"SyntaxError"`, `"TypeError"`, ...), if it has one.
fn js_name(exception: &JsValue) -> Option<String> {
    exception
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.name()))
}

/// An `error` event from the connection: lost (the browser will reconnect) or failed for
/// good.
///
/// The browser gives no reason with the event. What it does afterwards, as the WHATWG spec
/// defines it, is the one thing that can be known: after a dropped connection it is
/// reconnecting (`readyState` `CONNECTING`); after a non-200 status, a wrong
/// `Content-Type`, a network failure on the first attempt or an aborted response it has
/// failed the connection (`CLOSED`) and every stream of the source ends.
///
/// # Examples
///
/// ```no_run
/// use web_eventsource::EventSource;
///
/// let es = EventSource::new("/sse")?;
/// let _errors = es.on_error(|err| {
///     if err.will_reconnect() {
///         eprintln!("connection lost, reconnecting");
///     } else {
///         eprintln!("connection failed for good: {err}");
///     }
/// });
/// # Ok::<(), web_eventsource::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ConnectionError {
    ready_state: ReadyState,
    event: web_sys::Event,
}

impl ConnectionError {
    pub(crate) fn new(ready_state: ReadyState, event: web_sys::Event) -> Self {
        Self { ready_state, event }
    }

    /// Whether the connection will be tried again (`true`) or is over (`false`: every
    /// stream of the source ends after this error).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # let es = web_eventsource::EventSource::new("/sse")?;
    /// let _errors = es.on_error(|err| assert_eq!(err.will_reconnect(), !err.is_final()));
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn will_reconnect(&self) -> bool {
        self.ready_state == ReadyState::Connecting
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
    ///         eprintln!("giving up");
    ///     }
    /// });
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn is_final(&self) -> bool {
        !self.will_reconnect()
    }

    /// The source's state when the error was reported: `Connecting` or `Closed`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # let es = web_eventsource::EventSource::new("/sse")?;
    /// let _errors = es.on_error(|err| eprintln!("error, now {}", err.ready_state()));
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn ready_state(&self) -> ReadyState {
        self.ready_state
    }

    /// The browser's own `error` event.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # let es = web_eventsource::EventSource::new("/sse")?;
    /// let _errors = es.on_error(|err| web_sys::console::log_1(err.raw()));
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn raw(&self) -> &web_sys::Event {
        &self.event
    }
}

impl fmt::Display for ConnectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.will_reconnect() {
            f.write_str("event source connection lost; reconnecting")
        } else {
            f.write_str("event source connection failed; it will not reconnect")
        }
    }
}

impl std::error::Error for ConnectionError {}

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
    }

    #[test]
    fn is_a_std_error() {
        fn assert_error<E: std::error::Error + Clone + Send + Sync + 'static>() {}
        assert_error::<Error>();
    }
}
