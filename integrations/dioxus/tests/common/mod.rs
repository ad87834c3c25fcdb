//! Helpers for the browser tests: the shared ones (`web-eventsource-testing`: the test
//! server's address, bounded waits, what the server counts), mounting a Dioxus app into
//! the page and reading its DOM as a user would see it.
#![allow(dead_code)] // each test file uses its own subset

use dioxus::core::ComponentFunction;
use dioxus::prelude::*;
use futures::future::{AbortHandle, Abortable};
use wasm_bindgen::JsCast;

pub use web_eventsource_testing::{
    open_on_server, requests_on_server, server_url, sleep, unique, wait_open_on_server, wait_until,
};

/// A running app. Dropping it (a failed test too) stops it and drops its virtual DOM, so
/// every component unmounts: streams left open would use up the browser's six
/// connections per server and stall the tests after it.
pub struct Mounted(AbortHandle);

impl Drop for Mounted {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs `component` with `props` with the web renderer, in a new `<div>` at the end of the
/// page's body. The render is asynchronous: wait for what the test expects to see.
pub fn mount<P: Clone + 'static, M: 'static>(
    component: impl ComponentFunction<P, M>,
    props: P,
) -> (Mounted, web_sys::Element) {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let dom = VirtualDom::new_with_props(component, props);
    let config = dioxus_web::Config::new().rootelement(root.clone());
    let (abort, registration) = AbortHandle::new_pair();
    let app = Abortable::new(dioxus_web::run(dom, config), registration);
    wasm_bindgen_futures::spawn_local(async move {
        // Shown with a failed test's output: once on WebKit in CI, the first app of the
        // file never rendered, and whether its task ever ran could not be told.
        web_sys::console::log_1(&"the app's task runs".into());
        // Aborted: the future, and the virtual DOM in it, are dropped here.
        let _ = app.await;
    });
    (Mounted(abort), root)
}

/// The text of every element under `root` that matches `selector`, in document order.
pub fn texts(root: &web_sys::Element, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).unwrap();
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .map(|node| node.text_content().unwrap_or_default())
        .collect()
}

/// The text of the first element under `root` that matches `selector`.
pub fn text(root: &web_sys::Element, selector: &str) -> String {
    texts(root, selector).into_iter().next().unwrap_or_default()
}

/// Clicks the first element under `root` that matches `selector`, as a user would.
pub fn click(root: &web_sys::Element, selector: &str) {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector} in {}", root.inner_html()))
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
}

/// `"1"`, `"2"`, … `"n"`: the data (and ids) of the test server's default stream.
pub fn one_to(n: u64) -> Vec<String> {
    (1..=n).map(|i| i.to_string()).collect()
}
