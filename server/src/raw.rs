//! `GET` or `POST /test/raw`: exactly the bytes a test asks for, with the
//! status and content type it asks for, so the fetch transport's parser can
//! be fed bad input: invalid UTF-8, a NUL in an id, a line that never ends,
//! a body cut off mid-line, an HTML error page.
//!
//! Parameters, all optional; an unparsable value is a `400` text/plain:
//!
//! * `body` (empty): the bytes, percent-decoded from the query as bytes
//!   (`%FF` is one raw 0xFF byte, `%00` a NUL, `+` a space; see
//!   [`query_bytes`](crate::query_bytes)). Nothing is added: no framing, no
//!   final newline.
//! * `repeat` (1): the body is sent that many times over, streamed in chunks
//!   of at most [`MAX_CHUNK`] bytes and never built whole in memory, so
//!   `body=x&repeat=100000000` is 100 MB without a newline.
//! * `status` (200-599, default 200): the response's status; the body is
//!   sent with it.
//! * `content_type` (`text/event-stream`): the `Content-Type`; empty
//!   (`content_type=`) sends none at all.
//! * `pause_ms` (none): each copy of the body is written on its own, this
//!   many milliseconds after the one before, so that a client reads the copies
//!   in separate chunks (at most 10,000 copies).
//! * `then` (`end` | `hang`, default `end`): after the last byte the body
//!   ends, or stays open sending nothing more (no keep-alives) until the
//!   client goes or the server stops.
//! * `tag`: counted in `/test/connections` while the body lives.
//! * `key`: every valid request carrying it is numbered 1, 2, … on the
//!   counter `/test/stream` and `/test/echo` share;
//!   `/test/connections?key=K` reports the count.
//!
//! The response also carries `Cache-Control: no-store` and
//! `X-Content-Type-Options: nosniff`, as every stream does. A POST's request
//! body is read and ignored.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, BoxStream, StreamExt};

use crate::body::streaming_body;
use crate::params::BadRequest;
use crate::query_bytes::QueryBytes;
use crate::sse;
use crate::AppState;

/// The largest body chunk `/test/raw` writes at once.
pub const MAX_CHUNK: usize = 64 * 1024;

/// What happens after the last byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Then {
    End,
    Hang,
}

/// Every query parameter, validated before anything is counted or sent.
#[derive(Debug)]
struct Spec {
    body: Bytes,
    repeat: u64,
    status: StatusCode,
    content_type: Option<HeaderValue>,
    then: Then,
    pause_ms: Option<u64>,
    tag: Option<String>,
    key: Option<String>,
}

/// The most copies `pause_ms` writes one by one.
const MAX_PAUSED_COPIES: u64 = 10_000;

impl Spec {
    fn parse(query: &QueryBytes) -> Result<Self, BadRequest> {
        let params = query.to_params();
        let body = Bytes::copy_from_slice(query.get("body").unwrap_or_default());
        let repeat = params.parse::<u64>("repeat")?.unwrap_or(1);
        if u64::try_from(body.len())
            .ok()
            .and_then(|len| len.checked_mul(repeat))
            .is_none()
        {
            return Err(BadRequest(format!(
                "body × repeat {repeat} is more bytes than can be counted"
            )));
        }
        let pause_ms = params.parse::<u64>("pause_ms")?;
        if pause_ms.is_some() && repeat > MAX_PAUSED_COPIES {
            return Err(BadRequest(format!(
                "repeat {repeat} with pause_ms: at most {MAX_PAUSED_COPIES} copies"
            )));
        }
        let content_type = match params.get("content_type") {
            Some("") => None,
            Some(_) => params.header_value("content_type")?,
            None => Some(HeaderValue::from_static(sse::EVENT_STREAM)),
        };
        let then = match params.get("then") {
            None | Some("end") => Then::End,
            Some("hang") => Then::Hang,
            Some(other) => {
                return Err(BadRequest(format!(
                    "invalid then `{other}` (expected end or hang)"
                )))
            }
        };
        Ok(Self {
            body,
            repeat,
            status: params.status("status")?.unwrap_or(StatusCode::OK),
            content_type,
            then,
            pause_ms,
            tag: params.get("tag").map(str::to_owned),
            key: params.get("key").map(str::to_owned),
        })
    }
}

/// `body` repeated `repeat` times, in chunks of at most [`MAX_CHUNK`] bytes.
///
/// One tile of whole copies (at most `MAX_CHUNK` long, or the body alone when
/// that is longer) is built once; every chunk is a zero-copy slice of it.
fn repeated(body: Bytes, repeat: u64) -> BoxStream<'static, Bytes> {
    let total = u64::try_from(body.len())
        .ok()
        .and_then(|len| len.checked_mul(repeat))
        .unwrap_or(0);
    if total == 0 {
        return stream::empty().boxed();
    }
    let copies = (MAX_CHUNK / body.len()).max(1);
    let copies = usize::try_from(repeat).map_or(copies, |repeat| copies.min(repeat));
    let tile = Bytes::from(body.repeat(copies));
    stream::unfold((0_usize, total), move |(offset, remaining)| {
        let tile = tile.clone();
        async move {
            if remaining == 0 {
                return None;
            }
            let left = usize::try_from(remaining).unwrap_or(usize::MAX);
            let len = MAX_CHUNK.min(tile.len() - offset).min(left);
            let chunk = tile.slice(offset..offset + len);
            // `len` fits in a u64: it is at most MAX_CHUNK.
            let sent = u64::try_from(len).unwrap_or(remaining);
            Some((chunk, ((offset + len) % tile.len(), remaining - sent)))
        }
    })
    .boxed()
}

/// The handler: validate, count, then send the bytes.
/// `repeat` copies of `body`, each written on its own, `pause_ms` after the one before.
fn paused(body: Bytes, repeat: u64, pause_ms: u64) -> BoxStream<'static, Bytes> {
    stream::iter(0..repeat)
        .then(move |copy| {
            let body = body.clone();
            async move {
                if copy > 0 {
                    tokio::time::sleep(std::time::Duration::from_millis(pause_ms)).await;
                }
                body
            }
        })
        .filter(|body| std::future::ready(!body.is_empty()))
        .boxed()
}

pub async fn handler(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    // Read (and ignore) a POST's body, so the connection is left clean.
    _body: Bytes,
) -> Response {
    let spec = match Spec::parse(&QueryBytes::parse(query.as_deref().unwrap_or(""))) {
        Ok(spec) => spec,
        Err(bad) => return bad.into_response(),
    };
    if let Some(key) = &spec.key {
        state.requests.record(key);
    }
    let guard = spec.tag.as_deref().map(|tag| state.connections.open(tag));
    let tail = match spec.then {
        Then::End => stream::empty().boxed(),
        Then::Hang => stream::pending().boxed(),
    };
    let copies = match spec.pause_ms {
        Some(pause_ms) => paused(spec.body, spec.repeat, pause_ms),
        None => repeated(spec.body, spec.repeat),
    };
    let chunks = copies.chain(tail).boxed();
    let body = streaming_body(chunks, None, state.shutdown.clone(), guard);
    let mut response = sse::response(body, HeaderValue::from_static(sse::EVENT_STREAM));
    *response.status_mut() = spec.status;
    match spec.content_type {
        Some(content_type) => response
            .headers_mut()
            .insert(header::CONTENT_TYPE, content_type),
        None => response.headers_mut().remove(header::CONTENT_TYPE),
    };
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(query: &str) -> Result<Spec, BadRequest> {
        Spec::parse(&QueryBytes::parse(query))
    }

    async fn collect(body: &[u8], repeat: u64) -> Vec<Bytes> {
        repeated(Bytes::copy_from_slice(body), repeat)
            .collect()
            .await
    }

    #[tokio::test]
    async fn repeats_exactly_in_bounded_chunks() {
        let long: Vec<u8> = (0..100_000_u32).map(|n| (n % 251) as u8).collect();
        let cases: [(&[u8], u64); 7] = [
            (b"x", 200_000),
            (b"abc", 30_000),
            (b"data: 1\n\n", 1),
            (&long, 3),
            (b"", 5),
            (b"x", 0),
            (&[0xff; MAX_CHUNK], 2),
        ];
        for (body, repeat) in cases {
            let chunks = collect(body, repeat).await;
            assert!(
                chunks.iter().all(|c| !c.is_empty() && c.len() <= MAX_CHUNK),
                "{} × {repeat}: chunk sizes",
                body.len()
            );
            let joined: Vec<u8> = chunks.concat();
            let expected = body.repeat(usize::try_from(repeat).unwrap());
            assert!(joined == expected, "{} × {repeat}: bytes", body.len());
        }
    }

    #[tokio::test]
    async fn paused_copies_come_one_by_one_after_the_pause() {
        let start = tokio::time::Instant::now();
        let copies: Vec<Bytes> = paused(Bytes::from_static(b"ab"), 3, 20).collect().await;
        assert_eq!(copies, [&b"ab"[..], b"ab", b"ab"]);
        assert!(start.elapsed() >= std::time::Duration::from_millis(40));
        let none: Vec<Bytes> = paused(Bytes::new(), 3, 1).collect().await;
        assert!(none.is_empty());
    }

    #[test]
    fn parses_and_rejects() {
        let s = spec("body=%FFa%00&repeat=3&status=503&content_type=text/html&then=hang").unwrap();
        assert_eq!(&s.body[..], b"\xffa\x00");
        assert_eq!(
            (s.repeat, s.status, s.then),
            (3, StatusCode::SERVICE_UNAVAILABLE, Then::Hang)
        );
        assert_eq!(s.content_type, Some(HeaderValue::from_static("text/html")));
        let defaults = spec("").unwrap();
        assert_eq!(
            (defaults.repeat, defaults.status, defaults.then),
            (1, StatusCode::OK, Then::End)
        );
        assert_eq!(
            defaults.content_type,
            Some(HeaderValue::from_static(sse::EVENT_STREAM))
        );
        assert_eq!(spec("content_type=").unwrap().content_type, None);
        for query in [
            "repeat=-1",
            "repeat=x",
            "status=99",
            "then=later",
            "content_type=a%0Ab",
            "body=xx&repeat=18446744073709551615",
            "pause_ms=x",
            "repeat=10001&pause_ms=1",
        ] {
            assert!(spec(query).is_err(), "{query}");
        }
    }
}
