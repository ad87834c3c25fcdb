//! The `options` of `new EventSource(url, options)`, applied to the core crate's
//! [`Builder`] and [`Reconnect`]. Every time is in milliseconds.
//!
//! `readOptions` (`js/options.js`) checks them first, throwing the `TypeError` that names
//! a bad or unknown option, and returns them as an object this reads by name
//! (`CheckedOptions` in `bindings.rs`). The checks live in JavaScript because compiled to
//! wasm they cost six times their size there: each read, conversion and message crosses
//! the JavaScript boundary, and the messages spell values the way JavaScript does anyway.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use wasm_bindgen::JsValue;
use web_eventsource::{Builder, Jitter, Reconnect};

use crate::bindings::{self, CheckedOptions, CheckedReconnect};

/// Where the source's `headers` function is held while it may send a request: the
/// source lets go of it once it is closed (see `Subscriptions`). From wasm, the function
/// is reachable for the JavaScript garbage collector as long as it is held, and it most
/// often refers to its source (it shares a scope with the source's handlers), whose
/// JavaScript object would then never be collected, nor the connection freed.
#[derive(Clone, Default)]
pub(crate) struct HeadersFunction(Rc<RefCell<Option<CheckedOptions>>>);

impl HeadersFunction {
    /// Lets go of the function: no request is sent after the source closes.
    pub(crate) fn release(&self) {
        drop(self.0.take());
    }

    /// The function's headers for the next request (none once released). No borrow is
    /// held while it runs: it may close the source, which releases it.
    #[cfg(feature = "fetch")]
    fn headers(&self) -> Vec<(String, String)> {
        let options = self.0.borrow().clone();
        options.map_or_else(Vec::new, |options| pairs(options.headers_with()))
    }

    /// What the function threw (or its bad result's `TypeError`) at the latest request,
    /// which that request's failure carries as its `cause`; `None` when it gave headers,
    /// when there is no function, and once released.
    pub(crate) fn failure(&self) -> Option<JsValue> {
        let failure = self.0.borrow().as_ref()?.failure();
        (!failure.is_undefined()).then_some(failure)
    }
}

/// Applies `options` (an object, `undefined` or `null`) to `builder`; returns the
/// checked options too, for their `opened()` once the source is open, and where the
/// source holds a `headers` function.
///
/// # Errors
///
/// A `TypeError` naming the first bad or unknown option; what a getter on `options`
/// throws, as it is.
pub(crate) fn apply(
    mut builder: Builder,
    options: &JsValue,
) -> Result<(Builder, CheckedOptions, HeadersFunction), JsValue> {
    let options = bindings::read_options(options)?;
    let headers = HeadersFunction::default();
    if let Some(with_credentials) = options.with_credentials() {
        builder = builder.with_credentials(with_credentials);
    }
    if let Some(policy) = options.reconnect() {
        builder = builder.reconnect(reconnect(&policy));
    }
    if let Some(grace) = options.pause_when_hidden().and_then(duration) {
        builder = builder.pause_when_hidden(grace);
    }
    if let Some(share) = options.share_across_tabs() {
        builder = builder.share_across_tabs(share);
    }
    if options.fetch() {
        builder = fetch(builder, &options, &headers)?;
    }
    Ok((builder, options, headers))
}

/// The fetch transport, with its options. Only `apply` calls this, and only when the
/// fetch transport is chosen.
///
/// `headers` reaches the core as fixed headers when it is an object, so that a source
/// shared across tabs compares them (two tabs with different tokens must not share a
/// stream), and as a function called before every request when it is one. The core
/// checks them at the first request, in `open()`, either way.
#[cfg(feature = "fetch")]
fn fetch(
    builder: Builder,
    options: &CheckedOptions,
    function: &HeadersFunction,
) -> Result<Builder, JsValue> {
    let mut builder = builder.transport(web_eventsource::Transport::Fetch);
    match options.fixed_headers() {
        Some(list) => {
            for (name, value) in pairs(list) {
                builder = builder.header(name, value);
            }
        }
        None => {
            *function.0.borrow_mut() = Some(options.clone());
            let function = function.clone();
            builder = builder.headers_with(move || function.headers());
        }
    }
    if let Some(method) = options.method() {
        builder = builder.method(&method);
    }
    if let Some(body) = options.body() {
        builder = builder.body(body);
    }
    if let Some(bytes) = options.max_event_size() {
        builder = builder.max_event_size(bytes as usize);
    }
    Ok(builder)
}

/// Without the `fetch` feature, which only `scripts/bench` turns off (to measure what the
/// fetch transport adds to the package), choosing it is a `TypeError`.
#[cfg(not(feature = "fetch"))]
fn fetch(
    _builder: Builder,
    _options: &CheckedOptions,
    _function: &HeadersFunction,
) -> Result<Builder, JsValue> {
    Err(js_sys::TypeError::new(
        "EventSource: this build has no fetch transport, which the options choose",
    )
    .into())
}

/// `[name, value, name, value, ...]` (strings, as `readOptions` checked) as pairs. Read
/// element by element: taken as a `Vec<String>`, the list linked wasm-bindgen's
/// conversion of a whole array, 0.9 KB gzipped more in the package.
#[cfg(feature = "fetch")]
fn pairs(list: js_sys::Array) -> Vec<(String, String)> {
    let text = |index: u32| list.get(index).as_string().unwrap_or_default();
    let mut pairs = Vec::new();
    let mut index = 0;
    while index + 1 < list.length() {
        pairs.push((text(index), text(index + 1)));
        index += 2;
    }
    pairs
}

/// The policy, from the default with each field given changed; `null` turns off what can
/// be off. Every value was checked by `readOptions`.
fn reconnect(options: &CheckedReconnect) -> Reconnect {
    let mut policy = Reconnect::default();
    if let Some(delay) = options.initial_delay().and_then(duration) {
        policy = policy.initial_delay(delay);
    }
    if let Some(factor) = options.factor() {
        policy = policy.factor(factor);
    }
    if let Some(delay) = options.max_delay().and_then(duration) {
        policy = policy.max_delay(delay);
    }
    if let Some(jitter) = options.jitter().and_then(|name| jitter_named(&name)) {
        policy = policy.jitter(jitter);
    }
    // A whole number from 0 to u32::MAX: `as` is exact.
    if let Some(max) = nullable(&options.max_retries(), JsValue::as_f64) {
        policy = policy.max_retries(max.map(|max| max as u32));
    }
    if let Some(name) = nullable(&options.resume_param(), JsValue::as_string) {
        policy = policy.resume_param(name.as_deref());
    }
    if let Some(timeout) = nullable(&options.idle_timeout(), millis) {
        policy = policy.idle_timeout(timeout);
    }
    if let Some(timeout) = nullable(&options.status_probe(), millis) {
        policy = policy.status_probe(timeout);
    }
    if let Some(uptime) = options.min_uptime().and_then(duration) {
        policy = policy.min_uptime(uptime);
    }
    policy
}

/// An option that `null` turns off: `None` when left out (keep the default),
/// `Some(None)` for `null`, `Some(Some(value))` for a value `read` takes.
fn nullable<T>(value: &JsValue, read: impl FnOnce(&JsValue) -> Option<T>) -> Option<Option<T>> {
    if value.is_null() {
        Some(None)
    } else {
        read(value).map(Some)
    }
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
