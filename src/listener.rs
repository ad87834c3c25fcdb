//! [`Listener`]: the RAII handle of a callback subscription.

use std::fmt;
use std::rc::Rc;

use crate::connection::Connection;
use crate::topics::Subscription;

/// A callback subscribed to an [`EventSource`](crate::EventSource): dropping it
/// unsubscribes.
///
/// Returned by [`on_open`](crate::EventSource::on_open),
/// [`on_message`](crate::EventSource::on_message),
/// [`on_error`](crate::EventSource::on_error), [`on`](crate::EventSource::on) and
/// [`on_state_change`](crate::EventSource::on_state_change). While it lives it keeps the
/// connection open, even after every `EventSource` handle is gone; when the last handle
/// of any kind is dropped the connection closes.
///
/// A callback that owns its own `Listener` (directly, or through an `Rc` it captures)
/// keeps the connection open for as long as the page lives: the connection holds the
/// callback, which holds the listener, which holds the connection. Capture a
/// [`WeakEventSource`](crate::WeakEventSource) rather than an `EventSource`, and keep
/// listeners outside the callbacks they feed.
///
/// Code that returns while the page goes on listening (a `#[wasm_bindgen(start)]`
/// function) hands its listeners to [`forget`](Self::forget), which keeps each callback
/// until the source closes.
///
/// A callback that throws a JavaScript exception ([`wasm_bindgen::throw_str`],
/// `unwrap_throw`, an imported function without `catch`) or panics ends there: the browser
/// reports it as an unhandled promise rejection, and the event still reaches the other
/// callbacks and streams, and later events reach all of them. What the
/// callback's own frames held is not dropped (the exception skips them), so handle a bad
/// event where it arrives ([`Message::json`](crate::Message::json) returns a `Result`)
/// rather than throw.
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
///     _on_tick: es.on("tick", |msg| web_sys::console::log_1(&msg.data().into())),
/// };
/// drop(es); // the connection stays open: `ticker` still listens
/// # drop(ticker);
/// # Ok::<(), web_eventsource::Error>(())
/// ```
#[must_use = "the callback is unsubscribed as soon as the Listener is dropped"]
pub struct Listener {
    connection: Rc<Connection>,
    /// `None` for a listener that will never be called: made from a closed source.
    subscription: Option<Subscription>,
}

impl Listener {
    pub(crate) fn new(connection: Rc<Connection>, subscription: Option<Subscription>) -> Self {
        Self {
            connection,
            subscription,
        }
    }

    /// The event type this listener receives: a message type, `"open"` or `"error"` for
    /// [`on_open`](crate::EventSource::on_open) and
    /// [`on_error`](crate::EventSource::on_error), `"readystatechange"` for
    /// [`on_state_change`](crate::EventSource::on_state_change), or `None` when it will
    /// never be called (made from a closed source). The names are shared: a listener
    /// for the server's messages of type `"open"` says `"open"` too. An error listener
    /// made inside a callback of a source that is closing says `"error"`: it hears the
    /// final error, if one is still to be delivered.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # let es = web_eventsource::EventSource::new("/sse")?;
    /// let listener = es.on("ping", |_| {});
    /// assert_eq!(listener.event_type(), Some("ping"));
    /// es.close();
    /// assert_eq!(es.on("ping", |_| {}).event_type(), None);
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn event_type(&self) -> Option<&str> {
        self.subscription
            .as_ref()
            .map(|subscription| subscription.topic.name())
    }

    /// Keeps the callback subscribed until the source closes, without keeping this
    /// `Listener`: for a `#[wasm_bindgen(start)]` function, or any code that returns
    /// while the page goes on listening.
    ///
    /// This is the leak you ask for, as with gloo-events' `EventListener::forget`: the
    /// callback and the connection stay in memory, and the connection stays open, even
    /// once every handle to the source is dropped. Unlike a forgotten closure, it ends:
    /// when the source closes, by [`close`](crate::EventSource::close) (through a
    /// [`WeakEventSource`](crate::WeakEventSource), for instance) or a failure that ends
    /// it, the callback is dropped and the connection freed, as for any closed source.
    /// Nothing is leaked by `Closure::forget` or `std::mem::forget`: the connection holds
    /// itself while a forgotten listener needs it, and lets go when it closes.
    ///
    /// To stop listening later without closing the source, keep the `Listener` instead
    /// (in a `thread_local!`, or in the state it feeds).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use wasm_bindgen::prelude::*;
    /// use web_eventsource::EventSource;
    ///
    /// #[wasm_bindgen(start)]
    /// pub fn start() -> Result<(), JsError> {
    ///     let es = EventSource::new("/sse")?;
    ///     es.on_message(|msg| web_sys::console::log_1(&msg.data().into()))
    ///         .forget(); // still called after `start` returns, until the source closes
    ///     Ok(())
    /// }
    /// ```
    pub fn forget(mut self) {
        if self.subscription.take().is_some() {
            // The subscription stays in its topic; the connection keeps itself alive
            // until it closes, which drops every subscriber.
            self.connection.keep_until_closed();
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
        if let Some(subscription) = &self.subscription {
            self.connection.unsubscribe(subscription);
        }
    }
}
