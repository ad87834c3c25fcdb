//! [`Hub`]: where the hooks of one source meet. It holds the source now open and the
//! subscriptions of the listener hooks, and subscribes each of them to each new source in
//! the same turn of the event loop in which the source opens, before the browser can
//! deliver anything: no event falls between opening a source and subscribing to it,
//! whichever of the hooks' effects runs first (a child's run before its parent's).

use std::cell::RefCell;
use std::fmt;
use std::rc::{Rc, Weak};

use web_eventsource::{EventSource, Listener, Message};
use yew::UseReducerDispatcher;

use crate::options::Open;
use crate::status::{Report, Status};
use crate::UseEventSourceOptions;

/// Called with each message of a subscription's type.
pub(crate) type Deliver = Rc<dyn Fn(Message)>;

pub(crate) struct Hub {
    /// Where the source's state and errors go: the hook's reducer.
    report: UseReducerDispatcher<Status>,
    /// How to open a source with the hook's options.
    open: Open,
    /// The URL and options to open, while the hook's component is mounted.
    target: RefCell<Option<(String, UseEventSourceOptions)>>,
    /// The source now open, and the listeners that report its state and errors.
    current: RefCell<Option<Current>>,
    /// The listener hooks' subscriptions; each belongs to its hook, which drops it when
    /// it unmounts or changes event type.
    subscriptions: RefCell<Vec<Weak<Subscription>>>,
}

struct Current {
    source: EventSource,
    _reporters: [Listener; 2],
}

/// One listener hook's interest in one event type; subscribed to every source the hub
/// opens while it lives.
pub(crate) struct Subscription {
    event_type: String,
    deliver: Deliver,
    listener: RefCell<Option<Listener>>,
}

impl Subscription {
    fn subscribe_to(&self, source: Option<&EventSource>) {
        let listener = source.map(|source| {
            let deliver = self.deliver.clone();
            source.on(&self.event_type, move |message| deliver(message))
        });
        // Replaced outside the borrow: dropping the old listener runs no user code, but
        // keeps this clear of any re-entrance all the same.
        let old = self.listener.replace(listener);
        drop(old);
    }
}

impl Hub {
    pub(crate) fn new(report: UseReducerDispatcher<Status>, open: Open) -> Self {
        Self {
            report,
            open,
            target: RefCell::new(None),
            current: RefCell::new(None),
            subscriptions: RefCell::new(Vec::new()),
        }
    }

    /// The component mounted, or its URL or options changed: opens the source.
    pub(crate) fn mount(&self, url: &str, options: &UseEventSourceOptions) {
        self.target.replace(Some((url.to_owned(), options.clone())));
        self.open(url, options, "");
    }

    /// The component unmounts, or is about to open another URL: closes the source, so the
    /// server sees the client go, and lets go of every JS listener.
    pub(crate) fn unmount(&self) {
        self.target.replace(None);
        let current = self.current.take();
        for subscription in self.live_subscriptions() {
            subscription.subscribe_to(None);
        }
        if let Some(current) = current {
            // Reporters first: a closing source reports `Closed`, which would reach a
            // component that is going away or is already showing the next source.
            let Current { source, _reporters } = current;
            drop(_reporters);
            source.close();
        }
    }

    /// Closes the current source for good (the component shows `Closed`); the source stays
    /// readable (its last event id) until [`reopen`](Self::reopen) or a new URL.
    pub(crate) fn close(&self) {
        let source = self.source();
        if let Some(source) = source {
            source.close();
        }
    }

    /// Opens a new source at the same URL with the same options, resuming after the last
    /// event id of the current one. Does nothing while the component is not mounted.
    pub(crate) fn reopen(&self) {
        let Some((url, options)) = self.target.borrow().clone() else {
            return;
        };
        let last_event_id = self.last_event_id();
        self.open(&url, &options, &last_event_id);
    }

    pub(crate) fn source(&self) -> Option<EventSource> {
        self.current.borrow().as_ref().map(|c| c.source.clone())
    }

    pub(crate) fn last_event_id(&self) -> String {
        self.source()
            .map(|source| source.last_event_id())
            .unwrap_or_default()
    }

    /// Subscribes `deliver` to `event_type` on the current source and every later one,
    /// until the returned subscription is dropped.
    pub(crate) fn subscribe(&self, event_type: &str, deliver: Deliver) -> Rc<Subscription> {
        let subscription = Rc::new(Subscription {
            event_type: event_type.to_owned(),
            deliver,
            listener: RefCell::new(None),
        });
        subscription.subscribe_to(self.source().as_ref());
        let mut subscriptions = self.subscriptions.borrow_mut();
        subscriptions.retain(|s| s.strong_count() > 0);
        subscriptions.push(Rc::downgrade(&subscription));
        subscription
    }

    fn live_subscriptions(&self) -> Vec<Rc<Subscription>> {
        let mut subscriptions = self.subscriptions.borrow_mut();
        subscriptions.retain(|s| s.strong_count() > 0);
        subscriptions.iter().filter_map(Weak::upgrade).collect()
    }

    /// Replaces the current source with one at `url`, resuming after `resume_from` when it
    /// is not empty, and subscribes every listener hook to it before returning (so before
    /// the browser can deliver an event).
    fn open(&self, url: &str, options: &UseEventSourceOptions, resume_from: &str) {
        if let Some(Current { source, _reporters }) = self.current.take() {
            drop(_reporters);
            source.close();
        }
        let source = match (self.open)(options, url, resume_from) {
            Ok(source) => source,
            Err(err) => {
                for subscription in self.live_subscriptions() {
                    subscription.subscribe_to(None);
                }
                self.report.dispatch(Report::OpenFailed(err));
                return;
            }
        };
        // The reporters hold the reducer's dispatcher, never the hub or the source: no
        // reference cycle keeps a connection open.
        let reporters = [
            source.on_state_change({
                let report = self.report.clone();
                move |state| report.dispatch(Report::State(state))
            }),
            source.on_error({
                let report = self.report.clone();
                move |err| report.dispatch(Report::Error(err))
            }),
        ];
        self.report.dispatch(Report::Opened(source.ready_state()));
        for subscription in self.live_subscriptions() {
            subscription.subscribe_to(Some(&source));
        }
        self.current.replace(Some(Current {
            source,
            _reporters: reporters,
        }));
    }
}

impl fmt::Debug for Hub {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hub")
            .field("source", &self.source())
            .field("subscriptions", &self.live_subscriptions().len())
            .finish()
    }
}
