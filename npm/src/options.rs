//! The `options` of `new EventSource(url, options)`, applied to the core crate's
//! [`Builder`] and [`Reconnect`]. Every time is in milliseconds.
//!
//! `readOptions` (`js/options.js`) checks them first, throwing the `TypeError` that names
//! a bad or unknown option, and lists them in a fixed order; this reads that list. The
//! checks live in JavaScript because compiled to wasm they cost six times their size
//! there: each read, conversion and message crosses the JavaScript boundary, and the
//! messages spell values the way JavaScript does anyway.

use std::time::Duration;

use wasm_bindgen::JsValue;
use web_eventsource::{Builder, Jitter, Reconnect};

use crate::bindings;

// Where each option is in the list `readOptions` returns: keep in step with options.js.
const WITH_CREDENTIALS: u32 = 0;
const RECONNECT: u32 = 1;
const INITIAL_DELAY: u32 = 2;
const FACTOR: u32 = 3;
const MAX_DELAY: u32 = 4;
const JITTER: u32 = 5;
const MAX_RETRIES: u32 = 6;
const RESUME_PARAM: u32 = 7;
const IDLE_TIMEOUT: u32 = 8;
const STATUS_PROBE: u32 = 9;
const MIN_UPTIME: u32 = 10;
const PAUSE_WHEN_HIDDEN: u32 = 11;

/// Applies `options` (an object, `undefined` or `null`) to `builder`.
///
/// # Errors
///
/// A `TypeError` naming the first bad or unknown option; what a getter on `options`
/// throws, as it is.
pub(crate) fn apply(mut builder: Builder, options: &JsValue) -> Result<Builder, JsValue> {
    let checked = bindings::read_options(options)?;
    let option = |index| checked.get(index);
    if let Some(with_credentials) = option(WITH_CREDENTIALS).as_bool() {
        builder = builder.with_credentials(with_credentials);
    }
    if option(RECONNECT).as_bool() == Some(true) {
        builder = builder.reconnect(reconnect(option));
    }
    if let Some(grace) = millis(&option(PAUSE_WHEN_HIDDEN)) {
        builder = builder.pause_when_hidden(grace);
    }
    Ok(builder)
}

/// The policy, from the default with each field given changed; `null` turns off what can
/// be off. Every value was checked by `readOptions`.
fn reconnect(option: impl Fn(u32) -> JsValue) -> Reconnect {
    let mut policy = Reconnect::default();
    if let Some(delay) = millis(&option(INITIAL_DELAY)) {
        policy = policy.initial_delay(delay);
    }
    if let Some(factor) = option(FACTOR).as_f64() {
        policy = policy.factor(factor);
    }
    if let Some(delay) = millis(&option(MAX_DELAY)) {
        policy = policy.max_delay(delay);
    }
    if let Some(jitter) = option(JITTER)
        .as_string()
        .and_then(|name| jitter_named(&name))
    {
        policy = policy.jitter(jitter);
    }
    let max_retries = option(MAX_RETRIES);
    if max_retries.is_null() {
        policy = policy.max_retries(None);
    } else if let Some(max) = max_retries.as_f64() {
        // A whole number from 0 to u32::MAX: `as` is exact.
        policy = policy.max_retries(Some(max as u32));
    }
    let resume_param = option(RESUME_PARAM);
    if resume_param.is_null() {
        policy = policy.resume_param(None);
    } else if let Some(name) = resume_param.as_string() {
        policy = policy.resume_param(Some(&name));
    }
    let idle_timeout = option(IDLE_TIMEOUT);
    if idle_timeout.is_null() {
        policy = policy.idle_timeout(None);
    } else if let Some(timeout) = millis(&idle_timeout) {
        policy = policy.idle_timeout(Some(timeout));
    }
    let status_probe = option(STATUS_PROBE);
    if status_probe.is_null() {
        policy = policy.status_probe(None);
    } else if let Some(timeout) = millis(&status_probe) {
        policy = policy.status_probe(Some(timeout));
    }
    if let Some(uptime) = millis(&option(MIN_UPTIME)) {
        policy = policy.min_uptime(uptime);
    }
    policy
}

/// A checked time in milliseconds, if one was given.
fn millis(value: &JsValue) -> Option<Duration> {
    value.as_f64().and_then(duration)
}

/// `ms` milliseconds as a `Duration`; `None` for a negative number or NaN. `Infinity`
/// means "never": the core clamps every timer to the longest a browser can wait.
fn duration(ms: f64) -> Option<Duration> {
    if ms.is_nan() || ms < 0.0 {
        return None;
    }
    Some(Duration::try_from_secs_f64(ms / 1000.0).unwrap_or(Duration::MAX))
}

/// `jitter`, as JavaScript spells it.
fn jitter_named(name: &str) -> Option<Jitter> {
    match name {
        "none" => Some(Jitter::None),
        "full" => Some(Jitter::Full),
        "equal" => Some(Jitter::Equal),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millis_are_non_negative_and_infinity_is_never() {
        assert_eq!(duration(1500.0), Some(Duration::from_millis(1500)));
        assert_eq!(duration(0.0), Some(Duration::ZERO));
        assert_eq!(duration(0.5), Some(Duration::from_micros(500)));
        assert_eq!(duration(f64::INFINITY), Some(Duration::MAX));
        assert_eq!(duration(1e300), Some(Duration::MAX));
        assert_eq!(duration(-1.0), None);
        assert_eq!(duration(f64::NAN), None);
    }

    #[test]
    fn every_jitter_name_maps() {
        assert_eq!(jitter_named("none"), Some(Jitter::None));
        assert_eq!(jitter_named("full"), Some(Jitter::Full));
        assert_eq!(jitter_named("equal"), Some(Jitter::Equal));
        assert_eq!(jitter_named("Full"), None);
    }
}
