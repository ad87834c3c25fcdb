//! [`Event`]: everything a source reports, in one type, for [`EventSource::events`].
//!
//! [`EventSource::events`]: crate::EventSource::events

use crate::{ConnectionError, Message};

/// One thing that happened on a source, in the order it happened.
///
/// # Examples
///
/// ```no_run
/// use futures::StreamExt;
/// use web_eventsource::{Event, EventSource};
///
/// # async fn run() -> Result<(), web_eventsource::Error> {
/// let es = EventSource::new("/sse")?;
/// let mut events = es.events();
/// while let Some(event) = events.next().await {
///     match event {
///         Event::Open => web_sys::console::log_1(&"open".into()),
///         Event::Message(msg) => web_sys::console::log_1(&format!("message: {}", msg.data()).into()),
///         Event::Error(err) => web_sys::console::log_1(&err.to_string().into()),
///         _ => {} // `Event` is non-exhaustive: later versions may report more
///     }
/// }
/// // The stream ended: the source was closed or failed for good.
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Event {
    /// The connection opened (again, after a reconnect).
    Open,
    /// A `"message"` event: one with no `event:` field. Named events are received with
    /// [`subscribe`](crate::EventSource::subscribe) or [`on`](crate::EventSource::on).
    Message(Message),
    /// The connection was lost or failed; see [`ConnectionError::will_reconnect`].
    Error(ConnectionError),
}
