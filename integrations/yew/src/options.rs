//! [`UseEventSourceOptions`]: how the hook opens its source.

use std::time::Duration;

use web_eventsource::{Error, EventSource, Reconnect};

/// Options of [`use_event_source_with_options`](crate::use_event_source_with_options), in
/// the style of yew-hooks' `UseWebSocketOptions`: public fields and a [`Default`] that
/// behaves like the browser's own `EventSource` (no credentials, no policy, no pause).
///
/// A change of options between renders closes the source and opens a new one with the new
/// options, as a change of URL does.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use web_eventsource::Reconnect;
/// use web_eventsource_yew::UseEventSourceOptions;
///
/// let options = UseEventSourceOptions {
///     with_credentials: true,
///     reconnect: Some(Reconnect::default().max_retries(Some(10))),
///     pause_when_hidden: Some(Duration::from_secs(30)),
/// };
/// assert_ne!(options, UseEventSourceOptions::default());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UseEventSourceOptions {
    /// Send cookies and HTTP authentication with a cross-origin request (see
    /// [`Builder::with_credentials`](web_eventsource::Builder::with_credentials)).
    pub with_credentials: bool,
    /// Replace a connection the browser gives up on, after a backoff, resuming after the
    /// last event id (see [`Reconnect`]). `None`: a failure is final, as in the browser.
    /// A zero idle timeout is refused: nothing opens, the state is `Closed` and the
    /// handle's [`error`](crate::UseEventSourceHandle::error) is
    /// [`UseEventSourceError::Open`](crate::UseEventSourceError::Open) naming
    /// `idle_timeout` (use `None` for no idle timeout).
    pub reconnect: Option<Reconnect>,
    /// Close the connection while the page is hidden for longer than this, and resume it
    /// when the page is visible again (see
    /// [`Builder::pause_when_hidden`](web_eventsource::Builder::pause_when_hidden)).
    pub pause_when_hidden: Option<Duration>,
}

/// How a hook opens its source: a function chosen at compile time, so that an app that
/// never asks for options links none of the policy's or the pause's code (the core crate's
/// [`Builder`](web_eventsource::Builder) links them only when asked for, likewise).
pub(crate) type Open = fn(&UseEventSourceOptions, &str, &str) -> Result<EventSource, Error>;

/// Opens a plain source, as the browser's `EventSource` does, resuming after
/// `resume_from` if it is not empty: for [`use_event_source`](crate::use_event_source),
/// whose options are always the default.
pub(crate) fn open_plain(
    _: &UseEventSourceOptions,
    url: &str,
    resume_from: &str,
) -> Result<EventSource, Error> {
    EventSource::builder(url).last_event_id(resume_from).open()
}

impl UseEventSourceOptions {
    /// Opens a source at `url` with these options, resuming after `resume_from` if it is
    /// not empty.
    pub(crate) fn open(&self, url: &str, resume_from: &str) -> Result<EventSource, Error> {
        let mut builder = EventSource::builder(url)
            .with_credentials(self.with_credentials)
            .last_event_id(resume_from);
        if let Some(policy) = &self.reconnect {
            builder = builder.reconnect(policy.clone());
        }
        if let Some(grace) = self.pause_when_hidden {
            builder = builder.pause_when_hidden(grace);
        }
        builder.open()
    }
}
