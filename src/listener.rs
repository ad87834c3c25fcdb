//! [`Listener`]: the RAII handle of a callback subscription.

use std::fmt;
use std::rc::Rc;

use crate::connection::{Connection, Signal};
use crate::subscribers::Subscriber;

/// What a [`Listener`] is subscribed to, so that dropping it can unsubscribe.
pub(crate) enum Subscription {
    /// Made from a closed source: subscribed to nothing.
    Inert,
    Open(Rc<Subscriber<Signal>>),
    Error(Rc<Subscriber<Signal>>),
    Message(Rc<str>, Rc<Subscriber<Signal>>),
}

/// A callback subscribed to an [`EventSource`](crate::EventSource): dropping it
/// unsubscribes.
///
/// Returned by [`on_open`](crate::EventSource::on_open),
/// [`on_message`](crate::EventSource::on_message),
/// [`on_error`](crate::EventSource::on_error) and [`on`](crate::EventSource::on). While
/// it lives it keeps the connection open, even after every `EventSource` handle is gone;
/// when the last handle of any kind is dropped the connection closes.
///
/// # Examples
///
/// ```no_run
/// use web_eventsource::{EventSource, Listener};
///
/// struct Ticker {
///     // Keep the listener with the state it feeds; dropping `Ticker` unsubscribes.
///     _on_tick: Listener,
/// }
///
/// let es = EventSource::new("/sse")?;
/// let ticker = Ticker {
///     _on_tick: es.on("tick", |msg| eprintln!("tick {}", msg.data())),
/// };
/// drop(es); // the connection stays open: `ticker` still listens
/// # drop(ticker);
/// # Ok::<(), web_eventsource::Error>(())
/// ```
#[must_use = "the callback is unsubscribed as soon as the Listener is dropped"]
pub struct Listener {
    connection: Rc<Connection>,
    subscription: Subscription,
}

impl Listener {
    pub(crate) fn new(connection: Rc<Connection>, subscription: Subscription) -> Self {
        Self {
            connection,
            subscription,
        }
    }

    pub(crate) fn inert(connection: Rc<Connection>) -> Self {
        Self::new(connection, Subscription::Inert)
    }

    /// The event type this listener receives: `"open"`, `"error"`, a message type, or
    /// `None` when it was made from a closed source and will never be called.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # let es = web_eventsource::EventSource::new("/sse")?;
    /// let listener = es.on("ping", |_| {});
    /// assert_eq!(listener.event_type(), Some("ping"));
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn event_type(&self) -> Option<&str> {
        match &self.subscription {
            Subscription::Inert => None,
            Subscription::Open(_) => Some("open"),
            Subscription::Error(_) => Some("error"),
            Subscription::Message(name, _) => Some(name),
        }
    }
}

impl fmt::Debug for Listener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Listener")
            .field("url", &self.connection.url())
            .field("event_type", &self.event_type())
            .finish()
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.connection.unsubscribe(&self.subscription);
    }
}
