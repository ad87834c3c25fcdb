//! Helpers for the browser tests: the test server's address (given at compile time by
//! scripts/test), bounded waits, mounting a component into the page and reading its DOM.
#![allow(dead_code)] // each test file uses its own subset

use std::future::Future;

use futures::future::{self, Either};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Element;
use yew::{AppHandle, BaseComponent};

/// How long any single wait in a test may take before the test fails.
pub const WAIT_MS: u32 = 10_000;

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

/// A string no other test (and no earlier run) uses, for server-side tags and keys.
pub fn unique(prefix: &str) -> String {
    let random = (js_sys::Math::random() * 1e12) as u64;
    format!("{prefix}-{}-{random}", js_sys::Date::now() as u64)
}

pub async fn sleep(ms: u32) {
    TimeoutFuture::new(ms).await;
}

/// Resolves `future`, or panics naming `what` after [`WAIT_MS`].
pub async fn within<F: Future>(what: &str, future: F) -> F::Output {
    let future = Box::pin(future);
    match future::select(future, TimeoutFuture::new(WAIT_MS)).await {
        Either::Left((output, _)) => output,
        Either::Right(_) => panic!("timed out after {WAIT_MS} ms waiting for {what}"),
    }
}

/// Waits until `condition` holds, checking every 20 ms, for at most [`WAIT_MS`]; on a
/// time-out the panic shows what `root` looked like.
pub async fn wait_until(root: &Element, what: &str, mut condition: impl FnMut() -> bool) {
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

/// How many streams with `tag` the test server has open now.
pub async fn open_on_server(tag: &str) -> u64 {
    let url = server_url(&format!("/test/connections?tag={tag}"));
    let window = web_sys::window().expect("a window");
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&url))
        .await
        .unwrap_or_else(|err| panic!("fetch {url}: {err:?}"))
        .unchecked_into();
    let text = JsFuture::from(response.text().expect("a body"))
        .await
        .expect("the body as text")
        .as_string()
        .expect("a string body");
    let stats: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|err| panic!("GET {url}: {err}: {text}"));
    stats["open"].as_u64().expect("an open count")
}

/// Waits until the server reports `expected` open streams for `tag`.
pub async fn wait_open_on_server(tag: &str, expected: u64) {
    within(&format!("{expected} open streams tagged {tag}"), async {
        while open_on_server(tag).await != expected {
            sleep(50).await;
        }
    })
    .await;
}

/// A mounted app, unmounted when dropped (a failed test too): streams left open would
/// use up the browser's six connections per server and stall the tests after it.
pub struct Mounted<C: BaseComponent>(Option<AppHandle<C>>);

impl<C: BaseComponent> Mounted<C> {
    /// Re-renders the app with new props.
    pub fn update(&mut self, props: C::Properties) {
        self.0.as_mut().expect("mounted").update(props);
    }

    /// Unmounts the app now.
    pub fn destroy(mut self) {
        self.0.take().expect("mounted").destroy();
    }
}

impl<C: BaseComponent> Drop for Mounted<C> {
    fn drop(&mut self) {
        if let Some(app) = self.0.take() {
            app.destroy();
        }
    }
}

/// Renders `C` with `props` into a new `<div>` at the end of the page's body.
pub fn mount<C: BaseComponent>(props: C::Properties) -> (Mounted<C>, Element) {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let app = yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
    (Mounted(Some(app)), root)
}

/// The text of every element under `root` that matches `selector`, in document order.
pub fn texts(root: &Element, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).unwrap();
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .map(|node| node.text_content().unwrap_or_default())
        .collect()
}

/// The text of the first element under `root` that matches `selector`.
pub fn text(root: &Element, selector: &str) -> String {
    texts(root, selector).into_iter().next().unwrap_or_default()
}

/// Clicks the first element under `root` that matches `selector`.
pub fn click(root: &Element, selector: &str) {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
}

/// `"1"`, `"2"`, … `"n"`: the data (and ids) of the test server's default stream.
pub fn one_to(n: u64) -> Vec<String> {
    (1..=n).map(|i| i.to_string()).collect()
}
