//! [`EventSource`]: the handle users hold.

use std::fmt;
use std::rc::Rc;

use futures_channel::mpsc;
use serde::de::DeserializeOwned;

use crate::connection::Connection;
use crate::recovery::Recover;
use crate::{
    Builder, ConnectionError, Error, Event, EventStream, JsonStream, Listener, Message,
    MessageStream, ReadyState,
};

/// A connection to a server that sends events (`text/event-stream`), over the browser's
/// own `EventSource`.
///
/// `EventSource` is a cheap handle: clones share one connection. The connection stays open
/// while this handle, a clone, or any [`Listener`] or stream made from it lives, and closes
/// when the last of them is dropped, or at once on [`close`](Self::close).
///
/// # Examples
///
/// ```no_run
/// use web_eventsource::EventSource;
///
/// let es = EventSource::new("/sse")?;
/// let _on_message = es.on_message(|msg| eprintln!("{}", msg.data()));
/// # Ok::<(), web_eventsource::Error>(())
/// ```
#[derive(Clone)]
pub struct EventSource {
    connection: Rc<Connection>,
}

impl EventSource {
    /// Opens a source at `url` (absolute, or relative to the page), without credentials.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidUrl`] when the browser cannot parse the URL, with its message;
    /// [`Error::Js`] when `EventSource` is not available.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use web_eventsource::EventSource;
    ///
    /// let es = EventSource::new("/sse")?;
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn new(url: &str) -> Result<Self, Error> {
        Self::open(url, false, None)
    }

    /// Starts a [`Builder`] for a source with options.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use web_eventsource::EventSource;
    ///
    /// let es = EventSource::builder("/sse").with_credentials(true).open()?;
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn builder(url: impl Into<String>) -> Builder {
        Builder::new(url)
    }

    pub(crate) fn open(
        url: &str,
        with_credentials: bool,
        recovery: Option<Rc<dyn Recover>>,
    ) -> Result<Self, Error> {
        Connection::open(url, with_credentials, recovery).map(|connection| Self { connection })
    }

    /// The absolute URL of the source, as the browser resolved it (without the resume
    /// parameter a [`Reconnect`](crate::Reconnect) policy adds to replacement connections).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use web_eventsource::EventSource;
    /// let es = EventSource::new("https://example.com/sse")?;
    /// assert_eq!(es.url(), "https://example.com/sse");
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn url(&self) -> &str {
        self.connection.url()
    }

    /// Whether cross-origin requests send credentials (cookies, HTTP authentication).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use web_eventsource::EventSource;
    /// assert!(!EventSource::new("/sse")?.with_credentials());
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn with_credentials(&self) -> bool {
        self.connection.with_credentials()
    }

    /// The current state: connecting, open or closed. While a [`Reconnect`](crate::Reconnect) policy waits
    /// to replace a failed connection, it is `Connecting`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use web_eventsource::{EventSource, ReadyState};
    /// let es = EventSource::new("/sse")?;
    /// assert_eq!(es.ready_state(), ReadyState::Connecting);
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn ready_state(&self) -> ReadyState {
        self.connection.ready_state()
    }

    /// The last event id the server sent, as of the newest event received through any
    /// subscription of this source; empty before the first id. It is what the browser
    /// sends back as `Last-Event-ID` when it reconnects.
    ///
    /// Only events of subscribed types are seen, so an id carried by an event of a type
    /// nobody subscribed to is not reflected here until a subscribed one arrives.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use web_eventsource::EventSource;
    /// let es = EventSource::new("/sse")?;
    /// let _l = es.on_message(|_| {});
    /// // ... later
    /// eprintln!("resume point: {:?}", es.last_event_id());
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn last_event_id(&self) -> String {
        self.connection.last_event_id()
    }

    /// Closes the connection for good and ends every stream made from this source (after
    /// they yield what they already received). Listeners are never called again.
    /// Closing twice, or using the source afterwards, is harmless: new listeners are never
    /// called and new streams end at once.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use web_eventsource::{EventSource, ReadyState};
    /// let es = EventSource::new("/sse")?;
    /// es.close();
    /// assert_eq!(es.ready_state(), ReadyState::Closed);
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn close(&self) {
        self.connection.close();
    }

    /// The browser's own `EventSource` object in use now (a [`Reconnect`](crate::Reconnect) policy replaces
    /// it after a failure).
    ///
    /// Closing it directly bypasses this crate: streams would not end. Use
    /// [`close`](Self::close).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use web_eventsource::EventSource;
    /// let es = EventSource::new("/sse")?;
    /// web_sys::console::log_1(&es.raw());
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn raw(&self) -> web_sys::EventSource {
        self.connection.raw()
    }

    /// Calls `callback` each time the connection opens (again after each reconnect).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use web_eventsource::EventSource;
    /// let es = EventSource::new("/sse")?;
    /// let _on_open = es.on_open(|| eprintln!("connected"));
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn on_open(&self, callback: impl FnMut() + 'static) -> Listener {
        self.connection.subscribe_open(callback)
    }

    /// Calls `callback` with each `"message"` event (one with no `event:` field).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use web_eventsource::EventSource;
    /// let es = EventSource::new("/sse")?;
    /// let _on_message = es.on_message(|msg| eprintln!("{}", msg.data()));
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn on_message(&self, callback: impl FnMut(Message) + 'static) -> Listener {
        self.on("message", callback)
    }

    /// Calls `callback` with each error: a lost connection the browser retries, or a
    /// failure that ends the source (see [`ConnectionError::will_reconnect`]).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use web_eventsource::EventSource;
    /// let es = EventSource::new("/sse")?;
    /// let _on_error = es.on_error(|err| eprintln!("{err}"));
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn on_error(&self, callback: impl FnMut(ConnectionError) + 'static) -> Listener {
        self.connection.subscribe_error(callback)
    }

    /// Calls `callback` with each event of type `event_type` (the `event:` field).
    ///
    /// However many callbacks subscribe to a type, the browser's source gets one JS
    /// listener for it, added with the first and removed with the last. `"open"` and
    /// `"error"` are not message events: use [`on_open`](Self::on_open) and
    /// [`on_error`](Self::on_error) for them.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use web_eventsource::EventSource;
    /// let es = EventSource::new("/sse")?;
    /// let _on_ping = es.on("ping", |msg| eprintln!("ping {}", msg.data()));
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn on(&self, event_type: &str, callback: impl FnMut(Message) + 'static) -> Listener {
        self.connection.subscribe_message(event_type, callback)
    }

    /// The stream of `"message"` events.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use futures::StreamExt;
    /// # use web_eventsource::EventSource;
    ///
    /// # async fn run() -> Result<(), web_eventsource::Error> {
    /// let mut messages = EventSource::new("/sse")?.messages();
    /// while let Some(msg) = messages.next().await {
    ///     eprintln!("{}", msg.data());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn messages(&self) -> MessageStream {
        self.subscribe("message")
    }

    /// The stream of events of type `event_type`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use futures::StreamExt;
    /// # use web_eventsource::EventSource;
    ///
    /// # async fn run() -> Result<(), web_eventsource::Error> {
    /// let mut pings = EventSource::new("/sse")?.subscribe("ping");
    /// while let Some(ping) = pings.next().await {
    ///     eprintln!("{}", ping.data());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn subscribe(&self, event_type: &str) -> MessageStream {
        let (sender, receiver) = mpsc::unbounded();
        let listener = self.on(event_type, move |message| {
            // The receiver is gone only while the stream itself is being dropped.
            let _ = sender.unbounded_send(message);
        });
        MessageStream::new(receiver, listener)
    }

    /// The stream of events of type `event_type`, each decoded from JSON into `T`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use futures::StreamExt;
    /// # use web_eventsource::EventSource;
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Ping {
    ///     time: String,
    /// }
    ///
    /// # async fn run() -> Result<(), web_eventsource::Error> {
    /// let mut pings = EventSource::new("/sse")?.subscribe_json::<Ping>("ping");
    /// while let Some(Ok(ping)) = pings.next().await {
    ///     eprintln!("{}", ping.time);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn subscribe_json<T: DeserializeOwned>(&self, event_type: &str) -> JsonStream<T> {
        JsonStream::new(self.subscribe(event_type))
    }

    /// One ordered stream of open, `"message"` and error events.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use futures::StreamExt;
    /// use web_eventsource::{Event, EventSource};
    ///
    /// # async fn run() -> Result<(), web_eventsource::Error> {
    /// let mut events = EventSource::new("/sse")?.events();
    /// while let Some(event) = events.next().await {
    ///     if let Event::Message(msg) = event {
    ///         eprintln!("{}", msg.data());
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn events(&self) -> EventStream {
        let (sender, receiver) = mpsc::unbounded();
        let listeners = vec![
            self.on_open({
                let sender = sender.clone();
                move || {
                    let _ = sender.unbounded_send(Event::Open);
                }
            }),
            self.on_message({
                let sender = sender.clone();
                move |message| {
                    let _ = sender.unbounded_send(Event::Message(message));
                }
            }),
            self.on_error(move |error| {
                let _ = sender.unbounded_send(Event::Error(error));
            }),
        ];
        EventStream::new(receiver, listeners)
    }
}

impl fmt::Debug for EventSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventSource")
            .field("url", &self.url())
            .field("with_credentials", &self.with_credentials())
            .field("closed", &self.connection.is_closed())
            .field("subscribers", &self.connection.subscriber_count())
            .finish()
    }
}
