//! The `options` of `new EventSource(url, options)`, read field by field into the core
//! crate's [`Builder`] and [`Reconnect`]. Every time is in milliseconds. A bad option is a
//! `TypeError` whose message names it (`reconnect.initialDelay`), an unknown one too: a
//! misspelt option silently doing nothing is the bug this prevents.
//!
//! Each field is read by hand with `Reflect.get` and checked here, not through serde:
//! serde-wasm-bindgen's error messages format floats and quote strings with Rust's
//! formatting machinery, which linked a float printer and Unicode tables (about a third
//! of the package's gzipped wasm) for text that only a mistaken option ever shows. The
//! messages here are joined from pieces, and JavaScript spells the values in them
//! (`String(value)`, `JSON.stringify`), as a JavaScript user would write them. A field
//! left out (or `undefined`) takes the default, while `null` means "off".

use std::time::Duration;

use wasm_bindgen::{JsCast, JsValue};
use web_eventsource::{Builder, Jitter, Reconnect};

use crate::bindings;

const OPTIONS: &[&str] = &["withCredentials", "reconnect", "pauseWhenHidden"];

const RECONNECT: &[&str] = &[
    "initialDelay",
    "factor",
    "maxDelay",
    "jitter",
    "maxRetries",
    "resumeParam",
    "idleTimeout",
    "statusProbe",
    "minUptime",
];

/// Applies `options` (an object, `undefined` or `null`) to `builder`.
///
/// # Errors
///
/// A `TypeError` naming the first bad or unknown option; what a getter on `options`
/// throws, as it is.
pub(crate) fn apply(mut builder: Builder, options: &JsValue) -> Result<Builder, JsValue> {
    let Some(options) = Fields::of(options, "", OPTIONS)? else {
        return Ok(builder);
    };
    if let Setting::Value(with_credentials) = options.get("withCredentials", boolean)? {
        builder = builder.with_credentials(with_credentials);
    }
    if let Some(policy) = reconnect(&options.raw("reconnect")?)? {
        builder = builder.reconnect(policy);
    }
    if let Setting::Value(grace) = options.get("pauseWhenHidden", millis)? {
        builder = builder.pause_when_hidden(grace);
    }
    Ok(builder)
}

/// `reconnect`: `true` for the default policy, an object to tune it, or `false`, `null`
/// or left out for none.
fn reconnect(value: &JsValue) -> Result<Option<Reconnect>, JsValue> {
    if let Some(on) = value.as_bool() {
        return Ok(on.then(Reconnect::default));
    }
    let Some(fields) = Fields::of(value, "reconnect.", RECONNECT)? else {
        return Ok(None);
    };
    let mut policy = Reconnect::default();
    if let Setting::Value(delay) = fields.get("initialDelay", millis)? {
        policy = policy.initial_delay(delay);
    }
    if let Setting::Value(factor) = fields.get("factor", factor)? {
        policy = policy.factor(factor);
    }
    if let Setting::Value(delay) = fields.get("maxDelay", millis)? {
        policy = policy.max_delay(delay);
    }
    if let Setting::Value(jitter) = fields.get("jitter", jitter)? {
        policy = policy.jitter(jitter);
    }
    match fields.get("maxRetries", count)? {
        Setting::Absent => {}
        Setting::Null => policy = policy.max_retries(None),
        Setting::Value(max) => policy = policy.max_retries(Some(max)),
    }
    match fields.get("resumeParam", param_name)? {
        Setting::Absent => {}
        Setting::Null => policy = policy.resume_param(None),
        Setting::Value(name) => policy = policy.resume_param(Some(&name)),
    }
    match fields.get("idleTimeout", millis)? {
        Setting::Absent => {}
        Setting::Null => policy = policy.idle_timeout(None),
        Setting::Value(timeout) => policy = policy.idle_timeout(Some(timeout)),
    }
    match fields.get("statusProbe", millis)? {
        Setting::Absent => {}
        Setting::Null => policy = policy.status_probe(None),
        Setting::Value(timeout) => policy = policy.status_probe(Some(timeout)),
    }
    if let Setting::Value(uptime) = fields.get("minUptime", millis)? {
        policy = policy.min_uptime(uptime);
    }
    Ok(Some(policy))
}

/// One option as given: left out (or `undefined`), `null`, or a value.
enum Setting<T> {
    Absent,
    Null,
    Value(T),
}

/// Why a reader refused a value: its type, or the value itself; and what it expected.
struct Refused {
    wrong_type: bool,
    expected: &'static str,
}

impl Refused {
    fn wrong_type(expected: &'static str) -> Self {
        Self {
            wrong_type: true,
            expected,
        }
    }

    fn wrong_value(expected: &'static str) -> Self {
        Self {
            wrong_type: false,
            expected,
        }
    }
}

/// Reads one option's value (neither `undefined` nor `null`).
type Reader<T> = fn(&JsValue) -> Result<T, Refused>;

/// An options object whose every key is known.
struct Fields {
    object: js_sys::Object,
    /// `""` for the top level, `"reconnect."` inside `reconnect`.
    prefix: &'static str,
}

impl Fields {
    /// `value` as an options object; `None` for `undefined` and `null`.
    fn of(value: &JsValue, prefix: &'static str, known: &[&str]) -> Result<Option<Self>, JsValue> {
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        let Some(object) = value
            .dyn_ref::<js_sys::Object>()
            .filter(|_| value.is_object())
        else {
            let what = if prefix.is_empty() {
                "EventSource options: expected an object, got "
            } else {
                "EventSource reconnect: expected true, false or an object, got "
            };
            return Err(type_error(&[what, &describe(value)]));
        };
        for key in js_sys::Object::keys(object) {
            let key = key.as_string().unwrap_or_default();
            // An unknown key set to `undefined` is as good as left out, like a known one.
            let unknown = !known.contains(&key.as_str())
                && !js_sys::Reflect::get(object, &JsValue::from_str(&key))?.is_undefined();
            if unknown {
                let mut message = vec!["unknown EventSource option \"", prefix, &key];
                message.push("\" (known: ");
                for (index, name) in known.iter().enumerate() {
                    message.push(if index == 0 { "" } else { ", " });
                    message.push(name);
                }
                message.push(")");
                return Err(type_error(&message));
            }
        }
        Ok(Some(Self {
            object: object.clone(),
            prefix,
        }))
    }

    /// The value of `name`, as it is.
    fn raw(&self, name: &str) -> Result<JsValue, JsValue> {
        js_sys::Reflect::get(&self.object, &JsValue::from_str(name))
    }

    /// The value of `name`, checked by `read`.
    fn get<T>(&self, name: &str, read: Reader<T>) -> Result<Setting<T>, JsValue> {
        let value = self.raw(name)?;
        if value.is_undefined() {
            return Ok(Setting::Absent);
        }
        if value.is_null() {
            return Ok(Setting::Null);
        }
        read(&value)
            .map(Setting::Value)
            .map_err(|refused| self.refuse(name, &value, &refused))
    }

    /// The `TypeError` for option `name`, refused with `value`: `EventSource option
    /// "reconnect.initialDelay": invalid value: number -5, expected a non-negative
    /// number of milliseconds`.
    fn refuse(&self, name: &str, value: &JsValue, refused: &Refused) -> JsValue {
        let invalid = if refused.wrong_type {
            "\": invalid type: "
        } else {
            "\": invalid value: "
        };
        type_error(&[
            "EventSource option \"",
            self.prefix,
            name,
            invalid,
            &spelt(value),
            ", expected ",
            refused.expected,
        ])
    }
}

/// A `TypeError` whose message is `parts` joined.
fn type_error(parts: &[&str]) -> JsValue {
    js_sys::TypeError::new(&parts.concat()).into()
}

/// `typeof value`, or `null`, for error messages.
fn describe(value: &JsValue) -> String {
    if value.is_null() {
        "null".to_owned()
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}

/// A refused value as an error message shows it: `number -5`, `string "1s"`, `boolean
/// true`, or its type alone for anything else.
fn spelt(value: &JsValue) -> String {
    let kind = describe(value);
    let text = if value.is_string() {
        js_sys::JSON::stringify(value).map(String::from)
    } else if value.as_f64().is_some() || value.as_bool().is_some() {
        bindings::to_js_string(value)
    } else {
        return kind;
    };
    [&kind, " ", &text.unwrap_or_default()].concat()
}

const MILLIS: &str = "a non-negative number of milliseconds";

fn boolean(value: &JsValue) -> Result<bool, Refused> {
    value.as_bool().ok_or(Refused::wrong_type("a boolean"))
}

/// A time in milliseconds: a non-negative number. `Infinity` means "never" (the core
/// clamps every timer to the longest a browser can wait).
fn millis(value: &JsValue) -> Result<Duration, Refused> {
    let ms = value.as_f64().ok_or(Refused::wrong_type(MILLIS))?;
    duration(ms).ok_or(Refused::wrong_value(MILLIS))
}

/// `ms` milliseconds as a `Duration`; `None` for a negative number or NaN.
fn duration(ms: f64) -> Option<Duration> {
    if ms.is_nan() || ms < 0.0 {
        return None;
    }
    Some(Duration::try_from_secs_f64(ms / 1000.0).unwrap_or(Duration::MAX))
}

/// The backoff factor: a number, at least 1.
fn factor(value: &JsValue) -> Result<f64, Refused> {
    const AT_LEAST_1: &str = "a number at least 1";
    let factor = value.as_f64().ok_or(Refused::wrong_type(AT_LEAST_1))?;
    if factor >= 1.0 {
        Ok(factor)
    } else {
        Err(Refused::wrong_value(AT_LEAST_1))
    }
}

/// `maxRetries`: a whole number that fits a `u32`.
fn count(value: &JsValue) -> Result<u32, Refused> {
    const COUNT: &str = "a whole number from 0 to 4294967295";
    let count = value.as_f64().ok_or(Refused::wrong_type(COUNT))?;
    whole_u32(count).ok_or(Refused::wrong_value(COUNT))
}

/// `n` as a `u32`, if it is one exactly.
fn whole_u32(n: f64) -> Option<u32> {
    // `as` saturates (NaN gives 0): converting back tells whether nothing was lost.
    let whole = n as u32;
    (f64::from(whole) == n).then_some(whole)
}

/// The name of the resume query parameter: a non-empty string.
fn param_name(value: &JsValue) -> Result<String, Refused> {
    const NAME: &str = "a non-empty parameter name (null turns resuming off)";
    let name = value.as_string().ok_or(Refused::wrong_type(NAME))?;
    if name.is_empty() {
        Err(Refused::wrong_value(NAME))
    } else {
        Ok(name)
    }
}

/// `jitter`, as JavaScript spells it.
fn jitter(value: &JsValue) -> Result<Jitter, Refused> {
    const NAMES: &str = "\"none\", \"full\" or \"equal\"";
    let name = value.as_string().ok_or(Refused::wrong_type(NAMES))?;
    jitter_named(&name).ok_or(Refused::wrong_value(NAMES))
}

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
        assert_eq!(jitter_named(""), None);
    }

    #[test]
    fn retries_are_whole_numbers_that_fit_a_u32() {
        assert_eq!(whole_u32(0.0), Some(0));
        assert_eq!(whole_u32(3.0), Some(3));
        assert_eq!(whole_u32(4_294_967_295.0), Some(u32::MAX));
        assert_eq!(whole_u32(4_294_967_296.0), None);
        assert_eq!(whole_u32(2.5), None);
        assert_eq!(whole_u32(-1.0), None);
        assert_eq!(whole_u32(-0.0), Some(0));
        assert_eq!(whole_u32(f64::NAN), None);
        assert_eq!(whole_u32(f64::INFINITY), None);
    }
}
