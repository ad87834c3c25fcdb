//! The name of a shared stream: its lock's and its channel's. Sources share one
//! connection when they ask for the same thing: the same resolved URL, credentials,
//! transport and headers (only a GET is shared: `share::start`). The origin needs no
//! place in it: locks and channels are per origin already. A `headers_with` function
//! cannot be compared: sources that have one share only with sources that have one too
//! (a source that sends a token must not get the answer to one that sends none), and the
//! leader's function is used.
//!
//! The parts are JSON-encoded (by the browser's `JSON.stringify`) so that no two
//! requests make the same name.

use js_sys::Array;
use wasm_bindgen::JsValue;

use crate::first_request::resolve;
use crate::transport::fetch::FetchOptions;
use crate::transport::Transport;

/// The protocol's version: tabs running another version of this crate do not meet.
const PREFIX: &str = "web-eventsource share 2 ";

/// The stream's name, or `None` when the URL does not resolve (the transport then
/// reports it as a private source would).
pub(crate) fn name(
    url: &str,
    with_credentials: bool,
    transport: Transport,
    fetch: &FetchOptions,
) -> Option<String> {
    let parts = Array::new();
    parts.push(&resolve(url)?.into());
    parts.push(&with_credentials.into());
    match transport {
        Transport::Native => {
            parts.push(&"native".into());
        }
        Transport::Fetch => {
            parts.push(&"fetch".into());
            let headers: Array = fetch
                .headers
                .iter()
                .map(|(name, value)| {
                    JsValue::from(Array::of2(&name.to_ascii_lowercase().into(), &value.into()))
                })
                .collect();
            parts.push(&headers);
            parts.push(&fetch.headers_with.is_some().into());
        }
    }
    let encoded = js_sys::JSON::stringify(&parts).ok()?.as_string()?;
    let mut name = String::from(PREFIX);
    name.push_str(&encoded);
    Some(name)
}
