//! [`Hub`]: where the hooks of one source meet. It holds the source now open and the
//! listener and history hooks' [`HookListener`]s, and attaches each of them to each new
//! source in the same turn of the event loop in which the source opens, before the
//! browser can deliver anything: no event falls between opening a source and listening to
//! it, whichever component's hooks ran first.

use std::cell::RefCell;
use std::fmt;
use std::rc::{Rc, Weak};

use web_eventsource::{EventSource, Listener};

use crate::batch::Batch;
use crate::hook_listener::{Deliver, HookListener};
use crate::options::{LatestHeadersWith, Open};
use crate::report::Report;
use crate::retired::Retired;
use crate::UseEventSourceOptions;

pub(crate) struct Hub {
    /// Where the source's state, errors and messages go: the hook's signals.
    report: Report,
    /// How to open a source with the hook's options.
    open: Open,
    /// The latest render's `headers_with` callback, which every request calls.
    latest_headers_with: LatestHeadersWith,
    /// The URL and options to open, while the hook's component is mounted in a browser.
    target: RefCell<Option<(String, UseEventSourceOptions)>>,
    /// The source now open, and the listeners that report its state, errors and messages.
    current: RefCell<Option<Current>>,
    /// The listener and history hooks' callbacks; each belongs to its hook, which drops it
    /// when it unmounts or changes event type.
    hook_listeners: RefCell<Vec<Weak<HookListener>>>,
    /// Their listeners on replaced sources, until the dispatch under way has ended.
    retired: Retired,
}

struct Current {
    source: EventSource,
    _reporters: [Listener; 3],
}

impl Hub {
    pub(crate) fn new(report: Report, open: Open, latest_headers_with: LatestHeadersWith) -> Self {
        Self {
            report,
            open,
            latest_headers_with,
            target: RefCell::new(None),
            current: RefCell::new(None),
            hook_listeners: RefCell::new(Vec::new()),
            retired: Retired::default(),
        }
    }

    /// The hook's effect ran in a browser, first or for a new URL or new options: opens the
    /// source, unless the one open is already this URL's with these options.
    // Called only in a browser build (see crate::browser).
    #[cfg_attr(not(all(target_arch = "wasm32", feature = "web")), allow(dead_code))]
    pub(crate) fn mount(&self, url: &str, options: &UseEventSourceOptions) {
        let same_url = {
            let target = self.target.borrow();
            match &*target {
                Some((open_url, open_options)) if open_url == url => {
                    if open_options.opens_like(options) {
                        return;
                    }
                    true
                }
                _ => false,
            }
        };
        self.target.replace(Some((url.to_owned(), options.clone())));
        // A new URL starts afresh; new options at the same URL too (as a new URL would),
        // but the last event id shown stays until the new source's first event.
        self.open(url, options, "", !same_url);
    }

    /// The component unmounts: closes the source, so the server sees the client go, and
    /// lets go of every JS listener.
    pub(crate) fn unmount(&self) {
        self.target.replace(None);
        let current = self.current.take();
        self.move_hook_listeners_to(None);
        // Dropping runs in a render, never inside a dispatch: nothing to wait for.
        self.retired.drop_all();
        if let Some(Current { source, _reporters }) = current {
            // Reporters first: a closing source reports `Closed` to signals going away.
            drop(_reporters);
            source.close();
        }
    }

    /// Closes the current source for good (the component shows `Closed`); the source stays
    /// readable (its last event id) until [`reopen`](Self::reopen) or a new URL.
    pub(crate) fn close(&self) {
        if let Some(source) = self.source() {
            source.close();
        }
    }

    /// Opens a new source at the same URL with the same options, resuming after the last
    /// event id of the current one. Does nothing before the hook's effect has run (on the
    /// server, that is always) or after unmounting.
    pub(crate) fn reopen(&self) {
        let Some((url, options)) = self.target.borrow().clone() else {
            return;
        };
        let last_event_id = self.last_event_id();
        self.open(&url, &options, &last_event_id, false);
    }

    /// Where the history hooks defer their writes, with the hook's own.
    pub(crate) fn batch(&self) -> Rc<Batch> {
        Rc::clone(&self.report.batch)
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
    /// every later one, until the returned hook listener is dropped. Touches no browser
    /// API when no source is open (on the server, none ever is).
    pub(crate) fn listen(&self, event_type: &str, deliver: Deliver) -> Rc<HookListener> {
        let report = self.report.clone();
        let deliver: Deliver = Box::new(move |message| {
            // The resume point first, so that the callback reads the id it is handed.
            report.seen(&message);
            deliver(message);
        });
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
    /// is not empty; `fresh` when the URL is not the one open before.
    fn open(&self, url: &str, options: &UseEventSourceOptions, resume_from: &str, fresh: bool) {
        self.close_current();
        match (self.open)(options, url, resume_from, &self.latest_headers_with) {
            Ok(source) => self.take_up(source, fresh),
            Err(err) => {
                self.move_hook_listeners_to(None);
                self.report.open_failed(err);
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

    /// Makes `source` the current one: reports its state, errors and messages from now
    /// on, and moves every hook listener onto it before returning, so before the browser
    /// can deliver an event.
    fn take_up(&self, source: EventSource, fresh: bool) {
        let reporters = self.reporters(&source);
        self.report.opened(source.ready_state(), fresh);
        self.move_hook_listeners_to(Some(&source));
        self.current.replace(Some(Current {
            source,
            _reporters: reporters,
        }));
    }

    /// The listeners that feed the hook's signals from `source`. They hold the signals,
    /// never the hub or the source: no reference cycle keeps a connection open. The
    /// `message` one comes first, so listener hooks of `message` events read the new
    /// message and id in the signals.
    fn reporters(&self, source: &EventSource) -> [Listener; 3] {
        [
            source.on_message({
                let report = self.report.clone();
                move |message| report.message(&message)
            }),
            source.on_state_change({
                let report = self.report.clone();
                move |state| report.state(state)
            }),
            source.on_error({
                let report = self.report.clone();
                move |err| report.error(err)
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
