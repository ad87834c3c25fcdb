//! The demo page's logic, on the crate's public API only: one `<li>` per event, as in
//! MDN's EventSource example, a status line, Close and Reconnect buttons, and a URL box.
//!
//! `www/main.js` loads this module; `#[wasm_bindgen(start)]` runs [`start`].
#![forbid(unsafe_code)]

mod page;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use gloo_events::EventListener;
use wasm_bindgen::prelude::*;
use web_eventsource::{EventSource, Listener, ReadyState, Reconnect};

use page::Page;

/// The data of the server's `ping` events.
#[derive(serde::Deserialize)]
struct Ping {
    time: String,
}

/// An open source and the callbacks that fill the page from it.
struct Subscription {
    /// The URL as the user gave it, before any resume parameter was added.
    requested: String,
    source: EventSource,
    _listeners: [Listener; 4],
}

/// What the buttons act on.
struct App {
    page: Rc<Page>,
    subscription: RefCell<Option<Subscription>>,
}

thread_local! {
    /// The button listeners live as long as the page.
    static CONTROLS: RefCell<Vec<EventListener>> = const { RefCell::new(Vec::new()) };
}

/// Wires the page up and connects to the URL from `?url=`, or the server's demo stream.
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    let page = Rc::new(Page::find()?);
    let url = page.url_parameter().unwrap_or_else(|| "/sse".to_owned());
    page.set_url_input(&url);
    let app = Rc::new(App {
        page: page.clone(),
        subscription: RefCell::new(None),
    });
    app.connect(&url);

    let close = EventListener::new(page.close_button(), "click", {
        let app = app.clone();
        move |_| app.close()
    });
    let reconnect = EventListener::new(page.reconnect_button(), "click", {
        let app = app.clone();
        move |_| {
            let url = app.page.url_input();
            app.connect(&url);
        }
    });
    CONTROLS.with(|controls| controls.borrow_mut().extend([close, reconnect]));
    Ok(())
}

impl App {
    /// Replaces the current source (closing it) with one at `url`. Reconnecting to the
    /// same URL resumes after the last event id seen, so no event is shown twice.
    fn connect(&self, url: &str) {
        let previous = self.subscription.borrow_mut().take();
        let resume_from = previous
            .as_ref()
            .filter(|old| old.requested == url)
            .map(|old| old.source.last_event_id())
            .filter(|id| !id.is_empty());
        drop(previous);
        let requested = url.to_owned();
        let url = match resume_from {
            Some(id) => with_query(url, "lastEventId", &id),
            None => requested.clone(),
        };
        // Survive a server restart: the policy replaces a failed connection, resuming
        // after the last event id.
        let policy = Reconnect::default().max_delay(Duration::from_secs(10));
        match EventSource::builder(url).reconnect(policy).open() {
            Ok(source) => {
                self.page.set_state(ReadyState::Connecting);
                self.page.set_error("");
                let listeners = self.subscribe(&source);
                *self.subscription.borrow_mut() = Some(Subscription {
                    requested,
                    source,
                    _listeners: listeners,
                });
            }
            Err(err) => {
                self.page.set_state(ReadyState::Closed);
                self.page.set_error(&err.to_string());
            }
        }
    }

    fn subscribe(&self, source: &EventSource) -> [Listener; 4] {
        let page = &self.page;
        [
            source.on_open({
                let page = page.clone();
                move || page.set_state(ReadyState::Open)
            }),
            source.on_message({
                let page = page.clone();
                move |msg| page.append_item(&format!("message: {}", msg.data()))
            }),
            source.on("ping", {
                let page = page.clone();
                move |msg| match msg.json::<Ping>() {
                    Ok(ping) => page.append_item(&format!("ping at {}", ping.time)),
                    Err(err) => page.append_item(&format!("ping: {err}")),
                }
            }),
            source.on_error({
                let page = page.clone();
                move |err| {
                    page.set_state(err.ready_state());
                    page.set_error(&err.to_string());
                }
            }),
        ]
    }

    fn close(&self) {
        if let Some(subscription) = self.subscription.borrow().as_ref() {
            subscription.source.close();
            self.page.set_state(subscription.source.ready_state());
        }
    }
}

/// `url` with `name=value` added to its query.
fn with_query(url: &str, name: &str, value: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    let value = js_sys::encode_uri_component(value);
    format!("{url}{separator}{name}={value}")
}
