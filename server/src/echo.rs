//! `/test/echo`, for any method: one event telling what the server received
//! (the method, every header, the body), so browser tests can check exactly
//! what the fetch transport sent: custom and refreshed headers,
//! `Last-Event-ID` on a reconnect, a POST's body and that it was sent once.
//!
//! The answer is a `200` `text/event-stream`:
//!
//! ```text
//! retry: N                      (only with `retry`)
//! id: <request number>
//! data: {"method":"POST","query":"...","headers":{...},"body":"...","request":n}
//! ```
//!
//! * `query`: the request's query string as received (no `?`; `""` for none), so a
//!   test can read the resume parameter a reconnect carried.
//! * `headers`: every request header, names lower-case, values as text
//!   (bytes that are not UTF-8 become U+FFFD); a repeated header's values
//!   are joined with `, ` in the order received.
//! * `body`: the request body as UTF-8, lossy (at most 2 MB; more is a
//!   `413`).
//! * `request` and the `id`: this request's 1-based number under `key`, 1
//!   without a key.
//!
//! Parameters, all optional; an unparsable value is a `400` text/plain:
//!
//! * `key`: every valid request carrying it is numbered 1, 2, … per key, on
//!   the same counter as `/test/stream`'s and `/test/raw`'s `key`;
//!   `/test/connections?key=K` reports the count.
//! * `retry` (ms): a `retry: N` line before the event.
//! * `hold` (`0` | `1`, default 0): with 1 the body stays open after the
//!   event, sending only keep-alive comments, until the client goes or the
//!   server stops; with 0 it ends after the event.
//! * `keepalive` (ms, 1000; 0 = off): the keep-alive period while held.
//! * `linger` (ms): without `hold`, the body ends that long after the event
//!   rather than at once, so that other tabs can join a shared stream first.
//! * `tag`: counted in `/test/connections` while the body lives (until the
//!   client goes, when held).
//!
//! `OPTIONS` never arrives here: the CORS layer answers it (see
//! [`cors`](crate::cors)).

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, Uri};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, StreamExt};
use serde::Serialize;

use crate::body::streaming_body;
use crate::params::{BadRequest, Params};
use crate::sse::{self, Event};
use crate::AppState;

/// Every query parameter, validated before anything is counted.
#[derive(Debug)]
struct Spec {
    key: Option<String>,
    retry: Option<u64>,
    hold: bool,
    keepalive: Option<Duration>,
    linger: Option<Duration>,
    tag: Option<String>,
}

impl Spec {
    fn parse(params: &Params) -> Result<Self, BadRequest> {
        let hold = match params.get("hold") {
            None | Some("0") => false,
            Some("1") => true,
            Some(other) => {
                return Err(BadRequest(format!(
                    "invalid hold `{other}` (expected 0 or 1)"
                )))
            }
        };
        let keepalive = params.millis("keepalive", 1000)?;
        Ok(Self {
            key: params.get("key").map(str::to_owned),
            retry: params.parse("retry")?,
            hold,
            keepalive: (!keepalive.is_zero()).then_some(keepalive),
            linger: params.parse("linger")?.map(Duration::from_millis),
            tag: params.get("tag").map(str::to_owned),
        })
    }
}

/// The event's data, in this field order.
#[derive(Debug, Serialize)]
struct Echo<'a> {
    method: &'a str,
    query: &'a str,
    headers: BTreeMap<&'a str, String>,
    body: String,
    request: u64,
}

/// Every header as text, repeated ones joined with `, `.
fn header_texts(headers: &HeaderMap) -> BTreeMap<&str, String> {
    headers
        .keys()
        .map(|name| {
            let values: Vec<_> = headers
                .get_all(name)
                .iter()
                .map(|value| String::from_utf8_lossy(value.as_bytes()))
                .collect();
            (name.as_str(), values.join(", "))
        })
        .collect()
}

/// The handler: number the request, then send the echo (and hold if asked).
pub async fn handler(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let spec = match Spec::parse(&Params::new(query)) {
        Ok(spec) => spec,
        Err(bad) => return bad.into_response(),
    };
    let request = spec
        .key
        .as_deref()
        .map_or(1, |key| state.requests.record(key));
    let echo = Echo {
        method: method.as_str(),
        query: uri.query().unwrap_or_default(),
        headers: header_texts(&headers),
        body: String::from_utf8_lossy(&body).into_owned(),
        request,
    };
    let data = match serde_json::to_string(&echo) {
        Ok(data) => data,
        Err(err) => return BadRequest(format!("cannot encode the echo: {err}")).into_response(),
    };
    let event = Event {
        id: Some(request),
        name: None,
        data: &data,
    }
    .to_bytes();
    let guard = spec.tag.as_deref().map(|tag| state.connections.open(tag));
    let retry = stream::iter(spec.retry.map(sse::retry_line));
    let chunks = retry.chain(stream::once(async move { event }));
    let (chunks, keepalive) = if spec.hold {
        (chunks.chain(stream::pending()).boxed(), spec.keepalive)
    } else if let Some(linger) = spec.linger {
        let end = stream::once(tokio::time::sleep(linger)).filter_map(|()| async { None });
        (chunks.chain(end).boxed(), None)
    } else {
        (chunks.boxed(), None)
    };
    let body = streaming_body(chunks, keepalive, state.shutdown.clone(), guard);
    sse::response(body, HeaderValue::from_static(sse::EVENT_STREAM))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header;

    #[test]
    fn repeated_headers_are_joined_in_order() {
        let mut headers = HeaderMap::new();
        headers.append(header::ACCEPT, HeaderValue::from_static("a"));
        headers.append(header::ACCEPT, HeaderValue::from_static("b"));
        headers.insert("x-bytes", HeaderValue::from_bytes(b"\xff!").unwrap());
        let texts = header_texts(&headers);
        assert_eq!(texts["accept"], "a, b");
        assert_eq!(texts["x-bytes"], "\u{fffd}!");
        assert_eq!(texts.len(), 2);
    }

    #[test]
    fn parses_and_rejects() {
        let spec = Spec::parse(&Params::from_pairs(&[("linger", "250")])).unwrap();
        assert_eq!(spec.linger, Some(Duration::from_millis(250)));
        let spec = Spec::parse(&Params::from_pairs(&[("hold", "1"), ("keepalive", "0")])).unwrap();
        assert!(spec.hold && spec.keepalive.is_none());
        assert!(!Spec::parse(&Params::default()).unwrap().hold);
        for pairs in [
            &[("hold", "yes")][..],
            &[("retry", "-1")],
            &[("keepalive", "x")],
            &[("linger", "soon")],
        ] {
            assert!(
                Spec::parse(&Params::from_pairs(pairs)).is_err(),
                "{pairs:?}"
            );
        }
    }
}
