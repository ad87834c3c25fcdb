//! Helpers for the browser tests: the shared ones (`web-eventsource-testing`: the test
//! server's address, bounded waits, what the server counts), mounting a component into
//! the page and reading its DOM.
#![allow(dead_code)] // each test file uses its own subset

use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::{AppHandle, BaseComponent};

pub use web_eventsource_testing::{
    open_on_server, requests_on_server, server_url, sleep, unique, wait_open_on_server, wait_until,
};

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
