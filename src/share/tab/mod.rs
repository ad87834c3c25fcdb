//! One shared source's place among the tabs: its lock request, its end of the channel,
//! its role, and the timers that keep the group alive.
//!
//! Roles:
//! - **following**: the lock is requested and waits; the source's attempt is a
//!   [`FollowerAttempt`] fed by the leader's broadcasts. It announces its event types
//!   every second, and when the leader has been silent for [`SILENCE_MS`] it asks
//!   (`probe`); if nobody answers within [`PROBE_WAIT_MS`], it steals the lock.
//! - **draining**: the lock was just granted. It says so (`claim`: nobody else steals),
//!   then goes on following for [`DRAIN_MS`], so that what the previous leader sent
//!   before letting go reaches it first (see [`DRAIN_MS`]).
//! - **leading**: the source's attempt is the real transport, reporting to the
//!   connection as a private one would; what the connection delivers is broadcast
//!   ([`Tab::delivering`]), and the connection keeps a subscription for each type a
//!   follower wants, so that the transport listens for it.
//! - **away**: the page was hidden (`pagehide`: unloaded, or kept in the back/forward
//!   cache) or frozen: the stream's lock and the presence lock are given up, and not
//!   asked for until the page comes back, if it does; it follows meanwhile.
//! - **alone**: the browser refused the lock: a private source from then on.
//! - **left**: closed.

mod channel;
mod leading;

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use gloo_timers::callback::{Interval, Timeout};
use wasm_bindgen::JsCast;

use super::follower::{FollowerAttempt, Following};
use super::ids::Ids;
use super::locks::{self, LockRequest};
use super::wire::{self, Broadcast, News, Note, Request};
use crate::cells;
use crate::connection::Connection;
use crate::dom_listener::DomListener;
use crate::global::DOCUMENT;
use crate::topics::Subscription;
use crate::Sharing;

/// The timers' period.
const TICK_MS: u32 = 500;
/// The leader beats, and followers announce their types, every this many ticks (1 s).
const TICKS_PER_BEAT: u32 = 2;
/// A follower probes a leader silent for this long, plus up to [`SILENCE_SPREAD_MS`] at
/// random (so that followers do not all steal at once).
const SILENCE_MS: f64 = 3_000.0;
const SILENCE_SPREAD_MS: f64 = 1_000.0;
/// How long a probe waits for the leader's answer before the lock is stolen.
const PROBE_WAIT_MS: f64 = 1_000.0;
/// How long a tab that was granted the lock goes on following before it opens the
/// stream. The previous leader broadcasts its last events and only then releases the
/// lock, but the channel and the lock manager are two roads: the grant may overtake the
/// last broadcasts (or a final error). Waiting lets them arrive, so the new leader resumes
/// after the very last event, and a final error ends it instead of a pointless reopen.
/// Anything slower still is caught by the followers' repeat check ([`Ids`]). 250 ms is
/// many times a channel's latency, and a small part of the 2 s a failover may take. A tab
/// that has heard no leader since it joined (the first tab) has nothing to wait for, and
/// opens at once.
pub(crate) const DRAIN_MS: u32 = 250;
/// A follower not heard from for this long is forgotten (its types no longer listened
/// for). Long: a hidden tab's timers may run only once a minute, and a tab that closes
/// says `bye`. A follower that went away without a word is forgotten much sooner, when
/// its presence lock is gone ([`Tab::check_presence`]); this is for browsers that cannot
/// list locks. Not a follower whose page went away saying it may come back: that one is
/// forgotten once the broadcasts it would ask for are no longer kept
/// ([`Tab::forget_the_long_away`]).
const PEER_EXPIRY_MS: f64 = 180_000.0;
/// A follower heard from this recently is kept without looking for its presence lock:
/// one that has just joined may not hold it yet, and one that announces itself (every
/// second) is there. Longer than the announcements' period.
const PRESENCE_GRACE_MS: f64 = 2_500.0;
/// How many of its latest broadcasts a leader keeps to send again to a follower that
/// missed them ([`Tab::resend`]), and how much event data at most: a page
/// frozen or kept in the back/forward cache for a while gets them back; one away for
/// longer starts again from the leader's position.
const KEPT_BROADCASTS: u32 = 256;
/// In UTF-16 code units (2 bytes each).
const KEPT_DATA: u32 = 1 << 20;
/// How many followers whose page went away saying it may come back a leader remembers
/// at most: the oldest goes first. Most such pages never come back (a multi-page app
/// leaves one in the back/forward cache on every link followed, and the browser evicts
/// them without a word), and on a quiet stream the kept broadcasts may reach back for
/// hours: without a bound, the leader would listen for each one's types that long.
const KEPT_AWAY: usize = 16;
/// How long a follower that asked for what it missed drops the leader's later
/// broadcasts while it waits for them (the resent ones come first): past this, the
/// leader is taken not to answer, and the follower goes on from where it stands.
const RESEND_WAIT_MS: f64 = 2_000.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Following,
    Draining,
    Leading,
    Away,
    Alone,
    Left,
}

/// Another source on the channel, as its announcements describe it.
struct Peer {
    tab: f64,
    types: Vec<String>,
    heard: f64,
    /// Leading: the follower's page went away (frozen, or in the back/forward cache)
    /// after this tab's broadcast of this sequence number. It is not counted, but its
    /// types are still listened for while the broadcasts it will ask for are kept: when
    /// it comes back, they hold its own events too ([`Tab::forget_the_long_away`]).
    away_after: Option<f64>,
}

impl Peer {
    fn present(&self) -> bool {
        self.away_after.is_none()
    }
}

pub(crate) struct Tab {
    me: Weak<Tab>,
    /// This source's id on the channel.
    id: f64,
    /// The lock's name.
    name: String,
    connection: Weak<Connection>,
    channel: web_sys::BroadcastChannel,
    /// The channel's `message` listener and the page's lifecycle listeners.
    listeners: RefCell<Vec<DomListener>>,
    ticker: RefCell<Option<Interval>>,
    ticks: Cell<u32>,
    drain: RefCell<Option<Timeout>>,
    lock: RefCell<Option<LockRequest>>,
    /// The presence lock, held while the page is there ([`presence_lock_name`]).
    presence: RefCell<Option<LockRequest>>,
    /// A listing of the locks, asked by [`Tab::check_presence`], has not come back yet.
    listing: Cell<bool>,
    role: Cell<Role>,
    /// The sequence number of this tab's last broadcast, as leader.
    seq: Cell<f64>,
    /// While leading: its latest broadcasts as posted, oldest first ([`KEPT_BROADCASTS`]),
    /// and the length of their events' data. A JavaScript array: the notes are JavaScript
    /// arrays already, and a Rust collection of them would cost every sharing app its
    /// code.
    kept: js_sys::Array,
    kept_data: Cell<u32>,
    /// While leading: one subscription per type some follower wants.
    wanted: RefCell<Vec<(String, Subscription)>>,
    peers: RefCell<Vec<Peer>>,
    /// How many share the connection, as the leader last said.
    tabs: Cell<u32>,
    /// The leader followed, and its last sequence number.
    leader: Cell<Option<f64>>,
    last_seq: Cell<f64>,
    /// Back from away: the leader may have changed meanwhile (see `come_back`).
    returning: Cell<bool>,
    /// The sequence number after which this follower asked for the leader's broadcasts
    /// again, and when.
    resend_asked: Cell<Option<(f64, f64)>>,
    /// Whether any leader was heard since this source joined.
    heard_a_leader: Cell<bool>,
    last_heard: Cell<f64>,
    probed_at: Cell<Option<f64>>,
    silence_ms: f64,
    /// The current follower attempt, if any.
    following: RefCell<Option<Rc<Following>>>,
    ids: RefCell<Ids>,
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// Whether the page a `pagehide` hides may come back: it goes into the back/forward cache
/// (`persisted`), or the event does not say (it is not the browser's).
fn may_come_back(event: &web_sys::Event) -> bool {
    js_sys::Reflect::get(event, &"persisted".into())
        .ok()
        .and_then(|persisted| persisted.as_bool())
        != Some(false)
}

/// The name of the presence lock of source `tab` on the stream `name`: not the stream's
/// own prefix, so that no listing of the stream's locks mistakes it for the stream's.
fn presence_lock_name(name: &str, tab: f64) -> String {
    // The id as JavaScript writes it (an integer below 2^53: its digits): Rust's number
    // formatting would link half a kilobyte for this one use.
    let id = String::from(
        js_sys::Number::from(tab)
            .to_string_with_radix(10)
            .unwrap_or_default(),
    );
    let mut lock = String::from("web-eventsource tab ");
    lock.push_str(&id);
    lock.push(' ');
    lock.push_str(name);
    lock
}

impl Tab {
    /// Joins the group of `name` on `channel`: listens to it and to the page, takes its
    /// presence lock, and asks for the stream's lock.
    pub(crate) fn join(
        name: String,
        channel: web_sys::BroadcastChannel,
        connection: Weak<Connection>,
        resume_point: &str,
    ) -> Rc<Self> {
        let tab = Rc::new_cyclic(|me| Self {
            me: me.clone(),
            id: (js_sys::Math::random() * 9_007_199_254_740_991.0).floor(),
            name,
            connection,
            channel,
            listeners: RefCell::new(Vec::new()),
            ticker: RefCell::new(None),
            ticks: Cell::new(0),
            drain: RefCell::new(None),
            lock: RefCell::new(None),
            presence: RefCell::new(None),
            listing: Cell::new(false),
            role: Cell::new(Role::Following),
            seq: Cell::new(0.0),
            kept: js_sys::Array::new(),
            kept_data: Cell::new(0),
            wanted: RefCell::new(Vec::new()),
            peers: RefCell::new(Vec::new()),
            tabs: Cell::new(0),
            leader: Cell::new(None),
            last_seq: Cell::new(0.0),
            returning: Cell::new(false),
            resend_asked: Cell::new(None),
            heard_a_leader: Cell::new(false),
            last_heard: Cell::new(now()),
            probed_at: Cell::new(None),
            silence_ms: SILENCE_MS + js_sys::Math::random() * SILENCE_SPREAD_MS,
            following: RefCell::new(None),
            ids: RefCell::new(Ids::new(resume_point)),
        });
        tab.listen();
        // Present first: a refused lock request makes the source private at once, and
        // gives the presence lock back.
        tab.be_present();
        tab.request_lock(false);
        tab
    }

    fn listen(self: &Rc<Self>) {
        let on = |target: &web_sys::EventTarget,
                  event_type: &str,
                  act: fn(&Rc<Self>, &web_sys::Event)| {
            let me = self.me.clone();
            DomListener::new(target, event_type.to_owned(), move |event| {
                if let Some(tab) = me.upgrade() {
                    act(&tab, event);
                }
            })
        };
        let mut listeners = vec![on(&self.channel, "message", |tab, event| {
            if let Some(event) = event.dyn_ref::<web_sys::MessageEvent>() {
                tab.heard(&event.data());
            }
        })];
        // `pagehide` on the global object (a window; never fired in a worker), `freeze`
        // and `resume` on the document.
        let global: web_sys::EventTarget = js_sys::global().unchecked_into();
        listeners.push(on(&global, "pagehide", |tab, event| {
            tab.step_away(may_come_back(event));
        }));
        listeners.push(on(&global, "pageshow", |tab, _| tab.come_back()));
        if let Some(document) = DOCUMENT.with(Clone::clone) {
            listeners.push(on(&document, "freeze", |tab, _| tab.step_away(true)));
            listeners.push(on(&document, "resume", |tab, _| tab.come_back()));
        }
        *cells::borrow_mut(&self.listeners) = listeners;
        let me = self.me.clone();
        *cells::borrow_mut(&self.ticker) = Some(Interval::new(TICK_MS, move || {
            if let Some(tab) = me.upgrade() {
                tab.tick();
            }
        }));
    }

    /// Whether the source's attempt is the real transport (it leads, or is alone).
    pub(crate) fn leads(&self) -> bool {
        matches!(self.role.get(), Role::Leading | Role::Alone)
    }

    pub(crate) fn sharing(&self) -> Sharing {
        match self.role.get() {
            Role::Leading => Sharing::Leader {
                tabs: self.sharing_tabs(),
            },
            Role::Following | Role::Draining | Role::Away => Sharing::Follower {
                tabs: self.tabs.get(),
            },
            Role::Alone | Role::Left => Sharing::Private,
        }
    }

    /// Leading: how many sources share the connection, this one and the followers there.
    fn sharing_tabs(&self) -> u32 {
        let present = cells::borrow(&self.peers)
            .iter()
            .filter(|peer| peer.present())
            .count();
        1 + present as u32
    }

    /// The last event id this tab delivered (or, leading, broadcast).
    pub(crate) fn last_event_id(&self) -> Rc<str> {
        cells::borrow(&self.ids).last()
    }

    /// A new follower attempt for the stream at `url`.
    pub(crate) fn follow(self: &Rc<Self>, url: String) -> FollowerAttempt {
        let following = Rc::new(Following::new(url));
        let previous = cells::replace(&self.following, Some(following.clone()));
        drop(previous);
        self.announce();
        FollowerAttempt {
            tab: self.clone(),
            following,
        }
    }

    fn post(&self, note: &js_sys::Array) {
        // Posting fails only on a closed channel (after `leave`).
        let _ = self.channel.post_message(note);
    }

    fn say(&self, request: &Request) {
        self.post(&wire::request(self.id, request));
    }

    /// Posts `news` to the followers. A beat takes no sequence number of its own: it
    /// carries that of the broadcast before it, and is not kept. Numbered and kept, beats
    /// (one a second) would fill what a leader keeps within minutes of a quiet stream, and
    /// push out the very events a follower away for those minutes asks for again.
    fn broadcast(&self, news: News) {
        let numbered = !matches!(news, News::Beat { .. });
        let seq = self.seq.get() + if numbered { 1.0 } else { 0.0 };
        self.seq.set(seq);
        let note = wire::broadcast(&Broadcast {
            leader: self.id,
            seq,
            news,
        });
        self.post(&note);
        if numbered && self.role.get() == Role::Leading {
            self.keep(note);
        }
    }

    /// Keeps a broadcast for followers that miss it, and forgets the oldest past the
    /// bounds.
    fn keep(&self, note: js_sys::Array) {
        let mut data = self.kept_data.get().saturating_add(wire::event_data(&note));
        self.kept.push(&note);
        while self.kept.length() > KEPT_BROADCASTS || data > KEPT_DATA {
            let Ok(oldest) = self.kept.shift().dyn_into::<js_sys::Array>() else {
                break;
            };
            data = data.saturating_sub(wire::event_data(&oldest));
        }
        self.kept_data.set(data);
    }

    fn forget_kept(&self) {
        self.kept.set_length(0);
        self.kept_data.set(0);
    }

    /// Leading: forgets the followers away for longer than its kept broadcasts reach
    /// back, and so stops listening for the types only they wanted: back, they start
    /// again at this tab's position ([`Tab::resend`]) anyway. Not by time: a page frozen
    /// for an hour of a quiet stream gets its events back. One that never comes back (the
    /// browser evicted it from the cache, or discarded it) costs the leader the
    /// broadcasts of its types until then: at most what the leader keeps, counted in
    /// broadcasts, which on a quiet stream may take hours; and at most [`KEPT_AWAY`] such
    /// followers are remembered ([`Tab::forget_the_oldest_away`]). `true` when it forgot
    /// any.
    fn forget_the_long_away(&self) -> bool {
        let oldest = wire::seq_of(&self.kept.get(0));
        let mut peers = cells::borrow_mut(&self.peers);
        let before = peers.len();
        peers.retain(|peer| match peer.away_after {
            Some(after) => oldest.is_some_and(|oldest| oldest <= after + 1.0),
            None => true,
        });
        peers.len() != before
    }

    /// Leading: forgets the follower that went away first when more than [`KEPT_AWAY`]
    /// are away. `true` when it forgot one.
    fn forget_the_oldest_away(&self) -> bool {
        let mut peers = cells::borrow_mut(&self.peers);
        let away = || peers.iter().filter_map(|peer| peer.away_after);
        if away().count() <= KEPT_AWAY {
            return false;
        }
        let oldest = away().fold(f64::INFINITY, f64::min);
        let mut forgot = false;
        peers.retain(|peer| {
            let forget = !forgot && peer.away_after == Some(oldest);
            forgot |= forget;
            !forget
        });
        forgot
    }

    /// Leading: follower `to` missed this tab's broadcasts after sequence number `after`
    /// (its page was frozen, or in the back/forward cache, which gets no channel
    /// messages). They are posted again, as they were, each addressed to it alone (no
    /// other tab, a new one say, takes them up), and before any later broadcast. When they
    /// are no longer all kept, a `hello` with the last sequence number, addressed to it
    /// too, starts it again from this tab's position.
    pub(super) fn resend(&self, to: f64, after: f64) {
        if wire::seq_of(&self.kept.get(0)).is_some_and(|oldest| oldest <= after + 1.0) {
            for note in self.kept.iter() {
                if wire::seq_of(&note).is_some_and(|seq| seq > after) {
                    self.post(&wire::again(self.id, to, &note));
                }
            }
        } else {
            let hello = wire::broadcast(&Broadcast {
                leader: self.id,
                seq: self.seq.get(),
                news: News::Hello {
                    resume_after: String::from(&*self.last_event_id()),
                },
            });
            self.post(&wire::again(self.id, to, &hello));
        }
        // Beats are not kept, and the one that showed the follower its gap was dropped:
        // this one says at once how many share, and where the leader's policy stands.
        self.beat();
    }

    /// Tells the leader the types this tab's follower attempt listens to. Not while away:
    /// that tab has said `bye`, and a `want` would make the leader count it again (and
    /// drop it again at the presence check, which its released presence lock fails);
    /// `come_back` announces.
    pub(crate) fn announce(&self) {
        if !matches!(self.role.get(), Role::Following | Role::Draining) {
            return;
        }
        let types = match &*cells::borrow(&self.following) {
            Some(following) if !following.closed.get() => following.types(),
            _ => return,
        };
        self.say(&Request::Want(types));
    }

    // ----- the lock -----

    fn request_lock(&self, steal: bool) {
        let (granted, ended) = (self.me.clone(), self.me.clone());
        let request = LockRequest::new(
            &self.name,
            steal,
            move || {
                if let Some(tab) = granted.upgrade() {
                    tab.lock_granted();
                }
            },
            move |was_granted| {
                if let Some(tab) = ended.upgrade() {
                    tab.lock_ended(was_granted);
                }
            },
        );
        let refused = request.is_none();
        let previous = cells::replace(&self.lock, request);
        drop(previous);
        if refused {
            self.go_alone();
        }
    }

    /// Takes this source's presence lock, which says to the leader that it is still
    /// there while it is silent (its tab hidden, its timers throttled), and which the
    /// browser gives up when the tab or worker ends, whether or not it said goodbye.
    fn be_present(&self) {
        let presence = LockRequest::new(
            &presence_lock_name(&self.name, self.id),
            false,
            || {},
            |_| {},
        );
        let previous = cells::replace(&self.presence, presence);
        drop(previous);
    }

    /// Leading: lists the locks, and forgets every follower that holds no presence lock
    /// and has not been heard from lately: it went away without a goodbye. Not one whose
    /// goodbye said it may come back (it gave its presence lock up, see `Peer::away_after`).
    pub(super) fn check_presence(&self) {
        if self.role.get() != Role::Leading
            || self.listing.get()
            || !cells::borrow(&self.peers).iter().any(Peer::present)
        {
            return;
        }
        self.listing.set(true);
        let asked = now();
        let me = self.me.clone();
        locks::list(move |locks| {
            let Some(tab) = me.upgrade() else {
                return;
            };
            tab.listing.set(false);
            let Some(locks) = locks.filter(|_| tab.role.get() == Role::Leading) else {
                return;
            };
            let before = cells::borrow(&tab.peers).len();
            cells::borrow_mut(&tab.peers).retain(|peer| {
                !peer.present()
                    || asked - peer.heard < PRESENCE_GRACE_MS
                    || locks::includes(&locks, &presence_lock_name(&tab.name, peer.tab))
            });
            if cells::borrow(&tab.peers).len() != before {
                tab.peers_left();
            }
        });
    }

    /// Leading, after followers left: stops listening for the types only they wanted,
    /// and tells the rest how many remain.
    pub(super) fn peers_left(&self) {
        if self.role.get() != Role::Leading {
            return;
        }
        if let Some(connection) = self.connection.upgrade() {
            self.subscribe_wanted(&connection);
        }
        self.beat();
    }

    fn lock_granted(&self) {
        if !matches!(self.role.get(), Role::Following) {
            // Away or left meanwhile: give it back.
            drop(cells::take(&self.lock));
            return;
        }
        self.role.set(Role::Draining);
        self.say(&Request::Claim);
        if !self.heard_a_leader.get() {
            self.lead();
            return;
        }
        let me = self.me.clone();
        *cells::borrow_mut(&self.drain) = Some(Timeout::new(DRAIN_MS, move || {
            if let Some(tab) = me.upgrade() {
                drop(cells::take(&tab.drain));
                tab.lead();
            }
        }));
    }

    /// The lock request ended without this tab letting go: stolen, or refused.
    fn lock_ended(&self, was_granted: bool) {
        drop(cells::take(&self.lock));
        match self.role.get() {
            Role::Leading | Role::Draining if was_granted => self.stop_leading(true),
            Role::Following if !was_granted => self.go_alone(),
            _ => {}
        }
    }

    // ----- roles -----

    /// The drain is over: opens the stream, resuming after the last id this tab saw.
    fn lead(&self) {
        if self.role.get() != Role::Draining {
            return;
        }
        let Some(connection) = self.connection.upgrade() else {
            return;
        };
        self.role.set(Role::Leading);
        self.leader.set(Some(self.id));
        self.forget_kept();
        // A connection that cannot say where it resumes gets the stream from its start:
        // the others expect again all they remember, not what came after this tab's
        // last id, which they would deliver twice.
        let resume_after = if connection.resumes() {
            String::from(&*self.last_event_id())
        } else {
            String::new()
        };
        self.broadcast(News::Hello { resume_after });
        drop(cells::take(&self.following));
        connection.take_over();
        self.subscribe_wanted(&connection);
        self.beat();
    }

    /// Stops leading (or draining): the lock was stolen or another tab leads now. The
    /// source follows again, and asks for the lock again when `ask_again`.
    fn stop_leading(&self, ask_again: bool) {
        let was = self.role.replace(if ask_again {
            Role::Following
        } else {
            Role::Away
        });
        drop(cells::take(&self.drain));
        drop(cells::take(&self.lock));
        self.forget_kept();
        // The followers away from this leadership would ask it for broadcasts no longer
        // kept: leading again, this tab would listen for their types for nothing.
        cells::borrow_mut(&self.peers).retain(Peer::present);
        self.leader.set(None);
        self.last_heard.set(now());
        self.probed_at.set(None);
        if was == Role::Leading {
            let connection = self.connection.upgrade();
            self.unsubscribe_wanted(connection.as_deref());
            if let Some(connection) = connection {
                connection.switch_attempt();
            }
        }
        // Unless a callback that `switch_attempt` ran closed the source meanwhile.
        if ask_again && self.role.get() == Role::Following {
            self.request_lock(false);
        }
    }

    /// The browser refused the lock: a private source from now on.
    fn go_alone(&self) {
        if !matches!(
            self.role.get(),
            Role::Following | Role::Draining | Role::Away
        ) {
            return;
        }
        self.role.set(Role::Alone);
        drop(cells::take(&self.drain));
        drop(cells::take(&self.presence));
        drop(cells::take(&self.ticker));
        let listeners = cells::take(&self.listeners);
        drop(listeners);
        self.channel.close();
        // No follower attempt yet: the tab is joining, and the opener opens the real
        // transport itself.
        let was_following = cells::take(&self.following).is_some();
        if let Some(connection) = self.connection.upgrade().filter(|_| was_following) {
            connection.switch_attempt();
        }
    }

    /// `pagehide` or `freeze`: gives the lock up (another tab takes over) and does not ask
    /// for it again until the page comes back. Its goodbye says whether it `may_come_back`
    /// (frozen, or kept in the back/forward cache), for the leader to go on listening for
    /// its types meanwhile, or not (the page is unloaded: closed, reloaded, left).
    fn step_away(&self, may_come_back: bool) {
        match self.role.get() {
            Role::Leading | Role::Draining => self.stop_leading(false),
            Role::Following => {
                self.role.set(Role::Away);
                drop(cells::take(&self.lock));
            }
            // Frozen, then unloaded without being resumed first: its goodbye said it may
            // come back, which it now will not.
            Role::Away if !may_come_back => {}
            _ => return,
        }
        // A page that holds a lock cannot enter the back/forward cache.
        drop(cells::take(&self.presence));
        self.say(&Request::Bye {
            away: may_come_back,
        });
    }

    fn come_back(&self) {
        if self.role.get() == Role::Away {
            self.role.set(Role::Following);
            // Another tab may lead now, whose hello went by while this page was away (a
            // page in the back/forward cache gets no channel messages): a new leader heard
            // first is followed, or every broadcast of it would be dropped until the
            // silence check gave up on the old one. The same leader's next broadcast shows
            // what was missed, which it is asked for again (`Tab::heard_broadcast`).
            self.returning.set(true);
            self.last_heard.set(now());
            self.be_present();
            self.request_lock(false);
            self.announce();
        }
    }

    /// The source closed for good (or is dropped): releases the lock, stops listening,
    /// and says goodbye.
    pub(crate) fn leave(&self) {
        let was = self.role.replace(Role::Left);
        if was == Role::Left {
            return;
        }
        drop(cells::take(&self.drain));
        drop(cells::take(&self.ticker));
        let listeners = cells::take(&self.listeners);
        drop(listeners);
        drop(cells::take(&self.lock));
        drop(cells::take(&self.presence));
        self.forget_kept();
        self.unsubscribe_wanted(self.connection.upgrade().as_deref());
        drop(cells::take(&self.following));
        if matches!(was, Role::Following | Role::Draining | Role::Away) {
            self.say(&Request::Bye { away: false });
        }
        // Nothing is said or heard again: a closed source the app keeps hears no beat.
        self.channel.close();
    }

    // ----- time -----

    fn tick(&self) {
        let ticks = self.ticks.get().wrapping_add(1);
        self.ticks.set(ticks);
        let beat = ticks % TICKS_PER_BEAT == 0;
        let now = now();
        let before = cells::borrow(&self.peers).len();
        cells::borrow_mut(&self.peers)
            .retain(|peer| !peer.present() || now - peer.heard < PEER_EXPIRY_MS);
        let expired = cells::borrow(&self.peers).len() != before;
        match self.role.get() {
            Role::Leading => {
                let forgot = self.forget_the_long_away();
                if expired || forgot {
                    if let Some(connection) = self.connection.upgrade() {
                        self.subscribe_wanted(&connection);
                    }
                }
                if beat {
                    self.beat();
                    self.check_presence();
                }
            }
            Role::Following => {
                if beat {
                    self.announce();
                }
                if now - self.last_heard.get() > self.silence_ms {
                    match self.probed_at.get() {
                        None => {
                            self.probed_at.set(Some(now));
                            self.leader.set(None);
                            self.say(&Request::Probe);
                        }
                        Some(probed) if now - probed > PROBE_WAIT_MS => {
                            // The leader holds the lock but no longer answers.
                            self.probed_at.set(None);
                            self.last_heard.set(now);
                            self.request_lock(true);
                        }
                        Some(_) => {}
                    }
                }
            }
            Role::Draining => {
                if beat {
                    self.announce();
                }
            }
            Role::Away | Role::Alone | Role::Left => {}
        }
    }
}

impl Drop for Tab {
    fn drop(&mut self) {
        // Closes the channel too.
        self.leave();
    }
}
