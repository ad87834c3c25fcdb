//! Helpers for the browser tests: the test server's address (given at compile time by
//! scripts/test), bounded waits, and a fresh element to mount components into.
#![allow(dead_code)] // each test file uses its own subset

use std::future::Future;

use futures::future::{self, Either};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// How long any single wait in a test may take before the test fails.
pub const WAIT_MS: u32 = 10_000;

#[wasm_bindgen(inline_js = r#"
export function unique(prefix) {
  return prefix + "-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
}
"#)]
extern "C" {
    /// A string no other test uses (for server-side tags and keys).
    pub fn unique(prefix: &str) -> String;
}

pub async fn sleep(ms: u32) {
    TimeoutFuture::new(ms).await;
}

/// Resolves `future`, or panics naming `what` after `ms` milliseconds.
pub async fn within_ms<F: Future>(ms: u32, what: &str, future: F) -> F::Output {
    let future = Box::pin(future);
    match future::select(future, TimeoutFuture::new(ms)).await {
        Either::Left((output, _)) => output,
        Either::Right(_) => panic!("timed out after {ms} ms waiting for {what}"),
    }
}

/// Polls `done` every 20 ms until it holds; panics naming `what` after [`WAIT_MS`].
pub async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    within_ms(WAIT_MS, what, async {
        while !done() {
            sleep(20).await;
        }
    })
    .await;
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

async fn fetch_json(url: &str) -> serde_json::Value {
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
    let stats = fetch_json(&server_url(&format!("/test/connections?tag={tag}"))).await;
    stats["open"].as_u64().expect("an open count")
}

/// How many `/test/stream` requests the server has seen with `key`.
pub async fn requests_on_server(key: &str) -> u64 {
    let stats = fetch_json(&server_url(&format!("/test/connections?key={key}"))).await;
    stats["requests"].as_u64().expect("a request count")
}

/// Waits until the server reports `expected` open streams for `tag`.
pub async fn wait_open_on_server(tag: &str, expected: u64) {
    within_ms(
        WAIT_MS,
        &format!("{expected} open streams tagged {tag}"),
        async {
            while open_on_server(tag).await != expected {
                sleep(50).await;
            }
        },
    )
    .await;
}

/// A new, empty `<div>` in the page's body to mount a component into.
pub fn container() -> web_sys::HtmlElement {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let div = document.create_element("div").expect("a div");
    document
        .body()
        .expect("a body")
        .append_child(&div)
        .expect("appended");
    div.unchecked_into()
}

/// The text of every element matching `selector` under `root`, in document order.
pub fn texts(root: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).expect("a valid selector");
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .map(|node| node.text_content().unwrap_or_default())
        .collect()
}

/// The text of the first element matching `selector` under `root`.
pub fn text(root: &web_sys::HtmlElement, selector: &str) -> Option<String> {
    texts(root, selector).into_iter().next()
}

/// `"1"`, `"2"`, … `"n"`.
pub fn numbers(range: std::ops::RangeInclusive<u64>) -> Vec<String> {
    range.map(|n| n.to_string()).collect()
}
