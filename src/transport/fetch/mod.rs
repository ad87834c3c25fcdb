//! The fetch transport: `fetch` with the body parsed in Rust (`crate::parser`).
//!
//! Linked only into apps that choose it: the builder reaches it through the function
//! pointer [`start`], which only the fetch options' methods store.

mod attempt;
mod mime;
mod request;

pub(crate) use request::is_get;

use std::cell::Cell;
use std::fmt;
use std::rc::{Rc, Weak};

use super::{AnyAttempt, AnyOpener, Opener, Request, Transport};
use crate::connection::Connection;
use crate::Error;

/// The most one event may buffer by default: 16 MiB.
pub(crate) const DEFAULT_MAX_EVENT_SIZE: usize = 16 << 20;

/// Builds the headers sent with every request, called before each.
pub(crate) type HeadersWith = Rc<dyn Fn() -> Vec<(String, String)>>;

/// What the builder collects for the fetch transport.
#[derive(Clone)]
pub(crate) struct FetchOptions {
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) headers_with: Option<HeadersWith>,
    /// `None`: GET.
    pub(crate) method: Option<String>,
    pub(crate) body: Option<String>,
    pub(crate) max_event_size: usize,
}

impl Default for FetchOptions {
    fn default() -> Self {
        Self {
            headers: Vec::new(),
            headers_with: None,
            method: None,
            body: None,
            max_event_size: DEFAULT_MAX_EVENT_SIZE,
        }
    }
}

impl fmt::Debug for FetchOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header names only: values are often credentials, and debug output ends up in
        // logs.
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("FetchOptions")
            .field("headers", &names)
            .field("headers_with", &self.headers_with.is_some())
            .field("method", &self.method)
            .field("body", &self.body.as_ref().map(String::len))
            .field("max_event_size", &self.max_event_size)
            .finish()
    }
}

/// Starts the fetch transport for the URL with the builder's options.
pub(crate) type Start = fn(&str, FetchOptions) -> Result<AnyOpener, Error>;

/// The [`Start`] the builder stores: checks the options and the URL as the browser would
/// at the first request, so that a bad one is an error from `open()`, not a failed
/// connection (nor, for a source shared across tabs, one that fails only once it leads).
pub(crate) fn start(url: &str, options: FetchOptions) -> Result<AnyOpener, Error> {
    request::check(&options)?;
    request::check_url(url)?;
    Ok(AnyOpener::Other(Box::new(FetchOpener {
        options: Rc::new(options),
        reconnection_ms: Rc::new(Cell::new(attempt::DEFAULT_RETRY_MS)),
    })))
}

struct FetchOpener {
    options: Rc<FetchOptions>,
    /// The stream's reconnection time, which a `retry:` line sets: the source's, as the
    /// standard keeps it on the one `EventSource` object across its connections, so that
    /// a replacement by the policy or after a pause honours the last one the stream sent.
    reconnection_ms: Rc<Cell<u32>>,
}

impl Opener for FetchOpener {
    fn transport(&self) -> Transport {
        Transport::Fetch
    }

    fn open(
        &self,
        connection: Weak<Connection>,
        request: &Request<'_>,
    ) -> Result<AnyAttempt, Error> {
        attempt::FetchAttempt::start(
            connection,
            self.options.clone(),
            self.reconnection_ms.clone(),
            request,
        )
        .map(|attempt| AnyAttempt::Other(Box::new(attempt)))
    }

    fn pausable(&self) -> bool {
        request::is_get(&self.options)
    }
}
