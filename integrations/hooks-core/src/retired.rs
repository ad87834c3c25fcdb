//! [`Retired`]: the listeners a reopen takes off the old source, kept to the end of the
//! task.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use web_eventsource::Listener;

/// The hook listeners' listeners on sources the hub has replaced, dropped once the task
/// that replaced them has ended.
///
/// A listener hook may reopen the source while the old one is dispatching an event. The
/// core delivers that event to every listener subscribed when the dispatch began, unless
/// it is dropped meanwhile, and the new source resumes after the event's id. So the old
/// listeners must outlive the dispatch, or the hooks after the one that reopened never get
/// the event. The old source is closed, so they receive nothing more; a zero-delay timer
/// drops them after the dispatching task.
#[derive(Default)]
pub(crate) struct Retired {
    listeners: Rc<RefCell<Vec<Listener>>>,
    sweep: RefCell<Option<Timeout>>,
}

impl Retired {
    /// Keeps `listeners` until the current task has ended.
    pub(crate) fn keep(&self, listeners: Vec<Listener>) {
        if listeners.is_empty() {
            return;
        }
        self.listeners.borrow_mut().extend(listeners);
        // Weak: a pending sweep does not keep an unmounted hub's listeners alive.
        let kept = Rc::downgrade(&self.listeners);
        let sweep = Timeout::new(0, move || {
            if let Some(kept) = kept.upgrade() {
                // Taken out first: dropping a listener runs the drop code of its callback.
                let dead = kept.take();
                drop(dead);
            }
        });
        // A pending sweep is cancelled: the new one takes everything kept.
        let pending = self.sweep.replace(Some(sweep));
        drop(pending);
    }

    /// Drops every kept listener now: the component unmounts, so no hook is left to
    /// deliver to.
    pub(crate) fn drop_all(&self) {
        let pending = self.sweep.take();
        drop(pending);
        let dead = self.listeners.take();
        drop(dead);
    }
}
