//! The first request of a source that resumes after an id from the start
//! ([`Builder::last_event_id`](crate::Builder::last_event_id)).
//!
//! Reached only through a function pointer that that method stores, so that a source
//! that starts from the beginning links none of the URL work.

use wasm_bindgen::JsCast;

use crate::connection::Connection;
use crate::resume::with_query_parameter;
use crate::{global, Error};

/// The id to resume after, and how to build the request that does.
#[derive(Debug, Clone)]
pub(crate) struct ResumeFrom {
    pub(crate) id: String,
    pub(crate) build: BuildFirstRequest,
}

impl ResumeFrom {
    /// Refuses an id that no stream can have sent: one with a NUL (the parser ignores an
    /// `id:` line with one) or a line end. Sent anyway, it would be lost on the fetch
    /// transport, where `Last-Event-ID` cannot carry it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] naming `last_event_id`.
    pub(crate) fn check(&self) -> Result<(), Error> {
        if self
            .id
            .bytes()
            .any(|byte| matches!(byte, b'\0' | b'\r' | b'\n'))
        {
            return Err(Error::InvalidOption {
                option: "last_event_id",
                message: "an event id cannot contain NUL, CR or LF".to_owned(),
            });
        }
        Ok(())
    }
}

/// The first request's URL, and the URL as given resolved for `url()` (`None`: what the
/// transport resolves).
#[derive(Debug)]
pub(crate) struct FirstRequest {
    pub(crate) url: String,
    pub(crate) resolved: Option<String>,
    /// The URL a transport's own reconnect asks for: the resume parameter this request
    /// carried, set to the resume point then (see `Connection::reconnect_url`).
    pub(crate) reconnect_url: fn(&Connection) -> String,
}

/// Builds a resuming first request from the URL as given, the resume parameter and the
/// id; `None` when the request is the URL as given (no parameter, or an empty id).
pub(crate) type BuildFirstRequest = fn(&str, Option<&str>, &str) -> Option<FirstRequest>;

/// The [`BuildFirstRequest`] that [`Builder::last_event_id`](crate::Builder::last_event_id)
/// stores.
pub(crate) fn resuming(url: &str, param: Option<&str>, id: &str) -> Option<FirstRequest> {
    let name = param.filter(|_| !id.is_empty())?;
    // The URL as given, resolved against the base the browser uses for the request, so
    // that the resume parameter stays out of `url()`. One that does not resolve is asked
    // for as given, and refused as given (`Error::InvalidUrl` names it so). With no base
    // at all (no page, no location), it is edited as given.
    let resolved = match global::base_url() {
        Some(base) => Some(web_sys::Url::new_with_base(url, &base).ok()?.href()),
        None => None,
    };
    Some(FirstRequest {
        // Set in the resolved URL: an empty one, or one that is only a fragment, is the
        // page's, whose query the parameter joins (set in `""` or `"#top"` as given, it
        // would take the page's query's place).
        url: with_query_parameter(resolved.as_deref().unwrap_or(url), name, id),
        resolved,
        reconnect_url: Connection::resume_url,
    })
}

/// `url` resolved as `new EventSource(url)` and `fetch(url)` resolve it.
pub(crate) fn resolve(url: &str) -> Option<String> {
    web_sys::Url::new_with_base(url, &global::base_url()?)
        .ok()
        .map(|parsed| parsed.href())
}

/// `url` resolved as [`resolve`] does, or [`Error::InvalidUrl`] with the browser's own
/// reason (the message of the `URL` constructor's `TypeError`).
pub(crate) fn resolve_or_refuse(url: &str) -> Result<String, Error> {
    let refused = |message: String| Error::InvalidUrl {
        url: url.to_owned(),
        message,
    };
    let base = global::base_url()
        .ok_or_else(|| refused("there is no base URL to resolve it against".to_owned()))?;
    web_sys::Url::new_with_base(url, &base)
        .map(|parsed| parsed.href())
        .map_err(|exception| {
            refused(exception.dyn_ref::<js_sys::Error>().map_or_else(
                || "the URL does not parse".to_owned(),
                |error| String::from(error.message()),
            ))
        })
}
