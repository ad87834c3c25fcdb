//! The running side of a [`Reconnect`] policy: what happens after the browser fails a
//! connection (probe for a 204, count the failure, wait, replace the source), the idle
//! watchdog, and the timers behind them.
//!
//! The connection sees it only as a `dyn Recover`, made by [`start`], which only
//! `Builder::reconnect` refers to: an app that never asks for a policy links none of this
//! (timers, `fetch`, the task executor, the float arithmetic). Every piece is owned (a
//! dropped `Timeout` or `Interval` is cancelled, the probe is aborted), so `close()` or
//! dropping the source stops all of it.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::{Rc, Weak};

use gloo_timers::callback::{Interval, Timeout};

use crate::connection::{new_raw, Connection};
use crate::probe::{self, Answer};
use crate::{ConnectionError, ErrorKind, Reconnect};

/// How many watchdog ticks make up one idle timeout: the timeout is detected between
/// 1 and 1.25 times its length, at the cost of a timer tick, not of a clock read on
/// every event.
const WATCHDOG_TICKS: u64 = 4;

/// What a connection asks of its reconnect policy.
pub(crate) trait Recover: fmt::Debug {
    /// A connection opened: the next failure is the first again.
    fn opened(&self);
    /// An event arrived (for the idle watchdog).
    fn saw_activity(&self);
    /// A new source is attached: watch it for silence.
    fn watch(&self, connection: Weak<Connection>);
    /// The source is gone: stop watching it.
    fn unwatch(&self);
    /// The browser failed the connection for good.
    fn failed(&self, connection: &Rc<Connection>, event: web_sys::Event);
    /// Stops everything under way: the watchdog, a pending attempt, a probe.
    fn stop(&self);
}

/// Starts a policy for a new connection.
pub(crate) type Start = fn(Reconnect) -> Rc<dyn Recover>;

/// The policy for a new connection, as a trait object.
pub(crate) fn start(policy: Reconnect) -> Rc<dyn Recover> {
    Rc::new_cyclic(|me| Recovery::new(policy, me.clone()))
}

struct Recovery {
    /// Itself, for the timers and the probe: they hold `Weak`s, so dropping the
    /// connection (and with it the policy) is never held up by them.
    me: Weak<Recovery>,
    policy: Reconnect,
    /// Failed attempts in a row since the last open.
    failures: Cell<u32>,
    /// The replacement waiting for its backoff to run out.
    pending: RefCell<Option<Timeout>>,
    /// The status probe in flight.
    probe: RefCell<Option<web_sys::AbortController>>,
    watchdog: RefCell<Option<Interval>>,
    /// Events seen (open and messages), shared with the watchdog's closure.
    activity: Rc<Cell<u64>>,
}

impl fmt::Debug for Recovery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recovery")
            .field("policy", &self.policy)
            .field("failures", &self.failures.get())
            .finish_non_exhaustive()
    }
}

/// A connection and its policy, held weakly by a timer or the probe.
#[derive(Clone)]
struct Handles {
    connection: Weak<Connection>,
    recovery: Weak<Recovery>,
}

impl Handles {
    /// Runs `f` if both are still there.
    fn with(&self, f: impl FnOnce(&Rc<Connection>, &Recovery)) {
        if let (Some(connection), Some(recovery)) =
            (self.connection.upgrade(), self.recovery.upgrade())
        {
            f(&connection, &recovery);
        }
    }
}

impl Recovery {
    fn new(policy: Reconnect, me: Weak<Recovery>) -> Self {
        Self {
            me,
            policy,
            failures: Cell::new(0),
            pending: RefCell::new(None),
            probe: RefCell::new(None),
            watchdog: RefCell::new(None),
            activity: Rc::new(Cell::new(0)),
        }
    }

    fn handles(&self, connection: &Rc<Connection>) -> Handles {
        Handles {
            connection: Rc::downgrade(connection),
            recovery: self.me.clone(),
        }
    }

    /// Asks the server whether it wants the client to stop (a 204), then retries or
    /// gives up.
    fn probe_then_retry(&self, connection: &Rc<Connection>, event: web_sys::Event) {
        let Ok(abort) = web_sys::AbortController::new() else {
            self.retry_or_give_up(connection, ErrorKind::Failed, Some(event));
            return;
        };
        *self.probe.borrow_mut() = Some(abort.clone());
        let url = self.resume_url(connection);
        let last_event_id = connection.last_event_id();
        let with_credentials = connection.with_credentials();
        let handles = self.handles(connection);
        wasm_bindgen_futures::spawn_local(async move {
            let answer = probe::ask(&url, &last_event_id, with_credentials, &abort).await;
            handles.with(|connection, recovery| {
                drop(recovery.probe.borrow_mut().take());
                if connection.is_closed() {
                    return;
                }
                match answer {
                    Answer::NoContent => {
                        connection.report(ConnectionError::last(
                            ErrorKind::NoContent,
                            None,
                            Some(event),
                        ));
                        connection.close();
                    }
                    Answer::Other => {
                        recovery.retry_or_give_up(connection, ErrorKind::Failed, Some(event));
                    }
                }
            });
        });
    }

    /// No event for the idle timeout: the connection counts as dead.
    fn idle_expired(&self, connection: &Rc<Connection>) {
        if connection.is_closed() || connection.is_recovering() {
            return;
        }
        connection.detach();
        self.retry_or_give_up(connection, ErrorKind::IdleTimeout, None);
    }

    /// Counts the failure; schedules the next attempt and reports it, or reports the
    /// final error and closes.
    fn retry_or_give_up(
        &self,
        connection: &Rc<Connection>,
        kind: ErrorKind,
        event: Option<web_sys::Event>,
    ) {
        let failures = self.failures.get().saturating_add(1);
        self.failures.set(failures);
        if !self.policy.allows_attempt(failures) {
            let kind = if failures > 1 {
                ErrorKind::RetriesExhausted
            } else {
                kind
            };
            connection.report(ConnectionError::last(kind, Some(failures), event));
            connection.close();
            return;
        }
        let delay = self.policy.delay(failures, js_sys::Math::random());
        let handles = self.handles(connection);
        let millis = u32::try_from(delay.as_millis()).unwrap_or(u32::MAX);
        *self.pending.borrow_mut() = Some(Timeout::new(millis, move || {
            handles.with(|connection, recovery| recovery.replace(connection));
        }));
        connection.report(ConnectionError::retrying(kind, failures, delay, event));
    }

    /// Opens the replacement source, resuming after the last event id.
    fn replace(&self, connection: &Rc<Connection>) {
        // The timer has fired; it cannot be cancelled any more.
        drop(self.pending.borrow_mut().take());
        if connection.is_closed() {
            return;
        }
        match new_raw(&self.resume_url(connection), connection.with_credentials()) {
            Ok(raw) => connection.install(raw),
            Err(_) => {
                // The URL opened before, so this is not expected; end cleanly if it does.
                connection.report(ConnectionError::last(ErrorKind::Failed, None, None));
                connection.close();
            }
        }
    }

    /// The URL a replacement (or the probe) asks for: the original one, with the last
    /// event id in the policy's query parameter when there is one.
    fn resume_url(&self, connection: &Connection) -> String {
        let id = connection.last_event_id();
        match self.policy.resume_parameter() {
            Some(name) if !id.is_empty() => with_query_parameter(connection.url(), name, &id),
            _ => connection.url().to_owned(),
        }
    }
}

impl Recover for Recovery {
    fn opened(&self) {
        self.failures.set(0);
        self.saw_activity();
    }

    fn saw_activity(&self) {
        self.activity.set(self.activity.get().wrapping_add(1));
    }

    fn watch(&self, connection: Weak<Connection>) {
        let handles = Handles {
            connection,
            recovery: self.me.clone(),
        };
        let Some(timeout) = self.policy.idle_timeout_value() else {
            return;
        };
        let tick = u32::try_from(timeout.as_millis() / u128::from(WATCHDOG_TICKS))
            .unwrap_or(u32::MAX)
            .max(1);
        // The closure shares the counter, not the `Recovery`: no cycle.
        let activity = self.activity.clone();
        let mut seen = activity.get();
        let mut quiet_ticks = 0;
        *self.watchdog.borrow_mut() = Some(Interval::new(tick, move || {
            let now = activity.get();
            if now != seen {
                seen = now;
                quiet_ticks = 0;
                return;
            }
            quiet_ticks += 1;
            if quiet_ticks >= WATCHDOG_TICKS {
                quiet_ticks = 0;
                handles.with(|connection, recovery| recovery.idle_expired(connection));
            }
        }));
    }

    fn unwatch(&self) {
        drop(self.watchdog.borrow_mut().take());
    }

    fn failed(&self, connection: &Rc<Connection>, event: web_sys::Event) {
        connection.detach();
        self.probe_then_retry(connection, event);
    }

    fn stop(&self) {
        drop(self.watchdog.borrow_mut().take());
        drop(self.pending.borrow_mut().take());
        if let Some(probe) = self.probe.borrow_mut().take() {
            probe.abort();
        }
    }
}

/// `url` with the query parameter `name` set to `value` (replacing any earlier one).
fn with_query_parameter(url: &str, name: &str, value: &str) -> String {
    match web_sys::Url::new(url) {
        Ok(parsed) => {
            parsed.search_params().set(name, value);
            parsed.href()
        }
        Err(_) => url.to_owned(),
    }
}
