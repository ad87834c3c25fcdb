//! Delivery in order: a delivery asked for while another is under way (a callback that
//! closes the source, or changes its state) waits behind it, so every subscriber sees
//! every event, and all events in the order they happened.
//!
//! Without the queue, a nested delivery would run depth first: a state callback that
//! closes the source would show `Closed` to later subscribers before the state being
//! delivered, and their streams would end on a stale state.
//!
//! Once the source closes, what still waits is delivered only if it tells of the end (the
//! `Closed` state, a final error): the `open` event queued behind its state change, say,
//! reaches no listener after `close()`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::cells;
use crate::topics::{Signal, Topic};

/// One delivery: what to tell, and whose subscribers.
pub(crate) type Delivery = (Rc<Topic>, Signal);

pub(crate) struct Deliveries {
    running: Cell<bool>,
    /// The source closed: what waits is delivered only if it tells of the end.
    closed: Cell<bool>,
    /// What waits: each place emptied as the drain takes it, the list cleared when the
    /// drain ends.
    waiting: RefCell<Vec<Option<Delivery>>>,
}

impl Deliveries {
    pub(crate) fn new() -> Self {
        Self {
            running: Cell::new(false),
            closed: Cell::new(false),
            waiting: RefCell::new(Vec::new()),
        }
    }

    /// The source closed (inside a callback, perhaps): the event being delivered still
    /// reaches every subscriber, as a DOM event does, but of those waiting behind it only
    /// the `Closed` state and a final error are delivered. Listeners are not called for
    /// any later event, and none reads `Closed` inside an `open` or a message that came
    /// after the close (those delivered when it came read `Closed`, as the DOM's do).
    pub(crate) fn close(&self) {
        self.closed.set(true);
    }

    /// Whether a delivery is under way.
    pub(crate) fn is_running(&self) -> bool {
        self.running.get()
    }

    /// Delivers `signal` to `topic`'s subscribers, then whatever was queued meanwhile;
    /// or, when a delivery is under way, queues it behind. `true` when this call ran the
    /// deliveries (and they are now all done).
    pub(crate) fn deliver(&self, topic: &Rc<Topic>, signal: Signal) -> bool {
        self.deliver_pair(None, (topic.clone(), signal))
    }

    /// Delivers `first` (if any) and then `second`, in order, as one: nothing asked for
    /// meanwhile comes between them (a state change and the error that caused it, say).
    pub(crate) fn deliver_pair(&self, first: Option<Delivery>, second: Delivery) -> bool {
        {
            let mut waiting = cells::borrow_mut(&self.waiting);
            if let Some(first) = first {
                waiting.push(Some(first));
            }
            waiting.push(Some(second));
        }
        if self.running.replace(true) {
            return false;
        }
        self.drain();
        true
    }

    fn drain(&self) {
        // Taken one at a time, so that no borrow is held while the callbacks run; what
        // they queue lands behind. Each place is emptied as it is taken and the list
        // cleared at the end, so that its allocation serves the next deliveries. A `Vec`
        // rather than a `VecDeque`: a second collection type costs every app's wasm.
        let mut next = 0;
        while let Some((topic, signal)) = self.take(next) {
            next += 1;
            if !self.closed.get() || tells_of_the_end(&signal) {
                topic.subscribers.emit(&signal);
            }
        }
        cells::borrow_mut(&self.waiting).clear();
        self.running.set(false);
    }

    fn take(&self, index: usize) -> Option<Delivery> {
        cells::borrow_mut(&self.waiting).get_mut(index)?.take()
    }
}

/// What a closed source still delivers: that it closed.
fn tells_of_the_end(signal: &Signal) -> bool {
    match signal {
        Signal::State(state) => *state == crate::ReadyState::Closed,
        Signal::Error(error) => error.is_final(),
        Signal::Open | Signal::Message(_) => false,
    }
}
