//! Helpers for the browser tests: the shared ones (`web-eventsource-testing`: the test
//! server's address, bounded waits, what the server counts) and a fresh element to mount
//! components into.
#![allow(dead_code)] // each test file uses its own subset

use wasm_bindgen::JsCast;

pub use web_eventsource_testing::{
    open_on_server, requests_on_server, server_url, sleep, started_on_server, unique,
    wait_open_on_server, wait_requests_on_server, wait_until, within,
};

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
