//! The name of a shared stream: its lock's and its channel's. Sources share one
//! connection when they ask for the same thing: the same resolved URL, credentials,
//! transport and headers (only a GET is shared: `share::start`). The origin needs no
//! place in it: locks and channels are per origin already. A `headers_with` function
//! cannot be compared: sources that have one share only with sources that have one too
//! (a source that sends a token must not get the answer to one that sends none), and the
//! leader's function is used.
//!
//! The parts are JSON-encoded (by the browser's `JSON.stringify`) so that no two
//! requests make the same name. The URL is without its fragment, which the server never
//! sees, and the headers are in the order of their names, which the server may not see
//! either: two tabs that ask for one request in different spellings share it.
//!
//! The header values are part of the name, as they are: a name the origin's scripts can
//! read (`navigator.locks.query()`), as they can the values themselves. A hash of them
//! would be cheaper to show, but one that two tokens could share would give one token's
//! tab the answer to the other.

use js_sys::Array;
use wasm_bindgen::JsValue;

use crate::first_request::resolve;
use crate::transport::fetch::FetchOptions;
use crate::transport::Transport;

/// The protocol's version: tabs running another version of this crate do not meet.
const PREFIX: &str = "web-eventsource share 3 ";

/// The stream's name, or `None` when the URL does not resolve (the transport then
/// reports it as a private source would).
pub(crate) fn name(
    url: &str,
    with_credentials: bool,
    transport: Transport,
    fetch: &FetchOptions,
) -> Option<String> {
    let parts = Array::new();
    // The fragment never reaches the server: `/sse` and `/sse#top` are one request.
    let resolved = resolve(url)?;
    let request_url = resolved.split('#').next().unwrap_or_default();
    parts.push(&request_url.into());
    parts.push(&with_credentials.into());
    match transport {
        Transport::Native => {
            parts.push(&"native".into());
        }
        Transport::Fetch => {
            parts.push(&"fetch".into());
            // Names in any case and in any order make the same request; the values of one
            // name keep their order, which is theirs to say.
            let mut named: Vec<(String, &str)> = fetch
                .headers
                .iter()
                .map(|(name, value)| (name.to_ascii_lowercase(), value.as_str()))
                .collect();
            named.sort_by(|(a, _), (b, _)| a.cmp(b));
            let headers: Array = named
                .into_iter()
                .map(|(name, value)| JsValue::from(Array::of2(&name.into(), &value.into())))
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
