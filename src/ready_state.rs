//! The states of an event source: the WHATWG spec's three, and `Paused`.

use std::fmt;

/// Where an [`EventSource`](crate::EventSource) is in its life.
///
/// Mirrors the browser's `EventSource.readyState` (`CONNECTING = 0`, `OPEN = 1`,
/// `CLOSED = 2`), plus this crate's own `Paused`.
///
/// # Examples
///
/// ```no_run
/// use web_eventsource::{EventSource, ReadyState};
///
/// let es = EventSource::new("/sse")?;
/// if es.ready_state() == ReadyState::Closed {
///     // closed by `close()`, or failed for good
/// }
/// # Ok::<(), web_eventsource::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReadyState {
    /// Connecting for the first time, or reconnecting after a lost connection.
    Connecting,
    /// Connected: events are being received.
    Open,
    /// Closed for a hidden page by
    /// [`pause_when_hidden`](crate::Builder::pause_when_hidden); it reopens, resuming
    /// after the last event id, when the page is visible again. Not an error, and no
    /// stream ends.
    Paused,
    /// Closed by [`close()`](crate::EventSource::close) or failed for good; it will not
    /// reconnect.
    Closed,
}

impl ReadyState {
    /// Maps the browser's numeric `readyState`. Anything unknown counts as closed, the
    /// one state from which nothing more will happen.
    pub(crate) fn from_raw(value: u16) -> Self {
        match value {
            0 => Self::Connecting,
            1 => Self::Open,
            _ => Self::Closed,
        }
    }
}

impl fmt::Display for ReadyState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connecting => "connecting",
            Self::Open => "open",
            Self::Paused => "paused",
            Self::Closed => "closed",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::ReadyState;

    #[test]
    fn maps_the_spec_constants() {
        assert_eq!(ReadyState::from_raw(0), ReadyState::Connecting);
        assert_eq!(ReadyState::from_raw(1), ReadyState::Open);
        assert_eq!(ReadyState::from_raw(2), ReadyState::Closed);
        assert_eq!(ReadyState::from_raw(7), ReadyState::Closed);
    }

    #[test]
    fn displays_lower_case_names() {
        assert_eq!(ReadyState::Connecting.to_string(), "connecting");
        assert_eq!(ReadyState::Open.to_string(), "open");
        assert_eq!(ReadyState::Paused.to_string(), "paused");
        assert_eq!(ReadyState::Closed.to_string(), "closed");
    }
}
