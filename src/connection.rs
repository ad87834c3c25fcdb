//! The shared core behind every handle, and the only code that touches the browser's
//! `EventSource`: the current source, one JS listener per event type, the topics they
//! feed, the state, the resume point, and the lifecycle.
//!
//! Ownership runs one way: handles ([`EventSource`](crate::EventSource), [`Listener`],
//! streams) hold the `Connection` strongly; JS closures, timers and the probe hold a
//! `Weak` to it. So dropping the last handle drops the `Connection`, which closes the
//! browser's source, removes its JS listeners and cancels any timer; nothing is leaked
//! and no closure is forgotten.
//!
//! [`Listener`]: crate::Listener
//!
//! The connection acts; what to do after a failure is decided by a [`Recover`]
//! implementation (the [`Reconnect`](crate::Reconnect) policy at work), and when to step
//! aside for a hidden page by the visibility watcher. Both drive it through
//! [`suspend`](Connection::suspend), [`reopen`](Connection::reopen),
//! [`report`](Connection::report) and [`fail`](Connection::fail).

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;

use crate::dom_listener::DomListener;
use crate::global;
use crate::resume::with_query_parameter;
use crate::subscribers::{Subscriber, Subscribers};
use crate::{ConnectionError, Error, ErrorKind, Message, ReadyState};

/// The query parameter that carries the resume point when no policy names another.
pub(crate) const DEFAULT_RESUME_PARAM: &str = "lastEventId";

/// What a connection asks of its reconnect policy. Made only by
/// `Builder::reconnect`, so an app that never asks for a policy links none of its code
/// (timers, the status probe). No `Debug` bound: formatting the policy
/// would link float formatting into every app that uses one.
pub(crate) trait Recover {
    /// The query parameter replacements carry the last event id in, if any.
    fn resume_param(&self) -> Option<&str>;
    /// A new source is listened to: watch it for silence.
    fn attached(&self, connection: &Rc<Connection>);
    /// The current source opened.
    fn opened(&self);
    /// An event arrived on the current source.
    fn saw_message(&self);
    /// The current source failed: the browser failed it for good, or could not connect
    /// (it is already suspended).
    fn failed(&self, connection: &Rc<Connection>, event: web_sys::Event);
    /// Stops everything under way: the watchdog, a pending attempt, a probe.
    fn halt(&self);
}

/// Where the connection is in its life, beyond what the browser's source says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// A browser source is in use; its own `readyState` tells the rest.
    Live,
    /// The policy is between a failed source and its replacement.
    Waiting,
    /// Closed for a hidden page; reopens when the page is visible again.
    Paused,
    /// Over, by `close()` or a final failure.
    Closed,
}

/// What subscribers receive. One item type for every topic, so the fan-out code is
/// compiled once rather than once per kind of event (each copy costs every app's wasm).
#[derive(Clone)]
pub(crate) enum Signal {
    Open,
    Error(ConnectionError),
    Message(Message),
    State(ReadyState),
}

/// The subscribers of one kind of event: a message type, or the connection's own open,
/// error and state changes.
pub(crate) struct Topic {
    name: Rc<str>,
    subscribers: Subscribers<Signal>,
}

impl Topic {
    fn new(name: &str) -> Rc<Self> {
        Rc::new(Self {
            name: Rc::from(name),
            subscribers: Subscribers::new(),
        })
    }

    pub(crate) fn name(&self) -> &str {
        &self.name
    }
}

/// A message topic and the JS listener feeding it (`None` while no source is in use).
struct MessageTopic {
    topic: Rc<Topic>,
    js_listener: Option<DomListener>,
}

/// One subscriber's place in a topic: what a [`Listener`](crate::Listener) holds so that
/// dropping it unsubscribes.
pub(crate) struct Subscription {
    pub(crate) topic: Rc<Topic>,
    subscriber: Rc<Subscriber<Signal>>,
}

pub(crate) struct Connection {
    /// The URL as the browser resolved it for the first source.
    url: String,
    with_credentials: bool,
    /// The browser's source now: replaced after a failure or a pause.
    raw: RefCell<web_sys::EventSource>,
    phase: Cell<Phase>,
    /// Whether the current source opened since it was attached or last reported an
    /// error: an error with none in between is a connect that failed, not a drop.
    opened: Cell<bool>,
    /// The state last announced to `state` subscribers.
    announced: Cell<ReadyState>,
    /// How many dispatches are under way (nested when a callback dispatches). A `close()`
    /// during one waits for it to finish before ending the streams, so that every
    /// subscriber sees the event being dispatched, as the DOM's own listeners would.
    dispatching: Cell<u32>,
    /// The newest message on the current source: every `MessageEvent` carries the
    /// source's last event id, so keeping the event is cheaper than reading the id each
    /// time.
    last_message: RefCell<Option<Message>>,
    /// The resume point carried over from the sources before the current one, which
    /// starts with none.
    carried_id: RefCell<Rc<String>>,
    open: Rc<Topic>,
    error: Rc<Topic>,
    state: Rc<Topic>,
    /// One entry per subscribed message type. A `Vec` searched by name: sources have a
    /// handful of types, and a hash map would cost more code size than lookups save.
    messages: RefCell<Vec<MessageTopic>>,
    /// The `open` and `error` JS listeners: always attached, since the lifecycle (ending
    /// streams on failure, the policy) depends on them.
    lifecycle: RefCell<Vec<DomListener>>,
    recovery: Option<Rc<dyn Recover>>,
    /// Whatever watches the page's visibility, kept only to be dropped with the
    /// connection or on `close()`.
    visibility: RefCell<Option<Box<dyn Any>>>,
}

pub(crate) fn new_raw(url: &str, with_credentials: bool) -> Result<web_sys::EventSource, Error> {
    let init = web_sys::EventSourceInit::new();
    init.set_with_credentials(with_credentials);
    web_sys::EventSource::new_with_event_source_init_dict(url, &init)
        .map_err(|exception| Error::from_constructor(url, &exception))
}

/// The query parameter that carries the resume point: the policy's, or the default.
fn resume_param(recovery: Option<&dyn Recover>) -> Option<&str> {
    match recovery {
        Some(recovery) => recovery.resume_param(),
        None => Some(DEFAULT_RESUME_PARAM),
    }
}

/// A first request that resumes after an id ([`Builder::last_event_id`]): the id, and how
/// to build the request for it. A function pointer, stored only by that method, so that a
/// source that starts from the beginning links none of the URL work.
///
/// [`Builder::last_event_id`]: crate::Builder::last_event_id
pub(crate) type ResumeFrom = (String, FirstRequest);

/// Builds a resuming first request from the URL as given, the resume parameter and the
/// id: the URL to request, and the URL as given resolved for `url()`; `None` when the
/// request is the URL as given (no parameter, or an empty id).
pub(crate) type FirstRequest = fn(&str, Option<&str>, &str) -> Option<(String, Option<String>)>;

/// The [`FirstRequest`] that [`Builder::last_event_id`](crate::Builder::last_event_id) stores.
pub(crate) fn resuming_first_request(
    url: &str,
    param: Option<&str>,
    id: &str,
) -> Option<(String, Option<String>)> {
    let name = param.filter(|_| !id.is_empty())?;
    // The URL as given, resolved against the base the browser uses for the request, so
    // that the resume parameter stays out of `url()`.
    Some((with_query_parameter(url, name, id), resolve(url)))
}

/// `url` resolved as `new EventSource(url)` resolves it.
fn resolve(url: &str) -> Option<String> {
    web_sys::Url::new_with_base(url, &global::base_url()?)
        .ok()
        .map(|parsed| parsed.href())
}

/// Event types that name the connection's own events: a listener for them as a message
/// type would receive the browser's plain `Event`s, so it is never attached.
fn is_reserved(event_type: &str) -> bool {
    matches!(event_type, "open" | "error")
}

impl Connection {
    /// Opens the first source; with `resume_from`, it resumes after that id from the first
    /// request, as a replacement would.
    pub(crate) fn open(
        url: &str,
        with_credentials: bool,
        recovery: Option<Rc<dyn Recover>>,
        resume_from: Option<ResumeFrom>,
    ) -> Result<Rc<Self>, Error> {
        let (carried_id, first_request) = match resume_from {
            Some((id, build)) => {
                let request = build(url, resume_param(recovery.as_deref()), &id);
                (id, request)
            }
            None => (String::new(), None),
        };
        let (raw, resolved) = match first_request {
            Some((first_url, resolved)) => (new_raw(&first_url, with_credentials)?, resolved),
            None => (new_raw(url, with_credentials)?, None),
        };
        let resolved = resolved.unwrap_or_else(|| raw.url());
        let connection = Rc::new(Self {
            url: resolved,
            with_credentials,
            raw: RefCell::new(raw),
            phase: Cell::new(Phase::Live),
            opened: Cell::new(false),
            announced: Cell::new(ReadyState::Connecting),
            dispatching: Cell::new(0),
            last_message: RefCell::new(None),
            carried_id: RefCell::new(Rc::new(carried_id)),
            open: Topic::new("open"),
            error: Topic::new("error"),
            // Named after the DOM event of the same meaning; only `Listener::event_type`
            // shows it.
            state: Topic::new("readystatechange"),
            messages: RefCell::new(Vec::new()),
            lifecycle: RefCell::new(Vec::new()),
            recovery,
            visibility: RefCell::new(None),
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
        self.phase.get() == Phase::Closed
    }

    /// Whether the policy is between a failed source and its replacement.
    pub(crate) fn is_waiting(&self) -> bool {
        self.phase.get() == Phase::Waiting
    }

    /// Whether the connection is closed for a hidden page.
    pub(crate) fn is_paused(&self) -> bool {
        self.phase.get() == Phase::Paused
    }

    /// Whether the current source is live: neither replaced, paused nor closed.
    pub(crate) fn is_live(&self) -> bool {
        self.phase.get() == Phase::Live
    }

    pub(crate) fn ready_state(&self) -> ReadyState {
        match self.phase.get() {
            Phase::Live => ReadyState::from_raw(self.raw.borrow().ready_state()),
            Phase::Waiting => ReadyState::Connecting,
            Phase::Paused => ReadyState::Paused,
            Phase::Closed => ReadyState::Closed,
        }
    }

    /// The resume point: the last event id of the current source, or, until it has
    /// sent one, the one carried over from the sources before it.
    ///
    /// A new browser source starts with an empty id, so an event without an id on it
    /// reads as `""`: that must not erase the resume point (under the spec an event
    /// without an `id:` field leaves the id as it was). The cost: a server that clears
    /// the id with an empty `id:` field as the first id of a replacement is not heard
    /// until it sends another.
    pub(crate) fn last_event_id(&self) -> String {
        // The message falls back to the carried id itself (Message::last_event_id).
        let current = self
            .last_message
            .borrow()
            .as_ref()
            .map(Message::last_event_id);
        current.unwrap_or_else(|| String::clone(&self.carried_id.borrow()))
    }

    pub(crate) fn raw(&self) -> web_sys::EventSource {
        self.raw.borrow().clone()
    }

    /// The URL a replacement (or the status probe) asks for: the original one, with the
    /// resume point in the resume parameter when there is one.
    pub(crate) fn resume_url(&self) -> String {
        let id = self.last_event_id();
        match resume_param(self.recovery.as_deref()) {
            Some(name) if !id.is_empty() => with_query_parameter(&self.url, name, &id),
            _ => self.url.clone(),
        }
    }

    /// Keeps `guard` (the visibility watcher) until the connection closes.
    pub(crate) fn keep_visibility_watcher(&self, guard: Box<dyn Any>) {
        let previous = self.visibility.replace(Some(guard));
        drop(previous);
    }

    /// Closes the source for good and ends every stream. Idempotent.
    pub(crate) fn close(&self) {
        self.in_dispatch(|| {
            if self.shut() {
                self.announce_state();
            }
        });
    }

    /// Ends the source with a final error: the state is `Closed` before any subscriber
    /// sees the error, then every stream ends.
    pub(crate) fn fail(&self, error: ConnectionError) {
        self.in_dispatch(|| {
            if self.shut() {
                self.announce_state();
                self.error.subscribers.emit(Signal::Error(error));
            }
        });
    }

    /// Stops everything for good; `false` if it already was. Subscribers stay until the
    /// dispatch under way ends.
    fn shut(&self) -> bool {
        if self.phase.replace(Phase::Closed) == Phase::Closed {
            return false;
        }
        if let Some(recovery) = &self.recovery {
            recovery.halt();
        }
        let watcher = self.visibility.take();
        drop(watcher);
        self.raw.borrow().close();
        true
    }

    /// Runs `f` as one dispatch, then finishes a `close()` made meanwhile.
    fn in_dispatch(&self, f: impl FnOnce()) {
        let depth = self.dispatching.get();
        self.dispatching.set(depth + 1);
        f();
        self.dispatching.set(depth);
        if depth == 0 && self.is_closed() {
            self.tear_down();
        }
    }

    fn dispatch(&self, topic: &Topic, signal: Signal) {
        self.in_dispatch(|| topic.subscribers.emit(signal));
    }

    /// Tells `state` subscribers the state, if it changed since they were last told.
    fn announce_state(&self) {
        let state = self.ready_state();
        if self.announced.replace(state) != state {
            self.dispatch(&self.state, Signal::State(state));
        }
    }

    /// Drops every subscriber (ending the streams) and every JS listener. Runs once the
    /// source is closed and no dispatch is under way; harmless to run again.
    fn tear_down(&self) {
        // Take everything out before dropping it: dropping a callback runs user drop code,
        // which may unsubscribe and so borrow these cells again.
        let messages = std::mem::take(&mut *self.messages.borrow_mut());
        let lifecycle = std::mem::take(&mut *self.lifecycle.borrow_mut());
        for message in &messages {
            message.topic.subscribers.clear();
        }
        for topic in [&self.open, &self.error, &self.state] {
            topic.subscribers.clear();
        }
        drop(messages);
        drop(lifecycle);
    }

    /// Adds the `open`, `error` and every message type's JS listener to the current
    /// source.
    fn attach(self: &Rc<Self>) {
        self.opened.set(false);
        let raw = self.raw();
        let lifecycle = vec![
            self.js_listener(&raw, &self.open),
            self.js_listener(&raw, &self.error),
        ];
        *self.lifecycle.borrow_mut() = lifecycle;
        for message in self.messages.borrow_mut().iter_mut() {
            message.js_listener = Some(self.js_listener(&raw, &message.topic));
        }
        if let Some(recovery) = &self.recovery {
            recovery.attached(self);
        }
    }

    /// Steps aside from the current source, for the policy (`paused: false`) or for a
    /// hidden page (`paused: true`): removes every JS listener, closes the source and
    /// announces the new state. Nothing is reported as an error.
    pub(crate) fn suspend(&self, paused: bool) {
        if self.is_closed() {
            return;
        }
        if paused {
            // A pending attempt or probe would only reopen what the page hid.
            if let Some(recovery) = &self.recovery {
                recovery.halt();
            }
        }
        let lifecycle = std::mem::take(&mut *self.lifecycle.borrow_mut());
        let listeners: Vec<DomListener> = self
            .messages
            .borrow_mut()
            .iter_mut()
            .filter_map(|message| message.js_listener.take())
            .collect();
        self.raw.borrow().close();
        self.phase.set(if paused {
            Phase::Paused
        } else {
            Phase::Waiting
        });
        drop(lifecycle);
        drop(listeners);
        self.announce_state();
    }

    /// Opens a new source at the resume URL and moves every subscription onto it. The
    /// resume point carries over, and the state is connecting again.
    pub(crate) fn reopen(self: &Rc<Self>) {
        if self.is_closed() || self.is_live() {
            return;
        }
        match new_raw(&self.resume_url(), self.with_credentials) {
            Ok(raw) => {
                *self.carried_id.borrow_mut() = Rc::new(self.last_event_id());
                let previous = self.last_message.take();
                drop(previous);
                *self.raw.borrow_mut() = raw;
                self.phase.set(Phase::Live);
                self.attach();
                self.announce_state();
            }
            // The URL opened before, so this is not expected; end cleanly if it does.
            Err(_) => self.fail(ConnectionError::last(ErrorKind::Failed, None, None)),
        }
    }

    /// The JS listener feeding `topic` from `raw`. One closure type serves every
    /// listener (each closure type costs its own glue in every app's wasm), and it holds
    /// only a `Weak` to the connection.
    fn js_listener(self: &Rc<Self>, raw: &web_sys::EventSource, topic: &Rc<Topic>) -> DomListener {
        let weak = Rc::downgrade(self);
        let topic = topic.clone();
        // `to_owned`, not `to_string`: `Rc<str>` would go through `Display` and `Formatter`.
        let event_type = topic.name().to_owned();
        DomListener::new(raw, event_type, move |event| {
            if let Some(connection) = weak.upgrade() {
                connection.receive(&topic, event);
            }
        })
    }

    fn receive(self: &Rc<Self>, topic: &Rc<Topic>, event: &web_sys::Event) {
        let is_open = Rc::ptr_eq(topic, &self.open);
        if is_open || Rc::ptr_eq(topic, &self.error) {
            // A server event named "open" or "error" arrives at these listeners too, as
            // a `MessageEvent`; the browser's own events are plain `Event`s.
            if event.is_instance_of::<web_sys::MessageEvent>() {
                return;
            }
            if is_open {
                self.on_open_event();
            } else {
                self.on_error_event(event);
            }
        } else {
            self.on_message_event(topic, event);
        }
    }

    fn on_message_event(&self, topic: &Topic, event: &web_sys::Event) {
        // The getters `Message` uses tolerate a plain `Event` dispatched under a message
        // type by other code.
        let event: web_sys::MessageEvent = event.clone().unchecked_into();
        let carried_id = Rc::clone(&*self.carried_id.borrow());
        let message = Message::new(event, topic.name.clone(), carried_id);
        // Replace, then drop the old one outside the borrow.
        let previous = self.last_message.replace(Some(message.clone()));
        drop(previous);
        if let Some(recovery) = &self.recovery {
            recovery.saw_message();
        }
        self.dispatch(topic, Signal::Message(message));
    }

    fn on_open_event(&self) {
        self.opened.set(true);
        if let Some(recovery) = &self.recovery {
            recovery.opened();
        }
        self.announce_state();
        self.dispatch(&self.open, Signal::Open);
    }

    fn on_error_event(self: &Rc<Self>, event: &web_sys::Event) {
        // A dropped stream (it opened since the last error) is the browser's to resume,
        // with the `Last-Event-ID` header. A connect that failed (no opening since) only
        // Chromium and WebKit retry, every 3 s and for ever, while Firefox fails the
        // source: with a policy it is the policy's failure on every engine, so that its
        // delays, attempt count and limit apply alike.
        let dropped = self.opened.replace(false);
        let browser_retries = self.raw.borrow().ready_state() == web_sys::EventSource::CONNECTING
            && (dropped || self.recovery.is_none());
        let event = event.clone();
        if browser_retries {
            self.announce_state();
            self.report(ConnectionError::lost(event));
        } else if let Some(recovery) = &self.recovery {
            self.suspend(false);
            recovery.failed(self, event);
        } else {
            self.fail(ConnectionError::last(ErrorKind::Failed, None, Some(event)));
        }
    }

    /// Tells `error` subscribers of a failure that is not final.
    pub(crate) fn report(&self, error: ConnectionError) {
        self.dispatch(&self.error, Signal::Error(error));
    }

    pub(crate) fn subscribe_open(
        &self,
        mut callback: impl FnMut() + 'static,
    ) -> Option<Subscription> {
        self.join(&self.open, move |signal| {
            if let Signal::Open = signal {
                callback();
            }
        })
    }

    pub(crate) fn subscribe_error(
        &self,
        mut callback: impl FnMut(ConnectionError) + 'static,
    ) -> Option<Subscription> {
        self.join(&self.error, move |signal| {
            if let Signal::Error(error) = signal {
                callback(error);
            }
        })
    }

    pub(crate) fn subscribe_state(
        &self,
        mut callback: impl FnMut(ReadyState) + 'static,
    ) -> Option<Subscription> {
        self.join(&self.state, move |signal| {
            if let Signal::State(state) = signal {
                callback(state);
            }
        })
    }

    /// Subscribes to one message event type, attaching its JS listener if it is the
    /// first. `None` when closed, or for `"open"` and `"error"`.
    pub(crate) fn subscribe_message(
        self: &Rc<Self>,
        event_type: &str,
        mut callback: impl FnMut(Message) + 'static,
    ) -> Option<Subscription> {
        if self.is_closed() || is_reserved(event_type) {
            return None;
        }
        let topic = self.message_topic(event_type);
        self.join(&topic, move |signal| {
            if let Signal::Message(message) = signal {
                callback(message);
            }
        })
    }

    /// The topic of `event_type`, made (with its JS listener, if a source is in use)
    /// when it is the first subscription.
    fn message_topic(self: &Rc<Self>, event_type: &str) -> Rc<Topic> {
        let existing = self
            .messages
            .borrow()
            .iter()
            .find(|message| &*message.topic.name == event_type)
            .map(|message| message.topic.clone());
        existing.unwrap_or_else(|| {
            let topic = Topic::new(event_type);
            // Without a source in use, `reopen` adds the listener to the next one.
            let js_listener = self
                .is_live()
                .then(|| self.js_listener(&self.raw(), &topic));
            self.messages.borrow_mut().push(MessageTopic {
                topic: topic.clone(),
                js_listener,
            });
            topic
        })
    }

    fn join(
        &self,
        topic: &Rc<Topic>,
        callback: impl FnMut(Signal) + 'static,
    ) -> Option<Subscription> {
        if self.is_closed() {
            return None;
        }
        Some(Subscription {
            topic: topic.clone(),
            subscriber: topic.subscribers.add(callback),
        })
    }

    /// Removes one subscriber; removes the JS listener of a message type left with none.
    pub(crate) fn unsubscribe(&self, subscription: &Subscription) {
        let topic = &subscription.topic;
        topic.subscribers.remove(&subscription.subscriber);
        if !topic.subscribers.is_empty() {
            return;
        }
        let mut messages = self.messages.borrow_mut();
        let index = messages
            .iter()
            .position(|message| Rc::ptr_eq(&message.topic, topic));
        let removed = index.map(|index| messages.swap_remove(index));
        drop(messages);
        drop(removed);
    }

    /// How many Rust subscribers there are in all (for `Debug`).
    pub(crate) fn subscriber_count(&self) -> usize {
        let messages: usize = self
            .messages
            .borrow()
            .iter()
            .map(|message| message.topic.subscribers.len())
            .sum();
        messages
            + [&self.open, &self.error, &self.state]
                .iter()
                .map(|topic| topic.subscribers.len())
                .sum::<usize>()
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        // The last handle is gone: nobody can receive another event, so stop the browser
        // from holding the connection open, and stop any timer or probe. The JS listeners
        // go with the fields.
        if let Some(recovery) = &self.recovery {
            recovery.halt();
        }
        self.raw.borrow().close();
    }
}
