//! [`Reconnect`]: the policy that replaces a connection the browser gave up on.
//!
//! The browser reconnects by itself only after a dropped connection. After a non-200
//! status, a wrong `Content-Type` or an aborted response it fails the connection for good,
//! and a fresh `EventSource` cannot send `Last-Event-ID`. With a policy, this crate opens
//! the replacement itself after a backoff, and passes the last event id in the query.
//!
//! The policy here is a pure value: given how many attempts in a row have failed, it
//! answers what to do next ([`Reconnect::next`]), so it is tested natively. Its timers and
//! the status probe are in `recovery.rs`.

use std::time::Duration;

use crate::Error;

/// The longest delay a browser timer can wait: `setTimeout` reads its delay as a signed
/// 32-bit count of milliseconds, and a longer one wraps around to fire at once. Every
/// delay this crate sets (backoff, idle timeout, probe timeout, pause grace) is clamped to
/// it: about 24.8 days.
pub(crate) const MAX_TIMER_DELAY: Duration = Duration::from_millis(i32::MAX as u64);

/// `delay` as a browser timer's milliseconds, clamped to [`MAX_TIMER_DELAY`].
pub(crate) fn timer_millis(delay: Duration) -> u32 {
    let clamped = delay.min(MAX_TIMER_DELAY).as_millis();
    u32::try_from(clamped).unwrap_or(u32::MAX)
}

/// What the policy says after a failure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Next {
    /// Try again after this delay.
    Retry(Duration),
    /// No attempt left: the failure is final.
    GiveUp,
}

/// How the computed backoff is randomised, so that many clients failed by one outage do
/// not all retry at the same instant.
///
/// # Examples
///
/// ```
/// use web_eventsource::{Jitter, Reconnect};
///
/// let policy = Reconnect::default().jitter(Jitter::Equal);
/// # let _ = policy;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Jitter {
    /// No randomness: the delay is exactly the backoff.
    None,
    /// "Full jitter": a uniformly random delay between zero and the backoff.
    #[default]
    Full,
    /// "Equal jitter": half the backoff, plus a random part of up to the other half.
    Equal,
}

/// A reconnect policy: exponential backoff, jitter, a retry limit, resume by last event
/// id, and an optional idle timeout. Given to
/// [`Builder::reconnect`](crate::Builder::reconnect).
///
/// The default: first delay 1 s, factor 2, capped at 30 s, full jitter, unlimited
/// retries, resume with the `lastEventId` query parameter, no idle timeout, a status
/// probe with a 5 s time limit, and a connection counts as healthy after its first
/// event or 60 s open.
///
/// What it does:
///
/// - The browser's own reconnects (after a dropped connection) are left to the browser,
///   which sends `Last-Event-ID` itself. They are reported as errors that will reconnect,
///   with no attempt number.
/// - When the browser fails the connection for good, and the policy will retry, it
///   first asks the server for the status the browser hides (see
///   [`status_probe`](Self::status_probe)): a `204 No Content` is the spec's "stop
///   reconnecting", and ends the source. Anything else counts as a failed attempt: an
///   error is reported with the attempt number and the delay, and after the delay a new
///   `EventSource` replaces the old one, with the last event id seen in the query
///   (`?lastEventId=42`). Listeners and streams carry over.
/// - The attempt count starts again once a connection has proved itself: it delivered an
///   event, or stayed open for [`min_uptime`](Self::min_uptime). A connection that
///   opens and then drops is the transport's own reconnect
///   ([`ErrorKind::Lost`](crate::ErrorKind::Lost)), which is not counted and does not
///   reset the count either, unless it was open for `min_uptime`: a server that
///   accepts, drops at once and then fails the reconnect is given up on after
///   `max_retries` such failures. An idle timeout counts
///   like any other failure. When `max_retries` attempts have failed in a row, a final
///   error is reported at once, the state is `Closed`, and every stream ends.
/// - While waiting, [`ready_state`](crate::EventSource::ready_state) is `Connecting`.
///   [`close`](crate::EventSource::close) cancels a pending attempt.
/// - Browsers' timers wait at most 2<sup>31</sup> − 1 ms (about 24.8 days); every delay
///   and timeout here is clamped to that, so `max_delay(Duration::MAX)` means "no cap".
///
/// A server that supports resume should read the id from the `Last-Event-ID` header
/// first (the browser's newer reconnects send it) and from the query parameter second.
///
/// # Examples
///
/// ```no_run
/// use std::time::Duration;
/// use web_eventsource::{EventSource, Reconnect};
///
/// let es = EventSource::builder("/sse")
///     .reconnect(
///         Reconnect::default()
///             .initial_delay(Duration::from_millis(500))
///             .max_delay(Duration::from_secs(10))
///             .max_retries(Some(8))
///             .idle_timeout(Some(Duration::from_secs(45))),
///     )
///     .open()?;
/// let _errors = es.on_error(|err| {
///     if let (Some(attempt), Some(delay)) = (err.attempt(), err.retry_delay()) {
///         web_sys::console::log_1(&format!("attempt {attempt} failed; next in {delay:?}").into());
///     }
/// });
/// # Ok::<(), web_eventsource::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a Reconnect does nothing until given to Builder::reconnect"]
pub struct Reconnect {
    initial_delay: Duration,
    factor: f64,
    max_delay: Duration,
    jitter: Jitter,
    max_retries: Option<u32>,
    resume_param: Option<String>,
    idle_timeout: Option<Duration>,
    status_probe: Option<Duration>,
    min_uptime: Duration,
}

impl Default for Reconnect {
    fn default() -> Self {
        Self {
            initial_delay: Duration::from_secs(1),
            factor: 2.0,
            max_delay: Duration::from_secs(30),
            jitter: Jitter::Full,
            max_retries: None,
            resume_param: Some(crate::connection::DEFAULT_RESUME_PARAM.to_owned()),
            idle_timeout: None,
            status_probe: Some(Duration::from_secs(5)),
            min_uptime: Duration::from_secs(60),
        }
    }
}

impl Reconnect {
    /// The backoff before the first attempt (default 1 s).
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::time::Duration;
    /// let policy = web_eventsource::Reconnect::default().initial_delay(Duration::from_millis(250));
    /// # let _ = policy;
    /// ```
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// How much the backoff grows with each failed attempt in a row (default 2). Values
    /// below 1 (and NaN) count as 1: the backoff never shrinks.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = web_eventsource::Reconnect::default().factor(1.5);
    /// # let _ = policy;
    /// ```
    pub fn factor(mut self, factor: f64) -> Self {
        self.factor = if factor >= 1.0 { factor } else { 1.0 };
        self
    }

    /// The longest backoff (default 30 s).
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::time::Duration;
    /// let policy = web_eventsource::Reconnect::default().max_delay(Duration::from_secs(60));
    /// # let _ = policy;
    /// ```
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// How the backoff is randomised (default [`Jitter::Full`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use web_eventsource::{Jitter, Reconnect};
    ///
    /// let exact = Reconnect::default().jitter(Jitter::None);
    /// # let _ = exact;
    /// ```
    pub fn jitter(mut self, jitter: Jitter) -> Self {
        self.jitter = jitter;
        self
    }

    /// How many failed attempts in a row to make before giving up; `None` (the default)
    /// never gives up. `Some(0)` reports the first failure as final, like the browser.
    /// The last failure allowed is final at once: the state goes from `Open` (or
    /// `Connecting`) straight to `Closed`, and no status probe is sent.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = web_eventsource::Reconnect::default().max_retries(Some(5));
    /// # let _ = policy;
    /// ```
    pub fn max_retries(mut self, max_retries: Option<u32>) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The query parameter a replacement connection carries the last event id in
    /// (default `lastEventId`); `None` opens replacements at the plain URL. On the native
    /// transport, which sends the browser's `EventSource` no header, such a replacement
    /// starts over: the server chooses where, and
    /// [`EventSource::last_event_id`](crate::EventSource::last_event_id) reads empty until
    /// it sends an id. An empty name
    /// makes [`Builder::open`](crate::Builder::open) return
    /// [`Error::InvalidOption`] (`option: "resume_param"`).
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = web_eventsource::Reconnect::default().resume_param(Some("since"));
    /// let no_resume = web_eventsource::Reconnect::default().resume_param(None);
    /// # let _ = (policy, no_resume);
    /// ```
    pub fn resume_param(mut self, name: Option<&str>) -> Self {
        self.resume_param = name.map(str::to_owned);
        self
    }

    /// Counts a connection that is quiet (and does not open) for this long as dead, and
    /// replaces it (default `None`: never). On the native transport only events
    /// of types something subscribed to are seen (the browser hands the others to no
    /// listener, and hides SSE comments, such as `: ping`), so the server must send
    /// keep-alive events; on fetch any bytes count, keep-alive comments included. A dropped
    /// stream that its transport reconnects by itself (after the stream's `retry:` time)
    /// starts the count afresh: keep the timeout longer than the server's `retry:`.
    /// The replacement sends the request again, for a method other than GET its body too
    /// ([`Builder::method`](crate::Builder::method)): keep the timeout longer than the
    /// server's longest silence, a slow first answer included, or it gets the request
    /// twice.
    ///
    /// A timeout under one millisecond would replace every connection as soon as it is
    /// quiet at all: [`Builder::open`](crate::Builder::open) refuses it with
    /// [`Error::InvalidOption`] (`option: "idle_timeout"`). Use `None` for no timeout.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::time::Duration;
    /// let policy = web_eventsource::Reconnect::default().idle_timeout(Some(Duration::from_secs(45)));
    /// # let _ = policy;
    /// ```
    pub fn idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Before each retry, asks the server once with `fetch` for the status the browser
    /// hides, giving up after `timeout` (default `Some(5 s)`); `None` never asks. (Not
    /// after the last failure [`max_retries`](Self::max_retries) allows: that one is final
    /// at once, whatever the answer.) Native transport only: the fetch transport sees the
    /// status itself and never probes. A timeout under one millisecond would abort each
    /// probe as it starts:
    /// [`Builder::open`](crate::Builder::open) refuses it with [`Error::InvalidOption`]
    /// (`option: "status_probe"`).
    ///
    /// `EventSource` reports a `204 No Content` (the spec's "stop reconnecting") exactly
    /// as it reports a 500. The probe asks the way the browser's reconnect did (same
    /// credentials, `Accept: text/event-stream`, `Last-Event-ID`), reads the status and
    /// aborts the body. A 204 ends the source with
    /// [`ErrorKind::NoContent`](crate::ErrorKind::NoContent); anything else, a network
    /// failure or the time limit included, is retried. The state is `Connecting` while
    /// the probe asks, so a 204 found this way shows as `Connecting`, then `Closed`.
    /// The probe carries `Last-Event-ID` as the browser's own reconnect does, also with
    /// [`resume_param(None)`](Self::resume_param), whose replacements start over.
    ///
    /// What it costs: one more request per failure, two cross-origin (`Last-Event-ID` is
    /// not a safelisted header, so the request is preflighted; a server that does not
    /// allow the header is simply retried). And a server that marks events as delivered
    /// when it sends them loses the events it sends to the probe: turn the probe off for
    /// such a server.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::time::Duration;
    /// use web_eventsource::Reconnect;
    ///
    /// let quick = Reconnect::default().status_probe(Some(Duration::from_secs(2)));
    /// let never = Reconnect::default().status_probe(None);
    /// # let _ = (quick, never);
    /// ```
    pub fn status_probe(mut self, timeout: Option<Duration>) -> Self {
        self.status_probe = timeout;
        self
    }

    /// How long a connection must stay open, without delivering an event, to count as
    /// healthy, so that the next failure is attempt 1 again (default 60 s). A connection
    /// that delivers an event is healthy at once.
    ///
    /// Without this rule a server that accepts, sends nothing and drops, then fails the
    /// reconnect, would reset the count on every open, and `max_retries` would never end
    /// it. A connection the idle timeout replaces is proved too when it was open this long:
    /// a `min_uptime` shorter than the idle timeout keeps a quiet stream from using up
    /// `max_retries`.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::time::Duration;
    /// let policy = web_eventsource::Reconnect::default().min_uptime(Duration::from_secs(10));
    /// # let _ = policy;
    /// ```
    pub fn min_uptime(mut self, uptime: Duration) -> Self {
        self.min_uptime = uptime;
        self
    }

    /// Refuses what would make the policy misbehave: an idle timeout or a status probe
    /// under 1 ms, which a timer rounds to zero, and an empty resume parameter name.
    pub(crate) fn check(&self) -> Result<(), Error> {
        // `?=42`: a pair no server reads as the id, and one that would replace every empty
        // pair (`a=1&&b=2`) the URL has.
        if self.resume_param.as_deref() == Some("") {
            return Err(Error::InvalidOption {
                option: "resume_param",
                message: "must not be empty (use None for no resume parameter)".to_owned(),
            });
        }
        let under_a_millisecond =
            |timeout: Option<Duration>| timeout.is_some_and(|timeout| timer_millis(timeout) == 0);
        if under_a_millisecond(self.idle_timeout_value()) {
            return Err(Error::InvalidOption {
                option: "idle_timeout",
                message: "must be at least 1 ms (use None for no idle timeout)".to_owned(),
            });
        }
        // A probe given no time is aborted as it starts: a wasted request per failure, and
        // a 204 never heard.
        if under_a_millisecond(self.status_probe_value()) {
            return Err(Error::InvalidOption {
                option: "status_probe",
                message: "must be at least 1 ms (use None to never probe)".to_owned(),
            });
        }
        Ok(())
    }

    pub(crate) fn resume_parameter(&self) -> Option<&str> {
        self.resume_param.as_deref()
    }

    /// The idle timeout, clamped to what a browser timer can wait.
    pub(crate) fn idle_timeout_value(&self) -> Option<Duration> {
        self.idle_timeout
            .map(|timeout| timeout.min(MAX_TIMER_DELAY))
    }

    /// The probe's time limit, if the probe is on.
    pub(crate) fn status_probe_value(&self) -> Option<Duration> {
        self.status_probe
            .map(|timeout| timeout.min(MAX_TIMER_DELAY))
    }

    /// Whether a connection open for `uptime` without an event has proved itself.
    pub(crate) fn proved_by_uptime(&self, uptime: Duration) -> bool {
        uptime >= self.min_uptime
    }

    /// Whether failure number `failures` (1 for the first in a row) is final.
    pub(crate) fn gives_up_at(&self, failures: u32) -> bool {
        self.max_retries.is_some_and(|max| failures > max)
    }

    /// What to do after `failures` failed attempts in a row (1 for the first), given
    /// `random` uniform in `[0, 1)` for the jitter.
    pub(crate) fn next(&self, failures: u32, random: f64) -> Next {
        if self.gives_up_at(failures) {
            Next::GiveUp
        } else {
            Next::Retry(self.delay(failures, random))
        }
    }

    /// The delay before attempt `attempt` (1 for the first), given `random` uniform in
    /// `[0, 1)`; never more than [`MAX_TIMER_DELAY`].
    fn delay(&self, attempt: u32, random: f64) -> Duration {
        let exponent = i32::try_from(attempt.saturating_sub(1)).unwrap_or(i32::MAX);
        let max_delay = self.max_delay.min(MAX_TIMER_DELAY);
        let cap = max_delay.as_secs_f64();
        let unbounded = self.initial_delay.as_secs_f64() * self.factor.powi(exponent);
        // 0 × ∞ (a zero initial delay, a growth past f64) is NaN, which `min` would turn
        // into the cap: the backoff is zero.
        let backoff = if unbounded.is_nan() {
            0.0
        } else {
            unbounded.min(cap)
        };
        let random = random.clamp(0.0, 1.0);
        let seconds = match self.jitter {
            Jitter::None => backoff,
            Jitter::Full => backoff * random,
            Jitter::Equal => backoff / 2.0 + backoff / 2.0 * random,
        };
        // `min(cap)` keeps infinity out; NaN cannot arise from finite inputs.
        Duration::try_from_secs_f64(seconds)
            .unwrap_or(max_delay)
            .min(max_delay)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{timer_millis, Jitter, Next, Reconnect, MAX_TIMER_DELAY};

    #[test]
    fn an_idle_timeout_or_a_status_probe_under_a_millisecond_is_refused() {
        type Set = fn(Option<Duration>) -> Reconnect;
        let cases: [(Set, &str); 2] = [
            (
                |timeout| Reconnect::default().idle_timeout(timeout),
                "idle_timeout",
            ),
            (
                |timeout| Reconnect::default().status_probe(timeout),
                "status_probe",
            ),
        ];
        for (set, option) in cases {
            for timeout in [Duration::ZERO, Duration::from_micros(999)] {
                let refused = set(Some(timeout)).check();
                assert!(
                    matches!(
                        refused,
                        Err(crate::Error::InvalidOption { option: named, .. }) if named == option
                    ),
                    "{option} {timeout:?}: {refused:?}"
                );
            }
            for timeout in [None, Some(Duration::from_millis(1))] {
                assert_eq!(set(timeout).check(), Ok(()), "{option} {timeout:?}");
            }
        }
    }

    fn ms(ms: u64) -> Duration {
        Duration::from_millis(ms)
    }

    #[test]
    fn default_is_exponential_from_one_second_capped_at_thirty() {
        let policy = Reconnect::default().jitter(Jitter::None);
        let delays: Vec<_> = (1..=7).map(|attempt| policy.delay(attempt, 0.5)).collect();
        assert_eq!(
            delays,
            [1, 2, 4, 8, 16, 30, 30].map(Duration::from_secs),
            "1 s, doubling, capped at 30 s"
        );
        assert_eq!(policy.delay(u32::MAX, 0.5), Duration::from_secs(30));
    }

    #[test]
    fn full_jitter_spans_zero_to_the_backoff() {
        let policy = Reconnect::default();
        assert_eq!(policy.delay(3, 0.0), Duration::ZERO);
        assert_eq!(policy.delay(3, 0.25), Duration::from_secs(1));
        assert!(policy.delay(3, 0.999_999) < Duration::from_secs(4));
    }

    #[test]
    fn equal_jitter_keeps_half_the_backoff() {
        let policy = Reconnect::default().jitter(Jitter::Equal);
        assert_eq!(policy.delay(3, 0.0), Duration::from_secs(2));
        assert_eq!(policy.delay(3, 0.5), Duration::from_secs(3));
    }

    #[test]
    fn every_part_is_settable() {
        let policy = Reconnect::default()
            .initial_delay(ms(100))
            .factor(3.0)
            .max_delay(ms(1_000))
            .jitter(Jitter::None);
        let delays: Vec<_> = (1..=4).map(|attempt| policy.delay(attempt, 0.9)).collect();
        assert_eq!(delays, [ms(100), ms(300), ms(900), ms(1_000)]);
    }

    #[test]
    fn factor_below_one_does_not_shrink_the_backoff() {
        for factor in [0.5, -2.0, f64::NAN] {
            let policy = Reconnect::default().factor(factor).jitter(Jitter::None);
            assert_eq!(
                policy.delay(5, 0.0),
                Duration::from_secs(1),
                "factor {factor}"
            );
        }
    }

    #[test]
    fn retry_limit_counts_failures_in_a_row() {
        let unlimited = Reconnect::default().jitter(Jitter::None);
        assert_eq!(
            unlimited.next(u32::MAX, 0.5),
            Next::Retry(Duration::from_secs(30))
        );
        let three = Reconnect::default()
            .max_retries(Some(3))
            .jitter(Jitter::None);
        assert_eq!(three.next(1, 0.5), Next::Retry(Duration::from_secs(1)));
        assert_eq!(three.next(3, 0.5), Next::Retry(Duration::from_secs(4)));
        assert_eq!(three.next(4, 0.5), Next::GiveUp);
        assert_eq!(
            Reconnect::default().max_retries(Some(0)).next(1, 0.5),
            Next::GiveUp
        );
    }

    #[test]
    fn every_delay_fits_a_browser_timer() {
        // `max_delay(Duration::MAX)` means "no cap": after enough failures the backoff
        // reaches the longest wait a timer can make, never a wrapped-around one.
        let uncapped = Reconnect::default()
            .max_delay(Duration::MAX)
            .jitter(Jitter::None);
        let delays: Vec<_> = (1..=64)
            .map(|attempt| uncapped.delay(attempt, 0.5))
            .collect();
        assert!(
            delays.windows(2).all(|pair| pair[0] <= pair[1]),
            "{delays:?}"
        );
        assert_eq!(delays[21], Duration::from_secs(1 << 21), "below the limit");
        assert_eq!(delays[63], MAX_TIMER_DELAY);
        let huge_start = Reconnect::default()
            .initial_delay(Duration::from_secs(10_000_000))
            .max_delay(Duration::from_secs(20_000_000))
            .jitter(Jitter::None);
        assert_eq!(huge_start.delay(1, 0.5), MAX_TIMER_DELAY);
        assert_eq!(timer_millis(MAX_TIMER_DELAY), 2_147_483_647);
        assert_eq!(timer_millis(Duration::MAX), 2_147_483_647);
        assert_eq!(timer_millis(Duration::from_millis(1500)), 1500);
    }

    #[test]
    fn timeouts_are_clamped_to_what_a_timer_can_wait() {
        let policy = Reconnect::default()
            .idle_timeout(Some(Duration::from_secs(10_000_000)))
            .status_probe(Some(Duration::MAX));
        assert_eq!(policy.idle_timeout_value(), Some(MAX_TIMER_DELAY));
        assert_eq!(policy.status_probe_value(), Some(MAX_TIMER_DELAY));
        assert_eq!(Reconnect::default().idle_timeout_value(), None);
        assert_eq!(
            Reconnect::default().status_probe_value(),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            Reconnect::default().status_probe(None).status_probe_value(),
            None
        );
    }

    #[test]
    fn uptime_proves_a_connection_only_past_the_minimum() {
        let policy = Reconnect::default().min_uptime(Duration::from_secs(10));
        assert!(!policy.proved_by_uptime(Duration::from_millis(9_999)));
        assert!(policy.proved_by_uptime(Duration::from_secs(10)));
        assert!(!Reconnect::default().proved_by_uptime(Duration::from_secs(59)));
    }

    #[test]
    fn zero_initial_delay_stays_zero_however_many_attempts() {
        let policy = Reconnect::default()
            .initial_delay(Duration::ZERO)
            .jitter(Jitter::None);
        assert_eq!(policy.delay(5_000, 0.5), Duration::ZERO);
        assert_eq!(policy.delay(u32::MAX, 0.5), Duration::ZERO);
    }

    #[test]
    fn out_of_range_random_is_clamped() {
        let policy = Reconnect::default();
        assert_eq!(policy.delay(1, 7.0), Duration::from_secs(1));
        assert_eq!(policy.delay(1, -1.0), Duration::ZERO);
    }

    #[test]
    fn resume_parameter_defaults_to_last_event_id_and_can_be_renamed_or_off() {
        assert_eq!(Reconnect::default().resume_parameter(), Some("lastEventId"));
        assert_eq!(
            Reconnect::default()
                .resume_param(Some("since"))
                .resume_parameter(),
            Some("since")
        );
        assert_eq!(
            Reconnect::default().resume_param(None).resume_parameter(),
            None
        );
    }
}
