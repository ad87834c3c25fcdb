//! Helpers shared by the browser tests (wasm-bindgen-test in headless Chromium, Firefox
//! and WebKit) of web-eventsource, of its Yew and Leptos integrations and of the Leptos
//! comparison (bench/leptos-compare): the test server's address, bounded waits on futures
//! and streams, what the test server counts, event streams of a given body (over HTTP, or
//! as `blob:` URLs), the engine under test, a count of the JS listeners on every
//! `EventSource`, and a count of the bytes the Rust heap holds ([`CountingHeap`]).
//!
//! Every wait is bounded: a test that would hang fails instead, naming what it waited for.
// Unsafe code only in `heap`, the counting allocator (an unsafe trait to implement).
#![deny(unsafe_code)]

mod heap;

pub use heap::{heap_bytes, heap_peak, reset_heap_peak, CountingHeap};

use std::future::Future;

use futures::future::{self, Either};
use futures::{Stream, StreamExt};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// How long any single wait in a test may take before the test fails.
pub const WAIT_MS: u32 = 10_000;

// The counter the benchmark page uses too (bench/www links to this file).
#[wasm_bindgen(module = "/listener-counter.js")]
extern "C" {
    /// Wraps `EventTarget.prototype.add/removeEventListener` to count the listeners live
    /// on each `EventSource`. Idempotent; call it before opening sources.
    pub fn install_listener_counter();
    fn live_listeners(target: &JsValue, event_type: Option<String>) -> u32;
    /// JS listeners live on every `EventSource` of the page.
    pub fn live_listeners_total() -> u32;
}

#[wasm_bindgen(module = "/timer-counter.js")]
extern "C" {
    /// Wraps the global `setTimeout`, `setInterval` and their `clear` functions to count
    /// the timers live on the page. Idempotent; call it before the code under test arms
    /// its timers.
    pub fn install_timer_counter();
    /// Timers (timeouts and intervals) live now whose delay is at least `min_ms`.
    pub fn live_timers_at_least(min_ms: u32) -> u32;
}

/// JS listeners live on `source` for `event_type` (all types when `None`).
pub fn js_listeners(source: &JsValue, event_type: Option<&str>) -> u32 {
    live_listeners(source, event_type.map(str::to_owned))
}

/// A string no other test (and no earlier run) uses, for server-side tags and keys.
pub fn unique(prefix: &str) -> String {
    let random = (js_sys::Math::random() * 1e12) as u64;
    format!("{prefix}-{}-{random}", js_sys::Date::now() as u64)
}

/// Resolves `future`, or panics naming `what` after [`WAIT_MS`].
pub async fn within<F: Future>(what: &str, future: F) -> F::Output {
    within_ms(WAIT_MS, what, future).await
}

/// Resolves `future`, or panics naming `what` after `ms` milliseconds.
pub async fn within_ms<F: Future>(ms: u32, what: &str, future: F) -> F::Output {
    let future = Box::pin(future);
    match future::select(future, TimeoutFuture::new(ms)).await {
        Either::Left((output, _)) => output,
        Either::Right(_) => panic!("timed out after {ms} ms waiting for {what}"),
    }
}

/// Polls `done` every 20 ms until it holds, for at most [`WAIT_MS`]; on a time-out the
/// panic names `what`.
pub async fn until(what: &str, mut done: impl FnMut() -> bool) {
    within(what, async {
        while !done() {
            sleep(20).await;
        }
    })
    .await;
}

/// Polls `condition` every 20 ms until it holds, for at most [`WAIT_MS`]; on a time-out
/// the panic names `what` and shows what `root` looked like, so that a failure says how
/// far the page got.
pub async fn wait_until(root: &web_sys::Element, what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = js_sys::Date::now() + f64::from(WAIT_MS);
    while !condition() {
        if js_sys::Date::now() > deadline {
            panic!(
                "timed out after {WAIT_MS} ms waiting for {what}; the page shows {}",
                root.inner_html()
            );
        }
        sleep(20).await;
    }
}

/// The next item of `stream`, which must come within [`WAIT_MS`].
pub async fn next<S: Stream + Unpin>(stream: &mut S, what: &str) -> Option<S::Item> {
    within(what, stream.next()).await
}

/// The next `n` items of `stream`; panics if it ends or stalls first.
pub async fn take<S: Stream + Unpin>(stream: &mut S, n: usize, what: &str) -> Vec<S::Item> {
    let mut items = Vec::with_capacity(n);
    while items.len() < n {
        match next(stream, what).await {
            Some(item) => items.push(item),
            None => panic!("{what}: stream ended after {} of {n} items", items.len()),
        }
    }
    items
}

/// Asserts that `stream` ends (after any items already buffered, which are returned).
pub async fn drain_to_end<S: Stream + Unpin>(stream: &mut S, what: &str) -> Vec<S::Item> {
    within(what, stream.collect::<Vec<_>>()).await
}

pub async fn sleep(ms: u32) {
    TimeoutFuture::new(ms).await;
}

/// A `blob:` URL whose body is `body`, served as `text/event-stream`.
pub fn blob_url(body: &str) -> String {
    let parts = js_sys::Array::of1(&JsValue::from_str(body));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/event-stream");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .expect("a Blob from a string");
    web_sys::Url::create_object_url_with_blob(&blob).expect("an object URL")
}

/// A URL on the test server whose response is exactly `body`, as `text/event-stream`,
/// after which the response ends (the server's `/test/raw`): what [`blob_url`] gives,
/// but over HTTP, which every engine's `EventSource` reads (Firefox's reads only
/// `http(s)`).
pub fn body_url(body: &str) -> String {
    let body = String::from(js_sys::encode_uri_component(body));
    server_url(&format!("/test/raw?body={body}"))
}

/// A browser engine the tests run in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Chromium,
    Firefox,
    /// WebKitGTK here; Safari's engine.
    WebKit,
}

/// The engine running this test, from the user agent (in a window or a worker). Only
/// for the few tests that pin a documented difference between engines: every other
/// test asserts the same behaviour everywhere.
pub fn engine() -> Engine {
    let navigator =
        js_sys::Reflect::get(&js_sys::global(), &"navigator".into()).expect("a navigator");
    let agent = js_sys::Reflect::get(&navigator, &"userAgent".into())
        .ok()
        .and_then(|agent| agent.as_string())
        .unwrap_or_default();
    if agent.contains("Firefox/") {
        Engine::Firefox
    } else if agent.contains("Chrome/") || agent.contains("Chromium/") {
        Engine::Chromium
    } else if agent.contains("AppleWebKit/") {
        Engine::WebKit
    } else {
        panic!("an engine these tests do not know: {agent}")
    }
}

/// The test server's base URL, given at compile time by `scripts/test`.
pub fn server() -> String {
    let Some(base) = option_env!("SSE_SERVER_URL") else {
        panic!(
            "SSE_SERVER_URL was not set at compile time: run the browser tests with \
             scripts/test, which starts sse-server and passes its address"
        )
    };
    base.trim_end_matches('/').to_owned()
}

/// `path` (with its query) on the test server.
pub fn server_url(path: &str) -> String {
    format!("{}{path}", server())
}

/// GETs `url` and parses the body as JSON.
pub async fn fetch_json(url: &str) -> serde_json::Value {
    let window = web_sys::window().expect("a window");
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .unwrap_or_else(|err| panic!("fetch {url}: {err:?}"))
        .unchecked_into();
    assert!(response.ok(), "GET {url}: status {}", response.status());
    let text = JsFuture::from(response.text().expect("a body"))
        .await
        .expect("the body as text")
        .as_string()
        .expect("a string body");
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("GET {url}: {err}: {text}"))
}

/// How many streams with `tag` the test server has open now.
pub async fn open_on_server(tag: &str) -> u64 {
    open_and_total_on_server(tag).await.0
}

/// How many streams with `tag` the test server has ever started.
pub async fn started_on_server(tag: &str) -> u64 {
    open_and_total_on_server(tag).await.1
}

/// How many streams with `tag` the test server has open now, and has ever started.
async fn open_and_total_on_server(tag: &str) -> (u64, u64) {
    let stats = fetch_json(&server_url(&format!("/test/connections?tag={tag}"))).await;
    let count = |field: &str| {
        stats[field]
            .as_u64()
            .unwrap_or_else(|| panic!("a count {field:?} in {stats}"))
    };
    (count("open"), count("total"))
}

/// How many `/test/stream` requests the server has seen with `key`.
pub async fn requests_on_server(key: &str) -> u64 {
    let stats = fetch_json(&server_url(&format!("/test/connections?key={key}"))).await;
    stats["requests"].as_u64().expect("a request count")
}

/// Waits until the server has seen `expected` `/test/stream` requests with `key`. A
/// source that shows `Connecting` has only started its request: the server may count it
/// a moment later.
pub async fn wait_requests_on_server(key: &str, expected: u64) {
    let what = format!("{expected} requests with key {key}");
    wait_for_server_count(&what, expected, || requests_on_server(key)).await;
}

/// Waits until the server reports `expected` open streams for `tag`. Waiting for 0 also
/// waits for the server to have started one: a stream that never reached the server
/// (a request the browser refused, say) is not one the library closed.
pub async fn wait_open_on_server(tag: &str, expected: u64) {
    let what = match expected {
        0 => format!("0 open streams tagged {tag}, of at least one started"),
        _ => format!("{expected} open streams tagged {tag}"),
    };
    wait_for_server_count(&what, expected, || async {
        match open_and_total_on_server(tag).await {
            (0, 0) => u64::MAX, // never started, so not closed either
            (open, _) => open,
        }
    })
    .await;
}

/// Asks `count` of the server every 50 ms until it says `expected`, for at most
/// [`WAIT_MS`].
async fn wait_for_server_count<F: Future<Output = u64>>(
    what: &str,
    expected: u64,
    count: impl Fn() -> F,
) {
    within(what, async {
        while count().await != expected {
            sleep(50).await;
        }
    })
    .await;
}

/// Defines a test of behaviour both transports share once, and runs it on each, as
/// `NAME::native` and `NAME::fetch`: the body gets the transport under test
/// (`web_eventsource::Transport`) as `$t`. One definition for the core's tests and every
/// integration's, so that the two transports are tested alike everywhere.
///
/// ```ignore
/// web_eventsource_testing::on_each_transport! {
///     async fn every_event_arrives(transport) {
///         let es = EventSource::builder(url).transport(transport).open().unwrap();
///         // ...
///     }
/// }
/// ```
#[macro_export]
macro_rules! on_each_transport {
    ($(#[$meta:meta])* async fn $name:ident($t:ident) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($t: web_eventsource::Transport) $body

            #[wasm_bindgen_test::wasm_bindgen_test]
            async fn native() {
                body(web_eventsource::Transport::Native).await;
            }

            #[wasm_bindgen_test::wasm_bindgen_test]
            async fn fetch() {
                body(web_eventsource::Transport::Fetch).await;
            }
        }
    };
}
