//! The registry of what a connection's subscribers listen to: its own open, error and
//! state topics, and one topic per subscribed message type.
//!
//! A topic is the fan-out of one kind of event ([`Subscribers`]); a subscription is one
//! subscriber's place in one topic, what a [`Listener`](crate::Listener) holds so that
//! dropping it unsubscribes.

use std::cell::RefCell;
use std::rc::Rc;

use crate::cells;
use crate::subscribers::{Subscriber, Subscribers};
use crate::{ConnectionError, Message, ReadyState};

/// What subscribers receive. One item type for every topic, so the fan-out code is
/// compiled once rather than once per kind of event (each copy costs every app's wasm).
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
    pub(crate) subscribers: Subscribers<Signal>,
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

    /// The name, shared: every `Message` of this type holds it.
    pub(crate) fn shared_name(&self) -> Rc<str> {
        self.name.clone()
    }
}

/// One subscriber's place in a topic.
pub(crate) struct Subscription {
    pub(crate) topic: Rc<Topic>,
    pub(crate) subscriber: Rc<Subscriber<Signal>>,
}

/// Event types that also name the browser's own events on its `EventSource`: a JS
/// listener for them as a message type hears the browser's plain `Event`s as well as the
/// server's `MessageEvent`s of that name, and must pass over the former.
pub(crate) fn names_own_event(event_type: &str) -> bool {
    matches!(event_type, "open" | "error")
}

pub(crate) struct Topics {
    pub(crate) open: Rc<Topic>,
    pub(crate) error: Rc<Topic>,
    pub(crate) state: Rc<Topic>,
    /// One per subscribed message type. A `Vec` searched by name: sources have a handful
    /// of types, and a hash map would cost more code size than lookups save.
    messages: RefCell<Vec<Rc<Topic>>>,
}

impl Topics {
    pub(crate) fn new() -> Self {
        Self {
            open: Topic::new("open"),
            error: Topic::new("error"),
            // Named after the DOM event of the same meaning; only `Listener::event_type`
            // shows it.
            state: Topic::new("readystatechange"),
            messages: RefCell::new(Vec::new()),
        }
    }

    /// The topic of message type `event_type`, if anything subscribes to it.
    pub(crate) fn message(&self, event_type: &str) -> Option<Rc<Topic>> {
        cells::borrow(&self.messages)
            .iter()
            .find(|topic| topic.name() == event_type)
            .cloned()
    }

    /// The topic of `event_type`, and whether it was made now (its first subscriber).
    pub(crate) fn message_or_new(&self, event_type: &str) -> (Rc<Topic>, bool) {
        if let Some(topic) = self.message(event_type) {
            return (topic, false);
        }
        let topic = Topic::new(event_type);
        cells::borrow_mut(&self.messages).push(topic.clone());
        (topic, true)
    }

    /// The message topic at `index`, if there is one: walked by index, with no borrow
    /// held, since a caller may subscribe while walking (a copy of the list would cost
    /// every app's wasm a `Vec` clone).
    pub(crate) fn message_at(&self, index: usize) -> Option<Rc<Topic>> {
        cells::borrow(&self.messages).get(index).cloned()
    }

    /// Removes `subscription`'s subscriber; `true` when that left a message topic with
    /// none, which is then forgotten.
    pub(crate) fn unsubscribe(&self, subscription: &Subscription) -> bool {
        let topic = &subscription.topic;
        topic.subscribers.remove(&subscription.subscriber);
        if !topic.subscribers.is_empty() {
            return false;
        }
        let mut messages = cells::borrow_mut(&self.messages);
        let index = messages.iter().position(|other| Rc::ptr_eq(other, topic));
        let removed = index.map(|index| messages.swap_remove(index));
        drop(messages);
        removed.is_some()
    }

    /// Drops every subscriber, which ends the streams fed by them. Harmless to run again.
    pub(crate) fn clear(&self) {
        // Take the list out before clearing: dropping a callback runs user drop code,
        // which may unsubscribe and so borrow the list again.
        let messages = std::mem::take(&mut *cells::borrow_mut(&self.messages));
        // Two loops: a chain of the two lists links an iterator state machine.
        for topic in messages.iter() {
            topic.subscribers.clear();
        }
        for topic in [&self.open, &self.error, &self.state] {
            topic.subscribers.clear();
        }
    }

    /// How many subscribers there are in all (for `Debug`).
    pub(crate) fn subscriber_count(&self) -> usize {
        let messages: usize = cells::borrow(&self.messages)
            .iter()
            .map(|topic| topic.subscribers.len())
            .sum();
        messages
            + [&self.open, &self.error, &self.state]
                .iter()
                .map(|topic| topic.subscribers.len())
                .sum::<usize>()
    }
}
