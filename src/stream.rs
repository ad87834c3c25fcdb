//! Async streams of a source's events, over `futures-channel`.
//!
//! Each stream owns the [`Listener`]s whose callbacks feed an unbounded channel. The
//! stream ends (`None`) once the source is closed or has failed for good: the source drops
//! the callbacks, and with them the senders. Events already received are still yielded
//! first.
//!
//! The channels are unbounded: a stream nobody polls keeps every event it receives. A
//! bounded channel would have to drop events or stall the browser's dispatch, and this
//! crate promises neither happens; poll a stream or drop it.

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_channel::mpsc::UnboundedReceiver;
use futures_core::stream::{FusedStream, Stream};
use serde::de::DeserializeOwned;

use crate::{Error, Event, Listener, Message, ReadyState};

/// The stream of the events of one type, or of several in the server's order, from
/// [`messages`](crate::EventSource::messages),
/// [`subscribe`](crate::EventSource::subscribe) or
/// [`subscribe_many`](crate::EventSource::subscribe_many).
///
/// It keeps the connection open while it lives, and ends when the source is closed or
/// fails for good. It buffers what it receives, without limit, until polled.
///
/// # Examples
///
/// ```no_run
/// use futures::StreamExt;
/// use web_eventsource::EventSource;
///
/// # async fn run() -> Result<(), web_eventsource::Error> {
/// let es = EventSource::new("/sse")?;
/// let mut pings = es.subscribe("ping");
/// drop(es); // the stream keeps the connection open
/// while let Some(ping) = pings.next().await {
///     web_sys::console::log_1(&ping.data().into());
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct MessageStream {
    receiver: UnboundedReceiver<Message>,
    listeners: Vec<Listener>,
}

impl MessageStream {
    pub(crate) fn new(receiver: UnboundedReceiver<Message>, listeners: Vec<Listener>) -> Self {
        Self {
            receiver,
            listeners,
        }
    }
}

impl Stream for MessageStream {
    type Item = Message;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Message>> {
        Pin::new(&mut self.receiver).poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.receiver.size_hint()
    }
}

impl FusedStream for MessageStream {
    fn is_terminated(&self) -> bool {
        self.receiver.is_terminated()
    }
}

impl fmt::Debug for MessageStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MessageStream")
            .field("listeners", &self.listeners)
            .finish_non_exhaustive()
    }
}

/// The stream of one event type decoded from JSON, from
/// [`subscribe_json`](crate::EventSource::subscribe_json).
///
/// An event whose data does not decode yields an `Err(`[`Error::Decode`]`)` item and the
/// stream goes on. Decoding happens as items are polled, not as events arrive. It buffers
/// what it receives, without limit, until polled.
///
/// # Examples
///
/// ```no_run
/// use futures::StreamExt;
/// use web_eventsource::EventSource;
///
/// #[derive(serde::Deserialize)]
/// struct Ping {
///     time: String,
/// }
///
/// # async fn run() -> Result<(), web_eventsource::Error> {
/// let es = EventSource::new("/sse")?;
/// let mut pings = es.subscribe_json::<Ping>("ping");
/// while let Some(ping) = pings.next().await {
///     match ping {
///         Ok(ping) => web_sys::console::log_1(&ping.time.into()),
///         Err(err) => web_sys::console::warn_1(&err.to_string().into()),
///     }
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct JsonStream<T> {
    messages: MessageStream,
    // `fn() -> T`: the stream yields `T`s but owns none, so `T` needs no `Unpin` or `Send`.
    _decodes_to: PhantomData<fn() -> T>,
}

impl<T> JsonStream<T> {
    pub(crate) fn new(messages: MessageStream) -> Self {
        Self {
            messages,
            _decodes_to: PhantomData,
        }
    }
}

impl<T: DeserializeOwned> Stream for JsonStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.messages)
            .poll_next(cx)
            .map(|item| item.map(|message| message.json::<T>()))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.messages.size_hint()
    }
}

impl<T: DeserializeOwned> FusedStream for JsonStream<T> {
    fn is_terminated(&self) -> bool {
        self.messages.is_terminated()
    }
}

impl<T> fmt::Debug for JsonStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonStream")
            .field("type", &std::any::type_name::<T>())
            .field("messages", &self.messages)
            .finish()
    }
}

/// Every open, `"message"` and error event of a source in one ordered stream, from
/// [`events`](crate::EventSource::events).
///
/// The last item before the end is the [`Event::Error`] that failed the connection, unless
/// the source was closed with [`close`](crate::EventSource::close). It buffers what it
/// receives, without limit, until polled.
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
///     if let Event::Error(err) = event {
///         web_sys::console::warn_1(&err.to_string().into());
///     }
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct EventStream {
    receiver: UnboundedReceiver<Event>,
    listeners: Vec<Listener>,
}

impl EventStream {
    pub(crate) fn new(receiver: UnboundedReceiver<Event>, listeners: Vec<Listener>) -> Self {
        Self {
            receiver,
            listeners,
        }
    }
}

impl Stream for EventStream {
    type Item = Event;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        Pin::new(&mut self.receiver).poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.receiver.size_hint()
    }
}

impl FusedStream for EventStream {
    fn is_terminated(&self) -> bool {
        self.receiver.is_terminated()
    }
}

impl fmt::Debug for EventStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("listeners", &self.listeners)
            .finish_non_exhaustive()
    }
}

/// The states of a source, from [`state`](crate::EventSource::state): the current one
/// first, then each change; it ends after [`ReadyState::Closed`].
///
/// It keeps the connection open while it lives. It buffers what it receives, without
/// limit, until polled.
///
/// # Examples
///
/// ```no_run
/// use futures::StreamExt;
/// use web_eventsource::EventSource;
///
/// # async fn run() -> Result<(), web_eventsource::Error> {
/// let es = EventSource::new("/sse")?;
/// let mut states = es.state();
/// while let Some(state) = states.next().await {
///     web_sys::console::log_1(&state.to_string().into());
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct StateStream {
    receiver: UnboundedReceiver<ReadyState>,
    listener: Listener,
}

impl StateStream {
    pub(crate) fn new(receiver: UnboundedReceiver<ReadyState>, listener: Listener) -> Self {
        Self { receiver, listener }
    }
}

impl Stream for StateStream {
    type Item = ReadyState;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<ReadyState>> {
        Pin::new(&mut self.receiver).poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.receiver.size_hint()
    }
}

impl FusedStream for StateStream {
    fn is_terminated(&self) -> bool {
        self.receiver.is_terminated()
    }
}

impl fmt::Debug for StateStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StateStream")
            .field("listener", &self.listener)
            .finish_non_exhaustive()
    }
}
