//! Delivery in order: a delivery asked for while another is under way (a callback that
//! closes the source, or changes its state) waits behind it, so every subscriber sees
//! every event, and all events in the order they happened.
//!
//! Without the queue, a nested delivery would run depth first: a state callback that
//! closes the source would show `Closed` to later subscribers before the state being
//! delivered, and their streams would end on a stale state.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::topics::{Signal, Topic};

pub(crate) struct Deliveries {
    running: Cell<bool>,
    waiting: RefCell<Vec<(Rc<Topic>, Signal)>>,
}

impl Deliveries {
    pub(crate) fn new() -> Self {
        Self {
            running: Cell::new(false),
            waiting: RefCell::new(Vec::new()),
        }
    }

    /// Whether a delivery is under way.
    pub(crate) fn is_running(&self) -> bool {
        self.running.get()
    }

    /// Delivers `signal` to `topic`'s subscribers, then whatever was queued meanwhile;
    /// or, when a delivery is under way, queues it behind. `true` when this call ran the
    /// deliveries (and they are now all done).
    pub(crate) fn deliver(&self, topic: &Rc<Topic>, signal: Signal) -> bool {
        if self.running.replace(true) {
            self.waiting.borrow_mut().push((topic.clone(), signal));
            return false;
        }
        topic.subscribers.emit(signal);
        self.drain();
        true
    }

    /// Delivers `first` (if any) and then `second`, in order, as one: nothing asked for
    /// meanwhile comes between them (a state change and the error that caused it, say).
    pub(crate) fn deliver_pair(
        &self,
        first: Option<(Rc<Topic>, Signal)>,
        second: (Rc<Topic>, Signal),
    ) -> bool {
        {
            let mut waiting = self.waiting.borrow_mut();
            if let Some(first) = first {
                waiting.push(first);
            }
            waiting.push(second);
        }
        if self.running.replace(true) {
            return false;
        }
        self.drain();
        true
    }

    fn drain(&self) {
        // Taken a batch at a time, so that no borrow is held while the callbacks run;
        // what they queue lands in the next batch, after this one. A `Vec` rather than a
        // `VecDeque`: the queue is almost always empty, and a second collection type
        // costs every app's wasm.
        loop {
            let batch = std::mem::take(&mut *self.waiting.borrow_mut());
            if batch.is_empty() {
                break;
            }
            for (topic, signal) in batch {
                topic.subscribers.emit(signal);
            }
        }
        self.running.set(false);
    }
}
