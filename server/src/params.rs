//! Query-parameter access that turns bad input into a 400, never a panic.
//!
//! The test endpoints are driven entirely by query strings written by test
//! authors; a typo should produce a readable error, not a crashed stream.

use std::collections::{HashMap, HashSet};
use std::fmt::Display;
use std::str::FromStr;

use axum::http::{header, HeaderValue, StatusCode};
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
    /// Parameters from `(name, value)` pairs, for unit tests.
    #[cfg(test)]
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        Self::new(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

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

    /// Parse a comma-separated list of numbers (`3, 5`); empty items are
    /// skipped, absent → `Ok(None)`.
    pub fn number_set(&self, name: &str) -> Result<Option<HashSet<u64>>, BadRequest> {
        let Some(list) = self.get(name) else {
            return Ok(None);
        };
        list.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                item.parse()
                    .map_err(|_| BadRequest(format!("invalid {name} item `{item}`")))
            })
            .collect::<Result<_, _>>()
            .map(Some)
    }

    /// Parse a final HTTP status (200-599); a 1xx cannot end a response.
    pub fn status(&self, name: &str) -> Result<Option<StatusCode>, BadRequest> {
        match self.parse::<u16>(name)? {
            None => Ok(None),
            Some(code @ 200..=599) => StatusCode::from_u16(code)
                .map(Some)
                .map_err(|err| BadRequest(format!("invalid {name} `{code}`: {err}"))),
            Some(code) => Err(BadRequest(format!(
                "invalid {name} `{code}` (expected 200-599)"
            ))),
        }
    }

    /// `name` as a header value (no line breaks or other control bytes).
    pub fn header_value(&self, name: &str) -> Result<Option<HeaderValue>, BadRequest> {
        self.get(name)
            .map(|raw| {
                HeaderValue::from_str(raw)
                    .map_err(|_| BadRequest(format!("invalid {name} `{raw}` (not a header value)")))
            })
            .transpose()
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
    use axum::http::HeaderMap;

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params::from_pairs(pairs)
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
    fn number_sets_statuses_and_header_values() {
        let p = params(&[
            ("ids", " 3, 5,,3 "),
            ("empty", ""),
            ("bad", "1,x"),
            ("ok", "503"),
            ("info", "101"),
            ("type", "text/html"),
            ("broken", "a\nb"),
        ]);
        assert_eq!(p.number_set("ids"), Ok(Some(HashSet::from([3, 5]))));
        assert_eq!(p.number_set("empty"), Ok(Some(HashSet::new())));
        assert_eq!(p.number_set("missing"), Ok(None));
        assert!(p.number_set("bad").unwrap_err().0.contains("`x`"));
        assert_eq!(p.status("ok"), Ok(Some(StatusCode::SERVICE_UNAVAILABLE)));
        assert_eq!(p.status("missing"), Ok(None));
        assert!(p.status("info").is_err());
        assert_eq!(
            p.header_value("type"),
            Ok(Some(HeaderValue::from_static("text/html")))
        );
        assert!(p.header_value("broken").is_err());
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
