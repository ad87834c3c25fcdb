//! The `text/event-stream` wire format and the headers every SSE response
//! carries.
//!
//! Formatting is kept in one place so every endpoint produces byte-identical
//! framing, which the tests (and browsers) depend on.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;

/// The idle comment sent while a stream has nothing else to say. Writing it
/// makes a vanished client surface as a failed write, which drops the body.
pub const KEEP_ALIVE: &[u8] = b": keep-alive\n\n";

/// The usual SSE content type.
pub const EVENT_STREAM: &str = "text/event-stream";

/// One event to put on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event<'a> {
    /// `id:` field; `None` leaves the browser's last event id unchanged.
    pub id: Option<u64>,
    /// `event:` field; `None` makes it a plain `message` event. Must not
    /// contain line breaks (callers validate that).
    pub name: Option<&'a str>,
    /// Event data; each line becomes its own `data:` line.
    pub data: &'a str,
}

impl Event<'_> {
    /// Serialise to one self-contained block ending in a blank line.
    pub fn to_bytes(&self) -> Bytes {
        let mut out = String::with_capacity(self.data.len() + 32);
        if let Some(id) = self.id {
            out.push_str("id: ");
            out.push_str(&id.to_string());
            out.push('\n');
        }
        if let Some(name) = self.name {
            out.push_str("event: ");
            out.push_str(name);
            out.push('\n');
        }
        for line in normalize_newlines(self.data).split('\n') {
            out.push_str("data: ");
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
        Bytes::from(out)
    }
}

/// The `retry:` line that sets the browser's reconnection delay.
pub fn retry_line(ms: u64) -> Bytes {
    Bytes::from(format!("retry: {ms}\n"))
}

/// Turn CRLF and lone CR into LF.
///
/// The SSE parser treats all three as line ends, so a raw CR inside a
/// `data:` line would silently split it; normalising first keeps the data
/// the client sees equal to what was intended.
pub fn normalize_newlines(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        text.into()
    }
}

/// Whether `name` can be used as an `event:` field (no line breaks).
pub fn valid_event_name(name: &str) -> bool {
    !name.contains(['\r', '\n'])
}

/// A `200` streaming response with the SSE headers: no caching and no proxy
/// buffering, so each event reaches the client as soon as it is written, and
/// `nosniff`, without which a browser holds back a `text/plain` answer (the
/// wrong-Content-Type test) to sniff its first kilobyte instead of failing it.
pub fn response(body: Body, content_type: HeaderValue) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, content_type);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(event: Event<'_>) -> String {
        String::from_utf8(event.to_bytes().to_vec()).unwrap()
    }

    #[test]
    fn plain_message() {
        let event = Event {
            id: Some(3),
            name: None,
            data: "3",
        };
        assert_eq!(text(event), "id: 3\ndata: 3\n\n");
    }

    #[test]
    fn named_multi_line_event() {
        let event = Event {
            id: Some(1),
            name: Some("tick"),
            data: "a\nb\r\nc\rd",
        };
        assert_eq!(
            text(event),
            "id: 1\nevent: tick\ndata: a\ndata: b\ndata: c\ndata: d\n\n"
        );
    }

    #[test]
    fn empty_data_still_has_a_data_line() {
        let event = Event {
            id: None,
            name: None,
            data: "",
        };
        assert_eq!(text(event), "data: \n\n");
    }

    #[test]
    fn retry_and_names() {
        assert_eq!(&retry_line(250)[..], b"retry: 250\n");
        assert!(valid_event_name("update"));
        assert!(!valid_event_name("a\nb"));
    }
}
