//! [`Builder`]: the options of a new [`EventSource`].

use crate::recovery;
use crate::{Error, EventSource, Reconnect};

/// Options for opening an [`EventSource`]; made by [`EventSource::builder`].
///
/// # Examples
///
/// ```no_run
/// use web_eventsource::EventSource;
///
/// let es = EventSource::builder("https://api.example.com/sse")
///     .with_credentials(true)
///     .open()?;
/// # Ok::<(), web_eventsource::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use = "a Builder does nothing until `open()` is called"]
pub struct Builder {
    url: String,
    with_credentials: bool,
    /// The policy, and how to start it. A function pointer stored only by
    /// [`reconnect`](Self::reconnect): without that call the policy's code is not linked.
    reconnect: Option<(Reconnect, recovery::Start)>,
}

impl Builder {
    pub(crate) fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            with_credentials: false,
            reconnect: None,
        }
    }

    /// Sends cookies and HTTP authentication with a cross-origin request (the
    /// `withCredentials` option). The server must answer with
    /// `Access-Control-Allow-Credentials: true` and its exact origin. Off by default.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use web_eventsource::EventSource;
    /// let es = EventSource::builder("https://api.example.com/sse")
    ///     .with_credentials(true)
    ///     .open()?;
    /// assert!(es.with_credentials());
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn with_credentials(mut self, with_credentials: bool) -> Self {
        self.with_credentials = with_credentials;
        self
    }

    /// Replaces a connection the browser gives up on (a non-200 status, a wrong
    /// `Content-Type`, an aborted response), after a backoff, resuming after the last
    /// event id: see [`Reconnect`]. Without it the source behaves exactly as the
    /// browser's: such a failure is final.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use web_eventsource::{EventSource, Reconnect};
    ///
    /// let es = EventSource::builder("/sse")
    ///     .reconnect(Reconnect::default().max_retries(Some(10)))
    ///     .open()?;
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn reconnect(mut self, policy: Reconnect) -> Self {
        self.reconnect = Some((policy, recovery::start));
        self
    }

    /// Opens the source: the browser starts connecting at once.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidUrl`] with the browser's message when the URL does not parse
    /// (relative URLs resolve against the page), and [`Error::Js`] when `EventSource` is
    /// not available (outside a browser or worker). A URL that parses but cannot be
    /// fetched is not an error here: it is reported as a final
    /// [`ConnectionError`](crate::ConnectionError).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use web_eventsource::EventSource;
    /// let es = EventSource::builder("/sse").open()?;
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn open(self) -> Result<EventSource, Error> {
        let recovery = self.reconnect.map(|(policy, start)| start(policy));
        EventSource::open(&self.url, self.with_credentials, recovery)
    }
}
