//! The seam between a connection and what carries its events. The connection owns one
//! attempt at a time, made by its opener: the browser's own `EventSource` ([`native`])
//! or a `fetch` whose body this crate parses ([`fetch`]). Everything above the seam
//! (fan-out, streams, the policy, pause, resume, the state) is shared.
//!
//! The native transport is reached by name ([`AnyOpener::Native`], [`AnyAttempt::Native`]),
//! the others through the [`Opener`] and [`Attempt`] traits. A trait object keeps every
//! method of its vtable, used or not; called by name, the native transport's methods are
//! linked only where the app calls them (an app that never unsubscribes links no
//! `unlisten`), and an app on the default transport alone stays as small as before the
//! seam.
//!
//! An attempt reports back through its `Weak<Connection>`: [`Connection::opened`],
//! [`Connection::received`] and [`Connection::errored`].
//!
//! [`Connection::opened`]: crate::connection::Connection::opened
//! [`Connection::received`]: crate::connection::Connection::received
//! [`Connection::errored`]: crate::connection::Connection::errored

pub(crate) mod fetch;
pub(crate) mod native;

use std::rc::{Rc, Weak};

use crate::connection::Connection;
use crate::topics::{Signal, Topic};
use crate::{Error, ErrorKind, ReadyState, Sharing};

/// What carries a source's events.
///
/// # Examples
///
/// ```no_run
/// use web_eventsource::{EventSource, Transport};
///
/// let es = EventSource::builder("/sse").transport(Transport::Fetch).open()?;
/// assert_eq!(es.transport(), Transport::Fetch);
/// assert_eq!(EventSource::new("/sse")?.transport(), Transport::Native);
/// # Ok::<(), web_eventsource::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Transport {
    /// The browser's own `EventSource`: the browser does the HTTP and the parsing. GET
    /// only, no custom headers. The default.
    #[default]
    Native,
    /// `fetch`, with the body parsed in Rust (WHATWG HTML §9.2.6): custom headers, any
    /// method and body, a real `Last-Event-ID` header on every reconnect, the HTTP status
    /// of a failure, and no DOM event per message.
    Fetch,
}

/// One request for the stream: the first, or a replacement after a failure or a pause.
pub(crate) struct Request<'a> {
    /// The URL to ask for: the one given, or the resume URL.
    pub(crate) url: &'a str,
    /// The resume point (`""`: none), which `fetch` sends as `Last-Event-ID`.
    pub(crate) last_event_id: &'a str,
    pub(crate) with_credentials: bool,
}

/// Makes the connection's attempts: one per connection, chosen by the builder.
pub(crate) trait Opener {
    fn transport(&self) -> Transport;

    /// Starts an attempt that reports to `connection`. On the first open the connection
    /// is being made with its attempt (`Rc::new_cyclic`): `connection` does not upgrade
    /// until this returns, so nothing here may reach the connection at once.
    ///
    /// # Errors
    ///
    /// What the browser says of the URL or the options, as [`Error`].
    fn open(
        &self,
        connection: Weak<Connection>,
        request: &Request<'_>,
    ) -> Result<AnyAttempt, Error>;

    /// The connection is about to deliver `signal` to its subscribers: a source shared
    /// across tabs passes it on to the other tabs when this one leads, and leaves them
    /// when it closes (every close delivers a `Closed` state or a final error).
    fn delivering(&self, _signal: &Signal) {}

    /// Whether a page hidden for long may pause the source: close its attempt, and send
    /// its request again when the page is visible. Not a request other than a GET, whose
    /// body would then be sent again (see `Builder::method`).
    fn pausable(&self) -> bool {
        true
    }

    /// This tab's part in a source shared across tabs.
    fn sharing(&self) -> Sharing {
        Sharing::Private
    }
}

/// The transport of the connection's current attempt.
pub(crate) trait Attempt {
    /// The URL of the request, resolved.
    fn url(&self) -> String;
    /// Starts delivering `topic`'s message type (a new subscription).
    fn listen(&self, topic: &Rc<Topic>);
    /// Stops delivering `topic`'s message type (its last subscriber left).
    fn unlisten(&self, topic: &Rc<Topic>);
    /// Connecting, open, or closed (by the attempt, or given up).
    fn ready_state(&self) -> ReadyState;
    /// The resume point as this attempt knows it, when it does (`None`: read it from the
    /// messages delivered).
    fn last_event_id(&self) -> Option<String>;
    /// Stops for good: no further report. Idempotent.
    fn close(&self);
    /// The browser's own `EventSource`, on the native transport.
    fn raw(&self) -> Option<web_sys::EventSource>;
    /// Whether the attempt relays what another tab's connection delivers (a follower of
    /// a shared source): that tab's policy decides what its failures lead to, so this
    /// one's does not watch the attempt.
    fn relayed(&self) -> bool {
        false
    }
}

/// A failure an attempt reports.
pub(crate) struct Failure {
    pub(crate) kind: ErrorKind,
    /// The HTTP status, when the transport saw one.
    pub(crate) status: Option<u16>,
    /// Whether the transport cannot see the HTTP status of a failure (the browser's
    /// `EventSource` hides it): only then does a policy's status probe ask the server.
    /// Fetch sees every status, and its failures without one (a network failure, an
    /// event past the size bound) had none to see.
    pub(crate) status_hidden: bool,
    /// The browser's own `error` event, on the native transport.
    pub(crate) event: Option<web_sys::Event>,
    /// Whether the attempt reconnects by itself (after a lost connection).
    pub(crate) reconnecting: bool,
    /// Whether the attempt opened since it was made or since its last failure: a
    /// failure without an opening is a connect that failed, not a drop.
    pub(crate) was_open: bool,
    /// Why the request could not be made, when that is the failure: e.g. a header that
    /// `headers_with` returned for it, which the browser refused.
    pub(crate) cause: Option<Rc<Error>>,
}

/// A connection's opener: the native transport's, or another behind [`Opener`].
pub(crate) enum AnyOpener {
    Native,
    Other(Box<dyn Opener>),
}

impl Opener for AnyOpener {
    fn transport(&self) -> Transport {
        match self {
            Self::Native => Transport::Native,
            Self::Other(opener) => opener.transport(),
        }
    }

    fn open(
        &self,
        connection: Weak<Connection>,
        request: &Request<'_>,
    ) -> Result<AnyAttempt, Error> {
        match self {
            Self::Native => native::open(connection, request).map(AnyAttempt::Native),
            Self::Other(opener) => opener.open(connection, request),
        }
    }

    fn delivering(&self, signal: &Signal) {
        if let Self::Other(opener) = self {
            opener.delivering(signal);
        }
    }

    fn pausable(&self) -> bool {
        match self {
            Self::Native => true,
            Self::Other(opener) => opener.pausable(),
        }
    }

    fn sharing(&self) -> Sharing {
        match self {
            Self::Native => Sharing::Private,
            Self::Other(opener) => opener.sharing(),
        }
    }
}

/// A connection's current attempt: the native transport's, another behind [`Attempt`],
/// or none (only in a connection whose first attempt was refused, dropped at once).
pub(crate) enum AnyAttempt {
    None,
    Native(native::NativeAttempt),
    Other(Box<dyn Attempt>),
}

impl Attempt for AnyAttempt {
    fn url(&self) -> String {
        match self {
            Self::None => String::new(),
            Self::Native(attempt) => attempt.url(),
            Self::Other(attempt) => attempt.url(),
        }
    }

    fn listen(&self, topic: &Rc<Topic>) {
        match self {
            Self::None => {}
            Self::Native(attempt) => attempt.listen(topic),
            Self::Other(attempt) => attempt.listen(topic),
        }
    }

    fn unlisten(&self, topic: &Rc<Topic>) {
        match self {
            Self::None => {}
            Self::Native(attempt) => attempt.unlisten(topic),
            Self::Other(attempt) => attempt.unlisten(topic),
        }
    }

    fn ready_state(&self) -> ReadyState {
        match self {
            Self::None => ReadyState::Connecting,
            Self::Native(attempt) => attempt.ready_state(),
            Self::Other(attempt) => attempt.ready_state(),
        }
    }

    fn last_event_id(&self) -> Option<String> {
        match self {
            Self::None => None,
            Self::Native(attempt) => attempt.last_event_id(),
            Self::Other(attempt) => attempt.last_event_id(),
        }
    }

    fn close(&self) {
        match self {
            Self::None => {}
            Self::Native(attempt) => attempt.close(),
            Self::Other(attempt) => attempt.close(),
        }
    }

    fn raw(&self) -> Option<web_sys::EventSource> {
        match self {
            Self::None => None,
            Self::Native(attempt) => attempt.raw(),
            Self::Other(attempt) => attempt.raw(),
        }
    }

    fn relayed(&self) -> bool {
        match self {
            Self::None => false,
            Self::Native(attempt) => attempt.relayed(),
            Self::Other(attempt) => attempt.relayed(),
        }
    }
}
