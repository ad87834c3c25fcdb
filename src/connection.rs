//! The shared core behind every handle: the browser's `EventSource`, one JS listener per
//! event type, the Rust subscribers they fan out to, and the lifecycle.
//!
//! Ownership runs one way: handles ([`EventSource`](crate::EventSource), [`Listener`],
//! streams) hold the `Connection` strongly; the JS closures hold only what they feed (a
//! subscriber list) or a `Weak` back to the `Connection`. So dropping the last handle drops
//! the `Connection`, which closes the browser's source and removes its JS listeners; nothing
//! is leaked and no closure is forgotten.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use gloo_events::EventListener;
use wasm_bindgen::JsCast;

use crate::listener::{Listener, Subscription};
use crate::subscribers::Subscribers;
use crate::{ConnectionError, Error, Message, ReadyState};

pub(crate) struct Connection {
    raw: web_sys::EventSource,
    url: String,
    with_credentials: bool,
    /// Set once the source is over, by `close()` or a failure; it never opens again.
    closed: Cell<bool>,
    /// How many dispatches are under way (nested when a callback dispatches). A `close()`
    /// during one waits for it to finish before ending the streams, so that every
    /// subscriber sees the event being dispatched, as the DOM's own listeners would.
    dispatching: Cell<u32>,
    /// The newest message seen, for `last_event_id()`: every `MessageEvent` carries the
    /// source's last event id, so keeping the event is cheaper than reading it each time.
    last_message: RefCell<Option<Message>>,
    open: Subscribers<()>,
    error: Subscribers<ConnectionError>,
    topics: RefCell<HashMap<Rc<str>, Topic>>,
    /// The `open` and `error` JS listeners: always attached, since the lifecycle (ending
    /// streams on failure) depends on them even with no subscriber.
    lifecycle: RefCell<Vec<EventListener>>,
}

/// The subscribers of one message event type and the one JS listener feeding them.
struct Topic {
    subscribers: Rc<Subscribers<Message>>,
    _js_listener: EventListener,
}

impl Connection {
    pub(crate) fn open(url: &str, with_credentials: bool) -> Result<Rc<Self>, Error> {
        let init = web_sys::EventSourceInit::new();
        init.set_with_credentials(with_credentials);
        let raw = web_sys::EventSource::new_with_event_source_init_dict(url, &init)
            .map_err(|exception| Error::from_constructor(url, &exception))?;
        let connection = Rc::new_cyclic(|weak: &Weak<Self>| {
            let lifecycle = vec![
                EventListener::new(&raw, "open", {
                    let weak = weak.clone();
                    move |_| {
                        if let Some(connection) = weak.upgrade() {
                            connection.dispatch(|| connection.open.emit(()));
                        }
                    }
                }),
                EventListener::new(&raw, "error", {
                    let weak = weak.clone();
                    move |event| {
                        if let Some(connection) = weak.upgrade() {
                            connection.on_error_event(event);
                        }
                    }
                }),
            ];
            Self {
                url: raw.url(),
                with_credentials,
                raw,
                closed: Cell::new(false),
                dispatching: Cell::new(0),
                last_message: RefCell::new(None),
                open: Subscribers::new(),
                error: Subscribers::new(),
                topics: RefCell::new(HashMap::new()),
                lifecycle: RefCell::new(lifecycle),
            }
        });
        Ok(connection)
    }

    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    pub(crate) fn with_credentials(&self) -> bool {
        self.with_credentials
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.closed.get()
    }

    pub(crate) fn ready_state(&self) -> ReadyState {
        if self.closed.get() {
            ReadyState::Closed
        } else {
            ReadyState::from_raw(self.raw.ready_state())
        }
    }

    pub(crate) fn last_event_id(&self) -> String {
        self.last_message
            .borrow()
            .as_ref()
            .map(Message::last_event_id)
            .unwrap_or_default()
    }

    pub(crate) fn raw(&self) -> &web_sys::EventSource {
        &self.raw
    }

    /// Closes the source for good and ends every stream. Idempotent.
    pub(crate) fn close(&self) {
        if self.closed.replace(true) {
            return;
        }
        self.raw.close();
        if self.dispatching.get() == 0 {
            self.tear_down();
        }
    }

    /// Runs one dispatch, then finishes a `close()` made during it.
    fn dispatch(&self, emit: impl FnOnce()) {
        let depth = self.dispatching.get();
        self.dispatching.set(depth + 1);
        emit();
        self.dispatching.set(depth);
        if depth == 0 && self.closed.get() {
            self.tear_down();
        }
    }

    /// Drops every subscriber (ending the streams) and every JS listener. Runs once the
    /// source is closed and no dispatch is under way; harmless to run again.
    fn tear_down(&self) {
        // Take everything out before dropping it: dropping a callback runs user drop code,
        // which may unsubscribe and so borrow these cells again.
        let topics = std::mem::take(&mut *self.topics.borrow_mut());
        let lifecycle = std::mem::take(&mut *self.lifecycle.borrow_mut());
        for topic in topics.values() {
            topic.subscribers.clear();
        }
        self.open.clear();
        self.error.clear();
        drop(topics);
        drop(lifecycle);
    }

    fn on_error_event(&self, event: &web_sys::Event) {
        let state = ReadyState::from_raw(self.raw.ready_state());
        self.dispatch(|| self.error.emit(ConnectionError::new(state, event.clone())));
        if state == ReadyState::Closed {
            // The browser failed the connection and will not retry: end every stream,
            // after they have seen the error above.
            self.close();
        }
    }

    pub(crate) fn subscribe_open(self: &Rc<Self>, callback: impl FnMut(()) + 'static) -> Listener {
        if self.closed.get() {
            return Listener::inert(self.clone());
        }
        let subscriber = self.open.add(callback);
        Listener::new(self.clone(), Subscription::Open(subscriber))
    }

    pub(crate) fn subscribe_error(
        self: &Rc<Self>,
        callback: impl FnMut(ConnectionError) + 'static,
    ) -> Listener {
        if self.closed.get() {
            return Listener::inert(self.clone());
        }
        let subscriber = self.error.add(callback);
        Listener::new(self.clone(), Subscription::Error(subscriber))
    }

    /// Subscribes to one message event type, attaching its JS listener if it is the first.
    pub(crate) fn subscribe_message(
        self: &Rc<Self>,
        event_type: &str,
        callback: impl FnMut(Message) + 'static,
    ) -> Listener {
        if self.closed.get() {
            return Listener::inert(self.clone());
        }
        let existing = self
            .topics
            .borrow()
            .get_key_value(event_type)
            .map(|(name, topic)| (name.clone(), topic.subscribers.clone()));
        let (name, subscribers) = existing.unwrap_or_else(|| {
            let name: Rc<str> = Rc::from(event_type);
            let topic = self.attach_topic(name.clone());
            let subscribers = topic.subscribers.clone();
            self.topics.borrow_mut().insert(name.clone(), topic);
            (name, subscribers)
        });
        let subscriber = subscribers.add(callback);
        Listener::new(self.clone(), Subscription::Message(name, subscriber))
    }

    fn attach_topic(self: &Rc<Self>, name: Rc<str>) -> Topic {
        let subscribers = Rc::new(Subscribers::new());
        let js_listener = EventListener::new(&self.raw, name.to_string(), {
            let subscribers = subscribers.clone();
            let weak = Rc::downgrade(self);
            move |event| {
                let Some(connection) = weak.upgrade() else {
                    return;
                };
                // Only message types are subscribed here; the getters `Message` uses
                // tolerate a plain `Event` dispatched under such a type by other code.
                let event: web_sys::MessageEvent = event.clone().unchecked_into();
                let message = Message::new(event, name.clone());
                // Replace, then drop the old one outside the borrow.
                let previous = connection.last_message.replace(Some(message.clone()));
                drop(previous);
                connection.dispatch(|| subscribers.emit(message));
            }
        });
        Topic {
            subscribers,
            _js_listener: js_listener,
        }
    }

    /// Removes one subscriber; removes the JS listener of a message type left with none.
    pub(crate) fn unsubscribe(&self, subscription: &Subscription) {
        match subscription {
            Subscription::Inert => {}
            Subscription::Open(subscriber) => self.open.remove(subscriber),
            Subscription::Error(subscriber) => self.error.remove(subscriber),
            Subscription::Message(name, subscriber) => {
                let Some(subscribers) = self
                    .topics
                    .borrow()
                    .get(name)
                    .map(|topic| topic.subscribers.clone())
                else {
                    return;
                };
                subscribers.remove(subscriber);
                if subscribers.is_empty() {
                    let removed = self.topics.borrow_mut().remove(name);
                    drop(removed);
                }
            }
        }
    }

    /// How many Rust subscribers a message type has (for `Debug`).
    pub(crate) fn subscriber_count(&self) -> usize {
        let topics: usize = self
            .topics
            .borrow()
            .values()
            .map(|topic| topic.subscribers.len())
            .sum();
        topics + self.open.len() + self.error.len()
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        // The last handle is gone: nobody can receive another event, so stop the browser
        // from holding the connection open. The JS listeners go with the fields.
        self.raw.close();
    }
}
