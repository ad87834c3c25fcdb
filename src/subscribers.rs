//! Fan-out from one JS listener to any number of Rust subscribers.
//!
//! The list is copy-on-write: emitting clones one `Rc` (every event) and walks that
//! snapshot; subscribing or unsubscribing (rare) builds a new list. The snapshot is what
//! makes re-entrancy safe: a callback may subscribe, unsubscribe or close the source while
//! it runs, and no `RefCell` is borrowed across the call.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::cells;
use crate::guard::guarded;

type Callback<T> = Box<dyn FnMut(&T)>;

/// Every subscriber of one kind of event (one event type, or open, or error).
pub(crate) struct Subscribers<T> {
    list: RefCell<Rc<Vec<Rc<Subscriber<T>>>>>,
}

/// One subscriber: its callback, whose code it is, and whether it still wants events.
pub(crate) struct Subscriber<T> {
    active: Cell<bool>,
    author: Author,
    callback: RefCell<Option<Callback<T>>>,
}

/// Whose code a subscriber's callback is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Author {
    /// A user's, which may throw: called guarded (see `guard.rs`).
    User,
    /// The crate's own, which never throws (a stream's sender, a no-op): called as it
    /// is. The guard's call out to JavaScript and back would cost every message a stream
    /// delivers about a tenth of its dispatch, and the stream's reader runs in a task of
    /// its own, where what it throws stays.
    Crate,
}

impl<T> Subscribers<T> {
    pub(crate) fn new() -> Self {
        Self {
            list: RefCell::new(Rc::new(Vec::new())),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        cells::borrow(&self.list).is_empty()
    }

    pub(crate) fn len(&self) -> usize {
        cells::borrow(&self.list).len()
    }

    /// Adds a subscriber; it gets every event emitted from now on (not one being emitted).
    pub(crate) fn add(
        &self,
        author: Author,
        callback: impl FnMut(&T) + 'static,
    ) -> Rc<Subscriber<T>> {
        let subscriber = Rc::new(Subscriber {
            active: Cell::new(true),
            author,
            callback: RefCell::new(Some(Box::new(callback))),
        });
        self.rebuild(|list| list.push(subscriber.clone()));
        subscriber
    }

    /// Removes a subscriber and drops its callback; it gets no further event, even from an
    /// emit already under way (as the DOM does for a removed listener).
    pub(crate) fn remove(&self, subscriber: &Rc<Subscriber<T>>) {
        self.rebuild(|list| list.retain(|other| !Rc::ptr_eq(other, subscriber)));
        // Dropping the callback may run user drop code: after the list is rebuilt.
        subscriber.release();
    }

    /// Removes every subscriber and drops their callbacks, which ends the streams fed by
    /// them (their senders live in the callbacks).
    pub(crate) fn clear(&self) {
        let old = cells::replace(&self.list, Rc::new(Vec::new()));
        for subscriber in old.iter() {
            subscriber.release();
        }
    }

    /// Replaces the list with an edited copy, leaving any snapshot being emitted as it
    /// was. The old list is dropped after the borrow ends (it holds only `Rc` clones).
    fn rebuild(&self, edit: impl FnOnce(&mut Vec<Rc<Subscriber<T>>>)) {
        let mut list = Vec::clone(&cells::borrow(&self.list));
        edit(&mut list);
        let old = cells::replace(&self.list, Rc::new(list));
        drop(old);
    }

    /// Calls every subscriber with `item`. Lent, not given: each callback takes (clones)
    /// only what it reads, so the fan-out has no clone of every kind of item to link.
    pub(crate) fn emit(&self, item: &T) {
        let snapshot = cells::borrow(&self.list).clone();
        for subscriber in snapshot.iter() {
            subscriber.call(item);
        }
    }
}

impl<T> Subscriber<T> {
    fn call(&self, item: &T) {
        if self.active.get() {
            self.run(Some(item));
        }
    }

    /// Stops delivery and drops the callback, or leaves that to the run under way.
    fn release(&self) {
        self.active.set(false);
        self.run(None);
    }

    /// Calls the callback with `item`, if any, then drops it if the subscriber was
    /// released (before, or while it ran). A user's is guarded for both: what it throws,
    /// and what its captures throw as they drop (a user's `Drop`), end here. Unwound past
    /// this frame, either would leave the delivery under way (or the source's close) for
    /// good. One guarded call for both, so that each kind of event links one.
    fn run(&self, item: Option<&T>) {
        // A callback that is already running (it re-entered through code that dispatches
        // synchronously) is skipped rather than borrowed twice; released meanwhile, it is
        // dropped as that run ends.
        let Ok(mut slot) = self.callback.try_borrow_mut() else {
            return;
        };
        let mut run = || {
            if let (Some(item), Some(callback)) = (item, slot.as_mut()) {
                callback(item);
            }
            if !self.active.get() {
                // Under the borrow: a re-entrant release of this (inactive) subscriber
                // finds it taken and leaves it.
                drop(slot.take());
            }
        };
        match self.author {
            Author::User => guarded(run),
            Author::Crate => run(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use super::{Author, Subscribers};

    type Log = Rc<RefCell<Vec<String>>>;

    /// A callback that appends `{name}{item}` to `log`.
    fn recorder(log: &Log, name: &str) -> impl FnMut(&u32) + 'static {
        let (log, name) = (log.clone(), name.to_owned());
        move |n: &u32| log.borrow_mut().push(format!("{name}{n}"))
    }

    #[test]
    fn emits_to_every_subscriber_in_order() {
        let log = Log::default();
        let subs = Subscribers::new();
        let _a = subs.add(Author::User, recorder(&log, "a"));
        let _b = subs.add(Author::User, recorder(&log, "b"));
        subs.emit(&1);
        subs.emit(&2);
        assert_eq!(*log.borrow(), ["a1", "b1", "a2", "b2"]);
        assert_eq!(subs.len(), 2);
    }

    #[test]
    fn removed_subscriber_gets_nothing_more() {
        let log = Log::default();
        let subs = Subscribers::new();
        let a = subs.add(Author::User, recorder(&log, "a"));
        let _b = subs.add(Author::User, recorder(&log, "b"));
        subs.remove(&a);
        subs.emit(&1);
        assert_eq!(*log.borrow(), ["b1"]);
        assert_eq!(subs.len(), 1);
    }

    #[test]
    fn removal_during_emit_is_honoured_and_safe() {
        let log = Rc::new(RefCell::new(Vec::new()));
        let subs = Rc::new(Subscribers::new());
        let victim: Rc<RefCell<Option<_>>> = Rc::new(RefCell::new(None));
        let _killer = subs.add(Author::User, {
            let (subs, victim, log) = (subs.clone(), victim.clone(), log.clone());
            move |n: &u32| {
                log.borrow_mut().push(format!("killer{n}"));
                if let Some(v) = victim.borrow_mut().take() {
                    subs.remove(&v);
                }
            }
        });
        let v = subs.add(Author::User, {
            let log = log.clone();
            move |n: &u32| log.borrow_mut().push(format!("victim{n}"))
        });
        *victim.borrow_mut() = Some(v);
        subs.emit(&1);
        subs.emit(&2);
        assert_eq!(*log.borrow(), ["killer1", "killer2"]);
    }

    #[test]
    fn subscriber_added_during_emit_waits_for_the_next_event() {
        let log = Rc::new(RefCell::new(Vec::new()));
        let subs = Rc::new(Subscribers::new());
        let added = Rc::new(RefCell::new(Vec::new()));
        let _adder = subs.add(Author::User, {
            let (subs, added, log) = (subs.clone(), added.clone(), log.clone());
            move |n: &u32| {
                if *n == 1 {
                    let log = log.clone();
                    added
                        .borrow_mut()
                        .push(subs.add(Author::User, move |n: &u32| {
                            log.borrow_mut().push(format!("late{n}"))
                        }));
                }
            }
        });
        subs.emit(&1);
        subs.emit(&2);
        assert_eq!(*log.borrow(), ["late2"]);
    }

    #[test]
    fn clear_drops_callbacks_even_while_one_runs() {
        struct DropFlag(Rc<RefCell<bool>>);
        impl Drop for DropFlag {
            fn drop(&mut self) {
                *self.0.borrow_mut() = true;
            }
        }
        let dropped = Rc::new(RefCell::new(false));
        let subs = Rc::new(Subscribers::new());
        let flag = DropFlag(dropped.clone());
        let handle = subs.add(Author::User, {
            let subs = subs.clone();
            move |_: &u32| {
                let _keep = &flag;
                subs.clear();
            }
        });
        subs.emit(&1);
        assert!(*dropped.borrow(), "callback dropped once it returned");
        assert!(subs.is_empty());
        drop(handle);
    }
}
