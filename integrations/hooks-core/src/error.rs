//! [`UseEventSourceError`]: the last thing that went wrong, as a hook's handle reports it.

use std::fmt;

use web_eventsource::{ConnectionError, Error, ReadyState};

// The Yew and Dioxus crates re-export it, each with a summary and an example in its
// framework: rustdoc puts a re-export's own text before the item's, so this text follows
// theirs and has no example of its own.
/// What a hook's handle reports went wrong: `Open` when no source could be opened,
/// `Connection` when the connection reported an error.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum UseEventSourceError {
    /// The source could not be opened: the browser refused the URL, or the core refused
    /// an option ([`Error::InvalidOption`]: a zero idle timeout, a header that is not
    /// valid HTTP, a body on a GET, a fetch-only option with
    /// [`Transport::Native`](web_eventsource::Transport::Native)). The state is `Closed`
    /// and nothing was opened.
    Open(Error),
    /// The connection reported an error: lost (the browser or the
    /// [`Reconnect`](web_eventsource::Reconnect) policy tries again) or final (see
    /// [`ConnectionError::will_reconnect`]). On the fetch transport
    /// [`ConnectionError::status`] is the HTTP status of a failed response (a `401` from
    /// a wrong token, say).
    Connection(ConnectionError),
}

/// Whether `error` is over once the source is in `state`: a connection error that said
/// it will reconnect ends when the source is open again, or closed (it would stand next to
/// `Open` or `Closed` for ever). A final one, or a refused opening, stays until a new
/// source replaces it (the core delivers a final error's `Closed` before the error).
///
/// # Examples
///
/// ```
/// use web_eventsource::{Error, ReadyState};
/// use web_eventsource_hooks_core::{ends_at, UseEventSourceError};
///
/// let refused = UseEventSourceError::Open(Error::InvalidUrl {
///     url: "http://[::1".into(),
///     message: "The URL is invalid.".into(),
/// });
/// assert!(!ends_at(&refused, ReadyState::Closed));
/// ```
pub fn ends_at(error: &UseEventSourceError, state: ReadyState) -> bool {
    matches!(error, UseEventSourceError::Connection(err) if err.will_reconnect())
        && matches!(state, ReadyState::Open | ReadyState::Closed)
}

impl fmt::Display for UseEventSourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Open(err) => err.fmt(f),
            Self::Connection(err) => err.fmt(f),
        }
    }
}

/// Transparent: the message is the inner error's, so its cause is the inner error's too
/// (giving the inner error itself would make a report such as anyhow's `{:#}` print the
/// same message twice).
impl std::error::Error for UseEventSourceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Open(err) => err.source(),
            Self::Connection(err) => err.source(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use web_eventsource::Error;

    use super::UseEventSourceError;

    #[test]
    fn the_message_and_the_cause_are_the_inner_errors() {
        let inner = Error::InvalidUrl {
            url: "http://[::1".into(),
            message: "The URL is invalid.".into(),
        };
        let error = UseEventSourceError::Open(inner.clone());
        assert_eq!(error.to_string(), inner.to_string());
        // Not the inner error again: a report would print its message twice.
        assert!(error.source().is_none());
    }
}
