//! What the form asks for, the stream, the transport and the token, and the source's
//! builder made from it. Reconnect reads the form again, so the choices survive it.

use web_eventsource::{Builder, EventSource, Transport};

/// The form's choices for one connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Settings {
    /// The stream's URL as the user gave it, before any resume parameter is added.
    pub(crate) url: String,
    pub(crate) transport: Transport,
    /// Sent as `Authorization: Bearer <token>` on the fetch transport, when not empty.
    pub(crate) token: String,
}

impl Settings {
    /// A builder for these choices. The token goes only with fetch: the browser's
    /// `EventSource` cannot send a header, and asking it to would fail `open()`.
    pub(crate) fn builder(&self) -> Builder {
        let builder = EventSource::builder(&self.url).transport(self.transport);
        if self.transport == Transport::Fetch && !self.token.is_empty() {
            builder.header("Authorization", format!("Bearer {}", self.token))
        } else {
            builder
        }
    }

    /// Whether the URL asks the demo server (the page's own: a path, `/sse` or `/test/…`)
    /// for a stream that answers 401 without a bearer token (`auth=`), which the browser's
    /// `EventSource` cannot send. Another server's `auth=` may well be the token itself.
    pub(crate) fn needs_a_token(&self) -> bool {
        let url = self.url.trim();
        if !(url.starts_with("/sse?") || url.starts_with("/test/")) {
            return false;
        }
        let query = url.split_once('?').map_or("", |(_, query)| query);
        let query = query.split_once('#').map_or(query, |(query, _)| query);
        query
            .split('&')
            .any(|pair| pair == "auth" || pair.starts_with("auth="))
    }
}

/// The transport a form or query value names: `"fetch"`, else the default, native.
pub(crate) fn transport_named(name: &str) -> Transport {
    if name.eq_ignore_ascii_case("fetch") {
        Transport::Fetch
    } else {
        Transport::Native
    }
}
