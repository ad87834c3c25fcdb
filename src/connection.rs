//! The shared core behind every handle: the browser's `EventSource`, one JS listener per
//! event type, the Rust subscribers they fan out to, the lifecycle, and (with a
//! [`Reconnect`](crate::Reconnect) policy) the replacement of a failed connection.
//!
//! Ownership runs one way: handles ([`EventSource`](crate::EventSource), [`Listener`],
//! streams) hold the `Connection` strongly; JS closures, timers and the probe hold a
//! `Weak` to it (or only the subscriber list they feed). So dropping the last handle drops
//! the `Connection`, which closes the browser's source, removes its JS listeners and
//! cancels any timer; nothing is leaked and no closure is forgotten.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::JsCast;

use crate::listener::{Listener, Subscription};
use crate::recovery::Recover;
use crate::subscribers::{Subscriber, Subscribers};
use crate::{ConnectionError, Error, ErrorKind, Message, ReadyState};

pub(crate) struct Connection {
    /// The URL as the browser resolved it for the first connection.
    url: String,
    with_credentials: bool,
    /// The browser's source now: replaced by the policy after a failure.
    raw: RefCell<web_sys::EventSource>,
    /// Set once the source is over, by `close()` or a final failure.
    closed: Cell<bool>,
    /// Set while the policy is between a failed source and its replacement.
    recovering: Cell<bool>,
    /// How many dispatches are under way (nested when a callback dispatches). A `close()`
    /// during one waits for it to finish before ending the streams, so that every
    /// subscriber sees the event being dispatched, as the DOM's own listeners would.
    dispatching: Cell<u32>,
    /// The newest message seen, for `last_event_id()`: every `MessageEvent` carries the
    /// source's last event id, so keeping the event is cheaper than reading it each time.
    last_message: RefCell<Option<Message>>,
    /// The last event id of the sources replaced so far (a new source starts with none).
    carried_id: RefCell<String>,
    open: Subscribers<Signal>,
    error: Subscribers<Signal>,
    /// One entry per subscribed message type. A `Vec` searched by name: sources have a
    /// handful of types, and a hash map would cost more code size than lookups save.
    topics: RefCell<Vec<Topic>>,
    /// The `open` and `error` JS listeners: always attached, since the lifecycle (ending
    /// streams on failure, resetting the retry count) depends on them.
    lifecycle: RefCell<Vec<EventListener>>,
    /// The reconnect policy at work, if any. A trait object made only by
    /// `Builder::reconnect`, so an app that never asks for a policy links none of its code
    /// (timers, the fetch probe, the task executor).
    recovery: Option<Rc<dyn Recover>>,
}

/// What subscribers receive. One item type for every list, so the fan-out code is
/// compiled once rather than once per kind of event (each copy costs every app's wasm).
#[derive(Clone)]
pub(crate) enum Signal {
    Open,
    Error(ConnectionError),
    Message(Message),
}

/// What a JS listener feeds: the lifecycle (`open` and `error`, listened to whoever
/// subscribes) or the subscribers of one message type.
enum Feed {
    Open,
    Error,
    Message(Rc<str>, Rc<Subscribers<Signal>>),
}

/// The subscribers of one message event type and the one JS listener feeding them
/// (`None` while the policy waits for a replacement source).
struct Topic {
    name: Rc<str>,
    subscribers: Rc<Subscribers<Signal>>,
    js_listener: Option<EventListener>,
}

pub(crate) fn new_raw(url: &str, with_credentials: bool) -> Result<web_sys::EventSource, Error> {
    let init = web_sys::EventSourceInit::new();
    init.set_with_credentials(with_credentials);
    web_sys::EventSource::new_with_event_source_init_dict(url, &init)
        .map_err(|exception| Error::from_constructor(url, &exception))
}

impl Connection {
    pub(crate) fn open(
        url: &str,
        with_credentials: bool,
        recovery: Option<Rc<dyn Recover>>,
    ) -> Result<Rc<Self>, Error> {
        let raw = new_raw(url, with_credentials)?;
        let connection = Rc::new(Self {
            url: raw.url(),
            with_credentials,
            raw: RefCell::new(raw),
            closed: Cell::new(false),
            recovering: Cell::new(false),
            dispatching: Cell::new(0),
            last_message: RefCell::new(None),
            carried_id: RefCell::new(String::new()),
            open: Subscribers::new(),
            error: Subscribers::new(),
            topics: RefCell::new(Vec::new()),
            lifecycle: RefCell::new(Vec::new()),
            recovery,
        });
        connection.attach();
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

    /// Whether the policy is between a failed source and its replacement.
    pub(crate) fn is_recovering(&self) -> bool {
        self.recovering.get()
    }

    pub(crate) fn ready_state(&self) -> ReadyState {
        if self.closed.get() {
            ReadyState::Closed
        } else if self.recovering.get() {
            ReadyState::Connecting
        } else {
            ReadyState::from_raw(self.raw.borrow().ready_state())
        }
    }

    pub(crate) fn last_event_id(&self) -> String {
        match self.last_message.borrow().as_ref() {
            Some(message) => message.last_event_id(),
            None => self.carried_id.borrow().clone(),
        }
    }

    pub(crate) fn raw(&self) -> web_sys::EventSource {
        self.raw.borrow().clone()
    }

    /// Closes the source for good and ends every stream. Idempotent.
    pub(crate) fn close(&self) {
        if self.closed.replace(true) {
            return;
        }
        self.recovering.set(false);
        if let Some(recovery) = &self.recovery {
            recovery.stop();
        }
        self.raw.borrow().close();
        if self.dispatching.get() == 0 {
            self.tear_down();
        }
    }

    /// Emits `signal` to `subscribers`, then finishes a `close()` made meanwhile.
    fn dispatch(&self, subscribers: &Subscribers<Signal>, signal: Signal) {
        let depth = self.dispatching.get();
        self.dispatching.set(depth + 1);
        subscribers.emit(signal);
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
        for topic in &topics {
            topic.subscribers.clear();
        }
        self.open.clear();
        self.error.clear();
        drop(topics);
        drop(lifecycle);
    }

    /// Adds the `open`, `error` and every topic's JS listener to the current source.
    fn attach(self: &Rc<Self>) {
        let raw = self.raw();
        let weak = Rc::downgrade(self);
        let lifecycle = vec![
            self.js_listener(&raw, Feed::Open),
            self.js_listener(&raw, Feed::Error),
        ];
        *self.lifecycle.borrow_mut() = lifecycle;
        for topic in self.topics.borrow_mut().iter_mut() {
            let feed = Feed::Message(topic.name.clone(), topic.subscribers.clone());
            topic.js_listener = Some(self.js_listener(&raw, feed));
        }
        if let Some(recovery) = &self.recovery {
            recovery.watch(weak);
        }
    }

    /// Removes every JS listener from the current source and closes it; the source
    /// counts as connecting until `install` gives it a new one.
    pub(crate) fn detach(&self) {
        let lifecycle = std::mem::take(&mut *self.lifecycle.borrow_mut());
        let listeners: Vec<EventListener> = self
            .topics
            .borrow_mut()
            .iter_mut()
            .filter_map(|topic| topic.js_listener.take())
            .collect();
        if let Some(recovery) = &self.recovery {
            recovery.unwatch();
        }
        self.raw.borrow().close();
        self.recovering.set(true);
        drop(lifecycle);
        drop(listeners);
    }

    /// The JS listener for one event type on `raw`. One closure type serves every
    /// listener (each closure type costs its own glue in every app's wasm), and it holds
    /// only a `Weak` to the connection and what it feeds.
    fn js_listener(self: &Rc<Self>, raw: &web_sys::EventSource, feed: Feed) -> EventListener {
        let weak = Rc::downgrade(self);
        let event_type: Cow<'static, str> = match &feed {
            Feed::Open => Cow::Borrowed("open"),
            Feed::Error => Cow::Borrowed("error"),
            Feed::Message(name, _) => Cow::Owned(name.to_string()),
        };
        EventListener::new(raw, event_type, move |event| {
            if let Some(connection) = weak.upgrade() {
                match &feed {
                    Feed::Open => connection.on_open_event(),
                    Feed::Error => connection.on_error_event(event),
                    Feed::Message(name, subscribers) => {
                        connection.on_message_event(name, subscribers, event);
                    }
                }
            }
        })
    }

    fn on_message_event(
        &self,
        name: &Rc<str>,
        subscribers: &Subscribers<Signal>,
        event: &web_sys::Event,
    ) {
        // Only message types are subscribed here; the getters `Message` uses tolerate a
        // plain `Event` dispatched under such a type by other code.
        let event: web_sys::MessageEvent = event.clone().unchecked_into();
        let message = Message::new(event, name.clone());
        // Replace, then drop the old one outside the borrow.
        let previous = self.last_message.replace(Some(message.clone()));
        drop(previous);
        if let Some(recovery) = &self.recovery {
            recovery.saw_activity();
        }
        self.dispatch(subscribers, Signal::Message(message));
    }

    fn on_open_event(&self) {
        if let Some(recovery) = &self.recovery {
            recovery.opened();
        }
        self.dispatch(&self.open, Signal::Open);
    }

    fn on_error_event(self: &Rc<Self>, event: &web_sys::Event) {
        let browser_retries = self.raw.borrow().ready_state() == web_sys::EventSource::CONNECTING;
        let event = event.clone();
        if browser_retries {
            self.report(ConnectionError::lost(event));
        } else if let Some(recovery) = &self.recovery {
            recovery.failed(self, event);
        } else {
            self.report(ConnectionError::last(ErrorKind::Failed, None, Some(event)));
            self.close();
        }
    }

    pub(crate) fn report(&self, error: ConnectionError) {
        self.dispatch(&self.error, Signal::Error(error));
    }

    /// Sets a new source after a failure: the last event id carries over, every
    /// subscription moves onto it, and the source counts as connecting again.
    pub(crate) fn install(self: &Rc<Self>, raw: web_sys::EventSource) {
        let resume_from = self.last_event_id();
        *self.carried_id.borrow_mut() = resume_from;
        let previous = self.last_message.take();
        drop(previous);
        *self.raw.borrow_mut() = raw;
        self.recovering.set(false);
        self.attach();
    }

    pub(crate) fn subscribe_open(
        self: &Rc<Self>,
        mut callback: impl FnMut() + 'static,
    ) -> Listener {
        self.subscribe_lifecycle(&self.open, Subscription::Open, move |signal| {
            if let Signal::Open = signal {
                callback();
            }
        })
    }

    pub(crate) fn subscribe_error(
        self: &Rc<Self>,
        mut callback: impl FnMut(ConnectionError) + 'static,
    ) -> Listener {
        self.subscribe_lifecycle(&self.error, Subscription::Error, move |signal| {
            if let Signal::Error(error) = signal {
                callback(error);
            }
        })
    }

    fn subscribe_lifecycle(
        self: &Rc<Self>,
        list: &Subscribers<Signal>,
        subscription: fn(Rc<Subscriber<Signal>>) -> Subscription,
        callback: impl FnMut(Signal) + 'static,
    ) -> Listener {
        if self.closed.get() {
            return Listener::inert(self.clone());
        }
        Listener::new(self.clone(), subscription(list.add(callback)))
    }

    /// Subscribes to one message event type, attaching its JS listener if it is the first.
    pub(crate) fn subscribe_message(
        self: &Rc<Self>,
        event_type: &str,
        mut callback: impl FnMut(Message) + 'static,
    ) -> Listener {
        if self.closed.get() {
            return Listener::inert(self.clone());
        }
        let existing = self
            .topics
            .borrow()
            .iter()
            .find(|topic| &*topic.name == event_type)
            .map(|topic| (topic.name.clone(), topic.subscribers.clone()));
        let (name, subscribers) = existing.unwrap_or_else(|| {
            let name: Rc<str> = Rc::from(event_type);
            let subscribers = Rc::new(Subscribers::new());
            // While waiting for a replacement there is no source to listen on: `attach`
            // adds the listener to the new one.
            let js_listener = (!self.recovering.get()).then(|| {
                self.js_listener(
                    &self.raw(),
                    Feed::Message(name.clone(), subscribers.clone()),
                )
            });
            self.topics.borrow_mut().push(Topic {
                name: name.clone(),
                subscribers: subscribers.clone(),
                js_listener,
            });
            (name, subscribers)
        });
        let subscriber = subscribers.add(move |signal| {
            if let Signal::Message(message) = signal {
                callback(message);
            }
        });
        Listener::new(self.clone(), Subscription::Message(name, subscriber))
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
                    .iter()
                    .find(|topic| topic.name == *name)
                    .map(|topic| topic.subscribers.clone())
                else {
                    return;
                };
                subscribers.remove(subscriber);
                if subscribers.is_empty() {
                    let mut topics = self.topics.borrow_mut();
                    let index = topics.iter().position(|topic| topic.name == *name);
                    let removed = index.map(|index| topics.swap_remove(index));
                    drop(topics);
                    drop(removed);
                }
            }
        }
    }

    /// How many Rust subscribers there are in all (for `Debug`).
    pub(crate) fn subscriber_count(&self) -> usize {
        let topics: usize = self
            .topics
            .borrow()
            .iter()
            .map(|topic| topic.subscribers.len())
            .sum();
        topics + self.open.len() + self.error.len()
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        // The last handle is gone: nobody can receive another event, so stop the browser
        // from holding the connection open, and stop any timer or probe. The JS listeners
        // go with the fields.
        if let Some(recovery) = &self.recovery {
            recovery.stop();
        }
        self.raw.borrow().close();
    }
}
