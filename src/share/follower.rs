//! A follower's attempt: the transport is "the channel". Its events are those the
//! leading tab broadcasts ([`Tab`] passes them on); its state mirrors the leader's; the
//! event types it listens to are announced to the leader, which listens for them.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::tab::Tab;
use crate::cells;
use crate::topics::Topic;
use crate::transport::Attempt;
use crate::ReadyState;

/// What the tab and the attempt share.
pub(crate) struct Following {
    /// The URL of the stream, resolved.
    url: String,
    /// The leader's state, as last heard.
    pub(crate) state: Cell<ReadyState>,
    pub(crate) closed: Cell<bool>,
    /// The message types this tab's subscribers listen to.
    types: RefCell<Vec<Rc<Topic>>>,
}

impl Following {
    pub(crate) fn new(url: String) -> Self {
        Self {
            url,
            state: Cell::new(ReadyState::Connecting),
            closed: Cell::new(false),
            types: RefCell::new(Vec::new()),
        }
    }

    /// The names of the types listened to.
    pub(crate) fn types(&self) -> Vec<String> {
        cells::borrow(&self.types)
            .iter()
            .map(|topic| topic.name().to_owned())
            .collect()
    }
}

pub(crate) struct FollowerAttempt {
    pub(crate) tab: Rc<Tab>,
    pub(crate) following: Rc<Following>,
}

impl Attempt for FollowerAttempt {
    fn url(&self) -> String {
        self.following.url.clone()
    }

    fn listen(&self, topic: &Rc<Topic>) {
        cells::borrow_mut(&self.following.types).push(topic.clone());
        self.tab.announce();
    }

    /// Not announced at once: the tab's next beat says it (every second while the page is
    /// visible; a hidden page's timers may run far less often). A listener
    /// dropped and added back in the same task (an effect cleaned up and run again) would
    /// otherwise send two announcements, which the leader hears in two tasks, and between
    /// them it would listen no more, dropping an event of the type that came then.
    /// Meanwhile the leader may send events of the type that nobody here wants, which the
    /// connection drops.
    fn unlisten(&self, topic: &Rc<Topic>) {
        cells::borrow_mut(&self.following.types).retain(|listened| !Rc::ptr_eq(listened, topic));
    }

    fn ready_state(&self) -> ReadyState {
        self.following.state.get()
    }

    fn last_event_id(&self) -> Option<String> {
        Some(String::from(&*self.tab.last_event_id()))
    }

    fn close(&self) {
        if !self.following.closed.replace(true) {
            self.following.state.set(ReadyState::Closed);
        }
    }

    fn raw(&self) -> Option<web_sys::EventSource> {
        None
    }

    fn relayed(&self) -> bool {
        true
    }
}

impl Drop for FollowerAttempt {
    fn drop(&mut self) {
        self.close();
    }
}
