//! The `options` of `new EventSource(url, options)`, read with serde-wasm-bindgen into the
//! core crate's [`Builder`] and [`Reconnect`]. Every time is in milliseconds. A bad option
//! is a `TypeError` whose message names it (`reconnect.initialDelay`), an unknown one too:
//! a misspelt option silently doing nothing is the bug this prevents.
//!
//! Each field is read on its own, rather than the whole object through one derived
//! struct, because serde-wasm-bindgen reads a struct by asking for its known fields (so
//! it cannot see unknown ones) and reads `undefined` and `null` alike, while here they
//! differ: left out (or `undefined`) is the default, `null` is "off".

use std::fmt;
use std::time::Duration;

use serde::de::{self, DeserializeOwned, Deserializer, Unexpected, Visitor};
use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};
use web_eventsource::{Builder, Jitter, Reconnect};

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
    if let Setting::Value(with_credentials) = options.get::<bool>("withCredentials")? {
        builder = builder.with_credentials(with_credentials);
    }
    if let Some(policy) = reconnect(&options.raw("reconnect")?)? {
        builder = builder.reconnect(policy);
    }
    if let Setting::Value(Millis(grace)) = options.get("pauseWhenHidden")? {
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
    if let Setting::Value(Millis(delay)) = fields.get("initialDelay")? {
        policy = policy.initial_delay(delay);
    }
    if let Setting::Value(Factor(factor)) = fields.get("factor")? {
        policy = policy.factor(factor);
    }
    if let Setting::Value(Millis(delay)) = fields.get("maxDelay")? {
        policy = policy.max_delay(delay);
    }
    if let Setting::Value(jitter) = fields.get::<JitterName>("jitter")? {
        policy = policy.jitter(jitter.into());
    }
    match fields.get::<u32>("maxRetries")? {
        Setting::Absent => {}
        Setting::Null => policy = policy.max_retries(None),
        Setting::Value(max) => policy = policy.max_retries(Some(max)),
    }
    match fields.get::<ParamName>("resumeParam")? {
        Setting::Absent => {}
        Setting::Null => policy = policy.resume_param(None),
        Setting::Value(ParamName(name)) => policy = policy.resume_param(Some(&name)),
    }
    match fields.get("idleTimeout")? {
        Setting::Absent => {}
        Setting::Null => policy = policy.idle_timeout(None),
        Setting::Value(Millis(timeout)) => policy = policy.idle_timeout(Some(timeout)),
    }
    match fields.get("statusProbe")? {
        Setting::Absent => {}
        Setting::Null => policy = policy.status_probe(None),
        Setting::Value(Millis(timeout)) => policy = policy.status_probe(Some(timeout)),
    }
    if let Setting::Value(Millis(uptime)) = fields.get("minUptime")? {
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
                "options"
            } else {
                "reconnect"
            };
            let expected = if prefix.is_empty() {
                "an object"
            } else {
                "true, false or an object"
            };
            return Err(type_error(&format!(
                "EventSource {what}: expected {expected}, got {}",
                describe(value)
            )));
        };
        for key in js_sys::Object::keys(object) {
            let key = key.as_string().unwrap_or_default();
            // An unknown key set to `undefined` is as good as left out, like a known one.
            let unknown = !known.contains(&key.as_str())
                && !js_sys::Reflect::get(object, &JsValue::from_str(&key))?.is_undefined();
            if unknown {
                return Err(type_error(&format!(
                    "unknown EventSource option \"{prefix}{key}\" (known: {})",
                    known.join(", ")
                )));
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

    /// The value of `name`, read into `T`.
    fn get<T: DeserializeOwned>(&self, name: &str) -> Result<Setting<T>, JsValue> {
        let value = self.raw(name)?;
        if value.is_undefined() {
            return Ok(Setting::Absent);
        }
        if value.is_null() {
            return Ok(Setting::Null);
        }
        serde_wasm_bindgen::from_value(value)
            .map(Setting::Value)
            .map_err(|err| {
                let message = err.to_string();
                let message = message.strip_prefix("Error: ").unwrap_or(&message);
                type_error(&format!(
                    "EventSource option \"{}{name}\": {message}",
                    self.prefix
                ))
            })
    }
}

fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

/// `typeof value`, or `null`, for error messages.
fn describe(value: &JsValue) -> String {
    if value.is_null() {
        "null".to_owned()
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}

/// A time in milliseconds: a non-negative number. `Infinity` means "never" (the core
/// clamps every timer to the longest a browser can wait).
struct Millis(Duration);

impl<'de> Deserialize<'de> for Millis {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MillisVisitor;
        impl Visitor<'_> for MillisVisitor {
            type Value = Millis;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a non-negative number of milliseconds")
            }
            fn visit_f64<E: de::Error>(self, ms: f64) -> Result<Millis, E> {
                millis(ms)
                    .map(Millis)
                    .ok_or_else(|| E::invalid_value(Unexpected::Float(ms), &self))
            }
        }
        deserializer.deserialize_f64(MillisVisitor)
    }
}

/// `ms` milliseconds as a `Duration`; `None` for a negative number or NaN.
fn millis(ms: f64) -> Option<Duration> {
    if ms.is_nan() || ms < 0.0 {
        return None;
    }
    Some(Duration::try_from_secs_f64(ms / 1000.0).unwrap_or(Duration::MAX))
}

/// The backoff factor: a number, at least 1.
struct Factor(f64);

impl<'de> Deserialize<'de> for Factor {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let factor = f64::deserialize(deserializer)?;
        if factor >= 1.0 {
            Ok(Self(factor))
        } else {
            Err(de::Error::invalid_value(
                Unexpected::Float(factor),
                &"a number at least 1",
            ))
        }
    }
}

/// The name of the resume query parameter: a non-empty string.
struct ParamName(String);

impl<'de> Deserialize<'de> for ParamName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        if name.is_empty() {
            Err(de::Error::invalid_value(
                Unexpected::Str(&name),
                &"a non-empty parameter name (null turns resuming off)",
            ))
        } else {
            Ok(Self(name))
        }
    }
}

/// `jitter`, as JavaScript spells it.
#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum JitterName {
    None,
    Full,
    Equal,
}

impl From<JitterName> for Jitter {
    fn from(name: JitterName) -> Self {
        match name {
            JitterName::None => Jitter::None,
            JitterName::Full => Jitter::Full,
            JitterName::Equal => Jitter::Equal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millis_are_non_negative_and_infinity_is_never() {
        assert_eq!(millis(1500.0), Some(Duration::from_millis(1500)));
        assert_eq!(millis(0.0), Some(Duration::ZERO));
        assert_eq!(millis(0.5), Some(Duration::from_micros(500)));
        assert_eq!(millis(f64::INFINITY), Some(Duration::MAX));
        assert_eq!(millis(1e300), Some(Duration::MAX));
        assert_eq!(millis(-1.0), None);
        assert_eq!(millis(f64::NAN), None);
    }

    #[test]
    fn every_jitter_name_maps() {
        assert_eq!(Jitter::from(JitterName::None), Jitter::None);
        assert_eq!(Jitter::from(JitterName::Full), Jitter::Full);
        assert_eq!(Jitter::from(JitterName::Equal), Jitter::Equal);
    }
}
