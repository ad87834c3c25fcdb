//! The fetch transport's requests: what each one sends, and the check of the options
//! that `open()` makes.

use super::{FetchOptions, HeadersWith};
use crate::fetch_api::utf8_header_value;
use crate::first_request::resolve_or_refuse;
use crate::guard::guarded;
use crate::Error;

/// The request's `RequestInit`: the method, the body, the builder's headers and then
/// `headers_with`'s, `Accept: text/event-stream` unless they have an `Accept`,
/// `Last-Event-ID` when there is one (in place of theirs), no cache, credentials
/// `include` or `same-origin`, and the abort signal.
pub(crate) fn init(
    options: &FetchOptions,
    last_event_id: &str,
    with_credentials: bool,
    signal: &web_sys::AbortSignal,
) -> Result<web_sys::RequestInit, Error> {
    let init = web_sys::RequestInit::new();
    if let Some(method) = &options.method {
        init.set_method(method);
    }
    if let Some(body) = &options.body {
        init.set_body(&body.into());
    }
    let dynamic = match &options.headers_with {
        Some(with) => Some(headers_from(with)?),
        None => None,
    };
    let dynamic = dynamic.as_deref().unwrap_or_default();
    let headers = headers(&options.headers, dynamic)?;
    // The caller's own `Accept`, if any, is sent as given: replaced, it would be a header
    // asked for and silently not sent.
    let accept_given = options
        .headers
        .iter()
        .chain(dynamic)
        .any(|(name, _)| name.eq_ignore_ascii_case("Accept"));
    if !accept_given {
        let _ = headers.set("Accept", "text/event-stream");
    }
    if !last_event_id.is_empty() {
        let _ = headers.set("Last-Event-ID", &utf8_header_value(last_event_id));
    }
    init.set_headers(&headers);
    init.set_cache(web_sys::RequestCache::NoStore);
    init.set_credentials(if with_credentials {
        web_sys::RequestCredentials::Include
    } else {
        web_sys::RequestCredentials::SameOrigin
    });
    init.set_signal(Some(signal));
    Ok(init)
}

/// What `headers_with` returns for this request; [`Error::InvalidOption`] naming it when it
/// throws (or panics) instead, which the browser reports as an unhandled promise rejection.
fn headers_from(with: &HeadersWith) -> Result<Vec<(String, String)>, Error> {
    let mut returned = None;
    guarded(|| returned = Some(with()));
    returned.ok_or_else(|| Error::InvalidOption {
        option: "headers_with",
        message: "it threw instead of returning headers (the console shows what)".to_owned(),
    })
}

/// The builder's headers, then those `headers_with` returned for this request.
///
/// Each is appended to a request's own `Headers`, which refuses a name or value that is
/// not valid HTTP (a `TypeError`), and drops without a word a header a page may not set
/// (`Cookie`, `Origin`, `Connection`, `Sec-…`, `Proxy-…`, `X-HTTP-Method-Override:
/// TRACE`: the Fetch standard's forbidden request headers, as this browser counts them).
/// A header the caller asked for and the request would never carry is refused here too,
/// rather than silently not sent: the append changed nothing the request holds under its
/// name (a name given twice included).
fn headers(
    fixed: &[(String, String)],
    dynamic: &[(String, String)],
) -> Result<web_sys::Headers, Error> {
    let headers = web_sys::Request::new_with_str("data:,")
        .map_err(|err| js_error(&err))?
        .headers();
    for (name, value) in fixed.iter().chain(dynamic) {
        let before = headers.get(name).ok().flatten();
        headers
            .append(name, value)
            .map_err(|err| invalid("header", &err))?;
        if headers.get(name).ok().flatten() == before {
            // Not `concat` nor `format!`, which link panic formatting.
            let mut message = String::from("the browser does not let a page set ");
            message.push_str(name);
            message.push_str(" (a forbidden request header), so it would not be sent");
            return Err(Error::InvalidOption {
                option: "header",
                message,
            });
        }
    }
    Ok(headers)
}

/// Whether the request is a GET, the only method after whose body's end the transport
/// reconnects by itself.
pub(crate) fn is_get(options: &FetchOptions) -> bool {
    options
        .method
        .as_deref()
        .map_or(true, |method| method.eq_ignore_ascii_case("GET"))
}

/// Refuses what `fetch` would: a header name or value that is not valid HTTP, a method
/// that is not a token or is forbidden, a body on a GET; and HEAD, whose answer has no
/// body to read events from. Built as a `Request` once, with no network. `headers_with`
/// is left for each request: it is called before every request and no more, and what it
/// returns then is checked then.
pub(crate) fn check(options: &FetchOptions) -> Result<(), Error> {
    if options.max_event_size == 0 {
        // Not "no bound", as 0 may be read: every line of the stream would fail.
        return Err(Error::InvalidOption {
            option: "max_event_size",
            message: "must be at least 1 byte".to_owned(),
        });
    }
    // Valid HTTP, but its answer has no body to read events from: the source would end
    // as it opened, with no event and no error.
    if options
        .method
        .as_deref()
        .is_some_and(|method| method.eq_ignore_ascii_case("HEAD"))
    {
        return Err(Error::InvalidOption {
            option: "method",
            message: "a HEAD response has no body to read events from".to_owned(),
        });
    }
    let init = web_sys::RequestInit::new();
    init.set_headers(&headers(&options.headers, &[])?.into());
    if let Some(method) = &options.method {
        init.set_method(method);
    }
    if let Some(body) = &options.body {
        init.set_body(&body.into());
    }
    web_sys::Request::new_with_str_and_init("data:,", &init)
        .map(drop)
        .map_err(|err| {
            let option = match &options.method {
                Some(method)
                    if options.body.is_some()
                        && (method.eq_ignore_ascii_case("GET")
                            || method.eq_ignore_ascii_case("HEAD")) =>
                {
                    "body"
                }
                None if options.body.is_some() => "body",
                _ => "method",
            };
            invalid(option, &err)
        })
}

/// Refuses what `fetch` refuses of a URL the browser's `EventSource` takes, which would
/// otherwise fail every request on the network, each failure a lost connection retried
/// without end: one with a user name or password in it, and one whose scheme no browser's
/// `fetch` loads (`ws:`, `wss:`, `ftp:`, `file:`, `javascript:`, `mailto:`). Other schemes
/// pass: `fetch` loads an app's own (Electron's, an extension's, a Tauri app's).
///
/// # Errors
///
/// [`Error::InvalidUrl`], with the browser's message, for that URL or one that does not
/// resolve.
pub(crate) fn check_url(url: &str) -> Result<(), Error> {
    let resolved = resolve_or_refuse(url)?;
    // A resolved URL's scheme is in lower case. Found by byte: `str::split` links a
    // searcher of its own into every fetch app (0.15 KB gzipped in the npm package).
    let scheme_end = resolved.bytes().position(|byte| byte == b':');
    let scheme = scheme_end
        .and_then(|end| resolved.get(..end))
        .unwrap_or_default();
    if matches!(
        scheme,
        "ws" | "wss" | "ftp" | "file" | "javascript" | "mailto"
    ) {
        return Err(Error::InvalidUrl {
            url: url.to_owned(),
            message: "fetch does not load this scheme (http: and https: stream events)".to_owned(),
        });
    }
    web_sys::Request::new_with_str(&resolved)
        .map(drop)
        .map_err(|exception| Error::InvalidUrl {
            url: url.to_owned(),
            message: message_of(&exception),
        })
}

fn message_of(exception: &wasm_bindgen::JsValue) -> String {
    use wasm_bindgen::JsCast;
    match exception.dyn_ref::<js_sys::Error>() {
        Some(error) => String::from(error.message()),
        None => exception
            .as_string()
            .unwrap_or_else(|| "unknown JavaScript exception".to_owned()),
    }
}

fn invalid(option: &'static str, exception: &wasm_bindgen::JsValue) -> Error {
    Error::InvalidOption {
        option,
        message: message_of(exception),
    }
}

fn js_error(exception: &wasm_bindgen::JsValue) -> Error {
    Error::Js {
        message: message_of(exception),
    }
}
