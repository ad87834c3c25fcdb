//! `GET /test/raw?body=B`: exactly the bytes of `B` as a `text/event-stream`
//! body, which then ends (like a `blob:` URL's). Browser tests of the
//! parsing path use it on every engine: Firefox's `EventSource` reads only
//! `http(s)` URLs, so a `blob:` or `data:` URL would not do there.
//!
//! Nothing is added or normalised: a body that stops mid-event, or uses CR
//! or CRLF line ends, reaches the browser as written.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::Query;
use axum::http::HeaderValue;
use axum::response::Response;

use crate::params::Params;
use crate::sse;

/// The body given (empty when `body` is absent), then the end of the response.
pub async fn handler(Query(query): Query<HashMap<String, String>>) -> Response {
    let body = Params::new(query).get("body").unwrap_or("").to_owned();
    sse::response(
        Body::from(body),
        HeaderValue::from_static(sse::EVENT_STREAM),
    )
}
