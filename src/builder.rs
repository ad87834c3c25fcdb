//! [`Builder`]: the options of a new [`EventSource`].

use std::time::Duration;

use crate::connection::{self, Connection, ResumeFrom};
use crate::{recovery, visibility};
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
    /// The grace period of [`pause_when_hidden`](Self::pause_when_hidden), and how to
    /// start watching the page (linked only when asked for, likewise).
    pause_when_hidden: Option<(Duration, visibility::Start)>,
    /// The id to resume after from the first request, and how to build that request
    /// (linked only when asked for, likewise).
    last_event_id: Option<ResumeFrom>,
}

impl Builder {
    pub(crate) fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            with_credentials: false,
            reconnect: None,
            pause_when_hidden: None,
            last_event_id: None,
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

    /// Closes the connection once the page has been hidden (another tab, a minimised
    /// window) for longer than `grace`, and reopens it when the page is visible again,
    /// resuming after the last event id: nothing is lost or repeated. Off by default.
    ///
    /// While paused, [`ready_state`](EventSource::ready_state) is
    /// [`ReadyState::Paused`](crate::ReadyState::Paused) and
    /// [`state`](EventSource::state) says so; a pause is not an error, and streams keep
    /// running. The reopened connection carries the last event id in the resume
    /// parameter of the [`Reconnect`] policy (`lastEventId` without a policy), so the
    /// server must support resume by query for nothing to be lost. A pause cancels any
    /// attempt the policy was waiting to make; the count of failed attempts stays.
    ///
    /// In a worker there is no page to hide: the option does nothing there. `grace` is
    /// clamped to about 24.8 days, the longest a browser timer waits.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use web_eventsource::EventSource;
    ///
    /// let es = EventSource::builder("/sse")
    ///     .pause_when_hidden(Duration::from_secs(30))
    ///     .open()?;
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn pause_when_hidden(mut self, grace: Duration) -> Self {
        self.pause_when_hidden = Some((grace, visibility::watch));
        self
    }

    /// Resumes after `id` from the first request, as a replacement connection would: the
    /// URL carries it in the resume parameter (`lastEventId`, or the one the
    /// [`Reconnect`] policy names), and [`last_event_id`](EventSource::last_event_id)
    /// returns it until the server sends another. [`url`](EventSource::url) stays the URL
    /// as given. Empty (the default) starts from the beginning.
    ///
    /// For a source that takes over from another (a component reopening its stream, a
    /// page restoring a saved position): with a server that resumes by query, nothing
    /// already received comes again.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use web_eventsource::EventSource;
    ///
    /// let old = EventSource::new("/sse")?;
    /// // ... later, after old.close():
    /// let es = EventSource::builder("/sse")
    ///     .last_event_id(old.last_event_id())
    ///     .open()?;
    /// assert_eq!(es.url(), old.url());
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn last_event_id(mut self, id: impl Into<String>) -> Self {
        self.last_event_id = Some((id.into(), connection::resuming_first_request));
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
        let connection = Connection::open(
            &self.url,
            self.with_credentials,
            recovery,
            self.last_event_id,
        )?;
        if let Some((grace, watch)) = self.pause_when_hidden {
            watch(&connection, grace);
        }
        Ok(EventSource::from_connection(connection))
    }
}
