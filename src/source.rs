//! [`EventSource`]: the handle users hold.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::rc::Rc;

use futures_channel::mpsc;
use serde::de::DeserializeOwned;

use crate::connection::Connection;
use crate::subscribers::Author;
use crate::topics::Subscription;
use crate::transport::AnyOpener;
use crate::{
    Builder, ConnectionError, Error, Event, EventStream, JsonStream, Listener, Message,
    MessageStream, ReadyState, Sharing, StateStream, Transport, WeakEventSource,
};

/// A connection to a server that sends events (`text/event-stream`), over the browser's
/// own `EventSource` or, with [`Transport::Fetch`], over `fetch`.
///
/// `EventSource` is a cheap handle: clones share one connection, and compare equal
/// (`==` is identity: two sources opened at the same URL are not equal). The connection
/// stays open while this handle, a clone, or any [`Listener`] or stream made from it
/// lives, and closes when the last of them is dropped, or at once on
/// [`close`](Self::close).
///
/// A callback that captures a clone of its own source keeps the connection open for as
/// long as its listener lives; one that is meant to outlive the app's interest should
/// capture a [`WeakEventSource`] (from [`downgrade`](Self::downgrade)) instead.
///
/// Every stream made from a source buffers what it receives until it is polled, without
/// limit: poll it, or drop it.
///
/// # Examples
///
/// ```no_run
/// use web_eventsource::EventSource;
///
/// let es = EventSource::new("/sse")?;
/// let _on_message = es.on_message(|msg| web_sys::console::log_1(&msg.data().into()));
/// # Ok::<(), web_eventsource::Error>(())
/// ```
#[derive(Clone)]
#[must_use = "the connection closes when the last handle is dropped"]
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
        Connection::open(url, false, AnyOpener::Native, None, None).map(Self::from_connection)
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

    pub(crate) fn from_connection(connection: Rc<Connection>) -> Self {
        Self { connection }
    }

    /// A handle that does not keep the connection open: see [`WeakEventSource`].
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use web_eventsource::EventSource;
    /// let es = EventSource::new("/sse")?;
    /// let weak = es.downgrade();
    /// assert_eq!(weak.upgrade(), Some(es.clone()));
    /// drop(es);
    /// assert_eq!(weak.upgrade(), None); // the connection closed with the last handle
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn downgrade(&self) -> WeakEventSource {
        WeakEventSource::new(Rc::downgrade(&self.connection))
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

    /// The current state: connecting, open, paused or closed. While a
    /// [`Reconnect`](crate::Reconnect) policy waits to replace a failed connection, it is
    /// `Connecting`. Read inside a callback, it agrees with the event being delivered:
    /// `Closed` inside the final error, `Open` inside `on_open`; unless a callback before
    /// it closed the source while that event was delivered, which reaches the remaining
    /// callbacks (as a DOM event reaches its remaining listeners), and they read `Closed`.
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
    /// sends back as `Last-Event-ID` when it reconnects, and what a
    /// [`Reconnect`](crate::Reconnect) policy resumes after. An event without an id does
    /// not change it. A replacement or a pause's reopen that cannot send it (the native
    /// transport under a policy's
    /// [`resume_param(None)`](crate::Reconnect::resume_param)) starts over, and this reads
    /// empty until the server sends an id.
    ///
    /// On the native transport only events of subscribed types are seen, so an id carried
    /// by an event of a type nobody subscribed to is not reflected here until a subscribed
    /// one arrives. The fetch transport reads every event's id.
    ///
    /// A follower of a source shared across tabs
    /// ([`share_across_tabs`](crate::Builder::share_across_tabs)) that has received no
    /// event yet reads where the leader stands, once the leader's first beat arrives: the
    /// stream resumes there if this tab takes over. In a shared source the id follows
    /// every event the leader passes on, whatever its type, since the connection it
    /// resumes is the one the tabs share.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use web_eventsource::EventSource;
    /// let es = EventSource::new("/sse")?;
    /// let _l = es.on_message(|_| {});
    /// // ... later
    /// web_sys::console::log_1(&format!("resume point: {:?}", es.last_event_id()).into());
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn last_event_id(&self) -> String {
        self.connection.last_event_id()
    }

    /// Closes the connection for good and ends every stream made from this source (after
    /// they yield what they already received). Listeners are never called again, but for
    /// the event being delivered when a callback calls this: as a DOM event does, it
    /// still reaches the callbacks after that one (which read `Closed`), and the
    /// `Closed` state follows.
    /// Closing twice, or using the source afterwards, is harmless: new listeners are never
    /// called and new streams end at once (a [`state`](Self::state) stream yields
    /// `Closed` first; an error listener added while the delivery of `Closed` is under way,
    /// by a callback told of it, still hears the final error that closed the source).
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

    /// This tab's part in a source shared across tabs
    /// ([`Builder::share_across_tabs`]): [`Sharing::Private`] for a source with a
    /// connection of its own, else whether this tab leads (holds the connection) or
    /// follows, and how many sources share it. It changes when the lock passes from tab
    /// to tab. A shared source starts as a `Follower { tabs: 0 }`, asking for the lock:
    /// it leads a moment later (a task after `open()`, at the earliest) if no other tab
    /// does, and until then [`raw`](Self::raw) is `None`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use web_eventsource::{EventSource, Sharing};
    ///
    /// assert_eq!(EventSource::new("/sse")?.sharing(), Sharing::Private);
    /// let es = EventSource::builder("/sse").share_across_tabs(true).open()?;
    /// if let Sharing::Leader { tabs } = es.sharing() {
    ///     web_sys::console::log_1(&format!("this tab serves {tabs}").into());
    /// }
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn sharing(&self) -> Sharing {
        self.connection.sharing()
    }

    /// What carries the events: see [`Builder::transport`].
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use web_eventsource::{EventSource, Transport};
    ///
    /// assert_eq!(EventSource::new("/sse")?.transport(), Transport::Native);
    /// let es = EventSource::builder("/sse").header("Authorization", "Bearer t").open()?;
    /// assert_eq!(es.transport(), Transport::Fetch);
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn transport(&self) -> Transport {
        self.connection.transport()
    }

    /// The browser's own `EventSource` object in use now (a [`Reconnect`](crate::Reconnect)
    /// policy or a pause replaces it: while it waits, this is the closed one it replaces);
    /// `None` on the [fetch transport](Transport::Fetch).
    ///
    /// Closing it directly bypasses this crate: streams would not end. Use
    /// [`close`](Self::close).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use web_eventsource::EventSource;
    /// let es = EventSource::new("/sse")?;
    /// if let Some(raw) = es.raw() {
    ///     web_sys::console::log_1(&raw);
    /// }
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn raw(&self) -> Option<web_sys::EventSource> {
        self.connection.raw()
    }

    /// Calls `callback` each time the connection opens (again after each reconnect).
    ///
    /// A callback made after the source opened is not called for that opening: read
    /// [`ready_state`](Self::ready_state) first for the current state, or use the
    /// [`state`](Self::state) stream, which starts with it. (One made inside a state
    /// callback that is told of the opening is the exception: the state and the opening
    /// are delivered as one, so it is called for that opening too.) A callback that
    /// captures a clone of this source keeps it open while the listener lives; capture
    /// a [`WeakEventSource`] to avoid that.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use web_eventsource::EventSource;
    /// let es = EventSource::new("/sse")?;
    /// let _on_open = es.on_open(|| web_sys::console::log_1(&"connected".into()));
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn on_open(&self, callback: impl FnMut() + 'static) -> Listener {
        self.listener(self.connection.subscribe_open(Author::User, callback))
    }

    /// Calls `callback` with each `"message"` event (one with no `event:` field).
    ///
    /// A callback that captures a clone of this source keeps it open while the listener
    /// lives; capture a [`WeakEventSource`] to avoid that.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use web_eventsource::EventSource;
    /// let es = EventSource::new("/sse")?;
    /// let _on_message = es.on_message(|msg| web_sys::console::log_1(&msg.data().into()));
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn on_message(&self, callback: impl FnMut(Message) + 'static) -> Listener {
        self.on("message", callback)
    }

    /// Calls `callback` with each error: a lost connection the browser retries, a
    /// failure a [`Reconnect`](crate::Reconnect) policy retries, or a failure that ends
    /// the source (see [`ConnectionError::will_reconnect`]).
    ///
    /// A callback made on a closed source is never called, but for one made inside a
    /// state callback told of `Closed` because of a final error: the state and the error
    /// are delivered as one, so it is called with that error.
    ///
    /// A callback that captures a clone of this source keeps it open while the listener
    /// lives; capture a [`WeakEventSource`] to avoid that.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use web_eventsource::EventSource;
    /// let es = EventSource::new("/sse")?;
    /// let _on_error = es.on_error(|err| web_sys::console::warn_1(&err.to_string().into()));
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn on_error(&self, callback: impl FnMut(ConnectionError) + 'static) -> Listener {
        self.listener(self.connection.subscribe_error(Author::User, callback))
    }

    /// Calls `callback` with each event of type `event_type` (the `event:` field).
    ///
    /// However many callbacks subscribe to a type, the browser's source gets one JS
    /// listener for it, added with the first and removed with the last.
    ///
    /// Any name is a message type, `"open"` and `"error"` too: `on("error", …)` gets the
    /// server's events named `error` (`event: error`, which some APIs send to report a
    /// failure of their own), as [`Message`]s. The connection's own opening and failures
    /// go to [`on_open`](Self::on_open) and [`on_error`](Self::on_error), never here; the
    /// browser's own `EventSource` gives both kinds to its `error` listeners. No event has
    /// an empty type (a stream's `event:` line with none gives `"message"`) or one with a
    /// line break: a callback for such a type is never called.
    ///
    /// A callback that captures a clone of this source keeps it open while the listener
    /// lives; capture a [`WeakEventSource`] to avoid that.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use web_eventsource::EventSource;
    /// let es = EventSource::new("/sse")?;
    /// let _on_ping = es.on("ping", |msg| web_sys::console::log_1(&msg.data().into()));
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn on(&self, event_type: &str, callback: impl FnMut(Message) + 'static) -> Listener {
        self.listener(
            self.connection
                .subscribe_message(event_type, Author::User, callback),
        )
    }

    /// Calls `callback` with each change of [`ready_state`](Self::ready_state): open,
    /// connecting (the browser or a policy reconnecting), paused, and closed last. It is
    /// not called for the state current when it subscribes: read
    /// [`ready_state`](Self::ready_state) for that, or use [`state`](Self::state).
    ///
    /// A callback that captures a clone of this source keeps it open while the listener
    /// lives; capture a [`WeakEventSource`] to avoid that.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use web_eventsource::EventSource;
    /// let es = EventSource::new("/sse")?;
    /// let _on_state = es.on_state_change(|state| {
    ///     web_sys::console::log_1(&format!("now {state}").into());
    /// });
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn on_state_change(&self, callback: impl FnMut(ReadyState) + 'static) -> Listener {
        self.listener(self.connection.subscribe_state(Author::User, callback))
    }

    fn listener(&self, subscription: Option<Subscription>) -> Listener {
        Listener::new(self.connection.clone(), subscription)
    }

    /// The stream of `"message"` events. It buffers without limit until polled.
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
    ///     web_sys::console::log_1(&msg.data().into());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn messages(&self) -> MessageStream {
        self.subscribe("message")
    }

    /// The stream of events of type `event_type`. It buffers without limit until polled.
    /// Any name is a message type, `"open"` and `"error"` too (see [`on`](Self::on)).
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
    ///     web_sys::console::log_1(&ping.data().into());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn subscribe(&self, event_type: &str) -> MessageStream {
        self.subscribe_types(&[event_type])
    }

    /// One stream of the events of several types, in the order the server sent them
    /// (which merging one stream per type cannot promise). Each type still has one JS
    /// listener; a type named twice is subscribed once. It buffers without limit until
    /// polled.
    ///
    /// The types are any list of strings: `&["a", "b"]`, a `Vec<String>` from a
    /// configuration, or an iterator. An empty list makes a stream that yields nothing
    /// and, as every stream, ends when the source closes.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use futures::StreamExt;
    /// # use web_eventsource::EventSource;
    ///
    /// # async fn run() -> Result<(), web_eventsource::Error> {
    /// let es = EventSource::new("/sse")?;
    /// let mut updates = es.subscribe_many(["created", "updated", "deleted"]);
    /// while let Some(update) = updates.next().await {
    ///     web_sys::console::log_2(&update.event_type().into(), &update.data().into());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// Types known only at run time:
    ///
    /// ```no_run
    /// # use web_eventsource::EventSource;
    /// # fn run(es: &EventSource) {
    /// let tables: Vec<String> = vec!["users".into(), "orders".into()];
    /// let changes = es.subscribe_many(tables.iter().map(|table| format!("{table}.changed")));
    /// # drop(changes);
    /// # }
    /// ```
    pub fn subscribe_many<T: AsRef<str>>(
        &self,
        event_types: impl IntoIterator<Item = T>,
    ) -> MessageStream {
        let event_types: Vec<T> = event_types.into_iter().collect();
        let event_types: Vec<&str> = event_types.iter().map(AsRef::as_ref).collect();
        self.subscribe_types(&event_types)
    }

    /// [`subscribe_many`](Self::subscribe_many), not generic: one copy of the code for
    /// every kind of list.
    fn subscribe_types(&self, event_types: &[&str]) -> MessageStream {
        let (sender, receiver) = mpsc::unbounded();
        let mut listeners: Vec<Listener> = Vec::with_capacity(event_types.len());
        for (index, &event_type) in event_types.iter().enumerate() {
            if event_types[..index].contains(&event_type) {
                continue;
            }
            let sender = sender.clone();
            let subscription =
                self.connection
                    .subscribe_message(event_type, Author::Crate, move |message| {
                        // The receiver is gone only while the stream itself is being dropped.
                        let _ = sender.unbounded_send(message);
                    });
            listeners.push(self.listener(subscription));
        }
        // No type (an empty configuration): the sender is held by a listener that sends
        // nothing, so that the stream ends when the source closes, as every stream does,
        // and not at once, which reads as a closed source.
        if listeners.is_empty() {
            let subscription = self.connection.subscribe_state(Author::Crate, move |_| {
                let _ = &sender;
            });
            listeners.push(self.listener(subscription));
        }
        MessageStream::new(receiver, listeners)
    }

    /// The stream of events of type `event_type`, each decoded from JSON into `T`. It
    /// buffers without limit until polled.
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
    ///     web_sys::console::log_1(&ping.time.into());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn subscribe_json<T: DeserializeOwned>(&self, event_type: &str) -> JsonStream<T> {
        JsonStream::new(self.subscribe(event_type))
    }

    /// One ordered stream of open, `"message"` and error events. It buffers without limit
    /// until polled.
    ///
    /// A stream made after the source opened does not start with that opening: read
    /// [`ready_state`](Self::ready_state) for the current state, or use the
    /// [`state`](Self::state) stream, which starts with it. (One made inside a state
    /// callback that is told of the opening is the exception: the state and the opening
    /// are delivered as one, so it starts with that opening.)
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
    ///         web_sys::console::log_1(&msg.data().into());
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn events(&self) -> EventStream {
        let (sender, receiver) = mpsc::unbounded();
        let connection = &self.connection;
        let listeners = vec![
            self.listener(connection.subscribe_open(Author::Crate, {
                let sender = sender.clone();
                move || {
                    let _ = sender.unbounded_send(Event::Open);
                }
            })),
            self.listener(connection.subscribe_message("message", Author::Crate, {
                let sender = sender.clone();
                move |message| {
                    let _ = sender.unbounded_send(Event::Message(message));
                }
            })),
            self.listener(connection.subscribe_error(Author::Crate, move |error| {
                let _ = sender.unbounded_send(Event::Error(error));
            })),
        ];
        EventStream::new(receiver, listeners)
    }

    /// The stream of states: the current one at once, then each change (see
    /// [`on_state_change`](Self::on_state_change)). It ends after `Closed`. Made from a
    /// closed source, it yields `Closed` and ends. It buffers without limit until polled.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use futures::StreamExt;
    /// use web_eventsource::{EventSource, ReadyState};
    ///
    /// # async fn run() -> Result<(), web_eventsource::Error> {
    /// let es = EventSource::new("/sse")?;
    /// let mut states = es.state();
    /// while let Some(state) = states.next().await {
    ///     let badge = match state {
    ///         ReadyState::Open => "live",
    ///         ReadyState::Connecting => "reconnecting…",
    ///         ReadyState::Paused => "paused",
    ///         ReadyState::Closed => "offline",
    ///     };
    ///     web_sys::console::log_1(&badge.into());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn state(&self) -> StateStream {
        let (sender, receiver) = mpsc::unbounded();
        let _ = sender.unbounded_send(self.ready_state());
        let listener = self.listener(self.connection.subscribe_state(
            Author::Crate,
            move |state| {
                let _ = sender.unbounded_send(state);
            },
        ));
        StateStream::new(receiver, listener)
    }
}

/// Identity: clones of one source are equal; two sources never are, even at one URL.
impl PartialEq for EventSource {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.connection, &other.connection)
    }
}

impl Eq for EventSource {}

/// Hashes the identity, consistently with `==`. The identity never changes, so a source
/// is a sound key in a `HashSet` or `HashMap` (clippy's `mutable_key_type` lint, which
/// sees the interior mutability behind the handle, can be allowed there).
impl Hash for EventSource {
    fn hash<H: Hasher>(&self, state: &mut H) {
        Rc::as_ptr(&self.connection).hash(state);
    }
}

impl fmt::Debug for EventSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventSource")
            .field("url", &self.url())
            .field("with_credentials", &self.with_credentials())
            .field("transport", &self.transport())
            .field("ready_state", &self.ready_state())
            .field("subscribers", &self.connection.subscriber_count())
            .finish()
    }
}
