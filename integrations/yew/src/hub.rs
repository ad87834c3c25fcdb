//! [`Hub`]: where the hooks of one source meet. It holds the source now open and the
//! listener hooks' [`HookListener`]s, and attaches each of them to each new source in the
//! same turn of the event loop in which the source opens, before the browser can deliver
//! anything: no event falls between opening a source and listening to it, whichever of
//! the hooks' effects runs first (a child's run before its parent's).

use std::cell::RefCell;
use std::fmt;
use std::rc::{Rc, Weak};

use web_eventsource::{EventSource, Listener};
use yew::UseReducerDispatcher;

use crate::hook_listener::{Deliver, HookListener};
use crate::options::Open;
use crate::retired::Retired;
use crate::status::{Report, Status};
use crate::UseEventSourceOptions;

pub(crate) struct Hub {
    /// Where the source's state and errors go: the hook's reducer.
    report: UseReducerDispatcher<Status>,
    /// How to open a source with the hook's options.
    open: Open,
    /// The URL and options to open, while the hook's component is mounted.
    target: RefCell<Option<(String, UseEventSourceOptions)>>,
    /// The source now open, and the listeners that report its state and errors.
    current: RefCell<Option<Current>>,
    /// The listener hooks' callbacks; each belongs to its hook, which drops it when it
    /// unmounts or changes event type.
    hook_listeners: RefCell<Vec<Weak<HookListener>>>,
    /// Their listeners on replaced sources, until the dispatch under way has ended.
    retired: Retired,
}

struct Current {
    source: EventSource,
    _reporters: [Listener; 2],
}

impl Hub {
    pub(crate) fn new(report: UseReducerDispatcher<Status>, open: Open) -> Self {
        Self {
            report,
            open,
            target: RefCell::new(None),
            current: RefCell::new(None),
            hook_listeners: RefCell::new(Vec::new()),
            retired: Retired::default(),
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
        self.move_hook_listeners_to(None);
        // Effects run in their own task, never inside a dispatch: nothing to wait for.
        self.retired.drop_all();
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

    /// Calls `deliver` with each message of `event_type` of the current source and of
    /// every later one, until the returned hook listener is dropped.
    pub(crate) fn listen(&self, event_type: &str, deliver: Deliver) -> Rc<HookListener> {
        let hook_listener = Rc::new(HookListener::new(event_type, deliver));
        // A new hook listener has no listener on an old source to hand back.
        let _ = hook_listener.attach_to(self.source().as_ref());
        let mut hook_listeners = self.hook_listeners.borrow_mut();
        hook_listeners.retain(|h| h.strong_count() > 0);
        hook_listeners.push(Rc::downgrade(&hook_listener));
        hook_listener
    }

    fn live_hook_listeners(&self) -> Vec<Rc<HookListener>> {
        let mut hook_listeners = self.hook_listeners.borrow_mut();
        hook_listeners.retain(|h| h.strong_count() > 0);
        hook_listeners.iter().filter_map(Weak::upgrade).collect()
    }

    /// Replaces the current source with one at `url`, resuming after `resume_from` when it
    /// is not empty.
    fn open(&self, url: &str, options: &UseEventSourceOptions, resume_from: &str) {
        self.close_current();
        match (self.open)(options, url, resume_from) {
            Ok(source) => self.take_up(source),
            Err(err) => {
                self.move_hook_listeners_to(None);
                self.report.dispatch(Report::OpenFailed(err));
            }
        }
    }

    /// Closes the current source without reporting its `Closed`: what replaces it (a new
    /// source, or the reason none opened) is reported next.
    fn close_current(&self) {
        if let Some(Current { source, _reporters }) = self.current.take() {
            drop(_reporters);
            source.close();
        }
    }

    /// Makes `source` the current one: reports its state and errors from now on, and
    /// moves every hook listener onto it before returning, so before the browser can
    /// deliver an event.
    fn take_up(&self, source: EventSource) {
        let reporters = self.reporters(&source);
        self.report.dispatch(Report::Opened(source.ready_state()));
        self.move_hook_listeners_to(Some(&source));
        self.current.replace(Some(Current {
            source,
            _reporters: reporters,
        }));
    }

    /// The listeners that report `source`'s state and errors to the hook's reducer. They
    /// hold the reducer's dispatcher, never the hub or the source: no reference cycle
    /// keeps a connection open.
    fn reporters(&self, source: &EventSource) -> [Listener; 2] {
        [
            source.on_state_change({
                let report = self.report.clone();
                move |state| report.dispatch(Report::State(state))
            }),
            source.on_error({
                let report = self.report.clone();
                move |err| report.dispatch(Report::Error(err))
            }),
        ]
    }

    /// Attaches every hook listener to `source` (or to none). Their listeners on the old
    /// source are retired, not dropped: this may run inside that source's dispatch (a
    /// listener hook that reopens), whose event the hooks after it must still get.
    fn move_hook_listeners_to(&self, source: Option<&EventSource>) {
        let left = self
            .live_hook_listeners()
            .iter()
            .filter_map(|hook_listener| hook_listener.attach_to(source))
            .collect();
        self.retired.keep(left);
    }
}

impl fmt::Debug for Hub {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hub")
            .field("source", &self.source())
            .field("hook_listeners", &self.live_hook_listeners().len())
            .finish()
    }
}
