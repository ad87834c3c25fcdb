//! `GET /test/stream`: a scripted event stream whose every behaviour is set
//! by query parameters, so browser tests can provoke each EventSource code
//! path (resume, retry, errors, wrong content type, abrupt ends) on demand.
//!
//! All parameters are optional; any unparsable value is a `400` text/plain.
//! Precedence: `auth` > `status` > planned failure (`fail_first`,
//! `fail_requests`) > "exhausted → 204" > stream.
//!
//! * `count` (10): ids run `1..=count`.
//! * resume: after the `Last-Event-ID` header, else the `lastEventId`
//!   parameter; garbage counts as 0. Resume id `>= count` → `204`.
//! * `interval` (ms, 0): delay between events; the first goes out at once.
//! * `batch` (1, at most 10,000): events written per body chunk (with
//!   `interval`, the delay falls between chunks). Lets a benchmark measure the
//!   client rather than one write per event.
//! * `event`: `event:` field (no line breaks allowed).
//! * `events` (`a,b,c`): event types taken in turn, id `n` getting the
//!   `(n - 1) % len`-th (`message`, or an empty entry, sends no `event:`
//!   field); overrides `event`. For tests of sources subscribing to
//!   different types of one stream.
//! * `data` (`{id}`): template, `{id}` replaced; CR/CRLF/LF each start a new
//!   `data:` line.
//! * `format` (`text` | `json`): json sends `{"id":N,"text":"<data>"}`.
//! * `size` (at most 16 MiB): pad with `x` to exactly `size` bytes (whole JSON
//!   document for json); never truncates.
//! * `malformed` (`3,5`): those ids send `{"id": broken` (not padded).
//! * `end_after`: close the body after that many events in this response.
//! * `stall_after`: after that many events in this response send no more
//!   events but keep the body open (keep-alives only, if enabled), so a
//!   client's idle timeout can fire. With `end_after` the smaller one wins;
//!   on a tie the body closes.
//! * `retry` (ms): `retry: N` line first.
//! * `retry_requests` (`1,3`, needs `key`): only those requests of the key
//!   send the `retry:` line; the others send none, as a server that set the
//!   time once.
//! * `auth` (a token): unless the request carries `Authorization: Bearer
//!   <token>`, a `401` text/plain saying why (and `WWW-Authenticate:
//!   Bearer`), no stream; see [`auth`](crate::auth).
//! * `status` (200-599): that status with a text/plain body, no stream.
//! * `content_type`: the 200 stream's Content-Type.
//! * `key`: every valid request carrying it (even one answered by `auth`'s
//!   `401` or by `status`) is numbered 1, 2, … per key; `/test/connections?key=K` reports the count.
//! * `fail_first` (N) and/or `fail_requests` (`2,3`: 1-based request
//!   numbers), both needing `key`: request n of the key fails if n <= N or n
//!   is listed. The failure is `fail_status` (default 500) with a text/plain
//!   body, or a 200 with `fail_content_type` when that is given.
//! * `hang_requests` (`2,3`, needs `key`): those requests get no answer (no
//!   status line) for 10 s, then a 503, or until the server stops: a server
//!   that accepts and stalls.
//! * `noid_requests` (`4`, needs `key`): those requests get a 200 stream with
//!   one `beat` event that has no `id:` field, then the body ends.
//! * `tag`: counted in `/test/connections` while the body lives.
//! * `keepalive` (ms, 1000; 0 = off): idle `: keep-alive` comments.
//!
//! Unless `end_after` ends it, the response stays open after the last id,
//! sending only keep-alives.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, StreamExt};
use serde::Serialize;

use crate::auth::BearerToken;
use crate::body::streaming_body;
use crate::failures::{FailurePlan, Planned};
use crate::params::{resume_id, BadRequest, Params};
use crate::sse::{self, Event};
use crate::AppState;

/// The type of the one event a `noid_requests` request gets.
pub const NOID_EVENT: &str = "beat";

/// Data sent instead of the real data for ids listed in `malformed`.
pub const MALFORMED_DATA: &str = r#"{"id": broken"#;

/// The largest `size` (bytes of data per event) a stream takes: 16 MiB, the fetch
/// transport's default bound on one event.
const MAX_SIZE: usize = 16 << 20;

/// The largest `batch` (events per chunk) a stream takes.
const MAX_BATCH: u64 = 10_000;

/// How long a request of `hang_requests` waits unanswered.
const HANG_LIMIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The bytes past which a batch's chunk is sent and the batch goes on in the next one.
const MAX_CHUNK: usize = 16 << 20;

/// How the data of each event is shaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

/// Every query parameter, validated up front so no bad value reaches the
/// stream.
#[derive(Debug)]
struct Spec {
    count: u64,
    resume: u64,
    interval: Duration,
    batch: u64,
    event: Option<String>,
    /// `events`: the types taken in turn, if given.
    events: Vec<String>,
    template: String,
    format: Format,
    size: Option<usize>,
    malformed: HashSet<u64>,
    end_after: Option<u64>,
    stall_after: Option<u64>,
    retry: Option<u64>,
    /// `retry_requests`: the requests that send `retry`, if not all.
    retry_requests: Option<HashSet<u64>>,
    auth: Option<BearerToken>,
    status: Option<StatusCode>,
    content_type: HeaderValue,
    key: Option<String>,
    failure: Option<FailurePlan>,
    tag: Option<String>,
    keepalive: Option<Duration>,
}

impl Spec {
    fn parse(params: &Params, headers: &HeaderMap) -> Result<Self, BadRequest> {
        let event = params.get("event").map(str::to_owned);
        if let Some(name) = &event {
            if !sse::valid_event_name(name) {
                return Err(BadRequest("event must not contain line breaks".into()));
            }
        }
        let events: Vec<String> = params
            .get("events")
            .map(|list| list.split(',').map(str::to_owned).collect())
            .unwrap_or_default();
        if !events.iter().all(|name| sse::valid_event_name(name)) {
            return Err(BadRequest("events must not contain line breaks".into()));
        }
        let format = match params.get("format") {
            None | Some("text") => Format::Text,
            Some("json") => Format::Json,
            Some(other) => {
                return Err(BadRequest(format!(
                    "invalid format `{other}` (expected text or json)"
                )))
            }
        };
        let content_type = params
            .header_value("content_type")?
            .unwrap_or_else(|| HeaderValue::from_static(sse::EVENT_STREAM));
        let keepalive = params.millis("keepalive", 1000)?;
        Ok(Self {
            count: params.parse("count")?.unwrap_or(10),
            resume: resume_id(headers, params),
            interval: params.millis("interval", 0)?,
            batch: match params.parse("batch")? {
                None => 1,
                Some(0) => return Err(BadRequest("batch must be at least 1".into())),
                // One chunk is built whole before it is written: a bound keeps a bad query
                // from taking the server's memory.
                Some(n) if n > MAX_BATCH => {
                    return Err(BadRequest(format!("batch must be at most {MAX_BATCH}")))
                }
                Some(n) => n,
            },
            event,
            events,
            template: sse::normalize_newlines(params.get("data").unwrap_or("{id}")).into_owned(),
            format,
            size: match params.parse("size")? {
                // The data is built whole for each event (and again as JSON).
                Some(size) if size > MAX_SIZE => {
                    return Err(BadRequest(format!("size must be at most {MAX_SIZE}")))
                }
                size => size,
            },
            malformed: params.number_set("malformed")?.unwrap_or_default(),
            end_after: params.parse("end_after")?,
            stall_after: params.parse("stall_after")?,
            retry: params.parse("retry")?,
            retry_requests: match params.number_set("retry_requests")? {
                Some(_) if params.get("key").is_none() => {
                    return Err(BadRequest("retry_requests needs a key".into()))
                }
                requests => requests,
            },
            auth: BearerToken::from_params(params)?,
            status: params.status("status")?,
            content_type,
            key: params.get("key").map(str::to_owned),
            failure: FailurePlan::parse(params)?,
            tag: params.get("tag").map(str::to_owned),
            keepalive: (!keepalive.is_zero()).then_some(keepalive),
        })
    }

    /// The `event:` field of event `id`, if any.
    fn event_type(&self, id: u64) -> Option<&str> {
        if self.events.is_empty() {
            return self.event.as_deref();
        }
        let index = (id.saturating_sub(1) % self.events.len() as u64) as usize;
        Some(self.events[index].as_str()).filter(|name| !name.is_empty() && *name != "message")
    }

    /// The events `first..=end` as one chunk, and the id that comes next (`None` past
    /// `u64::MAX`). A chunk is built whole before it is written: past [`MAX_CHUNK`] bytes
    /// it ends early, and the batch goes on in the next (`batch` and `size` are bounded
    /// each, and their product would not be).
    fn chunk(&self, first: u64, end: u64) -> (Vec<u8>, Option<u64>) {
        let mut chunk = Vec::new();
        let mut next = Some(first);
        while let Some(id) = next.filter(|&id| id <= end && chunk.len() < MAX_CHUNK) {
            let data = self.data(id);
            let event = Event {
                id: Some(id),
                name: self.event_type(id),
                data: &data,
            };
            chunk.extend_from_slice(&event.to_bytes());
            next = id.checked_add(1);
        }
        (chunk, next)
    }

    /// The data of event `id`, formatted and padded.
    fn data(&self, id: u64) -> String {
        if self.malformed.contains(&id) {
            return MALFORMED_DATA.to_owned();
        }
        let mut text = self.template.replace("{id}", &id.to_string());
        match self.format {
            Format::Text => {
                let len = text.len();
                pad(&mut text, self.size, len);
                text
            }
            Format::Json => {
                let unpadded = json_data(id, &text);
                pad(&mut text, self.size, unpadded.len());
                // Each `x` adds exactly one byte to the JSON encoding, so
                // the padded document is exactly `size` bytes long.
                json_data(id, &text)
            }
        }
    }
}

/// Append `x`s to `text` so a payload now `current` bytes long grows to
/// `size` bytes; never shortens.
fn pad(text: &mut String, size: Option<usize>, current: usize) {
    if let Some(size) = size {
        if current < size {
            text.push_str(&"x".repeat(size - current));
        }
    }
}

#[derive(Serialize)]
struct JsonData<'a> {
    id: u64,
    text: &'a str,
}

fn json_data(id: u64, text: &str) -> String {
    // Serialising a struct of a number and a string cannot fail; fall back
    // to an empty document rather than panic all the same.
    serde_json::to_string(&JsonData { id, text }).unwrap_or_default()
}

fn plain(status: StatusCode, content_type: HeaderValue, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// The handler: validate, apply the failure knobs, then stream.
pub async fn handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let spec = match Spec::parse(&Params::new(query), &headers) {
        Ok(spec) => spec,
        Err(bad) => return bad.into_response(),
    };
    let text_plain = HeaderValue::from_static("text/plain; charset=utf-8");
    // Number every valid request of a key exactly once, before anything can
    // answer it, so both failure knobs and `/test/connections?key=` agree.
    let nth = spec
        .key
        .as_deref()
        .map(|key| (key, state.requests.record(key)));

    if let Some(token) = &spec.auth {
        if let Err(refused) = token.admits(&headers) {
            return refused.into_response();
        }
    }

    if let Some(status) = spec.status {
        let body = format!("status {} requested by the test\n", status.as_u16());
        return plain(status, text_plain, body);
    }

    if let (Some(plan), Some((key, nth))) = (&spec.failure, nth) {
        match plan.for_request(nth) {
            Planned::Serve => {}
            Planned::Fail => {
                let body = format!("request {nth} of key `{key}` fails on purpose\n");
                return match &plan.content_type {
                    Some(content_type) => plain(StatusCode::OK, content_type.clone(), body),
                    None => plain(plan.status, text_plain, body),
                };
            }
            Planned::Hang => {
                // No status line for a while (or until the client gives up, which
                // drops this future). Not for ever: a request the client cannot abort
                // (a page's `fetch` wrapper dropped the signal) would hold one of the
                // browser's six connections to this server for every later test of
                // the page.
                tokio::select! {
                    () = state.shutdown.wait() => {}
                    () = tokio::time::sleep(HANG_LIMIT) => {}
                }
                return StatusCode::SERVICE_UNAVAILABLE.into_response();
            }
            Planned::NoId => {
                let beat = Event {
                    id: None,
                    name: Some(NOID_EVENT),
                    data: "an event without an id",
                }
                .to_bytes();
                return sse::response(axum::body::Body::from(beat), spec.content_type.clone());
            }
        }
    }

    if spec.resume >= spec.count {
        // 204 tells the browser to stop reconnecting.
        return StatusCode::NO_CONTENT.into_response();
    }

    let guard = spec.tag.as_deref().map(|tag| state.connections.open(tag));
    let remaining = spec.count - spec.resume;
    let to_send = [spec.end_after, spec.stall_after]
        .into_iter()
        .flatten()
        .fold(remaining, u64::min);
    // Close the body only when `end_after` cut this response short (or
    // ended it exactly at the last id) before any stall; otherwise hold it
    // open: a stalled or finished stream sends only keep-alives.
    let closes = spec.end_after.is_some_and(|n| n == to_send);
    let first_id = spec.resume + 1;
    let last_id = spec.resume + to_send;
    let keepalive = spec.keepalive;
    let content_type = spec.content_type.clone();
    let retry = spec.retry.filter(|_| match (&spec.retry_requests, nth) {
        (Some(requests), Some((_, nth))) => requests.contains(&nth),
        _ => true,
    });
    let interval = spec.interval;
    let batch = spec.batch;
    let spec = std::sync::Arc::new(spec);

    // The state is the next id, `None` past `u64::MAX` (an `end + 1` would overflow).
    let events = stream::unfold(Some(first_id), move |next| {
        let spec = std::sync::Arc::clone(&spec);
        async move {
            let first = next.filter(|&id| id <= last_id)?;
            if first > first_id && !interval.is_zero() {
                tokio::time::sleep(interval).await;
            }
            let end = first.saturating_add(batch - 1).min(last_id);
            let (chunk, next) = spec.chunk(first, end);
            Some((Bytes::from(chunk), next))
        }
    });
    let retry = stream::iter(retry.map(sse::retry_line));
    let tail = if closes {
        stream::empty::<Bytes>().boxed()
    } else {
        stream::pending::<Bytes>().boxed()
    };
    let chunks = retry.chain(events).chain(tail).boxed();

    let body = streaming_body(chunks, keepalive, state.shutdown.clone(), guard);
    sse::response(body, content_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(pairs: &[(&str, &str)]) -> Result<Spec, BadRequest> {
        Spec::parse(&Params::from_pairs(pairs), &HeaderMap::new())
    }

    #[test]
    fn text_padding_is_exact_and_never_truncates() {
        let s = spec(&[("size", "10")]).unwrap();
        assert_eq!(s.data(7), "7xxxxxxxxx");
        let s = spec(&[("size", "3"), ("data", "hello {id}")]).unwrap();
        assert_eq!(s.data(1), "hello 1");
    }

    #[test]
    fn json_padding_is_exact() {
        let s = spec(&[("size", "64"), ("format", "json")]).unwrap();
        let data = s.data(12);
        assert_eq!(data.len(), 64);
        let value: serde_json::Value = serde_json::from_str(&data).unwrap();
        assert_eq!(value["id"], 12);
        assert!(value["text"].as_str().unwrap().starts_with("12x"));
    }

    #[test]
    fn malformed_overrides_data() {
        let s = spec(&[("malformed", "2, 4"), ("format", "json")]).unwrap();
        assert_eq!(s.data(2), MALFORMED_DATA);
        assert_eq!(s.data(3), r#"{"id":3,"text":"3"}"#);
    }

    #[test]
    fn events_take_turns_and_message_sends_no_field() {
        let s = spec(&[("events", "a,message,c"), ("event", "ignored")]).unwrap();
        let types: Vec<_> = (1..=4).map(|id| s.event_type(id)).collect();
        assert_eq!(types, [Some("a"), None, Some("c"), Some("a")]);
        assert_eq!(spec(&[("event", "x")]).unwrap().event_type(3), Some("x"));
        assert!(spec(&[("events", "a,b\nc")]).is_err());
    }

    #[test]
    fn a_chunk_ends_past_its_byte_bound_and_after_the_last_id() {
        let large = spec(&[("size", &MAX_SIZE.to_string()), ("batch", "3")]).unwrap();
        let (chunk, next) = large.chunk(1, 3);
        assert!(chunk.len() < MAX_CHUNK + MAX_SIZE + 100, "{}", chunk.len());
        assert_eq!(next, Some(2), "one event of 16 MiB fills the chunk");
        let (chunk, next) = spec(&[]).unwrap().chunk(u64::MAX, u64::MAX);
        assert_eq!(
            String::from_utf8(chunk).unwrap(),
            format!("id: {0}\ndata: {0}\n\n", u64::MAX)
        );
        assert_eq!(next, None, "no id after u64::MAX");
    }

    #[test]
    fn batch_defaults_to_one_and_rejects_zero() {
        assert_eq!(spec(&[]).unwrap().batch, 1);
        assert_eq!(spec(&[("batch", "500")]).unwrap().batch, 500);
        assert!(spec(&[("batch", "0")]).is_err());
    }

    #[test]
    fn rejects_bad_values() {
        for pairs in [
            &[("count", "abc")][..],
            &[("count", "-1")],
            &[("interval", "1.5")],
            &[("format", "xml")],
            &[("malformed", "1,x")],
            &[("status", "42")],
            &[("status", "abc")],
            &[("fail_first", "2")],
            &[("fail_requests", "2")],
            &[("fail_requests", "0"), ("key", "k")],
            &[("stall_after", "-1")],
            &[("event", "a\nb")],
            &[("content_type", "a\nb")],
            &[("size", "big")],
            &[("auth", "")],
        ] {
            assert!(spec(pairs).is_err(), "{pairs:?} should be rejected");
        }
    }
}
