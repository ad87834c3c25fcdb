//! One `fetch` of the stream's URL to learn the status the browser hides: `EventSource`
//! reports a 204 ("stop reconnecting", in the spec's words) exactly as it reports a 500.
//!
//! The answer comes back through a callback on the fetch's promise (see `fetch_api`).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::fetch_api::{discard_body, global_fetch, utf8_header_value};

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
/// status, aborts the body at once, then calls `answered`. `abort` cancels the request
/// from outside, as `close()` does; `answered` is still called then (with
/// [`Answer::Other`]), since an aborted fetch settles as a failure.
///
/// `Last-Event-ID` is not a CORS-safelisted header, so a cross-origin probe that carries
/// it is preflighted; a server that refuses the preflight makes the probe fail, which
/// counts as "not a 204": the policy retries, as it would without the probe.
pub(crate) fn ask(
    url: &str,
    last_event_id: &str,
    with_credentials: bool,
    abort: &web_sys::AbortController,
    answered: impl FnOnce(Answer) + 'static,
) {
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
            let _ = headers.append("Last-Event-ID", &utf8_header_value(last_event_id));
        }
        init.set_headers(&headers);
    }
    let abort = abort.clone();
    // A fetch resolves with a `Response` and rejects with an error: the value tells the
    // outcomes apart; one function serves both, so that exactly one call releases it.
    // `once_into_js` frees it as that call returns (`Closure::once(..).into_js_value()`
    // left it to the JS garbage collector's finalizer: 12 bytes per probe held until a GC).
    // The promise always settles: the probe's owner aborts it when halted or dropped.
    let on_settled = Closure::once_into_js(move |outcome: JsValue| {
        let answer = match outcome.dyn_ref::<web_sys::Response>() {
            Some(response) if response.status() == 204 => Answer::NoContent,
            _ => Answer::Other,
        };
        // The body (an event stream, perhaps) is not wanted: the abort ends it, and the
        // cancel where a page's `fetch` wrapper dropped the signal.
        abort.abort();
        discard_body(&outcome);
        answered(answer);
    });
    global_fetch(url, &init).then(&on_settled, &on_settled);
}
