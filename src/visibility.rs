//! Pause when hidden ([`Builder::pause_when_hidden`](crate::Builder::pause_when_hidden)):
//! close the connection once the page has been hidden for a grace period, and reopen it,
//! resuming after the last event id, when the page is visible again.
//!
//! Made only by that builder method, so an app that never asks for it links none of it.

use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::time::Duration;

use gloo_timers::callback::Timeout;

use crate::cells;
use crate::connection::Connection;
use crate::dom_listener::DomListener;
use crate::global::DOCUMENT;
use crate::reconnect::timer_millis;
use crate::Sharing;

/// The shortest wait before a hidden shared source checks again whether it has become
/// private, in ms.
const RECHECK_MIN_MS: u32 = 1_000;

/// Starts watching the page for a new connection.
pub(crate) type Start = fn(&Rc<Connection>, Duration);

/// Watches the page's visibility for `connection`, which keeps the watcher until it
/// closes. Inert where there is no document (a worker): nothing is ever hidden there.
pub(crate) fn watch(connection: &Rc<Connection>, grace: Duration) {
    let Some(document) = DOCUMENT.with(|page| page.clone().map(web_sys::Document::from)) else {
        return;
    };
    let watcher = Rc::new(Watcher {
        connection: Rc::downgrade(connection),
        document: document.clone(),
        grace_ms: timer_millis(grace),
        grace: RefCell::new(None),
    });
    let listener = DomListener::new(&document, "visibilitychange".to_owned(), {
        let watcher = watcher.clone();
        move |_| watcher.visibility_changed()
    });
    // Opened in a tab that is already hidden: the grace period starts now.
    watcher.visibility_changed();
    connection.keep_visibility_watcher(Box::new((listener, watcher)));
}

struct Watcher {
    connection: Weak<Connection>,
    document: web_sys::Document,
    grace_ms: u32,
    /// The pause waiting for the grace period to run out.
    grace: RefCell<Option<Timeout>>,
}

impl Watcher {
    fn visibility_changed(self: &Rc<Self>) {
        let Some(connection) = self.connection.upgrade() else {
            return;
        };
        if self.document.hidden() {
            if cells::borrow(&self.grace).is_none() && !connection.is_paused() {
                self.start_grace(self.grace_ms);
            }
        } else {
            let pending = cells::take(&self.grace);
            drop(pending);
            connection.unpause();
        }
    }

    /// Calls `grace_over` in `ms` milliseconds.
    fn start_grace(self: &Rc<Self>, ms: u32) {
        // The timer holds the watcher weakly: the connection owns both.
        let watcher = Rc::downgrade(self);
        let timeout = Timeout::new(ms, move || {
            if let Some(watcher) = watcher.upgrade() {
                watcher.grace_over();
            }
        });
        *cells::borrow_mut(&self.grace) = Some(timeout);
    }

    fn grace_over(self: &Rc<Self>) {
        drop(cells::take(&self.grace));
        let Some(connection) = self.connection.upgrade() else {
            return;
        };
        // Not one whose request is not a GET: resuming would send it, body included, again.
        if !self.document.hidden() || !connection.pausable() {
            return;
        }
        match connection.sharing() {
            Sharing::Private => connection.pause(),
            // A source shared across tabs is not paused: a follower costs no connection,
            // and a hidden leader's connection serves the other tabs. But it becomes a
            // private one if the browser refuses a lock it asks for again: the grace is
            // counted again, so that it is paused then too (every second at the most
            // often: a grace of 0 would otherwise ask without pause).
            _ => self.start_grace(self.grace_ms.max(RECHECK_MIN_MS)),
        }
    }
}
