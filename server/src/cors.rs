//! CORS for every response, including errors and static files, by
//! tower-http's [`CorsLayer`] wrapped around the whole router.
//!
//! Browser tests load pages from one origin and open streams to another,
//! with and without credentials. Mirroring the request's origin (not `*`) is
//! what makes `withCredentials: true` work, and a request without `Origin`
//! gets no CORS headers at all.
//!
//! The fetch transport sends headers a browser preflights cross-origin:
//! `Authorization` (a bearer token), `Last-Event-ID` (on every reconnect, and
//! from the native transport's status probe) and `Content-Type` (a POST
//! body's, when it is not one of the three form types). `Accept` is
//! safelisted only for short values without unsafe bytes, so it is listed
//! too. The layer answers every `OPTIONS` request itself with an
//! empty `200`: no handler sees one.
//!
//! A request whose query has `cors=refuse` (on any path, preflights included)
//! gets no `Access-Control-Allow-Origin` (nor `-Allow-Credentials`): a server
//! that does not allow the page's origin, whose answer the browser refuses to a
//! cross-origin page.

use axum::http::{header, HeaderName, Method};
use tower_http::cors::{AllowCredentials, AllowOrigin, CorsLayer};

/// Methods a cross-origin page may use (`/test/echo` takes any method; the
/// others GET or POST).
pub const ALLOWED_METHODS: [Method; 5] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::DELETE,
    Method::OPTIONS,
];

/// `Last-Event-ID`, which `http` has no constant for.
const LAST_EVENT_ID: HeaderName = HeaderName::from_static("last-event-id");

/// Request headers a cross-origin page may send.
pub const ALLOWED_HEADERS: [HeaderName; 4] = [
    header::AUTHORIZATION,
    LAST_EVENT_ID,
    header::CONTENT_TYPE,
    header::ACCEPT,
];

/// The layer: mirror the origin, allow credentials, the methods and headers
/// above, and `Vary: Origin` (with the two preflight request headers) on
/// every response.
pub fn layer() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(|_origin, request| {
            !refuses_cors(request.uri.query())
        }))
        // Only when the request has an `Origin` (the predicate is not asked
        // otherwise): a same-origin or non-browser answer stays unadorned.
        .allow_credentials(AllowCredentials::predicate(|_origin, request| {
            !refuses_cors(request.uri.query())
        }))
        .allow_methods(ALLOWED_METHODS)
        .allow_headers(ALLOWED_HEADERS)
}

/// Whether a request's query asks for no CORS headers (`cors=refuse`).
fn refuses_cors(query: Option<&str>) -> bool {
    query.is_some_and(|query| query.split('&').any(|pair| pair == "cors=refuse"))
}

#[cfg(test)]
mod tests {
    use super::refuses_cors;

    #[test]
    fn only_the_exact_pair_refuses() {
        assert!(refuses_cors(Some("count=3&cors=refuse")));
        assert!(refuses_cors(Some("cors=refuse")));
        assert!(!refuses_cors(Some("cors=refused&x=cors=refuse2")));
        assert!(!refuses_cors(None));
    }
}
