//! One `fetch` of the stream's URL to learn the status the browser hides: `EventSource`
//! reports a 204 ("stop reconnecting", in the spec's words) exactly as it reports a 500.

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    // The global `fetch`, present in windows and workers alike.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str, init: &web_sys::RequestInit) -> js_sys::Promise;
}

/// What the server answers now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answer {
    /// `204 No Content`: the server asks the client to stop reconnecting.
    NoContent,
    /// Anything else, a network failure included: worth another attempt.
    Other,
}

/// Asks `url` once, the way the browser's reconnect did (same credentials mode,
/// `Accept: text/event-stream`, `Last-Event-ID` when there is one, no cache), reads the
/// status and aborts the body at once. `abort` cancels the request from outside, as
/// `close()` does.
///
/// `Last-Event-ID` is not a CORS-safelisted header, so a cross-origin probe that carries
/// it is preflighted; a server that refuses the preflight makes the probe fail, which
/// counts as "not a 204": the policy retries, as it would without the probe.
pub(crate) async fn ask(
    url: &str,
    last_event_id: &str,
    with_credentials: bool,
    abort: &web_sys::AbortController,
) -> Answer {
    let init = web_sys::RequestInit::new();
    init.set_credentials(if with_credentials {
        web_sys::RequestCredentials::Include
    } else {
        web_sys::RequestCredentials::SameOrigin
    });
    init.set_cache(web_sys::RequestCache::NoStore);
    init.set_signal(Some(&abort.signal()));
    if let Ok(headers) = web_sys::Headers::new() {
        let _ = headers.append("Accept", "text/event-stream");
        if !last_event_id.is_empty() {
            let _ = headers.append("Last-Event-ID", last_event_id);
        }
        init.set_headers(&headers);
    }
    let answer = match JsFuture::from(global_fetch(url, &init)).await {
        Ok(response) => match response.unchecked_into::<web_sys::Response>().status() {
            204 => Answer::NoContent,
            _ => Answer::Other,
        },
        Err(_) => Answer::Other,
    };
    // The body (an event stream, perhaps) is not wanted.
    abort.abort();
    answer
}
