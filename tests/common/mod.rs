//! Helpers of the library's browser tests: the shared ones (`web-eventsource-testing`:
//! bounded waits, the test server, blob URLs, the JS listener count) and a quick policy.
#![allow(dead_code)] // each test file uses its own subset

use std::collections::HashMap;
use std::time::Duration;

use serde::Deserialize;
use web_eventsource::{Builder, EventSource, Jitter, Message, Reconnect, Transport};
pub use web_eventsource_testing::*;

// What `heap_bytes` and `heap_peak` count: the memory tests bound the Rust heap itself,
// not wasm's linear memory, which only grows and follows the peak.
#[global_allocator]
static HEAP: CountingHeap = CountingHeap;

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
export function watch_rejections() {
  const seen = [];
  const quiet = (event) => {
    event.preventDefault();
    seen.push(String(event.reason?.message ?? event.reason));
  };
  globalThis.addEventListener("unhandledrejection", quiet);
  return () => {
    globalThis.removeEventListener("unhandledrejection", quiet);
    return seen;
  };
}

export function next_fetch_url() {
  const original = globalThis.fetch;
  let asked = null;
  globalThis.fetch = (url, init) => {
    globalThis.fetch = original;
    asked = String(url);
    return original(url, init);
  };
  return () => asked;
}

export function record_fetch_urls() {
  const original = globalThis.fetch;
  const urls = [];
  globalThis.fetch = (url, init) => {
    urls.push(String(url));
    return original(url, init);
  };
  return () => {
    globalThis.fetch = original;
    return urls;
  };
}

export function set_page_url(url) {
  history.replaceState(history.state, "", url);
}

export function next_fetch_drops_the_signal() {
  const original = globalThis.fetch;
  globalThis.fetch = (url, init) => {
    globalThis.fetch = original;
    const { signal, ...rest } = init;
    return original(url, rest);
  };
}
"#)]
extern "C" {
    fn watch_rejections() -> js_sys::Function;

    /// Makes the next `fetch` a wrapper that sends the request without its abort signal,
    /// as a page's wrapper that builds its own options may; the one after is the
    /// browser's again.
    pub fn next_fetch_drops_the_signal();

    /// Makes the next `fetch` a wrapper that notes the URL asked for; the one after is the
    /// browser's again. Returns a function that gives that URL (`null` before the call).
    pub fn next_fetch_url() -> js_sys::Function;

    /// Makes `fetch` a wrapper that notes every URL asked for. Returns the function that
    /// puts the browser's back and gives those URLs, in order (an array).
    fn record_fetch_urls() -> js_sys::Function;

    /// Changes the page's URL (`history.replaceState`), which relative URLs resolve
    /// against, without loading it.
    pub fn set_page_url(url: &str);
}

/// Notes the URL of every `fetch` the page makes until [`FetchUrls::stop`].
pub struct FetchUrls(js_sys::Function);

impl FetchUrls {
    pub fn record() -> Self {
        Self(record_fetch_urls())
    }

    /// Stops noting, and gives the URLs noted, in order.
    pub fn stop(self) -> Vec<String> {
        let urls = self
            .0
            .call0(&wasm_bindgen::JsValue::NULL)
            .expect("the recorder");
        js_sys::Array::from(&urls)
            .iter()
            .filter_map(|url| url.as_string())
            .collect()
    }
}

/// Reads the first event of `es` (60,000 bytes of data, id `1`), drops it and closes `es`:
/// the closed source must hold less than 30,000 bytes more than `before` (what the heap
/// held before `es` was opened), `what` naming what would hold more, and still its last
/// event id.
pub async fn assert_a_closed_source_keeps_only_its_id(es: &EventSource, before: usize, what: &str) {
    let mut messages = es.messages();
    let first = take(&mut messages, 1, "the first event").await;
    assert_eq!(first[0].data().len(), 60_000);
    drop((first, messages));
    es.close();
    let held = heap_bytes().saturating_sub(before);
    assert!(held < 30_000, "a closed source holds {held} bytes, {what}");
    assert_eq!(es.last_event_id(), "1", "the id itself is kept");
}

/// Puts the page's URL back ([`set_page_url`]) when dropped, a failed test's too.
pub struct PageUrlBack(String);

impl PageUrlBack {
    pub fn to(url: &str) -> Self {
        Self(url.to_owned())
    }
}

impl Drop for PageUrlBack {
    fn drop(&mut self) {
        set_page_url(&self.0);
    }
}

/// The unhandled promise rejections the browser reports, which is how it reports what a
/// callback threw (the crate calls callbacks inside a promise's executor), kept off the
/// console while watched.
pub struct Rejections(js_sys::Function);

impl Rejections {
    pub fn watch() -> Self {
        Self(watch_rejections())
    }

    /// Stops watching, once a rejection made before has had time to be reported (the
    /// browser reports it from a task it queues after the rejection); the messages of the
    /// rejections seen, in order.
    pub async fn stop(self) -> Vec<String> {
        sleep(100).await;
        let seen = self.0.call0(&wasm_bindgen::JsValue::NULL).unwrap();
        js_sys::Array::from(&seen)
            .iter()
            .filter_map(|message| message.as_string())
            .collect()
    }
}

pub fn ms(ms: u64) -> Duration {
    Duration::from_millis(ms)
}

/// A quick, predictable policy: 50 ms, 100 ms, 200 ms, 400 ms, ...
pub fn quick() -> Reconnect {
    Reconnect::default()
        .initial_delay(ms(50))
        .max_delay(ms(400))
        .jitter(Jitter::None)
}

/// A source at `url` with `policy`.
pub fn open_with_policy(url: &str, policy: Reconnect) -> EventSource {
    builder(url)
        .reconnect(policy)
        .open()
        .expect("the URL opens")
}

thread_local! {
    /// The transport the test under way runs on: see [`on_each_transport!`].
    static TRANSPORT: std::cell::Cell<Transport> = const { std::cell::Cell::new(Transport::Native) };
}

/// Runs the rest of the test on `transport` ([`source`] and [`builder`] use it).
pub fn use_transport(transport: Transport) {
    TRANSPORT.with(|current| current.set(transport));
}

/// The transport the test under way runs on.
pub fn transport() -> Transport {
    TRANSPORT.with(|current| current.get())
}

/// The requests one failed attempt of a policy costs: on the native transport the policy
/// asks the server for the status the browser hides (the status probe), which fetch sees.
pub fn requests_per_failure() -> u64 {
    match transport() {
        Transport::Native => 2,
        _ => 1,
    }
}

/// A builder for `url` on the transport under test.
pub fn builder(url: impl Into<String>) -> Builder {
    EventSource::builder(url).transport(transport())
}

/// A source at `url` on the transport under test.
pub fn source(url: &str) -> Result<EventSource, web_eventsource::Error> {
    builder(url).open()
}

/// The browser's own source, on the native transport (where the test can count its JS
/// listeners); `None` on fetch, which has none.
pub fn browser_source(es: &EventSource) -> Option<web_sys::EventSource> {
    es.raw()
}

/// Defines a test of behaviour the transports share once, and runs it on each: as
/// `NAME::native` and `NAME::fetch` (`web_eventsource_testing::on_each_transport!`). Inside,
/// [`source`], [`builder`] and [`open_with_policy`] open sources on the transport under
/// test.
#[allow(unused_macros)] // each test file uses its own subset
macro_rules! on_each_transport {
    ($(#[$meta:meta])* async fn $name:ident() $body:block) => {
        web_eventsource_testing::on_each_transport! {
            $(#[$meta])*
            async fn $name(transport) {
                crate::common::use_transport(transport);
                // A block of its own, so that a `return` in the test still resets the
                // transport for the next test.
                async $body.await;
                crate::common::use_transport(web_eventsource::Transport::Native);
            }
        }
    };
}

/// What `/test/echo` says of the request it received.
#[derive(Debug, Deserialize)]
pub struct Echo {
    pub method: String,
    /// The query as received, without its `?`.
    pub query: String,
    /// Names in lower case.
    pub headers: HashMap<String, String>,
    pub body: String,
    /// Which request of its `key` this was, from 1.
    pub request: u64,
}

impl Echo {
    /// The resume point the request sent: its `Last-Event-ID` header, and its
    /// `lastEventId` query parameter.
    pub fn resume_point(&self) -> (Option<String>, Option<String>) {
        let param = self
            .query
            .split('&')
            .find_map(|pair| pair.strip_prefix("lastEventId="));
        (
            self.headers.get("last-event-id").cloned(),
            param.map(str::to_owned),
        )
    }
}

/// The echo `message` carries.
pub fn echo(message: &Message) -> Echo {
    message.json().expect("the echo's JSON")
}

/// The first `n` echoes `es` receives, within `ms` (`what` names them), then closes it.
pub async fn echoes(es: EventSource, n: usize, ms: u32, what: &str) -> Vec<Echo> {
    let messages = within_ms(ms, what, async {
        take(&mut es.messages(), n, "the echoes").await
    })
    .await;
    es.close();
    messages.iter().map(echo).collect()
}
