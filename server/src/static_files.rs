//! Static files from the `--www` directory (the demo page and the built
//! wasm package).
//!
//! `ServeDir` rejects `..`, absolute and drive-prefixed components after
//! percent-decoding, so nothing outside the root can be read. Content types
//! for `.js` and `.wasm` are pinned because browsers refuse module scripts
//! and `WebAssembly.instantiateStreaming` with anything else.

use std::path::Path;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tower_http::services::ServeDir;

/// A router serving `root` for every path (`index.html` for directories).
/// A missing `root` answers 404 for everything.
pub fn router(root: &Path) -> Router {
    Router::new()
        .fallback_service(ServeDir::new(root))
        .layer(middleware::from_fn(pin_content_type))
}

/// The content type a browser insists on for this path, if any.
pub fn pinned_content_type(path: &str) -> Option<&'static str> {
    let extension = path.rsplit_once('.')?.1;
    match extension.to_ascii_lowercase().as_str() {
        "js" | "mjs" => Some("text/javascript"),
        "wasm" => Some("application/wasm"),
        _ => None,
    }
}

async fn pin_content_type(request: Request, next: Next) -> Response {
    let pinned = pinned_content_type(request.uri().path());
    let mut response = next.run(request).await;
    if let Some(content_type) = pinned {
        if response.status().is_success() {
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_types() {
        assert_eq!(pinned_content_type("/pkg/app.js"), Some("text/javascript"));
        assert_eq!(pinned_content_type("/x.MJS"), Some("text/javascript"));
        assert_eq!(
            pinned_content_type("/pkg/app_bg.wasm"),
            Some("application/wasm")
        );
        assert_eq!(pinned_content_type("/index.html"), None);
        assert_eq!(pinned_content_type("/"), None);
    }
}
