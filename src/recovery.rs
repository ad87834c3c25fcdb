//! The [`Reconnect`] policy at work: counts failures, asks the server for its status,
//! keeps the timers (the backoff, the probe's time limit, the idle watchdog) and tells
//! the connection what to do. The policy itself ([`Reconnect::next`]) decides; the
//! connection acts.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::time::Duration;

use gloo_timers::callback::{Interval, Timeout};

use crate::cells;
use crate::connection::{Connection, Recover};
use crate::probe::{self, Answer};
use crate::reconnect::{timer_millis, Next};
use crate::transport::Failure;
use crate::{ConnectionError, Error, ErrorKind, Reconnect};

/// How many watchdog ticks make up one idle timeout: the timeout is detected between
/// 1 and 1.25 times its length, at the cost of a timer tick, not of a clock read on
/// every event.
const WATCHDOG_TICKS: u32 = 4;

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
    /// Failed attempts in a row since a connection last proved itself.
    failures: Cell<u32>,
    /// When the current source opened (`Date.now()`), until it delivers an event.
    opened_at: Cell<Option<f64>>,
    /// The replacement waiting for its backoff to run out.
    pending: RefCell<Option<Timeout>>,
    /// When `pending` fires (`Date.now()`): what a leader's beat tells the other tabs.
    pending_at: Cell<f64>,
    /// While another tab leads a source shared across tabs and its policy waits to retry:
    /// its count, when this tab heard it (`Date.now()`) and the delay, in ms, as its last
    /// error or beat said. A takeover goes on from them ([`Recover::take_over`]); the leader's
    /// open, or an event it passes on, clears them.
    leaders_retry: Cell<Option<(u32, f64, f64)>>,
    /// The status probe in flight, and its time limit.
    probe: RefCell<Option<(web_sys::AbortController, Timeout)>>,
    /// While paused: when the pause came (`Date.now()`), and how much of the backoff was
    /// left then, in ms ([`Recover::pause`]).
    paused_backoff: Cell<Option<(f64, f64)>>,
    watchdog: RefCell<Option<Interval>>,
    /// Events seen (opens and messages), shared with the watchdog's closure.
    activity: Rc<Cell<u64>>,
}

/// A connection and its policy, held weakly by a timer or the probe.
#[derive(Clone)]
struct Handles {
    connection: Weak<Connection>,
    recovery: Weak<Recovery>,
}

impl Handles {
    /// Runs `f` if both are still there and the connection still waits for the policy
    /// (not closed, paused or replaced meanwhile).
    fn with_waiting(&self, f: impl FnOnce(&Rc<Connection>, &Recovery)) {
        if let (Some(connection), Some(recovery)) =
            (self.connection.upgrade(), self.recovery.upgrade())
        {
            if connection.is_waiting() {
                f(&connection, &recovery);
            }
        }
    }
}

impl Recovery {
    fn new(policy: Reconnect, me: Weak<Recovery>) -> Self {
        Self {
            me,
            policy,
            failures: Cell::new(0),
            opened_at: Cell::new(None),
            pending: RefCell::new(None),
            pending_at: Cell::new(0.0),
            leaders_retry: Cell::new(None),
            probe: RefCell::new(None),
            paused_backoff: Cell::new(None),
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

    /// Tells the idle watchdog the connection is not idle: its count starts again.
    fn restart_idle_count(&self) {
        self.activity.set(self.activity.get().wrapping_add(1));
    }

    /// A source that stayed open long enough has proved itself, even without an event.
    fn credit_uptime(&self) {
        if let Some(opened_at) = self.opened_at.take() {
            let uptime_ms = (js_sys::Date::now() - opened_at).max(0.0);
            // `try_`: `from_secs_f64` would bring a panic, and its message's formatting,
            // for an uptime past `u64::MAX` seconds.
            let uptime = Duration::try_from_secs_f64(uptime_ms / 1000.0).unwrap_or(Duration::MAX);
            if self.policy.proved_by_uptime(uptime) {
                self.failures.set(0);
            }
        }
    }

    /// Asks the server whether it wants the client to stop (a 204), within the probe's
    /// time limit, then retries or gives up.
    fn probe_then_decide(
        &self,
        connection: &Rc<Connection>,
        timeout: Duration,
        event: Option<web_sys::Event>,
    ) {
        let Ok(abort) = web_sys::AbortController::new() else {
            self.decide(connection, ErrorKind::Failed, None, event, None);
            return;
        };
        // A server that accepts the request but never answers must not hold the policy:
        // at the limit the probe counts as "not a 204". The limit decides by itself, not
        // through the aborted fetch's rejection: a page's `fetch` wrapper that drops the
        // signal would leave that pending for as long as the server keeps quiet.
        let limit = Timeout::new(timer_millis(timeout), {
            let handles = self.handles(connection);
            let abort = abort.clone();
            let event = event.clone();
            move || {
                abort.abort();
                handles.with_waiting(|connection, recovery| {
                    recovery.probe_answered(connection, &abort, Answer::Other, event);
                });
            }
        });
        *cells::borrow_mut(&self.probe) = Some((abort.clone(), limit));
        let url = connection.resume_url();
        // With the resume point even where the replacement starts over (`resume_param(None)`
        // on the native transport): the request that failed was most often the browser's
        // own reconnect, which sent it, and a server may answer the 204 that ends the
        // stream only to a request that says it has every event.
        let last_event_id = connection.last_event_id();
        let with_credentials = connection.with_credentials();
        let handles = self.handles(connection);
        let probe = abort.clone();
        probe::ask(
            &url,
            &last_event_id,
            with_credentials,
            &abort,
            move |answer| {
                handles.with_waiting(|connection, recovery| {
                    recovery.probe_answered(connection, &probe, answer, event);
                });
            },
        );
    }

    /// The probe that `abort` cancels answered (or ran out of time): decides, unless
    /// another probe has replaced it meanwhile, or it was answered already. A late answer
    /// of an old probe (a wrapper kept it going past a pause, say) must not count a
    /// failure twice, nor end the source with an old 204.
    fn probe_answered(
        &self,
        connection: &Rc<Connection>,
        abort: &web_sys::AbortController,
        answer: Answer,
        event: Option<web_sys::Event>,
    ) {
        let current = {
            let mut probe = cells::borrow_mut(&self.probe);
            match &*probe {
                Some((current, _)) if current == abort => probe.take(),
                _ => None,
            }
        };
        if current.is_none() {
            return;
        }
        // The limit's timer may be the caller: dropped here, it is freed once it returns.
        drop(current);
        match answer {
            Answer::NoContent => {
                connection.fail(ConnectionError::last(ErrorKind::NoContent, None, event));
            }
            Answer::Other => self.decide(connection, ErrorKind::Failed, None, event, None),
        }
    }

    /// No event for the idle timeout: the connection counts as dead.
    fn idle_expired(&self, connection: &Rc<Connection>) {
        if !connection.is_live() {
            return;
        }
        // Nothing to watch until the replacement opens, which starts a new one: ticking on
        // through the backoff, it woke the page for nothing. Its own tick is the caller:
        // dropped here, it is freed once that returns.
        drop(cells::borrow_mut(&self.watchdog).take());
        self.credit_uptime();
        self.step_aside(connection);
        self.decide(connection, ErrorKind::IdleTimeout, None, None, None);
    }

    /// Steps the connection aside for the decision on a failure, announcing
    /// `Connecting` for the wait before a retry; but quietly before the last failure
    /// `max_retries` allows, which is final at once, as the browser's is: there is no
    /// retry to connect to. Whether it is the last. (Called once the uptime is credited,
    /// which may start the count again.)
    fn step_aside(&self, connection: &Connection) -> bool {
        let last = self
            .policy
            .gives_up_at(self.failures.get().saturating_add(1));
        if last {
            connection.stand_down();
        } else {
            connection.step_aside();
        }
        last
    }

    /// Counts the failure and asks the policy: schedules the replacement and reports the
    /// attempt, or ends the connection with a final error. Does nothing once the
    /// connection stopped waiting for it: a state callback may have closed it while it
    /// stepped aside, and a retry timer armed then would outlive the `close()`. The error
    /// carries `cause`, why the request could not be made, as its `request_error()`.
    fn decide(
        &self,
        connection: &Rc<Connection>,
        kind: ErrorKind,
        status: Option<u16>,
        event: Option<web_sys::Event>,
        cause: Option<Rc<Error>>,
    ) {
        if !connection.is_waiting() {
            return;
        }
        let failures = self.failures.get().saturating_add(1);
        self.failures.set(failures);
        match self.policy.next(failures, js_sys::Math::random()) {
            Next::GiveUp => {
                let kind = if failures > 1 {
                    ErrorKind::RetriesExhausted
                } else {
                    kind
                };
                connection.fail(
                    ConnectionError::last(kind, Some(failures), event)
                        .with_status(status)
                        .with_cause(cause),
                );
            }
            Next::Retry(delay) => {
                self.reopen_after(connection, timer_millis(delay));
                connection.report(
                    ConnectionError::retrying(kind, failures, delay, event)
                        .with_status(status)
                        .with_cause(cause),
                );
            }
        }
    }

    /// Replaces the connection's attempt once what is left of a backoff of `delay_ms`,
    /// counted from `since` (`Date.now()`), runs out (`true`); `false` when it has already.
    /// At most the delay: a clock set back meanwhile must not lengthen it.
    fn wait_out(&self, connection: &Rc<Connection>, since: f64, delay_ms: f64) -> bool {
        let left_ms = (delay_ms - (js_sys::Date::now() - since)).min(delay_ms);
        if left_ms < 1.0 {
            return false;
        }
        // Whole milliseconds, below a backoff's `u32` bound.
        self.reopen_after(connection, left_ms as u32);
        true
    }

    /// Replaces the connection's attempt after `ms`, unless it stops waiting meanwhile.
    fn reopen_after(&self, connection: &Rc<Connection>, ms: u32) {
        let handles = self.handles(connection);
        self.pending_at.set(js_sys::Date::now() + f64::from(ms));
        *cells::borrow_mut(&self.pending) = Some(Timeout::new(ms, move || {
            handles.with_waiting(|connection, recovery| {
                // The timer has fired; it cannot be cancelled any more.
                drop(cells::borrow_mut(&recovery.pending).take());
                connection.reopen();
            });
        }));
    }
}

impl Recover for Recovery {
    fn resume_param(&self) -> Option<&str> {
        self.policy.resume_parameter()
    }

    fn reconnect_url(&self, connection: &Connection) -> String {
        connection.resume_url()
    }

    fn attached(&self, connection: &Rc<Connection>) {
        let Some(timeout) = self.policy.idle_timeout_value() else {
            return;
        };
        let handles = self.handles(connection);
        let tick = (timer_millis(timeout) / WATCHDOG_TICKS).max(1);
        // The closure shares the counter, not the `Recovery`: no cycle.
        let activity = self.activity.clone();
        let mut seen = activity.get();
        let mut quiet_ticks = 0;
        *cells::borrow_mut(&self.watchdog) = Some(Interval::new(tick, move || {
            let now = activity.get();
            if now != seen {
                seen = now;
                quiet_ticks = 0;
                return;
            }
            quiet_ticks += 1;
            if quiet_ticks >= WATCHDOG_TICKS {
                quiet_ticks = 0;
                if let (Some(connection), Some(recovery)) =
                    (handles.connection.upgrade(), handles.recovery.upgrade())
                {
                    recovery.idle_expired(&connection);
                }
            }
        }));
    }

    fn opened(&self) {
        self.opened_at.set(Some(js_sys::Date::now()));
        self.restart_idle_count();
    }

    fn saw_bytes(&self) {
        // Not `saw_message`: a stream of keep-alives alone does not reset the failures.
        self.restart_idle_count();
    }

    fn saw_message(&self) {
        // The connection has proved itself: the next failure is the first again. (Also
        // for an event another tab's connection delivered: that tab's policy reset too.)
        self.failures.set(0);
        self.leaders_retry.set(None);
        self.opened_at.set(None);
        self.restart_idle_count();
    }

    fn dropped(&self) {
        // Credited here, not at the next failure: the transport's reconnect may open
        // meanwhile, and restart the clock (an hour's quiet stream, then a blip, then a
        // short-lived reconnect, would not count as proof).
        self.credit_uptime();
        // The idle timeout counts afresh: the quiet before the drop is no reason to
        // replace the transport's reconnect during its wait (the stream's `retry:` time).
        self.restart_idle_count();
    }

    fn failed(&self, connection: &Rc<Connection>, failure: Failure) {
        drop(cells::borrow_mut(&self.watchdog).take());
        self.credit_uptime();
        let last = self.step_aside(connection);
        if !connection.is_waiting() {
            // Closed by a callback while it stepped aside.
            return;
        }
        // The probe asks for the status the browser hides. Fetch sees every status: a
        // probe would only send a request without the source's headers or body, and
        // report an event past the size bound as `Failed`. Not for the last failure: it
        // ends the source whatever the answer, which would only delay the final error
        // (by up to the probe's limit) to name it `NoContent` rather than `Failed` (or
        // `RetriesExhausted`).
        match self.policy.status_probe_value() {
            Some(timeout) if failure.status_hidden && !last => {
                self.probe_then_decide(connection, timeout, failure.event)
            }
            _ => self.decide(
                connection,
                failure.kind,
                failure.status,
                failure.event,
                failure.cause,
            ),
        }
    }

    fn heard(&self, error: &ConnectionError) {
        // A transport's own reconnect (no attempt number) is not the policy's.
        if let (Some(attempt), Some(delay), true) =
            (error.attempt(), error.retry_delay(), error.will_reconnect())
        {
            self.heard_retry(attempt, timer_millis(delay));
        }
    }

    fn heard_retry(&self, count: u32, left_ms: u32) {
        self.leaders_retry
            .set(Some((count, js_sys::Date::now(), f64::from(left_ms))));
    }

    fn pending_retry(&self) -> Option<(u32, u32)> {
        cells::borrow(&self.pending).as_ref()?;
        // Whole milliseconds, at least 1: a retry this late is still one to wait for.
        let left_ms = (self.pending_at.get() - js_sys::Date::now()).max(1.0);
        Some((self.failures.get(), left_ms as u32))
    }

    fn heard_open(&self) {
        // The leader's policy counts on from here until its connection proves itself,
        // which this tab may never hear of (uptime, events of types it does not want):
        // a takeover after an open starts afresh, as before there was any carry-over.
        // So does this tab's own count, left from when it led: that outage is over.
        self.leaders_retry.set(None);
        self.failures.set(0);
    }

    fn take_over(&self, connection: &Rc<Connection>) -> bool {
        let Some((count, heard_at, delay_ms)) = self.leaders_retry.take() else {
            return false;
        };
        self.failures.set(count);
        self.wait_out(connection, heard_at, delay_ms)
    }

    fn pause(&self) {
        let now = js_sys::Date::now();
        let probing = cells::borrow(&self.probe).is_some();
        let left_ms = self.pending_retry().map(|(_, left_ms)| f64::from(left_ms));
        // Counts the failure a probe was deciding on.
        self.halt();
        let left_ms = left_ms.or_else(|| {
            probing.then(|| {
                match self
                    .policy
                    .next(self.failures.get(), js_sys::Math::random())
                {
                    Next::Retry(delay) => f64::from(timer_millis(delay)),
                    // The count ran out: the next failure, at once, is the last.
                    Next::GiveUp => 0.0,
                }
            })
        });
        self.paused_backoff
            .set(left_ms.map(|left_ms| (now, left_ms)));
    }

    fn unpause(&self, connection: &Rc<Connection>) -> bool {
        let Some((paused_at, left_ms)) = self.paused_backoff.take() else {
            return false;
        };
        self.wait_out(connection, paused_at, left_ms)
    }

    fn halt(&self) {
        // The uptime ends here: time paused (or led by another tab) is not time open.
        self.credit_uptime();
        drop(cells::borrow_mut(&self.watchdog).take());
        drop(cells::borrow_mut(&self.pending).take());
        // Taken out of its cell before the abort, which runs page code (a `fetch`
        // wrapper's abort listener) that may close the source, and so halt again.
        if let Some((probe, limit)) = cells::take(&self.probe) {
            // The failure it was to decide on counts (unreported: the source is paused,
            // led by another tab, or closed), as one decided before it would: else each
            // pause that cut a probe short would give the policy one more attempt.
            self.failures.set(self.failures.get().saturating_add(1));
            probe.abort();
            drop(limit);
        }
    }
}
