//! What the app reads from the page: its root element and the `?url=` parameter.

use wasm_bindgen::JsValue;

/// The element with id `id`, or an error naming it.
pub(crate) fn element(id: &str) -> Result<web_sys::Element, JsValue> {
    web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(id))
        .ok_or_else(|| JsValue::from_str(&format!("the page has no #{id}")))
}

/// The stream to show: `?url=` if the page has one, else the server's demo stream.
pub(crate) fn stream_url() -> String {
    web_sys::window()
        .and_then(|window| window.location().search().ok())
        .and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok())
        .and_then(|params| params.get("url"))
        .filter(|url| !url.is_empty())
        .unwrap_or_else(|| "/sse".to_owned())
}
