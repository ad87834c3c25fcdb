//! The running side of a [`Reconnect`] policy: the count of failures in a row, the
//! backoff timer, the status probe in flight, and the idle watchdog. Every piece is owned
//! (a dropped `Timeout` or `Interval` is cancelled, an `AbortController` is aborted), so
//! `close()` or dropping the source stops all of it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use gloo_timers::callback::{Interval, Timeout};

use crate::Reconnect;

/// How many watchdog ticks make up one idle timeout: the timeout is detected between
/// 1 and 1.25 times its length, at the cost of a timer tick, not of a clock read on
/// every event.
const WATCHDOG_TICKS: u64 = 4;

pub(crate) struct Recovery {
    policy: Reconnect,
    /// Failed attempts in a row since the last open.
    failures: Cell<u32>,
    /// The replacement waiting for its backoff to run out.
    pending: RefCell<Option<Timeout>>,
    /// The status probe in flight.
    probe: RefCell<Option<web_sys::AbortController>>,
    watchdog: RefCell<Option<Interval>>,
    /// Events seen (open and messages); the watchdog compares it between ticks.
    activity: Rc<Cell<u64>>,
}

impl Recovery {
    pub(crate) fn new(policy: Reconnect) -> Self {
        Self {
            policy,
            failures: Cell::new(0),
            pending: RefCell::new(None),
            probe: RefCell::new(None),
            watchdog: RefCell::new(None),
            activity: Rc::new(Cell::new(0)),
        }
    }

    pub(crate) fn policy(&self) -> &Reconnect {
        &self.policy
    }

    /// A connection opened: the next failure is the first again.
    pub(crate) fn opened(&self) {
        self.failures.set(0);
        self.saw_activity();
    }

    pub(crate) fn saw_activity(&self) {
        self.activity.set(self.activity.get().wrapping_add(1));
    }

    /// Counts one more failure; returns its number and the delay before the next attempt,
    /// or `Err(number)` when the policy allows no more attempts.
    pub(crate) fn next_attempt(&self) -> Result<(u32, Duration), u32> {
        let failures = self.failures.get().saturating_add(1);
        self.failures.set(failures);
        if self.policy.allows_attempt(failures) {
            Ok((
                failures,
                self.policy.delay(failures, js_sys::Math::random()),
            ))
        } else {
            Err(failures)
        }
    }

    pub(crate) fn schedule(&self, delay: Duration, attempt: impl FnOnce() + 'static) {
        let millis = u32::try_from(delay.as_millis()).unwrap_or(u32::MAX);
        *self.pending.borrow_mut() = Some(Timeout::new(millis, attempt));
    }

    /// Forgets the timer that just fired (it cannot be cancelled any more).
    pub(crate) fn fired(&self) {
        drop(self.pending.borrow_mut().take());
    }

    /// Starts a probe: returns the controller that aborts it.
    pub(crate) fn start_probe(&self) -> Option<web_sys::AbortController> {
        let controller = web_sys::AbortController::new().ok()?;
        *self.probe.borrow_mut() = Some(controller.clone());
        Some(controller)
    }

    pub(crate) fn probe_done(&self) {
        drop(self.probe.borrow_mut().take());
    }

    /// Watches the new connection: `expired` runs once no event arrived for the idle
    /// timeout. Does nothing without an idle timeout.
    pub(crate) fn watch(&self, expired: impl Fn() + 'static) {
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
                expired();
            }
        }));
    }

    /// Stops everything under way: the watchdog, a pending attempt, a probe.
    pub(crate) fn stop(&self) {
        drop(self.watchdog.borrow_mut().take());
        drop(self.pending.borrow_mut().take());
        if let Some(probe) = self.probe.borrow_mut().take() {
            probe.abort();
        }
    }

    /// Stops the watchdog only (the connection it watched is gone).
    pub(crate) fn unwatch(&self) {
        drop(self.watchdog.borrow_mut().take());
    }
}
