//! The few pieces of `fetch` this crate calls, bound directly: the global `fetch`
//! (present in windows and workers alike), promise settling, and a response body read
//! chunk by chunk. Bound here rather than through web-sys's `ReadableStream` features so
//! that each call has exactly the glue it needs.
//!
//! Promises are settled through callbacks rather than `async` tasks: the task executor
//! (`wasm-bindgen-futures`) would cost every app with a policy or the fetch transport
//! about 1.8 KB of gzipped wasm.

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

#[wasm_bindgen]
extern "C" {
    /// A promise, seen only through `then`.
    pub(crate) type Settling;

    /// The global `fetch`, which may be a page's wrapper or a test double: it may throw
    /// rather than reject, or return what is not a promise.
    #[wasm_bindgen(catch, js_name = fetch)]
    fn fetch_as_given(url: &str, init: &web_sys::RequestInit) -> Result<JsValue, JsValue>;

    /// `Promise.resolve`: a promise (the browser's `fetch`'s, itself), else one settled
    /// as a promise's `then` would settle on the value.
    #[wasm_bindgen(js_namespace = Promise, js_name = resolve)]
    fn settling_on(value: &JsValue) -> Settling;

    /// `Promise.reject`.
    #[wasm_bindgen(js_namespace = Promise, js_name = reject)]
    fn rejected_with(reason: &JsValue) -> Settling;

    /// `then(on_fulfilled, on_rejected)`: exactly one of the two is called.
    #[wasm_bindgen(method)]
    pub(crate) fn then(this: &Settling, on_fulfilled: &JsValue, on_rejected: &JsValue);

    /// A `Response`'s body stream.
    pub(crate) type BodyStream;

    /// A `Response`, with the getter web-sys keeps behind its `ReadableStream` feature.
    #[wasm_bindgen(extends = web_sys::Response)]
    pub(crate) type FetchResponse;

    #[wasm_bindgen(method, getter)]
    pub(crate) fn body(this: &FetchResponse) -> Option<BodyStream>;

    /// Throws for a body already locked: one a page's `fetch` wrapper or test double read,
    /// or gave out before (the same `Response` returned again).
    #[wasm_bindgen(method, catch, js_name = getReader)]
    pub(crate) fn get_reader(this: &BodyStream) -> Result<BodyReader, JsValue>;

    #[wasm_bindgen(method, js_name = cancel)]
    fn cancel_stream(this: &BodyStream) -> Settling;

    /// The body's `ReadableStreamDefaultReader`.
    #[derive(Clone)]
    pub(crate) type BodyReader;

    #[wasm_bindgen(method)]
    pub(crate) fn read(this: &BodyReader) -> Settling;

    /// Cancels the body: its stream ends, and a read under way resolves as done.
    #[wasm_bindgen(method)]
    pub(crate) fn cancel(this: &BodyReader) -> Settling;

    /// What `read()` resolves with: `{ done, value }`.
    pub(crate) type ReadResult;

    /// `None` where the object has no `done` (a rejection's value, read as a result).
    #[wasm_bindgen(method, getter)]
    pub(crate) fn done(this: &ReadResult) -> Option<bool>;

    #[wasm_bindgen(method, getter)]
    pub(crate) fn value(this: &ReadResult) -> Option<js_sys::Uint8Array>;

    /// `bytes` copied into wasm memory, by the glue of a `Vec<u8>` returned from JavaScript
    /// (`Object(bytes)` is `bytes` itself): one copy into a fresh allocation. js-sys's
    /// `to_vec` asserts lengths, which links the panic's formatting into every app that
    /// uses the fetch transport, and copying into a `Vec` made first would zero it first.
    #[wasm_bindgen(js_name = Object)]
    pub(crate) fn copied(bytes: &js_sys::Uint8Array) -> Vec<u8>;

    /// `console.warn` of two strings, which the console joins with a space (web-sys's
    /// would need its `console` feature).
    #[wasm_bindgen(js_namespace = console, js_name = warn)]
    pub(crate) fn console_warn(message: &str, about: &str);
}

/// The global `fetch` of `url`, as a promise that settles: a `fetch` that throws is one
/// that rejects, and one that returns what is not a promise resolves with it (not a
/// `Response`, which the callers read as a failed request). Called as it is given, a
/// wrapper's throw would unwind through the wasm that called it, leaving a source
/// connecting for good.
pub(crate) fn global_fetch(url: &str, init: &web_sys::RequestInit) -> Settling {
    match fetch_as_given(url, init) {
        Ok(value) => settling_on(&value),
        Err(reason) => rejected_with(&reason),
    }
}

/// Cancels the body of `outcome` when it is a fetch's `Response` that nothing will read
/// (anything else is left as it is). Aborting the request would end the body too, but a
/// page's `fetch` wrapper may have sent it without the abort signal: then only this frees
/// the browser's connection (one of six per host). A body the abort already failed
/// rejects the cancel, which is handled here.
pub(crate) fn discard_body(outcome: &JsValue) {
    use wasm_bindgen::JsCast;
    let Some(body) = outcome
        .dyn_ref::<web_sys::Response>()
        .and_then(|response| response.unchecked_ref::<FetchResponse>().body())
    else {
        return;
    };
    let ignored = ignored_outcome();
    body.cancel_stream().then(&ignored, &ignored);
}

/// A function for both outcomes of a promise whose outcome does not matter (a cancel's),
/// which handles its rejection. It is freed as it is called, once, as the promise settles.
pub(crate) fn ignored_outcome() -> JsValue {
    wasm_bindgen::closure::Closure::once_into_js(|_: JsValue| {})
}

/// `text` as a header value must be given to carry it as UTF-8, as a browser's
/// `EventSource` sends `Last-Event-ID`. `Headers` takes a byte string, one byte per
/// character, and throws for a character past U+00FF: given as it is, `é` would go out
/// as the one byte 0xE9, and an emoji would lose the header.
pub(crate) fn utf8_header_value(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() {
        text.into()
    } else {
        text.bytes().map(char::from).collect::<String>().into()
    }
}

#[cfg(test)]
mod tests {
    use super::utf8_header_value;

    #[test]
    fn a_header_value_carries_utf8_bytes_one_character_each() {
        assert_eq!(utf8_header_value("abc-1"), "abc-1");
        assert_eq!(utf8_header_value("é"), "\u{C3}\u{A9}");
        assert_eq!(utf8_header_value("😀"), "\u{F0}\u{9F}\u{98}\u{80}");
        assert!(utf8_header_value("é-😀")
            .chars()
            .all(|c| u32::from(c) <= 0xFF));
    }
}
