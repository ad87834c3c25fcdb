//! [`WeakEventSource`]: a handle that does not keep the connection open.

use std::fmt;
use std::rc::Weak;

use crate::connection::Connection;
use crate::EventSource;

/// A handle to an [`EventSource`] that does not keep its connection open; made by
/// [`EventSource::downgrade`].
///
/// Capture one in a callback that needs its own source: a callback holding an
/// `EventSource` clone keeps the connection alive as long as the callback lives, so a
/// callback whose listener is kept with the callback (or in anything it captures) would
/// hold the connection open for good. [`upgrade`](Self::upgrade) gives the source back
/// while any strong handle ([`EventSource`], [`Listener`](crate::Listener) or stream)
/// still lives.
///
/// Weak handles compare equal when they point at the same source.
///
/// # Examples
///
/// ```no_run
/// use web_eventsource::EventSource;
///
/// let es = EventSource::new("/sse")?;
/// let weak = es.downgrade();
/// let _on_message = es.on_message(move |msg| {
///     if msg.data() == "bye" {
///         if let Some(es) = weak.upgrade() {
///             es.close();
///         }
///     }
/// });
/// # Ok::<(), web_eventsource::Error>(())
/// ```
#[derive(Clone)]
pub struct WeakEventSource {
    connection: Weak<Connection>,
}

impl WeakEventSource {
    pub(crate) fn new(connection: Weak<Connection>) -> Self {
        Self { connection }
    }

    /// The source, if any strong handle to it still lives; `None` once the last one was
    /// dropped (the connection is then closed). A source closed with
    /// [`close`](EventSource::close) but still held upgrades to that closed source.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use web_eventsource::EventSource;
    /// let es = EventSource::new("/sse")?;
    /// let weak = es.downgrade();
    /// if let Some(es) = weak.upgrade() {
    ///     web_sys::console::log_1(&es.url().into());
    /// }
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn upgrade(&self) -> Option<EventSource> {
        self.connection.upgrade().map(EventSource::from_connection)
    }
}

impl PartialEq for WeakEventSource {
    fn eq(&self, other: &Self) -> bool {
        self.connection.ptr_eq(&other.connection)
    }
}

impl Eq for WeakEventSource {}

/// By identity, as [`PartialEq`] compares: two handles to one source hash alike.
impl std::hash::Hash for WeakEventSource {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.connection.as_ptr().hash(state);
    }
}

/// A handle to no source: [`upgrade`](WeakEventSource::upgrade) is always `None`.
///
/// # Examples
///
/// ```
/// use web_eventsource::WeakEventSource;
///
/// assert!(WeakEventSource::default().upgrade().is_none());
/// ```
impl Default for WeakEventSource {
    fn default() -> Self {
        Self {
            connection: Weak::new(),
        }
    }
}

impl fmt::Debug for WeakEventSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WeakEventSource")
            .field("alive", &(self.connection.strong_count() > 0))
            .finish()
    }
}
