//! `auth=TOKEN` on `/sse` and `/test/stream`: the request must carry
//! `Authorization: Bearer TOKEN`, or it is answered `401`.
//!
//! A browser's `EventSource` cannot send that header; the library's fetch
//! transport can. This lets the demo and the browser tests show both: the
//! right token streams, a missing or wrong one is a `401` the page can read.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::params::{BadRequest, Params};

/// The token a request must present, from the `auth` query parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BearerToken(String);

/// Why a request was refused: a `401` whose text/plain body says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unauthorized(pub String);

impl BearerToken {
    /// The token `auth` asks for, if given. An empty one is a 400: no
    /// header could match it.
    pub fn from_params(params: &Params) -> Result<Option<Self>, BadRequest> {
        match params.get("auth") {
            None => Ok(None),
            Some("") => Err(BadRequest("auth must not be empty".into())),
            Some(token) => Ok(Some(Self(token.to_owned()))),
        }
    }

    /// Whether `headers` carry `Authorization: Bearer <this token>`. The
    /// scheme is case-insensitive (RFC 9110 §11.1), the token exact.
    pub fn admits(&self, headers: &HeaderMap) -> Result<(), Unauthorized> {
        let Some(value) = headers.get(header::AUTHORIZATION) else {
            return Err(Unauthorized(
                "this stream needs an `Authorization: Bearer <token>` header; none was sent".into(),
            ));
        };
        let value = String::from_utf8_lossy(value.as_bytes());
        let (scheme, token) = value.split_once(' ').unwrap_or((&value, ""));
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(Unauthorized(format!(
                "the Authorization header uses the `{scheme}` scheme; this stream needs `Bearer`"
            )));
        }
        if token.trim_start_matches(' ') != self.0 {
            return Err(Unauthorized("the bearer token is wrong".into()));
        }
        Ok(())
    }
}

/// Apply `auth` from `params` to a request with `headers`: the `400` (empty
/// `auth`) or `401` to answer instead of the stream, if any.
pub fn refusal(params: &Params, headers: &HeaderMap) -> Option<Response> {
    match BearerToken::from_params(params) {
        Err(bad) => Some(bad.into_response()),
        Ok(None) => None,
        Ok(Some(token)) => token.admits(headers).err().map(IntoResponse::into_response),
    }
}

impl IntoResponse for Unauthorized {
    fn into_response(self) -> Response {
        (
            StatusCode::UNAUTHORIZED,
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::WWW_AUTHENTICATE, "Bearer"),
            ],
            format!("unauthorized: {}\n", self.0),
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn token(value: &str) -> BearerToken {
        BearerToken::from_params(&Params::from_pairs(&[("auth", value)]))
            .unwrap()
            .unwrap()
    }

    fn with_authorization(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn absent_empty_and_present() {
        assert_eq!(BearerToken::from_params(&Params::from_pairs(&[])), Ok(None));
        assert!(BearerToken::from_params(&Params::from_pairs(&[("auth", "")])).is_err());
        assert_eq!(token("s3cret"), BearerToken("s3cret".into()));
    }

    #[test]
    fn admits_only_the_right_bearer_token() {
        let token = token("s3cret");
        assert!(token.admits(&with_authorization("Bearer s3cret")).is_ok());
        assert!(token.admits(&with_authorization("bearer s3cret")).is_ok());
        let refusals = [
            (HeaderMap::new(), "none was sent"),
            (with_authorization("Bearer wrong"), "wrong"),
            (with_authorization("Bearer s3cret2"), "wrong"),
            (with_authorization("Bearer"), "wrong"),
            (with_authorization("Basic s3cret"), "`Basic` scheme"),
            (with_authorization("s3cret"), "`s3cret` scheme"),
        ];
        for (headers, why) in refusals {
            let Unauthorized(message) = token.admits(&headers).unwrap_err();
            assert!(message.contains(why), "{headers:?}: {message}");
        }
    }
}
