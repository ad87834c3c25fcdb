//! `GET /test/echo-cookie`: one event whose data is the request's `Cookie`
//! header, so browser tests can check `withCredentials` really sends
//! cookies cross-origin.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, StreamExt};

use crate::body::streaming_body;
use crate::params::Params;
use crate::sse::{self, Event};
use crate::AppState;

/// Send `id: 1` with the cookies (empty if none), then hold with
/// keep-alives (`keepalive` ms, default 1000, 0 = off).
pub async fn handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let keepalive = match Params::new(query).millis("keepalive", 1000) {
        Ok(keepalive) => keepalive,
        Err(bad) => return bad.into_response(),
    };
    // HTTP/2 may split cookies over several headers; join them the way
    // HTTP/1.1 would have sent them.
    let cookies = headers
        .get_all(header::COOKIE)
        .iter()
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        .collect::<Vec<_>>()
        .join("; ");
    let event = Event {
        id: Some(1),
        name: None,
        data: &cookies,
    }
    .to_bytes();
    let chunks = stream::once(async move { event })
        .chain(stream::pending())
        .boxed();
    let keepalive = (!keepalive.is_zero()).then_some(keepalive);
    let body = streaming_body(chunks, keepalive, state.shutdown.clone(), ());
    sse::response(body, HeaderValue::from_static(sse::EVENT_STREAM))
}
