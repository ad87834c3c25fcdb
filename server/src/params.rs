//! Query-parameter access that turns bad input into a 400, never a panic.
//!
//! The test endpoints are driven entirely by query strings written by test
//! authors; a typo should produce a readable error, not a crashed stream.

use std::collections::HashMap;
use std::fmt::Display;
use std::str::FromStr;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// A `400 Bad Request` with a plain-text explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRequest(pub String);

impl IntoResponse for BadRequest {
    fn into_response(self) -> Response {
        (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("bad request: {}\n", self.0),
        )
            .into_response()
    }
}

/// The decoded query string of one request (the last value wins for a
/// repeated name).
#[derive(Debug, Default, Clone)]
pub struct Params(HashMap<String, String>);

impl Params {
    /// Wrap an already decoded query map.
    pub fn new(map: HashMap<String, String>) -> Self {
        Self(map)
    }

    /// The raw value of `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// Parse `name` as `T`; absent → `Ok(None)`, unparsable → 400.
    pub fn parse<T>(&self, name: &str) -> Result<Option<T>, BadRequest>
    where
        T: FromStr,
        T::Err: Display,
    {
        match self.get(name) {
            None => Ok(None),
            Some(raw) => raw
                .parse()
                .map(Some)
                .map_err(|err| BadRequest(format!("invalid {name} `{raw}`: {err}"))),
        }
    }

    /// Parse a millisecond duration; absent → `default_ms`.
    pub fn millis(&self, name: &str, default_ms: u64) -> Result<std::time::Duration, BadRequest> {
        let ms = self.parse::<u64>(name)?.unwrap_or(default_ms);
        Ok(std::time::Duration::from_millis(ms))
    }
}

/// Read a resume position: the `Last-Event-ID` header if present (the
/// browser's own, newest reconnect), else the `lastEventId` query parameter.
/// Anything that is not a non-negative integer counts as 0 (start over).
pub fn resume_id(headers: &axum::http::HeaderMap, params: &Params) -> u64 {
    let raw = match headers.get("last-event-id") {
        Some(value) => value.to_str().unwrap_or(""),
        None => params.get("lastEventId").unwrap_or(""),
    };
    raw.trim().parse().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderMap, HeaderValue};

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params::new(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn parse_present_absent_and_bad() {
        let p = params(&[("count", "5"), ("bad", "abc")]);
        assert_eq!(p.parse::<u64>("count"), Ok(Some(5)));
        assert_eq!(p.parse::<u64>("missing"), Ok(None));
        let err = p.parse::<u64>("bad").unwrap_err();
        assert!(err.0.contains("invalid bad `abc`"), "{}", err.0);
    }

    #[test]
    fn resume_prefers_header_and_tolerates_garbage() {
        let mut headers = HeaderMap::new();
        assert_eq!(resume_id(&headers, &params(&[])), 0);
        assert_eq!(resume_id(&headers, &params(&[("lastEventId", "4")])), 4);
        assert_eq!(resume_id(&headers, &params(&[("lastEventId", "x")])), 0);
        headers.insert("last-event-id", HeaderValue::from_static("7"));
        assert_eq!(resume_id(&headers, &params(&[("lastEventId", "4")])), 7);
        headers.insert("last-event-id", HeaderValue::from_static("nope"));
        assert_eq!(resume_id(&headers, &params(&[("lastEventId", "4")])), 0);
    }
}
