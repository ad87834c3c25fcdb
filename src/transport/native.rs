//! The native transport: the browser's own `EventSource`, with one JS listener for
//! `open`, one for `error`, and one per subscribed message type, however many Rust
//! subscribers each has.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use wasm_bindgen::JsCast;

use super::{Attempt, Failure, Request};
use crate::cells;
use crate::connection::Connection;
use crate::dom_listener::DomListener;
use crate::message::carries_an_id;
use crate::topics::{names_own_event, Topic};
use crate::{Error, ErrorKind, Message, ReadyState};

/// Opens a browser `EventSource` for `request` that reports to `connection`.
///
/// # Errors
///
/// What the browser's constructor throws, as [`Error`].
pub(crate) fn open(
    connection: Weak<Connection>,
    request: &Request<'_>,
) -> Result<NativeAttempt, Error> {
    let source = new_source(request.url, request.with_credentials)?;
    let shared = Rc::new(Shared {
        source,
        connection,
        opened: Cell::new(false),
        id_seen: Cell::new(false),
        no_id: Rc::default(),
    });
    let listeners = vec![
        (None, shared.listener(Feeds::Open, "open")),
        (None, shared.listener(Feeds::Error, "error")),
    ];
    Ok(NativeAttempt {
        shared,
        listeners: RefCell::new(listeners),
    })
}

fn new_source(url: &str, with_credentials: bool) -> Result<web_sys::EventSource, Error> {
    let init = web_sys::EventSourceInit::new();
    init.set_with_credentials(with_credentials);
    web_sys::EventSource::new_with_event_source_init_dict(url, &init)
        .map_err(|exception| Error::from_constructor(url, &exception))
}

/// What one JS listener on the browser's source feeds.
enum Feeds {
    Open,
    Error,
    Message(Rc<Topic>),
}

/// What every listener of one browser source shares. One closure type (capturing this
/// and a [`Feeds`]) serves every listener: each closure type costs its own glue in every
/// app's wasm.
struct Shared {
    source: web_sys::EventSource,
    connection: Weak<Connection>,
    /// Whether the source opened since it was made or since its last error (see
    /// `Failure::was_open`).
    opened: Cell<bool>,
    /// Whether a message on this source carried an id. Until one does, an empty id is
    /// the new source's start, and messages read the resume point carried over; after,
    /// it is the server's reset (an empty `id:` field), and they read `""`, so that a
    /// replacement does not resume from an id older than those delivered.
    id_seen: Cell<bool>,
    /// The carried id once one was seen: none.
    no_id: Rc<String>,
}

impl Shared {
    fn listener(self: &Rc<Self>, feeds: Feeds, event_type: &str) -> DomListener {
        let shared = self.clone();
        DomListener::new(&self.source, event_type.to_owned(), move |event| {
            shared.heard(&feeds, event);
        })
    }

    fn heard(&self, feeds: &Feeds, event: &web_sys::Event) {
        let Some(connection) = self.connection.upgrade() else {
            return;
        };
        match feeds {
            Feeds::Message(topic) => {
                // The listener for the server's events named "open" or "error" hears the
                // browser's own events of that name too: plain `Event`s, not messages.
                if names_own_event(topic.name()) && !event.is_instance_of::<web_sys::MessageEvent>()
                {
                    return;
                }
                // The getters `Message` uses tolerate a plain `Event` dispatched under a
                // message type by other code.
                let event: web_sys::MessageEvent = event.clone().unchecked_into();
                if !self.id_seen.get() && carries_an_id(&event) {
                    self.id_seen.set(true);
                }
                let carried_id = if self.id_seen.get() {
                    Rc::clone(&self.no_id)
                } else {
                    connection.carried_id()
                };
                let message = Message::from_dom(event, topic.shared_name(), carried_id);
                connection.received_keeping_id(topic, message);
            }
            // A server event named "open" or "error" arrives at these listeners too, as a
            // `MessageEvent`; the browser's own events are plain `Event`s.
            _ if event.is_instance_of::<web_sys::MessageEvent>() => {}
            Feeds::Open => {
                self.opened.set(true);
                connection.opened();
            }
            Feeds::Error => {
                let was_open = self.opened.replace(false);
                connection.errored(self.failure(event, was_open));
            }
        }
    }

    /// What the browser's `error` event means: read inside the event, its `readyState`
    /// says whether it reconnects by itself (`CONNECTING`) or gave up (`CLOSED`).
    fn failure(&self, event: &web_sys::Event, was_open: bool) -> Failure {
        let reconnecting = self.source.ready_state() == web_sys::EventSource::CONNECTING;
        Failure {
            kind: if reconnecting {
                ErrorKind::Lost
            } else {
                ErrorKind::Failed
            },
            status: None,
            status_hidden: true,
            event: Some(event.clone()),
            reconnecting,
            was_open,
            cause: None,
        }
    }
}

/// One browser `EventSource` and its JS listeners.
pub(crate) struct NativeAttempt {
    shared: Rc<Shared>,
    /// The JS listeners, each with the message type it feeds: first those of `open` and
    /// `error` (no type), always attached, since the lifecycle (ending streams on
    /// failure, the policy) depends on them. One list, so that closing drops one.
    listeners: RefCell<Vec<(Option<Rc<Topic>>, DomListener)>>,
}

impl Attempt for NativeAttempt {
    fn url(&self) -> String {
        self.shared.source.url()
    }

    fn listen(&self, topic: &Rc<Topic>) {
        let listener = self
            .shared
            .listener(Feeds::Message(topic.clone()), topic.name());
        cells::borrow_mut(&self.listeners).push((Some(topic.clone()), listener));
    }

    fn unlisten(&self, topic: &Rc<Topic>) {
        let mut listeners = cells::borrow_mut(&self.listeners);
        let index = listeners
            .iter()
            .position(|(listened, _)| listened.as_ref().is_some_and(|t| Rc::ptr_eq(t, topic)));
        let removed = index.map(|index| listeners.swap_remove(index));
        drop(listeners);
        drop(removed);
    }

    fn ready_state(&self) -> ReadyState {
        ReadyState::from_raw(self.shared.source.ready_state())
    }

    fn last_event_id(&self) -> Option<String> {
        None
    }

    fn close(&self) {
        self.shared.source.close();
        // Taken out first: dropping a listener may run the one being dispatched's end.
        let listeners = cells::take(&self.listeners);
        drop(listeners);
    }

    fn raw(&self) -> Option<web_sys::EventSource> {
        Some(self.shared.source.clone())
    }
}

impl Drop for NativeAttempt {
    fn drop(&mut self) {
        // The JS listeners go with the fields.
        self.shared.source.close();
    }
}
