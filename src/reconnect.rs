//! [`Reconnect`]: the policy that replaces a connection the browser gave up on.
//!
//! The browser reconnects by itself only after a dropped connection. After a non-200
//! status, a wrong `Content-Type` or an aborted response it fails the connection for good,
//! and a fresh `EventSource` cannot send `Last-Event-ID`. With a policy, this crate opens
//! the replacement itself after a backoff, and passes the last event id in the query.
//!
//! The delay arithmetic here is pure, so it is tested natively.

use std::time::Duration;

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
/// retries, resume with the `lastEventId` query parameter, no idle timeout.
///
/// What it does:
///
/// - The browser's own reconnects (after a dropped connection) are left to the browser,
///   which sends `Last-Event-ID` itself. They are reported as errors that will reconnect,
///   with no attempt number.
/// - When the browser fails the connection for good, the policy first asks the server
///   once more with `fetch` (with `Last-Event-ID`, as the browser's reconnect did) to
///   learn the status the browser hides: a `204 No Content` is the spec's "stop
///   reconnecting", and ends the source. Cross-origin, that request is preflighted: the
///   server must allow the `Last-Event-ID` header, or a 204 is not recognised and the
///   policy keeps retrying. Anything else counts as a
///   failed attempt: an error is reported with the attempt number and the delay, and
///   after the delay a new `EventSource` replaces the old one, with the last event id
///   seen in the query (`?lastEventId=42`). Listeners and streams carry over.
/// - The attempt count resets when a connection opens. When `max_retries` attempts have
///   failed in a row, a final error is reported and every stream ends.
/// - While waiting, [`ready_state`](crate::EventSource::ready_state) is `Connecting`.
///   [`close`](crate::EventSource::close) cancels a pending attempt.
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
///         eprintln!("attempt {attempt} failed; next in {delay:?}");
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
}

impl Default for Reconnect {
    fn default() -> Self {
        Self {
            initial_delay: Duration::from_secs(1),
            factor: 2.0,
            max_delay: Duration::from_secs(30),
            jitter: Jitter::Full,
            max_retries: None,
            resume_param: Some("lastEventId".to_owned()),
            idle_timeout: None,
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
    /// (default `lastEventId`); `None` opens replacements at the plain URL.
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

    /// Counts a connection that delivers no event (and does not open) for this long as
    /// dead, and replaces it (default `None`: never). For servers that send keep-alive
    /// events; SSE comments (`: ping`) are invisible to the page and do not count.
    /// Only events of types something subscribed to are seen.
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

    pub(crate) fn resume_parameter(&self) -> Option<&str> {
        self.resume_param.as_deref()
    }

    pub(crate) fn idle_timeout_value(&self) -> Option<Duration> {
        self.idle_timeout
    }

    /// Whether another attempt may follow `failures` failed attempts in a row.
    pub(crate) fn allows_attempt(&self, failures: u32) -> bool {
        self.max_retries.map_or(true, |max| failures <= max)
    }

    /// The delay before attempt `attempt` (1 for the first), given `random` uniform in
    /// `[0, 1)`.
    pub(crate) fn delay(&self, attempt: u32, random: f64) -> Duration {
        let exponent = i32::try_from(attempt.saturating_sub(1)).unwrap_or(i32::MAX);
        let cap = self.max_delay.as_secs_f64();
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
        Duration::try_from_secs_f64(seconds).unwrap_or(self.max_delay)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{Jitter, Reconnect};

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
        let unlimited = Reconnect::default();
        assert!(unlimited.allows_attempt(u32::MAX));
        let three = Reconnect::default().max_retries(Some(3));
        assert!(three.allows_attempt(1) && three.allows_attempt(3));
        assert!(!three.allows_attempt(4));
        assert!(!Reconnect::default().max_retries(Some(0)).allows_attempt(1));
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
