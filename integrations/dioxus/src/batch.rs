//! [`Batch`]: the signal writes of a burst of events, applied together after it.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;

/// Writes that events ask for (the latest message, the last event id, history entries),
/// deferred to a zero-delay timer and applied in arrival order, all in one task.
///
/// The browser dispatches each event of a network chunk as a task of its own, and Dioxus
/// renders between tasks: written at once, a 100-event burst rendered a list 101 times
/// (measured). The timer runs after the burst's queued events, so the burst renders
/// once. Listener hooks are not deferred: they are called as each event arrives.
#[derive(Default)]
pub(crate) struct Batch {
    pending: RefCell<Vec<Box<dyn FnOnce()>>>,
    flush: RefCell<Option<Timeout>>,
}

impl Batch {
    /// Applies `write` after the events already queued, with the writes before it.
    pub(crate) fn defer(self: &Rc<Self>, write: impl FnOnce() + 'static) {
        self.pending.borrow_mut().push(Box::new(write));
        if self.flush.borrow().is_some() {
            return;
        }
        // Weak: a pending flush does not keep an unmounted hook's writes alive.
        let batch: Weak<Self> = Rc::downgrade(self);
        let flush = Timeout::new(0, move || {
            if let Some(batch) = batch.upgrade() {
                batch.flush();
            }
        });
        self.flush.replace(Some(flush));
    }

    /// Applies every deferred write now: before a write that must come after them (a new
    /// state or error), and from the timer.
    pub(crate) fn flush(&self) {
        // Taken out first: a write may defer another, or flush again.
        let pending = self.pending.take();
        let timer = self.flush.take();
        drop(timer);
        for write in pending {
            write();
        }
    }
}
