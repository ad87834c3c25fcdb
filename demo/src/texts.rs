//! What the page writes about events and errors: an item's text, a line of the attempts
//! log, and the words for a refused token.

use web_eventsource::{ConnectionError, ErrorKind, Message, Transport};

/// An item's text: the event's id, then `text`.
pub(crate) fn item_text(message: &Message, text: &str) -> String {
    format!("#{} {text}", message.last_event_id())
}

/// The HTTP status that refuses the request's credentials (401 Unauthorized, 403
/// Forbidden), if `error` has one. Sending the same token again would be refused again, so
/// the page stops instead of letting the policy retry.
pub(crate) fn refused_status(error: &ConnectionError) -> Option<u16> {
    error.status().filter(|status| matches!(status, 401 | 403))
}

/// What the page says when the browser's `EventSource` is asked for a stream that needs
/// a bearer token, which it cannot send.
pub(crate) const NEEDS_FETCH: &str =
    "this stream needs a bearer token, which only fetch can send: choose fetch, then Reconnect";

/// The error line for a refused request: its status, and that nothing is retried.
pub(crate) fn refusal_error(status: u16) -> String {
    format!("failed: HTTP {status}, not retrying")
}

/// The attempts log's line for a refused request: what to do about it.
pub(crate) fn refusal_attempt(status: u16) -> String {
    format!("refused, HTTP {status}: closed; fix the token and press Reconnect")
}

/// A line of the attempts log for one error: what happened (with its HTTP status, which
/// only fetch sees) and what comes next. Who reconnects after a dropped connection
/// depends on `transport`.
pub(crate) fn attempt_text(
    error: &ConnectionError,
    transport: Transport,
    resume_point: &str,
) -> String {
    let what = match error.kind() {
        ErrorKind::Lost => "connection lost",
        ErrorKind::IdleTimeout => "silent for too long",
        ErrorKind::NoContent => "the server said stop (204)",
        ErrorKind::RetriesExhausted => "no retries left",
        ErrorKind::TooLarge => "an event was too large",
        _ => "connection failed",
    };
    let what = match error.status() {
        Some(status) if error.kind() != ErrorKind::NoContent => format!("{what}, HTTP {status}"),
        _ => what.to_owned(),
    };
    let reconnecting = match transport {
        Transport::Fetch => "the fetch transport reconnects",
        _ => "the browser reconnects",
    };
    let resuming = if resume_point.is_empty() {
        "from the start".to_owned()
    } else {
        format!("resuming after #{resume_point}")
    };
    match (error.attempt(), error.retry_delay()) {
        (Some(attempt), Some(delay)) => format!(
            "{what}: attempt {attempt} in {} ms, {resuming}",
            delay.as_millis()
        ),
        _ if error.will_reconnect() => format!("{what}: {reconnecting}"),
        _ => format!("{what}: given up"),
    }
}
