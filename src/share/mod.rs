//! Cross-tab sharing ([`Builder::share_across_tabs`](crate::Builder::share_across_tabs)):
//! one connection for every tab of a browser that asks for the same stream.
//!
//! One tab, the leader, holds a Web Lock named after the stream ([`key`]) and the real
//! connection; every other follows, receiving the leader's events over a
//! `BroadcastChannel` of the same name. The shared source's [`Opener`] wraps the real one
//! (native or fetch): while its tab leads it opens the real transport, reporting to the
//! connection as a private source does; while it follows, its attempt is "the channel"
//! ([`follower`]). The role, the lock and the channel are the [`tab`]'s.
//!
//! Linked only into apps that ask for it: the builder reaches it through the function
//! pointer [`start`], which only [`ShareAcrossTabs::ON`] holds.

mod choice;
mod follower;
mod ids;
mod key;
mod locks;
mod tab;
mod wire;

use std::cell::{OnceCell, RefCell};
use std::rc::{Rc, Weak};

use crate::cells;
use crate::connection::Connection;
use crate::first_request::resolve;
use crate::topics::Signal;
use crate::transport::fetch::FetchOptions;
use crate::transport::{AnyAttempt, AnyOpener, Opener, Request, Transport};
use crate::Error;

pub use choice::ShareAcrossTabs;
use tab::Tab;

/// This tab's part in a source shared across tabs: see
/// [`Builder::share_across_tabs`](crate::Builder::share_across_tabs).
///
/// # Examples
///
/// ```no_run
/// use web_eventsource::{EventSource, Sharing};
///
/// let es = EventSource::builder("/sse").share_across_tabs(true).open()?;
/// match es.sharing() {
///     Sharing::Leader { tabs } => web_sys::console::log_1(&format!("leading {tabs} tabs").into()),
///     Sharing::Follower { .. } => web_sys::console::log_1(&"another tab holds the connection".into()),
///     Sharing::Private | _ => web_sys::console::log_1(&"a connection of its own".into()),
/// }
/// # Ok::<(), web_eventsource::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Sharing {
    /// The source has a connection of its own: sharing was not asked for, the browser
    /// lacks Web Locks or `BroadcastChannel` (an insecure context, an old browser), the
    /// request's method is not GET, or the source is closed.
    Private,
    /// This tab holds the connection and passes its events on to the others.
    Leader {
        /// How many sources share the connection, this one included. A source in a tab
        /// that went away without saying goodbye (it crashed, say) counts until the
        /// leader sees its presence lock gone, within seconds; in a browser that cannot
        /// list locks, for up to 3 minutes. One whose page is frozen or in the
        /// back/forward cache does not count until it comes back.
        tabs: u32,
    },
    /// Another tab holds the connection; this one receives its events. Every shared
    /// source starts here, with `tabs` 0, while it asks for the lock: the first tab
    /// leads a moment later.
    Follower {
        /// How many sources share the connection, as the leader last said (0 until it
        /// has).
        tabs: u32,
    },
}

/// Wraps a source's opener so that it shares its connection, or gives it back, unchanged,
/// where the browser cannot share (no Web Locks or no `BroadcastChannel`), the URL does
/// not resolve, or the request's method is not GET. (A source given its opener back is a
/// private one, as is one whose lock is refused later: the builder treats both alike.)
pub(crate) type Start = fn(AnyOpener, &str, bool, &FetchOptions) -> AnyOpener;

/// The [`Start`] that [`ShareAcrossTabs::ON`] holds.
pub(crate) fn start(
    inner: AnyOpener,
    url: &str,
    with_credentials: bool,
    fetch: &FetchOptions,
) -> AnyOpener {
    // A request with another method is sent once and its answer is one tab's: a tab
    // taking the lead over would send it again, and one joining would get the rest of
    // another tab's answer. Each tab sends its own, as without the option.
    if !crate::transport::fetch::is_get(fetch) {
        return inner;
    }
    let Some(name) = key::name(url, with_credentials, inner.transport(), fetch) else {
        return inner;
    };
    if !locks::available() {
        return inner;
    }
    // Made here, so that a browser without it gets a private source from the start.
    let Ok(channel) = web_sys::BroadcastChannel::new(&name) else {
        return inner;
    };
    AnyOpener::Other(Box::new(SharedOpener {
        inner,
        name,
        channel: RefCell::new(Some(channel)),
        tab: OnceCell::new(),
    }))
}

struct SharedOpener {
    inner: AnyOpener,
    name: String,
    /// The channel, until the first attempt joins the tab with it.
    channel: RefCell<Option<web_sys::BroadcastChannel>>,
    tab: OnceCell<Rc<Tab>>,
}

impl SharedOpener {
    fn tab(&self, connection: &Weak<Connection>, request: &Request<'_>) -> Option<Rc<Tab>> {
        if let Some(tab) = self.tab.get() {
            return Some(tab.clone());
        }
        let channel = cells::borrow_mut(&self.channel).take()?;
        let tab = Tab::join(
            self.name.clone(),
            channel,
            connection.clone(),
            request.last_event_id,
        );
        Some(self.tab.get_or_init(|| tab).clone())
    }
}

impl Opener for SharedOpener {
    fn transport(&self) -> Transport {
        self.inner.transport()
    }

    fn pausable(&self) -> bool {
        self.inner.pausable()
    }

    fn open(
        &self,
        connection: Weak<Connection>,
        request: &Request<'_>,
    ) -> Result<AnyAttempt, Error> {
        match self.tab(&connection, request) {
            Some(tab) if !tab.leads() => {
                let url = resolve(request.url).unwrap_or_else(|| request.url.to_owned());
                Ok(AnyAttempt::Other(Box::new(tab.follow(url))))
            }
            _ => self.inner.open(connection, request),
        }
    }

    fn delivering(&self, signal: &Signal) {
        if let Some(tab) = self.tab.get() {
            tab.delivering(signal);
        }
    }

    fn sharing(&self) -> crate::Sharing {
        self.tab.get().map_or(Sharing::Private, |tab| tab.sharing())
    }
}

impl Drop for SharedOpener {
    fn drop(&mut self) {
        if let Some(tab) = self.tab.get() {
            tab.leave();
        }
    }
}
