//! The global object's `document` and `location`, read directly rather than through
//! `web_sys::window()`, which finds the global object by trying four names and checks it
//! is a `Window`: code and JavaScript glue for nothing here, and no help in a worker,
//! which has a `location` but no `document` and no `window`.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
extern "C" {
    /// A `Document`, with the one getter web-sys keeps behind its `Node` feature.
    #[wasm_bindgen(extends = web_sys::Document, extends = web_sys::EventTarget)]
    #[derive(Clone)]
    pub(crate) type Page;

    /// The URL relative URLs resolve against in a window (`<base href>` or the page's).
    #[wasm_bindgen(method, getter, js_name = baseURI)]
    pub(crate) fn base_uri(this: &Page) -> String;

    /// The global `document`: `None` where there is none (a worker).
    #[wasm_bindgen(thread_local_v2, js_name = document)]
    pub(crate) static DOCUMENT: Option<Page>;

    /// `Location` in a window, `WorkerLocation` in a worker: both have `href`.
    pub(crate) type AnyLocation;

    #[wasm_bindgen(method, getter)]
    pub(crate) fn href(this: &AnyLocation) -> String;

    /// The global `location`: `None` where there is none.
    #[wasm_bindgen(thread_local_v2, js_name = location)]
    pub(crate) static LOCATION: Option<AnyLocation>;
}

/// The base URL `new EventSource(url)` resolves `url` against: the document's base URL in
/// a window, the worker's location in a worker.
pub(crate) fn base_url() -> Option<String> {
    DOCUMENT
        .with(|document| document.as_ref().map(Page::base_uri))
        .or_else(|| LOCATION.with(|location| location.as_ref().map(AnyLocation::href)))
}
