//! Async streams of a source's events, over `futures-channel`.
//!
//! Each stream owns a [`Listener`] whose callback feeds an unbounded channel. The stream
//! ends (`None`) once the source is closed or has failed for good: the source drops the
//! callbacks, and with them the senders. Events already received are still yielded first.

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_channel::mpsc::UnboundedReceiver;
use futures_core::stream::{FusedStream, Stream};
use serde::de::DeserializeOwned;

use crate::{Error, Event, Listener, Message};

/// The stream of one event type, from [`messages`](crate::EventSource::messages) or
/// [`subscribe`](crate::EventSource::subscribe).
///
/// It keeps the connection open while it lives, and ends when the source is closed or
/// fails for good.
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
///     eprintln!("ping: {}", ping.data());
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct MessageStream {
    receiver: UnboundedReceiver<Message>,
    listener: Listener,
}

impl MessageStream {
    pub(crate) fn new(receiver: UnboundedReceiver<Message>, listener: Listener) -> Self {
        Self { receiver, listener }
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
            .field("listener", &self.listener)
            .finish_non_exhaustive()
    }
}

/// The stream of one event type decoded from JSON, from
/// [`subscribe_json`](crate::EventSource::subscribe_json).
///
/// An event whose data does not decode yields an `Err(`[`Error::Decode`]`)` item and the
/// stream goes on. Decoding happens as items are polled, not as events arrive.
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
///         Ok(ping) => eprintln!("ping at {}", ping.time),
///         Err(err) => eprintln!("skipped: {err}"),
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
/// the source was closed with [`close`](crate::EventSource::close).
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
///         eprintln!("{err}");
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
