//! The demo page's logic, on the crate's public API only: one `<li>` per event (with its
//! id), as in MDN's EventSource example, a status line, a log of the reconnect policy's
//! attempts, Close and Reconnect buttons, a URL box, a transport switch (the browser's
//! `EventSource` or fetch), a bearer token that fetch sends, and "Share across tabs" with
//! this tab's role.
//!
//! `www/main.js` loads this module; `#[wasm_bindgen(start)]` runs [`start`].
#![forbid(unsafe_code)]

mod page;
mod settings;
mod texts;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use gloo_events::EventListener;
use gloo_timers::callback::Interval;
use wasm_bindgen::prelude::*;
use web_eventsource::{EventSource, Listener, ReadyState, Reconnect, Sharing, Transport};

use page::Page;
use settings::Settings;
use texts::{attempt_text, item_text, refusal_attempt, refusal_error, refused_status, NEEDS_FETCH};

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

/// Where the listed stream stands: the URL it was asked for, and its last event id.
/// Kept apart from the source, so that a Reconnect whose `open()` failed (a token with a
/// character no header can carry) does not lose it: the next one still resumes.
struct Position {
    requested: String,
    last_event_id: String,
}

/// What the buttons act on.
struct App {
    page: Rc<Page>,
    subscription: RefCell<Option<Subscription>>,
    /// Set when a source is taken down; what the next connection resumes after.
    position: RefCell<Option<Position>>,
}

thread_local! {
    /// The button listeners live as long as the page.
    static CONTROLS: RefCell<Vec<EventListener>> = const { RefCell::new(Vec::new()) };
    /// The timer that shows this tab's role in a shared connection.
    static SHARING: RefCell<Option<Interval>> = const { RefCell::new(None) };
}

/// Wires the page up and connects to the URL from `?url=`, or to the one in the URL box
/// (`main.js` puts this page's own demo stream there), with the transport from
/// `?transport=` (`native`, the default, or `fetch`).
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    let page = Rc::new(Page::find()?);
    if let Some(url) = page.url_parameter() {
        page.set_url_input(&url);
    }
    if let Some(transport) = page.transport_parameter() {
        page.set_transport_input(transport);
    }
    page.enable_token_for_fetch();
    let app = Rc::new(App {
        page: page.clone(),
        subscription: RefCell::new(None),
        position: RefCell::new(None),
    });
    app.connect(page.settings());

    let close = EventListener::new(page.close_button(), "click", {
        let app = app.clone();
        move |_| app.close()
    });
    // Reconnect reads the whole form again: URL, transport and token.
    let reconnect = EventListener::new(page.reconnect_button(), "click", {
        let app = app.clone();
        move |_| app.connect(app.page.settings())
    });
    let mut controls = vec![close, reconnect];
    for button in page.transport_buttons() {
        controls.push(EventListener::new(button, "change", {
            let page = page.clone();
            move |_| page.enable_token_for_fetch()
        }));
    }
    CONTROLS.with(|all| all.borrow_mut().extend(controls));
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
    /// Replaces the current source (closing it) with one made from `settings`.
    /// Reconnecting to the same URL, on either transport, resumes after the last event id
    /// seen, so no event is shown twice; another URL is another stream, listed afresh.
    fn connect(&self, settings: Settings) {
        let previous = self.subscription.borrow_mut().take();
        let kept = self.position.borrow_mut().take();
        // Where the listed stream stands: the current source's, or, when none took it
        // over, the position kept for it.
        let position = match previous {
            Some(old) => Some(Position {
                last_event_id: old.source.last_event_id(),
                requested: old.requested,
            }), // `old` is dropped here, which closes its source.
            None => kept,
        };
        let resume_from = match position {
            Some(position) if position.requested == settings.url => position.last_event_id,
            Some(_) => {
                self.page.clear_lists();
                String::new()
            }
            None => String::new(),
        };
        if settings.transport == Transport::Native && settings.needs_a_token() {
            // The server would refuse every request, and the browser's object hides the
            // 401: the policy would retry for ever, saying only "connection failed".
            self.page.append_attempt(NEEDS_FETCH);
            self.not_opened(settings, resume_from, NEEDS_FETCH);
            return;
        }
        // Survive a server restart or a fault button: the policy replaces a failed
        // connection, resuming after the last event id, and one silent for 4 s (the
        // server pings every second).
        let policy = Reconnect::default()
            .initial_delay(Duration::from_millis(500))
            .max_delay(Duration::from_secs(5))
            .idle_timeout(Some(Duration::from_secs(4)));
        match settings
            .builder()
            .reconnect(policy)
            .last_event_id(resume_from.clone())
            .share_across_tabs(self.page.share_checked())
            .open()
        {
            Ok(source) => {
                self.page.set_state(ReadyState::Connecting);
                self.page.set_via(source.transport());
                self.page.set_error("");
                let listeners = self.subscribe(&source);
                *self.subscription.borrow_mut() = Some(Subscription {
                    requested: settings.url,
                    source,
                    _listeners: listeners,
                });
            }
            Err(err) => self.not_opened(settings, resume_from, &err.to_string()),
        }
    }

    /// Shows that no source was opened for `settings`, and `error`, why; keeps where the
    /// listed stream stands (`resume_from`), for the next Reconnect to resume from.
    fn not_opened(&self, settings: Settings, resume_from: String, error: &str) {
        self.page.set_state(ReadyState::Closed);
        self.page.set_via(settings.transport);
        self.page.set_error(error);
        *self.position.borrow_mut() = Some(Position {
            requested: settings.url,
            last_event_id: resume_from,
        });
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
                let transport = source.transport();
                // Weak: the callback must not keep its own source open.
                let source = source.downgrade();
                move |err| {
                    let source = source.upgrade();
                    if let Some(status) = refused_status(&err) {
                        // The policy would send the same token again, to be refused again:
                        // stop, and let the user change the token and press Reconnect.
                        if let Some(source) = &source {
                            source.close();
                        }
                        page.set_error(&refusal_error(status));
                        page.append_attempt(&refusal_attempt(status));
                        return;
                    }
                    page.set_error(&err.to_string());
                    let resume_point = source
                        .map(|source| source.last_event_id())
                        .unwrap_or_default();
                    page.append_attempt(&attempt_text(&err, transport, &resume_point));
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
