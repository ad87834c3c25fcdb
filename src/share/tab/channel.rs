//! What a tab hears on the channel: other tabs' requests (announcements, claims, probes,
//! goodbyes) and the leader's broadcasts, which a follower passes on to its connection.

use std::rc::Rc;

use super::{now, Broadcast, News, Note, Peer, Request, Role, Tab, RESEND_WAIT_MS};
use crate::cells;
use crate::connection::Connection;
use crate::parser::Text;
use crate::share::follower::Following;
use crate::share::wire;
use crate::topics::Signal;
use crate::{Message, ReadyState};

impl Tab {
    pub(super) fn heard(&self, data: &wasm_bindgen::JsValue) {
        match wire::decode(data) {
            Some(Note::From { tab, request }) => self.heard_from(tab, request),
            Some(Note::Broadcast(broadcast)) => self.heard_broadcast(broadcast, false),
            // What this tab asked for again: a broadcast of the leader it follows, heard
            // as if it came now.
            Some(Note::Again { leader, to, note }) => {
                if to != self.id || self.leader.get() != Some(leader) {
                    return;
                }
                if let Some(Note::Broadcast(broadcast)) = wire::decode(&note) {
                    if broadcast.leader == leader {
                        self.heard_broadcast(broadcast, true);
                    }
                }
            }
            None => {}
        }
    }

    pub(super) fn heard_from(&self, tab: f64, request: Request) {
        let leading = self.role.get() == Role::Leading;
        match request {
            Request::Want(types) => {
                let mut peers = cells::borrow_mut(&self.peers);
                let (new, changed) = match peers.iter_mut().find(|peer| peer.tab == tab) {
                    Some(peer) => {
                        peer.heard = now();
                        let changed = peer.types != types;
                        peer.types = types;
                        // Back from away: counted again.
                        (peer.away_after.take().is_some(), changed)
                    }
                    None => {
                        peers.push(Peer {
                            tab,
                            types,
                            heard: now(),
                            away_after: None,
                        });
                        (true, true)
                    }
                };
                drop(peers);
                if leading && changed {
                    if let Some(connection) = self.connection.upgrade() {
                        self.subscribe_wanted(&connection);
                    }
                }
                if leading && new {
                    self.beat();
                }
            }
            // A follower whose page went away may come back and ask for what it missed:
            // the leader goes on listening for its types meanwhile, for its own events
            // to be among them (see `Peer::away_after`).
            Request::Bye { away: true } if leading => {
                let seq = self.seq.get();
                for peer in cells::borrow_mut(&self.peers).iter_mut() {
                    if peer.tab == tab {
                        peer.away_after = Some(seq);
                    }
                }
                if self.forget_the_oldest_away() {
                    self.peers_left();
                } else {
                    self.beat();
                }
            }
            Request::Bye { .. } => {
                cells::borrow_mut(&self.peers).retain(|peer| peer.tab != tab);
                self.peers_left();
            }
            // A leader whose tab is hidden may beat only once a minute, its timers
            // throttled: a probe from a follower is also a moment to check who is there.
            Request::Probe => {
                self.beat();
                self.check_presence();
            }
            Request::Resend { leader, after } => {
                if leading && leader == self.id {
                    self.resend(tab, after);
                }
            }
            Request::Claim => {
                if matches!(self.role.get(), Role::Leading | Role::Draining) {
                    // Another tab holds the lock now: ours was stolen.
                    self.stop_leading(true);
                } else {
                    // A takeover is under way: nobody else should steal.
                    self.last_heard.set(now());
                    self.probed_at.set(None);
                }
            }
        }
    }

    /// `posted_again`: for this tab alone, which asked for what it missed (see
    /// [`Tab::resend`]).
    pub(super) fn heard_broadcast(&self, broadcast: Broadcast, posted_again: bool) {
        match self.role.get() {
            Role::Following | Role::Draining | Role::Away => {}
            Role::Leading if matches!(broadcast.news, News::Hello { .. }) => {
                // Another tab leads now: ours was stolen.
                self.stop_leading(true);
            }
            _ => return,
        }
        self.heard_a_leader.set(true);
        if matches!(broadcast.news, News::Hello { .. } | News::Beat { .. }) {
            // A leader is no follower: forget what it wanted when it was one.
            cells::borrow_mut(&self.peers).retain(|peer| peer.tab != broadcast.leader);
        }
        if let News::Hello { resume_after } = &broadcast.news {
            self.leader.set(Some(broadcast.leader));
            self.last_seq.set(broadcast.seq);
            self.returning.set(false);
            self.resend_asked.set(None);
            self.last_heard.set(now());
            self.probed_at.set(None);
            let mut ids = cells::borrow_mut(&self.ids);
            if posted_again {
                // What it missed is no longer kept: it goes on from the leader's position.
                ids.restart_at(resume_after);
            } else {
                ids.resume_after(resume_after);
            }
            drop(ids);
            self.announce();
            return;
        }
        // The sequence number this broadcast has if none was missed: a beat carries that
        // of the broadcast before it (see `Tab::broadcast`).
        let expected = match broadcast.news {
            News::Beat { .. } => self.last_seq.get(),
            _ => self.last_seq.get() + 1.0,
        };
        match self.leader.get() {
            None => self.leader.set(Some(broadcast.leader)),
            // Back from away, whoever leads now is followed (see `Tab::come_back`).
            Some(leader) if leader != broadcast.leader && self.returning.get() => {
                self.leader.set(Some(broadcast.leader));
            }
            Some(leader) if leader != broadcast.leader => return,
            // Posted again for a follower that missed it, or a stale repeat.
            Some(_) if broadcast.seq < expected => return,
            Some(leader) if broadcast.seq > expected && self.missed(leader) => return,
            Some(_) => {}
        }
        self.returning.set(false);
        self.resend_asked.set(None);
        self.last_seq.set(broadcast.seq);
        self.last_heard.set(now());
        self.probed_at.set(None);
        self.relay(broadcast.news);
    }

    /// A broadcast of `leader` came after a gap in its sequence numbers: this page missed
    /// some (it was frozen, or in the back/forward cache, which gets no channel messages).
    /// Asks the leader for them, and `true` while the broadcast is to be dropped: the
    /// resent ones come before the leader's later broadcasts, which come again after
    /// them. Past [`RESEND_WAIT_MS`] without them (a leader that does not answer), `false`:
    /// it goes on from there.
    fn missed(&self, leader: f64) -> bool {
        let after = self.last_seq.get();
        let now = now();
        match self.resend_asked.get() {
            // Asked already, and nothing heard since.
            Some((asked_after, at)) if asked_after == after => {
                if now - at < RESEND_WAIT_MS {
                    return true;
                }
                self.resend_asked.set(None);
                false
            }
            _ => {
                self.resend_asked.set(Some((after, now)));
                self.say(&Request::Resend { leader, after });
                true
            }
        }
    }

    /// Passes the leader's news on to the follower attempt's connection.
    pub(super) fn relay(&self, news: News) {
        let following = match &*cells::borrow(&self.following) {
            Some(following) if !following.closed.get() => following.clone(),
            _ => return,
        };
        let Some(connection) = self.connection.upgrade() else {
            return;
        };
        match news {
            News::Hello { .. } => {}
            News::Beat {
                state,
                tabs,
                last_id,
                retry,
            } => {
                self.tabs.set(tabs);
                cells::borrow_mut(&self.ids).adopt(&last_id);
                mirror(&connection, &following, state);
                if let Some((count, left_ms)) = retry {
                    connection.heard_retry(count, left_ms);
                }
            }
            News::State(state) => mirror(&connection, &following, state),
            News::Error(error) => {
                following.state.set(error.ready_state());
                connection.relay(Signal::Error(error));
            }
            News::Event {
                event_type,
                data,
                id,
                origin,
            } => {
                if cells::borrow_mut(&self.ids).is_repeat(&id, &event_type) {
                    return;
                }
                let id: Rc<str> = Rc::from(id);
                cells::borrow_mut(&self.ids).record(id.clone(), &event_type);
                mirror(&connection, &following, ReadyState::Open);
                if following.closed.get() {
                    return;
                }
                match connection.topic(&event_type) {
                    Some(topic) => {
                        let message = Message::parsed(
                            topic.shared_name(),
                            data.into(),
                            Text::shared(String::from(&*id)),
                            Rc::new(origin),
                            None,
                        );
                        connection.received(&topic, message);
                    }
                    None => connection.saw_message(),
                }
            }
        }
    }
}

/// Mirrors the leader's state on a follower: `Open` delivers the open (once per open),
/// `Connecting` the state change; a final close comes with its error.
fn mirror(connection: &Connection, following: &Following, state: ReadyState) {
    match state {
        ReadyState::Open if following.state.get() != ReadyState::Open => {
            following.state.set(ReadyState::Open);
            connection.relay(Signal::Open);
        }
        ReadyState::Connecting if following.state.get() == ReadyState::Open => {
            following.state.set(ReadyState::Connecting);
            connection.relay(Signal::State(ReadyState::Connecting));
        }
        _ => {}
    }
}
