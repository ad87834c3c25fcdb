//! The ids a tab has seen on a shared stream, and the repeats a new leader brings.
//!
//! When the lock passes, the new leader opens the stream after the last id IT saw. A
//! follower that got further (the new leader missed a broadcast, or a stale leader
//! delivered a few events before it noticed the lock was gone) would receive those events
//! again. Ids are opaque strings, so "further" cannot be read from them; the order can:
//! each tab keeps the ids of the events it delivered, in order, and when a new leader says
//! where it resumes, the ids after that point in this tab's history are the repeats to
//! expect, in that order.
//!
//! The new leader relays a subsequence of them: the server sends again what came after the
//! resume point, but the new leader passes on only the types its tabs listen to, so an
//! event of a type only the old leader's tabs wanted does not come again. So an incoming
//! event whose id and type are among those expected is a repeat, and drops the expected
//! ones before it; one that is not, is new, and ends the skipping (the server has moved
//! past what it sent again). The type counts too: a new event without an id carries the
//! id of the last one sent again, which may be one of those skipped.
//!
//! An event without an `id:` field carries the last id before it, so only an event with
//! an id of its own is recognised. One without is either sent again (by a server that
//! keeps such events) or new: a server that keeps none sends the new ones that came after
//! the last id, and a new connection's first ones carry the resume point. They cannot be
//! told apart, so they are delivered: a repeat is better than a lost event. On a stream
//! without ids at all, every event carries `""`, the resume point is `""`, and nothing is
//! dropped (the server cannot resume it: whatever it sends is new).

use std::collections::VecDeque;
use std::rc::Rc;

/// How many ids a tab remembers: more than a failover ever leaves a follower ahead of
/// the new leader (a few events in flight on the channel).
const REMEMBERED: usize = 256;

/// One event delivered: the last event id as of it, and its type.
#[derive(Clone)]
struct Seen {
    id: Rc<str>,
    event_type: Rc<str>,
}

impl Seen {
    /// Where a history starts: an id, and no event.
    fn start(id: &str) -> Self {
        Self {
            id: Rc::from(id),
            event_type: Rc::from(""),
        }
    }
}

pub(crate) struct Ids {
    /// Each event delivered, oldest first; never empty (it starts with the resume point,
    /// `""` for none).
    seen: VecDeque<Seen>,
    /// The events expected again from a new leader, in order.
    repeats: VecDeque<Seen>,
    /// Where the events sent again have got to: the resume point, then the id of each
    /// repeat dropped. An event that carries it is one without an id, new or not.
    replayed_to: Rc<str>,
    /// Whether an event was recorded: until then the history is only where the tab
    /// started, which the leader's position replaces ([`adopt`](Self::adopt)).
    recorded: bool,
}

impl Ids {
    /// A history that starts at `resume_point`.
    pub(crate) fn new(resume_point: &str) -> Self {
        Self {
            seen: VecDeque::from([Seen::start(resume_point)]),
            repeats: VecDeque::new(),
            replayed_to: Rc::from(""),
            recorded: false,
        }
    }

    /// The leader's last event id is `id`: a tab that has recorded no event stands there
    /// too. Without it, a tab that joined after the last event and then leads would open
    /// the stream at its own starting point, and the server would send again what the
    /// others delivered, or, with no resume point, whatever it sends a new client.
    pub(crate) fn adopt(&mut self, id: &str) {
        if !self.recorded && self.last().as_ref() != id {
            self.seen.clear();
            self.seen.push_back(Seen::start(id));
        }
    }

    /// This tab missed events the leader no longer keeps (its page was away), and follows
    /// from the leader's position, `point`, now: as a tab that has delivered nothing yet,
    /// it stands there (and where the leader's beats say) until an event comes. Left at
    /// its own last id, behind every other tab, it would open the stream there if it took
    /// the lead, and the server would send the others again what they delivered.
    pub(crate) fn restart_at(&mut self, point: &str) {
        *self = Self::new(point);
    }

    /// The last event id: the resume point this tab would open the stream at.
    pub(crate) fn last(&self) -> Rc<str> {
        self.seen
            .back()
            .map_or_else(|| Rc::from(""), |seen| seen.id.clone())
    }

    /// An event of type `event_type` with last event id `id` was delivered.
    pub(crate) fn record(&mut self, id: Rc<str>, event_type: &str) {
        if self.seen.len() == REMEMBERED {
            self.seen.pop_front();
        }
        self.seen.push_back(Seen {
            id,
            event_type: Rc::from(event_type),
        });
        self.recorded = true;
    }

    /// A new leader resumes after `point`: expects again the events with an id of their
    /// own that this tab delivered after it (see the module's documentation). A point this
    /// tab has not seen (the leader is further on, or further back than the history goes)
    /// expects nothing.
    pub(crate) fn resume_after(&mut self, point: &str) {
        self.repeats.clear();
        self.replayed_to = Rc::from(point);
        let Some(last) = self.seen.iter().rposition(|seen| &*seen.id == point) else {
            return;
        };
        // The first of each run of equal ids: the event that set it.
        for seen in self.seen.iter().skip(last + 1) {
            if self.repeats.back().map(|repeat| &repeat.id) != Some(&seen.id) {
                self.repeats.push_back(seen.clone());
            }
        }
    }

    /// Whether an incoming event of type `event_type` with last event id `id` is one this
    /// tab delivered already (it is then dropped, and not recorded again).
    pub(crate) fn is_repeat(&mut self, id: &str, event_type: &str) -> bool {
        if self.repeats.is_empty() {
            return false;
        }
        let expected = |repeat: &Seen| &*repeat.id == id && &*repeat.event_type == event_type;
        if let Some(at) = self.repeats.iter().position(expected) {
            // Those before it were not sent again to this tab (a type the new leader's
            // tabs do not listen to). Popped, not drained: `drain`'s range check would
            // link panic formatting into every app that shares.
            for _ in 0..=at {
                if let Some(repeat) = self.repeats.pop_front() {
                    self.replayed_to = repeat.id;
                }
            }
            return true;
        }
        // An event without an id where the events sent again have got to: new or not, it
        // is delivered, and more repeats may follow. Any other is new: the server is past
        // what it sent again, so nothing more is dropped.
        if *self.replayed_to != *id {
            self.repeats.clear();
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::Ids;

    /// A history of `message` events with these ids.
    fn history(ids: &[&str]) -> Ids {
        typed_history(&ids.iter().map(|id| (*id, "message")).collect::<Vec<_>>())
    }

    /// A history of events with these ids and types.
    fn typed_history(events: &[(&str, &str)]) -> Ids {
        let mut history = Ids::new("");
        for (id, event_type) in events {
            history.record((*id).into(), event_type);
        }
        history
    }

    /// Feeds `message` events with the ids `incoming` and returns what is delivered.
    fn deliver<'a>(history: &mut Ids, incoming: &[&'a str]) -> Vec<&'a str> {
        let typed: Vec<_> = incoming.iter().map(|id| (*id, "message")).collect();
        deliver_typed(history, &typed)
    }

    /// Feeds events with these ids and types and returns the ids of those delivered.
    fn deliver_typed<'a>(history: &mut Ids, incoming: &[(&'a str, &str)]) -> Vec<&'a str> {
        incoming
            .iter()
            .filter(|(id, event_type)| {
                let repeat = history.is_repeat(id, event_type);
                if !repeat {
                    history.record((*id).into(), event_type);
                }
                !repeat
            })
            .map(|(id, _)| *id)
            .collect()
    }

    #[test]
    fn a_leader_behind_this_tab_brings_repeats_that_are_dropped() {
        let mut ids = history(&["1", "2", "3", "4", "5"]);
        ids.resume_after("3");
        assert_eq!(deliver(&mut ids, &["4", "5", "6", "7"]), ["6", "7"]);
        assert_eq!(&*ids.last(), "7");
    }

    #[test]
    fn a_leader_level_with_this_tab_brings_nothing_to_drop() {
        let mut ids = history(&["1", "2", "3"]);
        ids.resume_after("3");
        assert_eq!(deliver(&mut ids, &["4", "5"]), ["4", "5"]);
    }

    #[test]
    fn a_leader_ahead_or_unknown_drops_nothing() {
        let mut ids = history(&["1", "2"]);
        ids.resume_after("9");
        assert_eq!(deliver(&mut ids, &["10", "11"]), ["10", "11"]);
    }

    #[test]
    fn skipping_ends_at_the_first_event_that_differs() {
        let mut ids = history(&["1", "2", "3", "4"]);
        ids.resume_after("2");
        // The server sent something else after 2: nothing more is dropped.
        assert_eq!(deliver(&mut ids, &["3", "x", "4"]), ["x", "4"]);
    }

    #[test]
    fn repeats_the_new_leader_does_not_relay_are_passed_over() {
        // 11 was of a type only the old leader's tabs listened to: the new leader relays
        // 12 again, but not 11.
        let mut ids = history(&["10", "11", "12"]);
        ids.resume_after("10");
        assert_eq!(deliver(&mut ids, &["12", "13"]), ["13"]);
    }

    #[test]
    fn a_new_event_without_an_id_after_a_skipped_repeat_is_delivered() {
        // 3 was of type b, which only the old leader's tabs listened to: the new leader
        // relays 2 again, not 3, then a new event of type a without an id, which carries
        // the id 3 (the server set it again). It is no repeat: this tab never had it.
        let mut ids = typed_history(&[("1", "a"), ("2", "a"), ("3", "b")]);
        ids.resume_after("1");
        assert_eq!(deliver_typed(&mut ids, &[("2", "a"), ("3", "a")]), ["3"]);
    }

    #[test]
    fn events_without_an_id_are_delivered_where_they_may_be_new() {
        // "2" twice: event 2, then an event without an id; then 3, and one without an id.
        let mut ids = history(&["1", "2", "2", "3", "3"]);
        ids.resume_after("2");
        // Sent again: the event without an id after 2 cannot be told from a new one (a
        // new connection's first events without an id carry the resume point too), so it
        // is delivered; 3 is dropped, and the one after it, which carries 3, is delivered
        // for the same reason; then the skipping goes on to the end of what was expected.
        assert_eq!(deliver(&mut ids, &["2", "3", "3", "4"]), ["2", "3", "4"]);
        // Not sent again (the server keeps no events without an id): nothing is lost.
        let mut ids = history(&["1", "2", "2", "3"]);
        ids.resume_after("2");
        assert_eq!(deliver(&mut ids, &["3", "4"]), ["4"]);
    }

    #[test]
    fn on_a_stream_without_ids_nothing_is_dropped() {
        let mut ids = history(&["", "", "", ""]);
        ids.resume_after("");
        assert_eq!(deliver(&mut ids, &["", "", ""]), ["", "", ""]);
    }

    #[test]
    fn a_tab_that_recorded_nothing_stands_where_the_leader_is() {
        let mut ids = Ids::new("5");
        ids.adopt("500");
        assert_eq!(&*ids.last(), "500");
        // A new leader resuming after 500 brings nothing this tab delivered.
        ids.resume_after("500");
        assert_eq!(deliver(&mut ids, &["501"]), ["501"]);
        // Once it has delivered an event, its own history stands.
        ids.adopt("900");
        assert_eq!(&*ids.last(), "501");
    }

    #[test]
    fn a_tab_started_again_stands_where_the_leader_is_until_an_event_comes() {
        let mut ids = history(&["1", "2", "3"]);
        ids.resume_after("2");
        ids.restart_at("300");
        assert_eq!(&*ids.last(), "300");
        // What it expected again from an earlier leader is no longer expected.
        assert_eq!(deliver(&mut ids, &["3"]), ["3"]);
        let mut ids = history(&["1"]);
        ids.restart_at("300");
        // The leader's beats move it on; its first event fixes its own position again.
        ids.adopt("301");
        assert_eq!(&*ids.last(), "301");
        assert_eq!(deliver(&mut ids, &["302"]), ["302"]);
        ids.adopt("900");
        assert_eq!(&*ids.last(), "302");
    }

    #[test]
    fn the_history_is_bounded_and_starts_at_the_resume_point() {
        let fresh = Ids::new("41");
        assert_eq!(&*fresh.last(), "41");
        let mut ids = Ids::new("");
        for n in 0..1000 {
            ids.record(n.to_string().into(), "message");
        }
        assert_eq!(ids.seen.len(), super::REMEMBERED);
        assert_eq!(&*ids.last(), "999");
        // Too far back to know: nothing is dropped.
        ids.resume_after("5");
        assert_eq!(deliver(&mut ids, &["6"]), ["6"]);
    }
}
