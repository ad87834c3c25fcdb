//! The native transport: the browser's own `EventSource`, with one JS listener for
//! `open`, one for `error`, and one per subscribed message type, however many Rust
//! subscribers each has.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use wasm_bindgen::JsCast;

use super::{Attempt, Failure, Opener, Request, Transport};
use crate::connection::Connection;
use crate::dom_listener::DomListener;
use crate::topics::Topic;
use crate::{Error, ErrorKind, Message, ReadyState};

/// Opens browser `EventSource`s.
pub(crate) struct Native;

impl Opener for Native {
    fn transport(&self) -> Transport {
        Transport::Native
    }

    fn open(
        &self,
        connection: Weak<Connection>,
        request: &Request<'_>,
    ) -> Result<Box<dyn Attempt>, Error> {
        let source = new_source(request.url, request.with_credentials)?;
        let opened = Rc::new(Cell::new(false));
        let lifecycle = [Lifecycle::Open, Lifecycle::Error].map(|what| {
            let connection = connection.clone();
            let raw = source.clone();
            let opened = opened.clone();
            DomListener::new(&source, what.event_type().to_owned(), move |event| {
                // A server event named "open" or "error" arrives at these listeners too,
                // as a `MessageEvent`; the browser's own events are plain `Event`s.
                if event.is_instance_of::<web_sys::MessageEvent>() {
                    return;
                }
                if let Some(connection) = connection.upgrade() {
                    match what {
                        Lifecycle::Open => {
                            opened.set(true);
                            connection.opened();
                        }
                        Lifecycle::Error => {
                            let was_open = opened.replace(false);
                            connection.errored(browser_failure(&raw, event, was_open));
                        }
                    }
                }
            })
        });
        Ok(Box::new(NativeAttempt {
            source,
            connection,
            lifecycle: RefCell::new(Vec::from(lifecycle)),
            messages: RefCell::new(Vec::new()),
        }))
    }
}

fn new_source(url: &str, with_credentials: bool) -> Result<web_sys::EventSource, Error> {
    let init = web_sys::EventSourceInit::new();
    init.set_with_credentials(with_credentials);
    web_sys::EventSource::new_with_event_source_init_dict(url, &init)
        .map_err(|exception| Error::from_constructor(url, &exception))
}

#[derive(Clone, Copy)]
enum Lifecycle {
    Open,
    Error,
}

impl Lifecycle {
    fn event_type(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Error => "error",
        }
    }
}

/// What the browser's `error` event means: read inside the event, its `readyState` says
/// whether it reconnects by itself (`CONNECTING`) or gave up (`CLOSED`).
fn browser_failure(
    source: &web_sys::EventSource,
    event: &web_sys::Event,
    was_open: bool,
) -> Failure {
    let reconnecting = source.ready_state() == web_sys::EventSource::CONNECTING;
    Failure {
        kind: if reconnecting {
            ErrorKind::Lost
        } else {
            ErrorKind::Failed
        },
        status: None,
        event: Some(event.clone()),
        reconnecting,
        was_open,
    }
}

struct NativeAttempt {
    source: web_sys::EventSource,
    connection: Weak<Connection>,
    /// The `open` and `error` listeners: always attached, since the lifecycle (ending
    /// streams on failure, the policy) depends on them.
    lifecycle: RefCell<Vec<DomListener>>,
    messages: RefCell<Vec<(Rc<Topic>, DomListener)>>,
}

impl Attempt for NativeAttempt {
    fn url(&self) -> String {
        self.source.url()
    }

    fn listen(&self, topic: &Rc<Topic>) {
        let connection = self.connection.clone();
        let listened = topic.clone();
        // `to_owned`, not `to_string`: `str`'s `Display` would bring `Formatter`.
        let listener = DomListener::new(&self.source, topic.name().to_owned(), move |event| {
            if let Some(connection) = connection.upgrade() {
                // The getters `Message` uses tolerate a plain `Event` dispatched under a
                // message type by other code.
                let event: web_sys::MessageEvent = event.clone().unchecked_into();
                let message =
                    Message::from_dom(event, listened.shared_name(), connection.carried_id());
                connection.received(&listened, message);
            }
        });
        self.messages.borrow_mut().push((topic.clone(), listener));
    }

    fn unlisten(&self, topic: &Rc<Topic>) {
        let mut messages = self.messages.borrow_mut();
        let index = messages
            .iter()
            .position(|(listened, _)| Rc::ptr_eq(listened, topic));
        let removed = index.map(|index| messages.swap_remove(index));
        drop(messages);
        drop(removed);
    }

    fn ready_state(&self) -> ReadyState {
        ReadyState::from_raw(self.source.ready_state())
    }

    fn last_event_id(&self) -> Option<String> {
        None
    }

    fn close(&self) {
        self.source.close();
        // Taken out first: dropping a listener may run the one being dispatched's end.
        let lifecycle = std::mem::take(&mut *self.lifecycle.borrow_mut());
        let messages = std::mem::take(&mut *self.messages.borrow_mut());
        drop(lifecycle);
        drop(messages);
    }

    fn raw(&self) -> Option<web_sys::EventSource> {
        Some(self.source.clone())
    }
}

impl Drop for NativeAttempt {
    fn drop(&mut self) {
        // The JS listeners go with the fields.
        self.source.close();
    }
}
