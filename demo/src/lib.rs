//! The demo page's logic, on the crate's public API only: one `<li>` per event (with its
//! id), as in MDN's EventSource example, a status line, a log of the reconnect policy's
//! attempts, Close and Reconnect buttons, a URL box, and "Share across tabs" with this
//! tab's role.
//!
//! `www/main.js` loads this module; `#[wasm_bindgen(start)]` runs [`start`].
#![forbid(unsafe_code)]

mod page;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use gloo_events::EventListener;
use gloo_timers::callback::Interval;
use wasm_bindgen::prelude::*;
use web_eventsource::{
    ConnectionError, EventSource, Listener, Message, ReadyState, Reconnect, Sharing,
};

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
    _listeners: [Listener; 5],
}

/// What the buttons act on.
struct App {
    page: Rc<Page>,
    subscription: RefCell<Option<Subscription>>,
}

thread_local! {
    /// The button listeners live as long as the page.
    static CONTROLS: RefCell<Vec<EventListener>> = const { RefCell::new(Vec::new()) };
    /// The timer that shows this tab's role in a shared connection.
    static SHARING: RefCell<Option<Interval>> = const { RefCell::new(None) };
}

/// Wires the page up and connects to the URL from `?url=`, or to the one in the URL box
/// (`main.js` puts this page's own demo stream there).
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    let page = Rc::new(Page::find()?);
    let url = page.url_parameter().unwrap_or_else(|| page.url_input());
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
    // The role changes when the lock passes from tab to tab: shown twice a second.
    let sharing = Interval::new(500, move || {
        let sharing = app
            .subscription
            .borrow()
            .as_ref()
            .map(|s| s.source.sharing());
        app.page.set_sharing(sharing.unwrap_or(Sharing::Private));
    });
    SHARING.with(|slot| *slot.borrow_mut() = Some(sharing));
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
            .unwrap_or_default();
        drop(previous);
        let requested = url.to_owned();
        // Survive a server restart or a fault button: the policy replaces a failed
        // connection, resuming after the last event id, and one silent for 4 s (the
        // server pings every second).
        let policy = Reconnect::default()
            .initial_delay(Duration::from_millis(500))
            .max_delay(Duration::from_secs(5))
            .idle_timeout(Some(Duration::from_secs(4)));
        match EventSource::builder(url)
            .reconnect(policy)
            .last_event_id(resume_from)
            .share_across_tabs(self.page.share_checked())
            .open()
        {
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

    fn subscribe(&self, source: &EventSource) -> [Listener; 5] {
        let page = &self.page;
        [
            source.on_state_change({
                let page = page.clone();
                move |state| page.set_state(state)
            }),
            source.on_open({
                let page = page.clone();
                move || page.set_error("")
            }),
            source.on_message({
                let page = page.clone();
                move |msg| page.append_item(&item_text(&msg, &format!("message: {}", msg.data())))
            }),
            source.on("ping", {
                let page = page.clone();
                move |msg| {
                    let text = match msg.json::<Ping>() {
                        Ok(ping) => format!("ping at {}", ping.time),
                        Err(err) => format!("ping: {err}"),
                    };
                    page.append_item(&item_text(&msg, &text));
                }
            }),
            source.on_error({
                let page = page.clone();
                // Weak: the callback must not keep its own source open.
                let source = source.downgrade();
                move |err| {
                    page.set_error(&err.to_string());
                    let resume_point = source
                        .upgrade()
                        .map(|source| source.last_event_id())
                        .unwrap_or_default();
                    page.append_attempt(&attempt_text(&err, &resume_point));
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

/// An item's text: the event's id, then `text`.
fn item_text(message: &Message, text: &str) -> String {
    format!("#{} {text}", message.last_event_id())
}

/// A line of the attempts log for one error: what happened and what comes next.
fn attempt_text(error: &ConnectionError, resume_point: &str) -> String {
    let what = match error.kind() {
        web_eventsource::ErrorKind::Lost => "connection lost",
        web_eventsource::ErrorKind::IdleTimeout => "silent for too long",
        web_eventsource::ErrorKind::NoContent => "the server said stop (204)",
        web_eventsource::ErrorKind::RetriesExhausted => "no retries left",
        _ => "connection failed",
    };
    match (error.attempt(), error.retry_delay()) {
        (Some(attempt), Some(delay)) => format!(
            "{what}: attempt {attempt} in {} ms, resuming after #{resume_point}",
            delay.as_millis()
        ),
        _ if error.will_reconnect() => format!("{what}: the browser reconnects"),
        _ => format!("{what}: given up"),
    }
}
