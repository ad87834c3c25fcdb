//! What a leading tab does: broadcast what its connection delivers, beat, and keep a
//! subscription for each type a follower wants.

use std::rc::Rc;

use super::{News, Role, Tab};
use crate::cells;
use crate::connection::Connection;
use crate::subscribers::Author;
use crate::topics::Signal;
use crate::ReadyState;

impl Tab {
    /// What the connection is about to deliver (with its state already the one it
    /// announces): broadcast while leading. A final error (broadcast first) or a
    /// `Closed` state means the source closed: the tab leaves.
    pub(crate) fn delivering(&self, signal: &Signal) {
        let closing = match signal {
            Signal::Error(error) => error.is_final(),
            Signal::State(state) => *state == ReadyState::Closed,
            _ => false,
        };
        if self.role.get() == Role::Leading {
            self.lead_on(signal);
        }
        if closing {
            self.leave();
        }
    }

    pub(super) fn lead_on(&self, signal: &Signal) {
        let news = match signal {
            Signal::Message(message) => {
                let id = message.last_event_id();
                cells::borrow_mut(&self.ids).record(Rc::from(id.as_str()), message.event_type());
                News::Event {
                    event_type: message.event_type().to_owned(),
                    data: message.data().to_owned(),
                    id,
                    origin: message.origin(),
                }
            }
            Signal::Error(error) => News::Error(error.clone()),
            Signal::Open => News::State(ReadyState::Open),
            Signal::State(state @ (ReadyState::Connecting | ReadyState::Open)) => {
                News::State(*state)
            }
            // Closing, or a pause, is this tab's own business: another takes over. A
            // final failure ends every tab, as the error broadcast before it says.
            Signal::State(_) => return,
        };
        self.broadcast(news);
    }

    pub(super) fn beat(&self) {
        if self.role.get() != Role::Leading {
            return;
        }
        let connection = self.connection.upgrade();
        let state = connection
            .as_ref()
            .map_or(ReadyState::Connecting, |connection| {
                connection.ready_state()
            });
        let retry = connection.and_then(|connection| connection.pending_retry());
        let tabs = self.sharing_tabs();
        let last_id = String::from(&*cells::borrow(&self.ids).last());
        self.broadcast(News::Beat {
            state,
            tabs,
            last_id,
            retry,
        });
    }

    /// Keeps one subscription for each type some follower wants, and no other.
    pub(super) fn subscribe_wanted(&self, connection: &Connection) {
        if self.role.get() != Role::Leading {
            return;
        }
        let mut union: Vec<String> = Vec::new();
        for peer in cells::borrow(&self.peers).iter() {
            for name in &peer.types {
                if !union.contains(name) {
                    union.push(name.clone());
                }
            }
        }
        // Partitioned rather than indexed: a bounds check would link panic formatting.
        let (kept, gone): (Vec<_>, Vec<_>) = cells::take(&self.wanted)
            .into_iter()
            .partition(|(name, _)| union.contains(name));
        union.retain(|name| !kept.iter().any(|(have, _)| have == name));
        *cells::borrow_mut(&self.wanted) = kept;
        for (_, subscription) in &gone {
            connection.unsubscribe(subscription);
        }
        for name in union {
            if let Some(subscription) = connection.subscribe_message(&name, Author::Crate, |_| {}) {
                cells::borrow_mut(&self.wanted).push((name, subscription));
            }
        }
    }

    pub(super) fn unsubscribe_wanted(&self, connection: Option<&Connection>) {
        let wanted = cells::take(&self.wanted);
        if let Some(connection) = connection {
            for (_, subscription) in &wanted {
                connection.unsubscribe(subscription);
            }
        }
    }
}
