#![cfg(target_arch = "wasm32")]
//! Cross-tab sharing in one page: Web Locks and BroadcastChannel work between sources of
//! one page as between tabs (a channel delivers to every other object of its name), so
//! two or three shared sources here are a leader and its followers. Each case runs on
//! both transports. The multi-tab truth (8 tabs, the 6-connection limit, a closed tab)
//! is e2e/share.test.mjs's.

#[macro_use]
mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use common::{
    builder, drain_to_end, heap_bytes, install_timer_counter, live_timers_at_least, ms,
    open_on_server, quick, requests_on_server, server_url, sleep, unique, until,
    wait_open_on_server, within, within_ms,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_eventsource::{
    ConnectionError, Error, ErrorKind, Event, EventSource, Listener, ReadyState, Sharing, Transport,
};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
const releases = [];
let saved;
export async function lock_names() {
  const state = await navigator.locks.query();
  return [...state.held, ...state.pending].map((lock) => lock.name);
}
export function hold_lock(name) {
  navigator.locks.request(name, () => new Promise((release) => releases.push(release))).catch(() => {});
}
export function steal_lock(name) {
  navigator.locks.request(name, { steal: true }, () => new Promise((release) => releases.push(release))).catch(() => {});
}
export function release_held() {
  releases.splice(0).forEach((release) => release());
}
let channel;
export function broadcast(name, note) {
  // A channel of another name is one a failed test left open: every note of this test
  // would go there.
  if (channel?.name !== name) {
    channel?.close();
    channel = new BroadcastChannel(name);
  }
  channel.postMessage(note);
}
export function close_channel() {
  channel?.close();
  channel = undefined;
}
let recorder;
const recorded = [];
export function record_channel(name) {
  // Not what a recorder a failed test left open heard.
  recorder?.close();
  recorded.splice(0);
  recorder = new BroadcastChannel(name);
  recorder.onmessage = (message) => recorded.push(message.data);
}
export function take_recorded() {
  return recorded.splice(0);
}
export function recorded_notes() {
  recorder?.close();
  recorder = undefined;
  return recorded.splice(0);
}
export function remove_locks() {
  saved = Object.getOwnPropertyDescriptor(Navigator.prototype, "locks");
  delete Navigator.prototype.locks;
}
export function restore_locks() {
  Object.defineProperty(Navigator.prototype, "locks", saved);
}
let request;
export function refuse_locks() {
  // The browser's own, saved once: refused twice (a test that failed before allowing
  // them again), the second would save the refusal.
  request ??= LockManager.prototype.request;
  LockManager.prototype.request = () => Promise.reject(new DOMException("refused", "SecurityError"));
}
export function allow_locks() {
  LockManager.prototype.request = request;
}
export function page_transition(name, persisted) {
  window.dispatchEvent(new PageTransitionEvent(name, { persisted }));
}
export function set_hidden(hidden) {
  Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
  document.dispatchEvent(new Event("visibilitychange"));
}
"#)]
extern "C" {
    /// The names of the page's held and pending locks.
    async fn lock_names() -> JsValue;
    /// Holds lock `name` from JavaScript until `release_held`: a leader that stopped
    /// without letting go.
    fn hold_lock(name: &str);
    /// Takes the lock `name` from its holder, and holds it until [`release_held`].
    fn steal_lock(name: &str);
    fn release_held();
    /// Posts `note` on channel `name` from JavaScript: a leader played by the test.
    fn broadcast(name: &str, note: js_sys::Array);
    fn close_channel();
    /// Records what is posted on channel `name` from now on.
    fn record_channel(name: &str);
    /// What was recorded, and stops recording.
    fn recorded_notes() -> js_sys::Array;
    /// What was recorded since the last look, recording on.
    fn take_recorded() -> js_sys::Array;
    /// Deletes `navigator.locks`, as an insecure context or an old browser lacks it.
    fn remove_locks();
    fn restore_locks();
    /// Makes every lock request fail, as a browser that refuses the lock does.
    fn refuse_locks();
    fn allow_locks();
    /// Makes the page look hidden (or visible again) and tells it so.
    fn set_hidden(hidden: bool);
    /// Dispatches the browser's `pagehide` or `pageshow` on the window, `persisted` (in or
    /// from the back/forward cache) or not.
    fn page_transition(name: &str, persisted: bool);
}

fn shared(url: &str) -> EventSource {
    builder(url)
        .share_across_tabs(true)
        .open()
        .expect("the URL opens")
}

/// [`shared`], with a reconnect policy.
fn shared_with_policy(url: &str, policy: web_eventsource::Reconnect) -> EventSource {
    builder(url)
        .reconnect(policy)
        .share_across_tabs(true)
        .open()
        .expect("the URL opens")
}

fn leads(es: &EventSource) -> bool {
    matches!(es.sharing(), Sharing::Leader { .. })
}

/// A shared source that leads (nobody else holds the lock).
async fn leader(url: &str) -> EventSource {
    let es = shared(url);
    until("the first source to lead", || leads(&es)).await;
    es
}

/// The numeric ids a source delivers (through `on_message`, or `on(event_type)`),
/// recorded as they come.
struct Ids {
    ids: Rc<RefCell<Vec<u64>>>,
    _listener: Listener,
}

impl Ids {
    fn of(es: &EventSource, event_type: &str) -> Self {
        let ids = Rc::new(RefCell::new(Vec::new()));
        let listener = es.on(event_type, {
            let ids = ids.clone();
            move |msg| {
                ids.borrow_mut()
                    .push(msg.last_event_id().parse().expect("numeric ids"))
            }
        });
        Self {
            ids,
            _listener: listener,
        }
    }

    fn now(&self) -> Vec<u64> {
        self.ids.borrow().clone()
    }

    /// Waits for an id at or past `last`, and returns the ids up to the first such one.
    /// Not for `last` itself: two events can arrive between two polls (a browser may
    /// deliver both from one read), and a stream that goes on would pass it unseen. A
    /// gap over `last` is returned, for `assert_run` to show.
    async fn reach(&self, last: u64, what: &str) -> Vec<u64> {
        let reached = |ids: &[u64]| ids.iter().position(|&id| id >= last);
        until(what, || reached(&self.ids.borrow()).is_some()).await;
        let mut ids = self.now();
        ids.truncate(reached(&ids).map_or(ids.len(), |at| at + 1));
        ids
    }
}

/// Asserts `ids` run on by `step` with no gap and no repeat, and end at `last`.
fn assert_run(ids: &[u64], step: u64, last: u64, what: &str) {
    assert!(!ids.is_empty(), "{what}: nothing delivered");
    for pair in ids.windows(2) {
        assert_eq!(pair[1], pair[0] + step, "{what}: {ids:?}");
    }
    assert_eq!(ids.last(), Some(&last), "{what}: {ids:?}");
}

on_each_transport! {
    /// One connection serves both sources; each sees a private source's events and the
    /// leader's state.
    async fn one_connection_serves_the_leader_and_its_follower() {
        let tag = unique("share-one");
        let url = server_url(&format!("/test/stream?count=30&interval=50&tag={tag}"));
        let a = leader(&url).await;
        let a_ids = Ids::of(&a, "message");
        let b = shared(&url);
        let b_ids = Ids::of(&b, "message");
        until("the leader to count its follower", || a.sharing() == Sharing::Leader { tabs: 2 }).await;
        until("the follower to hear the count", || b.sharing() == Sharing::Follower { tabs: 2 }).await;
        // The leader's connection may still be opening when the count comes: its beat says.
        until("the follower to mirror the open", || b.ready_state() == ReadyState::Open).await;
        assert_eq!(open_on_server(&tag).await, 1, "one stream for two sources");
        assert_eq!(b.transport(), common::transport(), "a follower reports the transport asked for");
        assert!(b.raw().is_none(), "a follower has no browser source");
        assert_run(&a_ids.reach(30, "the leader's events").await, 1, 30, "leader");
        let b_seen = b_ids.reach(30, "the follower's events").await;
        assert_run(&b_seen, 1, 30, "follower");
        assert_eq!(b.last_event_id(), "30");
        drop((a, b, a_ids, b_ids));
        wait_open_on_server(&tag, 0).await;
    }
}

on_each_transport! {
    /// The leader closes: a follower takes over within 2 s, resuming after the last id
    /// it saw, and neither follower misses or repeats an event.
    async fn a_closing_leader_hands_over_with_no_gap_and_no_repeat() {
        let tag = unique("share-handover");
        // The leader's response stops after 55 events with its body open: a takeover that
        // comes late still resumes with events left (a resume at 60 would be a 204).
        let url = server_url(&format!(
            "/test/stream?count=60&interval=50&stall_after=55&tag={tag}"
        ));
        let a = leader(&url).await;
        let b = shared(&url);
        let c = shared(&url);
        let (b_ids, c_ids) = (Ids::of(&b, "message"), Ids::of(&c, "message"));
        let b_states = Rc::new(RefCell::new(vec![b.ready_state()]));
        let b_states_listener = b.on_state_change({
            let b_states = b_states.clone();
            move |state| b_states.borrow_mut().push(state)
        });
        until("both followers to receive", || {
            b_ids.now().len() >= 5 && c_ids.now().len() >= 5
        })
        .await;
        a.close();
        assert_eq!(a.sharing(), Sharing::Private);
        let closed_at = js_sys::Date::now();
        until("a follower to lead", || leads(&b) || leads(&c)).await;
        let took = js_sys::Date::now() - closed_at;
        assert!(took < 2_000.0, "the takeover took {took} ms");
        let b_seen = b_ids.reach(60, "b's events").await;
        let c_seen = c_ids.reach(60, "c's events").await;
        assert_run(&b_seen, 1, 60, "b");
        assert_run(&c_seen, 1, 60, "c");
        // The follower mirrored the leader (connecting, open), then went through the
        // takeover as through a reconnect: never closed.
        let states = b_states.borrow().clone();
        assert_eq!(states[..2], [ReadyState::Connecting, ReadyState::Open], "{states:?}");
        assert_eq!(states.last(), Some(&ReadyState::Open), "{states:?}");
        assert!(!states.contains(&ReadyState::Closed), "{states:?}");
        wait_open_on_server(&tag, 1).await;
        drop((b, c, b_ids, c_ids, b_states_listener));
        wait_open_on_server(&tag, 0).await;
    }
}

on_each_transport! {
    /// The leader is dropped rather than closed: the same handover.
    async fn a_dropped_leader_hands_over_too() {
        let tag = unique("share-drop");
        // As above: events are left for the takeover, however late it comes.
        let url = server_url(&format!(
            "/test/stream?count=40&interval=50&stall_after=35&tag={tag}"
        ));
        let a = leader(&url).await;
        let b = shared(&url);
        let b_ids = Ids::of(&b, "message");
        until("the follower to receive", || b_ids.now().len() >= 5).await;
        drop(a);
        until("the follower to lead", || leads(&b)).await;
        assert_run(&b_ids.reach(40, "b's events").await, 1, 40, "b");
        wait_open_on_server(&tag, 1).await;
    }
}

on_each_transport! {
    /// Sources subscribing to different types each receive theirs: the leader listens for
    /// the followers' types too, and so does the follower that takes over.
    async fn followers_asking_for_different_types_each_receive_theirs() {
        let tag = unique("share-types");
        let url = server_url(&format!("/test/stream?count=60&interval=40&events=a,b,c&tag={tag}"));
        let a = leader(&url).await;
        let a_ids = Ids::of(&a, "a");
        let b = shared(&url);
        let b_ids = Ids::of(&b, "b");
        let c = shared(&url);
        let c_ids = Ids::of(&c, "c");
        until("b and c to receive theirs", || {
            b_ids.now().len() >= 3 && c_ids.now().len() >= 3
        })
        .await;
        // The leader's own type too, each since it subscribed (which may be after event 1:
        // until then nobody listened for type a).
        let a_seen = a_ids.now();
        assert_eq!(a_seen.first().map(|id| id % 3), Some(1), "{a_seen:?}");
        assert_run(&a_seen, 3, *a_seen.last().unwrap(), "a (type a: 1, 4, ...)");
        a.close();
        let b_seen = b_ids.reach(59, "b's events").await;
        let c_seen = c_ids.reach(60, "c's events").await;
        assert_run(&b_seen, 3, 59, "b (type b: 2, 5, ...)");
        assert_run(&c_seen, 3, 60, "c (type c: 3, 6, ...)");
    }
}

on_each_transport! {
    /// A follower's close ends only that follower: the others run on, and the leader no
    /// longer counts it.
    async fn a_followers_close_leaves_the_others_running() {
        let tag = unique("share-follower-close");
        let url = server_url(&format!("/test/stream?count=40&interval=50&tag={tag}"));
        let a = leader(&url).await;
        let a_ids = Ids::of(&a, "message");
        let b = shared(&url);
        let c = shared(&url);
        let c_ids = Ids::of(&c, "message");
        let mut b_messages = b.messages();
        until("three sources", || a.sharing() == Sharing::Leader { tabs: 3 }).await;
        b.close();
        assert_eq!(b.ready_state(), ReadyState::Closed);
        assert_eq!(b.sharing(), Sharing::Private);
        common::drain_to_end(&mut b_messages, "b's stream to end").await;
        until("the leader to drop b", || a.sharing() == Sharing::Leader { tabs: 2 }).await;
        assert_run(&a_ids.reach(40, "a's events").await, 1, 40, "a");
        assert_run(&c_ids.reach(40, "c's events").await, 1, 40, "c");
        assert!(leads(&a));
        assert_eq!(open_on_server(&tag).await, 1);
    }
}

on_each_transport! {
    /// The leader's errors reach its followers as they are: kind, attempt, delay, status,
    /// what comes next, with the state before them; both resume with no gap.
    async fn followers_report_the_leaders_errors_and_policy() {
        let key = unique("share-errors");
        // The first response ends after 3 events (the transport reconnects by itself);
        // the next two requests fail with a 500, which the policy retries; after id 9 the
        // server answers 204, which ends both sources.
        let url = server_url(&format!(
            "/test/stream?count=9&interval=100&end_after=3&retry=100&key={key}&fail_requests=2,3"
        ));
        let a = shared_with_policy(&url, quick());
        until("a to lead", || leads(&a)).await;
        let b = shared_with_policy(&url, quick());
        let errors = |es: &EventSource| {
            let seen = Rc::new(RefCell::new(Vec::<(ConnectionError, ReadyState)>::new()));
            let listener = es.on_error({
                let seen = seen.clone();
                let weak = es.downgrade();
                move |err| {
                    let state = weak.upgrade().map(|es| es.ready_state());
                    seen.borrow_mut().push((err, state.unwrap_or(ReadyState::Closed)));
                }
            });
            (seen, listener)
        };
        let ((a_errors, _a_listener), (b_errors, _b_listener)) = (errors(&a), errors(&b));
        let (a_ids, b_ids) = (Ids::of(&a, "message"), Ids::of(&b, "message"));
        let (mut a_end, mut b_end) = (a.state(), b.state());
        common::drain_to_end(&mut a_end, "a to end").await;
        common::drain_to_end(&mut b_end, "b to end").await;
        assert_run(&a_ids.now(), 1, 9, "a");
        assert_run(&b_ids.now(), 1, 9, "b");
        let describe = |errors: &[(ConnectionError, ReadyState)]| -> Vec<_> {
            errors
                .iter()
                .map(|(e, state)| (e.kind(), e.will_reconnect(), e.attempt(), e.retry_delay(), e.status(), *state))
                .collect()
        };
        let (a_errors, b_errors) = (describe(&a_errors.borrow()), describe(&b_errors.borrow()));
        assert!(
            a_errors.iter().any(|e| e.2.is_some()),
            "the policy retried: {a_errors:?} (the follower: {b_errors:?})"
        );
        assert_eq!(b_errors, a_errors, "the follower reports what the leader does");
    }
}

on_each_transport! {
    /// A final failure of the leader ends every source: no follower takes over, and the
    /// server sees no new stream.
    async fn a_final_failure_ends_every_source() {
        let key = unique("share-final");
        let tag = unique("share-final");
        let url = server_url(&format!(
            "/test/stream?count=9&interval=100&end_after=3&retry=100&key={key}&fail_requests=2&tag={tag}"
        ));
        let a = leader(&url).await;
        let b = shared(&url);
        let mut a_events = a.messages();
        let mut b_events = b.messages();
        let a_seen = common::drain_to_end(&mut a_events, "a to end").await;
        let b_seen = common::drain_to_end(&mut b_events, "b to end").await;
        assert_eq!(a_seen.last().map(|m| m.last_event_id()).as_deref(), Some("3"));
        assert_eq!(b_seen.last().map(|m| m.last_event_id()).as_deref(), Some("3"));
        assert_eq!(b.ready_state(), ReadyState::Closed);
        sleep(500).await;
        assert_eq!(open_on_server(&tag).await, 0, "nobody took over");
        assert_eq!(common::requests_on_server(&key).await, 2);
    }
}

on_each_transport! {
    /// A follower that takes over while the leader's policy waits to retry goes on from
    /// the leader's count, after what is left of its backoff: the tabs together make no
    /// more attempts than the policy allows, however often the lead moves.
    async fn a_new_leader_goes_on_with_the_leaders_retry_count() {
        let key = unique("share-policy");
        let url = always_failing(&key);
        // A backoff long enough that the leader's own retry cannot reach the server
        // between the follower hearing its second failure and the leader's close.
        let backoff_ms: u32 = 1500;
        let policy = || fixed_backoff(backoff_ms);
        let a = shared_with_policy(&url, policy());
        until("a to lead", || leads(&a)).await;
        let b = shared_with_policy(&url, policy());
        let b_errors = Rc::new(RefCell::new(Vec::new()));
        let _b_listener = b.on_error({
            let b_errors = b_errors.clone();
            move |err| {
                let heard_at = js_sys::Date::now();
                b_errors.borrow_mut().push((err.attempt(), err.kind(), err.will_reconnect(), heard_at))
            }
        });
        until("b to hear the leader's second failure", || {
            b_errors.borrow().iter().any(|(attempt, ..)| *attempt == Some(2))
        })
        .await;
        // The leader goes with most of its backoff left.
        a.close();
        let mut b_end = b.state();
        common::drain_to_end(&mut b_end, "b to give up").await;
        let errors = b_errors.borrow().clone();
        let heard_second = errors
            .iter()
            .find(|(attempt, ..)| *attempt == Some(2))
            .map(|(.., heard_at)| *heard_at)
            .expect("the leader's second failure");
        let after_handover: Vec<_> = errors
            .iter()
            .skip_while(|(attempt, ..)| *attempt != Some(2))
            .skip(1)
            .map(|(attempt, kind, will_reconnect, _)| (*attempt, *kind, *will_reconnect))
            .collect();
        assert_eq!(
            after_handover,
            [
                (Some(3), ErrorKind::Failed, true),
                (Some(4), ErrorKind::Failed, true),
                (Some(5), ErrorKind::RetriesExhausted, false),
            ],
            "b went on from the leader's count (all its errors: {errors:?})"
        );
        // b's own first attempt waited out the leader's backoff: it failed no sooner than
        // the backoff after b heard the failure that set it. (A slow machine only makes
        // the wait longer; 50 ms spare for the timer's and the clock's grain.)
        let first_own = errors
            .iter()
            .find(|(attempt, ..)| *attempt == Some(3))
            .map(|(.., heard_at)| *heard_at)
            .expect("b's first failure");
        assert!(
            first_own - heard_second >= f64::from(backoff_ms) - 50.0,
            "b's first attempt failed {} ms after it heard the leader's backoff of {backoff_ms} ms",
            first_own - heard_second
        );
        // The last failure is final at once: no status probe follows it.
        assert_eq!(
            requests_on_server(&key).await,
            4 * common::requests_per_failure() + 1,
            "one first attempt and four retries, between the two tabs"
        );
    }
}

on_each_transport! {
    /// A tab that joins while the leader's policy waits to retry, after that failure was
    /// reported, learns the count from the leader's beat: when it takes over, it goes on
    /// from that count, after what is left of the backoff.
    async fn a_tab_that_joins_during_the_leaders_backoff_goes_on_with_its_count() {
        let key = unique("share-policy-join");
        let url = always_failing(&key);
        let backoff_ms: u32 = 3000;
        let policy = || fixed_backoff(backoff_ms);
        let a = shared_with_policy(&url, policy());
        until("a to lead", || leads(&a)).await;
        let (a_errors, _a_listener) = record_errors(&a);
        until("a's failure", || !a_errors.borrow().is_empty()).await;
        let reported_at = js_sys::Date::now();
        let b = shared_with_policy(&url, policy());
        let (b_errors, _b_listener) = record_errors(&b);
        // Long enough for b to hear a beat (every second), well within a's backoff.
        sleep(1600).await;
        assert!(b_errors.borrow().is_empty(), "b joined after a's report");
        let leaders = a_errors.borrow().clone();
        assert_eq!(leaders.len(), 1, "a still waits to retry: {leaders:?}");
        a.close();
        until("b's own first failure", || !b_errors.borrow().is_empty()).await;
        let failed_at = js_sys::Date::now();
        b.close();
        let first = b_errors.borrow()[0];
        let count = leaders[0].0.expect("a's attempt number");
        assert_eq!(
            first,
            (Some(count + 1), ErrorKind::Failed, true, false),
            "b went on from a's count ({leaders:?})"
        );
        // It waited out a's backoff (50 ms spare for the timers' and the clock's grain).
        assert!(
            failed_at - reported_at >= f64::from(backoff_ms) - 50.0,
            "b's first attempt failed {} ms after a's report of a {backoff_ms} ms backoff",
            failed_at - reported_at
        );
    }
}

on_each_transport! {
    /// A leader whose policy retried and then opened has started its count afresh, even
    /// where this tab saw no event that says so (none of the types it wants): a follower
    /// that takes over later counts its own first failure as the first.
    async fn a_new_leader_after_the_leaders_open_counts_afresh() {
        let key = unique("share-policy-open");
        // The leader fails twice, then opens.
        let url = fails_twice_then_opens_once(&key);
        let policy = || quick().max_retries(Some(4));
        let a = shared_with_policy(&url, policy());
        until("a to lead", || leads(&a)).await;
        let b = shared_with_policy(&url, policy());
        let (b_errors, _b_listener) = record_errors(&b);
        until("b to hear the leader's second failure", || {
            b_errors.borrow().iter().any(|(attempt, ..)| *attempt == Some(2))
        })
        .await;
        until("the leader to open", || a.ready_state() == ReadyState::Open).await;
        let (first, errors) = first_failure_after_the_leader_closes(&a, &b, &b_errors).await;
        assert!(
            errors.iter().take_while(|error| **error != first).all(|error| error.3),
            "b heard the leader's errors as another tab's: {errors:?}"
        );
        assert_eq!(
            first,
            (Some(1), ErrorKind::Failed, true, false),
            "b's first failure after the leader opened is its first (all its errors: {errors:?})"
        );
    }
}

on_each_transport! {
    /// A tab that led through failures, lost the lead, and then heard the new leader open
    /// counts its next failure as the first when it leads again: the outage it counted
    /// is over, though no event told it so.
    async fn a_tab_that_leads_again_after_the_open_counts_afresh() {
        let key = unique("share-lead-again");
        // A fails twice; the new leader opens.
        let url = fails_twice_then_opens_once(&key);
        // A backoff long enough to take the lock away while A waits to retry.
        let policy = || quick().initial_delay(ms(1000)).max_delay(ms(1000)).max_retries(Some(4));
        let a = shared_with_policy(&url, policy());
        until("a to lead", || leads(&a)).await;
        let (a_errors, _a_listener) = record_errors(&a);
        let b = shared_with_policy(&url, policy());
        until("a's second failure", || {
            a_errors.borrow().iter().any(|(attempt, ..)| *attempt == Some(2))
        })
        .await;
        let names: js_sys::Array = lock_names().await.unchecked_into();
        let name = names
            .iter()
            .filter_map(|name| name.as_string())
            .find(|name| name.starts_with("web-eventsource share") && name.contains(&key))
            .expect("the leader's lock");
        steal_lock(&name);
        until("a to follow", || !leads(&a)).await;
        release_held();
        until("b to lead", || leads(&b)).await;
        until("b to open", || b.ready_state() == ReadyState::Open).await;
        let (first, errors) = first_failure_after_the_leader_closes(&b, &a, &a_errors).await;
        assert_eq!(
            first,
            (Some(1), ErrorKind::Failed, true, false),
            "a's first failure after the new leader opened is its first (all its errors: {errors:?})"
        );
    }
}

/// `/test/stream` for `key`, whose every request fails.
fn always_failing(key: &str) -> String {
    server_url(&format!("/test/stream?count=5&key={key}&fail_first=1000"))
}

/// A policy that waits `backoff_ms` before each of its four retries.
fn fixed_backoff(backoff_ms: u32) -> web_eventsource::Reconnect {
    quick()
        .initial_delay(ms(backoff_ms.into()))
        .max_delay(ms(backoff_ms.into()))
        .max_retries(Some(4))
}

/// `/test/stream` for `key`: the requests of the first two failures fail, the next one
/// gets a stream that sends nothing, and every request after that fails.
fn fails_twice_then_opens_once(key: &str) -> String {
    let per_failure = common::requests_per_failure();
    let later: Vec<String> = (2 * per_failure + 2..=2 * per_failure + 1 + 6 * per_failure)
        .map(|n| n.to_string())
        .collect();
    server_url(&format!(
        "/test/stream?count=5&stall_after=0&key={key}&fail_first={}&fail_requests={}",
        2 * per_failure,
        later.join(",")
    ))
}

/// An error as [`record_errors`] keeps it: attempt, kind, whether it will reconnect, and
/// whether it is another tab's.
type Reported = (Option<u32>, ErrorKind, bool, bool);

type ErrorLog = Rc<RefCell<Vec<Reported>>>;

/// The errors `es` reports, recorded as they come while the listener lives.
fn record_errors(es: &EventSource) -> (ErrorLog, Listener) {
    let errors = ErrorLog::default();
    let listener = es.on_error({
        let errors = errors.clone();
        move |err| {
            errors.borrow_mut().push((
                err.attempt(),
                err.kind(),
                err.will_reconnect(),
                err.from_another_tab(),
            ))
        }
    });
    (errors, listener)
}

/// Once `follower` has heard the open of `leader`'s connection: closes `leader`, waits for
/// the first error `follower` reports after that (of its own request, as it leads now),
/// and closes it. Returns that error and every one it reported.
async fn first_failure_after_the_leader_closes(
    leader: &EventSource,
    follower: &EventSource,
    follower_errors: &ErrorLog,
) -> (Reported, Vec<Reported>) {
    until("the follower to hear the open", || {
        follower.ready_state() == ReadyState::Open
    })
    .await;
    let heard = follower_errors.borrow().len();
    leader.close();
    until("the follower's own first failure", || {
        follower_errors.borrow().len() > heard
    })
    .await;
    follower.close();
    let errors = follower_errors.borrow().clone();
    (errors[heard], errors)
}

/// The lock's name of sources at `url`, found by opening one and reading the page's
/// locks.
async fn lock_name(url: &str, tag: &str) -> String {
    let probe = leader(url).await;
    let names: js_sys::Array = lock_names().await.unchecked_into();
    probe.close();
    names
        .iter()
        .filter_map(|name| name.as_string())
        .find(|name| name.starts_with("web-eventsource share") && name.contains(tag))
        .expect("the leader's lock")
}

/// A stream on the native transport, at `/test/stream?{query}` tagged anew from `prefix`:
/// its tag, its URL and its lock's name (no source holds the lock, or waits for it).
async fn native_stream(prefix: &str, query: &str) -> (String, String, String) {
    common::use_transport(Transport::Native);
    let tag = unique(prefix);
    let url = server_url(&format!("/test/stream?{query}&tag={tag}"));
    let name = lock_name(&url, &tag).await;
    (tag, url, name)
}

/// A source that follows, the stream's lock being held from JavaScript (a leader played
/// by the test), with the stream's tag and the lock's name: on the native transport, at
/// `/test/stream?{query}`, tagged anew from `prefix`.
async fn follower_of_a_held_lock(prefix: &str, query: &str) -> (String, String, EventSource) {
    let (tag, url, name) = native_stream(prefix, query).await;
    hold_lock(&name);
    let follower = shared(&url);
    (tag, name, follower)
}

/// A leader's broadcast as `src/share/wire.rs` encodes it: `[kind, leader, seq, ...]`.
/// The kind is a number as the channel carries it, so that a test can send one no tab
/// would.
fn note(kind: f64, leader: f64, seq: f64, fields: &[JsValue]) -> js_sys::Array {
    let note = js_sys::Array::of3(&kind.into(), &leader.into(), &seq.into());
    for field in fields {
        note.push(field);
    }
    note
}

fn hello(leader: f64, resume_after: &str) -> js_sys::Array {
    note(0.0, leader, 1.0, &[resume_after.into()])
}

fn event(leader: f64, seq: f64, id: u64) -> js_sys::Array {
    event_with_id(leader, seq, &id.to_string(), id)
}

/// Event `n` (its data says which) whose last event id is `id`.
fn event_with_id(leader: f64, seq: f64, id: &str, n: u64) -> js_sys::Array {
    let data = format!("data {n}");
    let fields = ["message", &data, id, "http://example.test"];
    note(4.0, leader, seq, &fields.map(JsValue::from))
}

/// How many presence locks the sources of the stream `name` hold or wait for.
async fn presence_locks(name: &str) -> usize {
    let names: js_sys::Array = lock_names().await.unchecked_into();
    names
        .iter()
        .filter_map(|lock| lock.as_string())
        .filter(|lock| lock.starts_with("web-eventsource tab ") && lock.ends_with(name))
        .count()
}

/// What tab `tab` says to announce the event types it wants.
fn want(tab: f64, types: &[&str]) -> js_sys::Array {
    let types: js_sys::Array = types.iter().map(|name| JsValue::from_str(name)).collect();
    js_sys::Array::of3(&11.into(), &tab.into(), &types)
}

/// What tab `tab` says as its page goes away, to come back (`bye`, marked 1).
fn bye_away(tab: f64) -> js_sys::Array {
    js_sys::Array::of3(&12.into(), &tab.into(), &1.into())
}

/// What tab `tab` says as it closes, or as its page is unloaded (`bye`, unmarked).
fn bye(tab: f64) -> js_sys::Array {
    js_sys::Array::of2(&12.into(), &tab.into())
}

/// What tab `tab` says once it was granted the lock (`claim`).
fn claim(tab: f64) -> js_sys::Array {
    js_sys::Array::of2(&10.into(), &tab.into())
}

/// Waits for the next recorded broadcast of an event of type `event_type`.
async fn next_of_type(event_type: &str, what: &str) -> js_sys::Array {
    next_recorded(what, |note| is_event_of_type(note, event_type)).await
}

/// A native leader of `query` (events of several types) that wants `a`, with the channel
/// recorded and tab 7 (a fake) wanting `b`, once a `b` event has been broadcast.
async fn leader_with_tab_7_wanting_b(prefix: &str, query: &str) -> (String, EventSource, Ids) {
    let (_, name, a) = native_leader(prefix, query).await;
    let a_ids = Ids::of(&a, "a");
    record_channel(&name);
    broadcast(&name, want(7.0, &["b"]));
    next_of_type("b", "a b event").await;
    (name, a, a_ids)
}

/// Waits out what was broadcast before the leader heard the last note (300 ms), then
/// asserts that no event of type `event_type` is broadcast for 1.5 s.
async fn no_broadcast_of_type(event_type: &str, what: &str) {
    sleep(300).await;
    take_recorded();
    sleep(1_500).await;
    let late = take_recorded()
        .iter()
        .filter(|note| is_event_of_type(note.unchecked_ref(), event_type))
        .count();
    assert_eq!(late, 0, "{what}: {event_type} events broadcast");
}

/// Whether `note` is a leader's broadcast of an event of type `event_type`.
fn is_event_of_type(note: &js_sys::Array, event_type: &str) -> bool {
    note.get(0).as_f64() == Some(4.0) && note.get(3).as_string().as_deref() == Some(event_type)
}

on_each_transport! {
    /// A follower that joined after the last event has seen nothing of its own: when it
    /// leads, it resumes where the leader was (the beat says), not at its own start. A
    /// server that replays from the start would otherwise send every event again.
    async fn a_follower_that_saw_no_event_leads_from_the_leaders_position() {
        let tag = unique("share-quiet");
        // Three events, then a quiet stream (kept open); resumed after 3, it sends 4
        // and 5.
        let url = server_url(&format!("/test/stream?count=5&stall_after=3&tag={tag}"));
        let a = shared(&url);
        let a_ids = Ids::of(&a, "message");
        until("the first source to lead", || leads(&a)).await;
        a_ids.reach(3, "the leader's three events").await;
        let b = shared(&url);
        let b_ids = Ids::of(&b, "message");
        until("a beat to reach the follower", || b.sharing() == Sharing::Follower { tabs: 2 }).await;
        a.close();
        until("the follower to lead", || leads(&b)).await;
        until("the new leader's first two events", || b_ids.now().len() >= 2).await;
        assert_eq!(b_ids.now()[..2], [4, 5], "resumed after the leader's 3");
        drop((b, b_ids, a_ids));
        wait_open_on_server(&tag, 0).await;
    }
}

/// Only a GET is shared. A POST is sent once and its answer is its tab's: shared, a tab
/// taking the lead over would send it again, and a tab joining would get the rest of
/// another tab's answer. Each source sends its own, once, as without the option.
#[wasm_bindgen_test]
async fn a_post_is_not_shared_and_each_source_sends_its_own_once() {
    let key = unique("share-post");
    // One event, then the body ends 1 s later: time for a shared follower to join.
    let url = server_url(&format!("/test/echo?key={key}&linger=1000"));
    let open = || {
        EventSource::builder(&url)
            .method("POST")
            .body("prompt")
            .share_across_tabs(true)
            .open()
            .expect("the URL opens")
    };
    let (a, b) = (open(), open());
    assert_eq!(
        (a.sharing(), b.sharing()),
        (Sharing::Private, Sharing::Private)
    );
    let (mut a_messages, mut b_messages) = (a.messages(), b.messages());
    let (a_got, b_got) = futures::join!(
        drain_to_end(&mut a_messages, "the first source's answer"),
        drain_to_end(&mut b_messages, "the second source's answer"),
    );
    // The echo's id is the request's number under the key.
    let mut requests: Vec<String> = a_got
        .iter()
        .chain(&b_got)
        .map(|message| message.last_event_id())
        .collect();
    requests.sort();
    assert_eq!(requests, ["1", "2"], "an answer each, to a request each");
    assert_eq!(
        (a.ready_state(), b.ready_state()),
        (ReadyState::Closed, ReadyState::Closed),
        "the end of each body closed its source"
    );
    sleep(500).await;
    assert_eq!(requests_on_server(&key).await, 2, "each POST sent once");
}

/// Sources that ask for one request in different spellings share it: a URL with a
/// fragment (which the server never sees) and one without, headers in another order or
/// case. Each opened a connection of its own.
#[wasm_bindgen_test]
async fn one_request_spelt_two_ways_is_shared() {
    let tag = unique("share-spelt");
    let url = server_url(&format!("/test/stream?count=100000&interval=40&tag={tag}"));
    let open = |url: &str, headers: [(&str, &str); 2]| {
        let mut builder = EventSource::builder(url)
            .transport(Transport::Fetch)
            .share_across_tabs(true);
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        builder.open().expect("the URL opens")
    };
    // Headers sse-server's CORS rules allow.
    let first = open(
        &format!("{url}#top"),
        [
            ("Authorization", "Bearer t"),
            ("accept", "text/event-stream"),
        ],
    );
    until("the first source to lead", || leads(&first)).await;
    let second = open(
        &url,
        [
            ("Accept", "text/event-stream"),
            ("authorization", "Bearer t"),
        ],
    );
    until("the leader to count the second", || {
        first.sharing() == Sharing::Leader { tabs: 2 }
    })
    .await;
    assert_eq!(second.sharing(), Sharing::Follower { tabs: 2 });
    sleep(200).await;
    assert_eq!(open_on_server(&tag).await, 1, "one connection");
    drop((first, second));
    wait_open_on_server(&tag, 0).await;
}

/// A `headers_with` function cannot be compared: a source that has one shares only with
/// sources that have one too, so that a source sending a token never gets the answer to
/// one sending none (or the other way round).
#[wasm_bindgen_test]
async fn a_source_with_headers_with_does_not_share_with_one_without() {
    let tag = unique("share-hdrs");
    let url = server_url(&format!("/test/stream?count=100000&interval=40&tag={tag}"));
    let open = |with_token: bool| {
        let builder = EventSource::builder(&url)
            .transport(Transport::Fetch)
            .share_across_tabs(true);
        let builder = if with_token {
            builder.headers_with(|| vec![("Authorization".to_owned(), "Bearer t".to_owned())])
        } else {
            builder
        };
        builder.open().expect("the URL opens")
    };
    let plain = open(false);
    until("the plain source to lead", || leads(&plain)).await;
    let with_token = open(true);
    until(
        "the source with a token to lead a stream of its own",
        || leads(&with_token),
    )
    .await;
    wait_open_on_server(&tag, 2).await;
    assert_eq!(plain.sharing(), Sharing::Leader { tabs: 1 });
    drop((plain, with_token));
    wait_open_on_server(&tag, 0).await;
}

/// A leader whose reconnect cannot be made (its `headers_with` returned a header the
/// browser refuses, or threw) fails, and so does its follower, each with the refusal as
/// the error's `source()`: the cause crosses with the error.
#[wasm_bindgen_test]
async fn a_leaders_refused_header_is_the_cause_of_its_followers_error_too() {
    // (what `headers_with` does once told to refuse, the option the error names)
    for (throws, option) in [(false, "header"), (true, "headers_with")] {
        leader_refuses_and_both_say_why(throws, option).await;
    }
}

async fn leader_refuses_and_both_say_why(throws: bool, option: &str) {
    use std::error::Error as _;
    let rejections = common::Rejections::watch();
    // Each response ends after 2 events, and the transport reconnects 50 ms later, until
    // the leader's `headers_with` is told to refuse. Its header until then is one
    // sse-server's CORS rules allow: one they refuse fails every request before the server.
    let url = server_url(&format!(
        "/test/stream?count=100000&end_after=2&retry=50&key={}",
        unique("share-refused")
    ));
    let refuse = Rc::new(Cell::new(false));
    let open = |name: Rc<Cell<bool>>| {
        builder(&url)
            .transport(Transport::Fetch)
            .share_across_tabs(true)
            .headers_with(move || {
                let name = match (name.get(), throws) {
                    (false, _) => "Authorization",
                    (true, false) => "bad name",
                    (true, true) => wasm_bindgen::throw_str("no token"),
                };
                vec![(name.to_owned(), "Bearer 1".to_owned())]
            })
            .open()
            .expect("the URL opens")
    };
    let a = open(refuse.clone());
    until("a to lead", || leads(&a)).await;
    let b = open(Rc::new(Cell::new(false)));
    until("b to follow", || a.sharing() == Sharing::Leader { tabs: 2 }).await;
    let (mut a_events, mut b_events) = (a.events(), b.events());
    let broadcasts = Rc::new(Cell::new(0));
    let _counted = b.on_message({
        let broadcasts = broadcasts.clone();
        move |_| broadcasts.set(broadcasts.get() + 1)
    });
    until("b to get the leader's events", || broadcasts.get() > 0).await;
    refuse.set(true);
    let causes = |events: Vec<Event>, who: &str| {
        let last = match events.last() {
            Some(Event::Error(err)) if err.is_final() => err.clone(),
            other => panic!("{who}: expected a final error, got {other:?}"),
        };
        let cause = last
            .source()
            .and_then(|cause| cause.downcast_ref::<Error>())
            .cloned();
        assert!(
            matches!(&cause, Some(Error::InvalidOption { option: named, .. }) if *named == option),
            "{who}: {cause:?}"
        );
        (last.kind(), cause)
    };
    let a_end = causes(drain_to_end(&mut a_events, "a to end").await, "a");
    let b_end = causes(drain_to_end(&mut b_events, "b to end").await, "b");
    assert_eq!(b_end, a_end, "the follower says what the leader does");
    let thrown: &[&str] = if throws { &["no token"] } else { &[] };
    assert_eq!(
        rejections.stop().await,
        thrown,
        "reported as uncaught, by the leader only"
    );
}

/// A follower that drops its last listener of a type and adds one back in the same task
/// (an effect cleaned up and run again) goes on wanting the type: the leader hears each
/// announcement in a task of its own, and one without the type would have it stop
/// listening until the next, dropping an event of that type that came in between.
#[wasm_bindgen_test]
async fn a_follower_that_listens_again_at_once_never_stops_wanting_the_type() {
    const WANT: f64 = 11.0; // src/share/wire.rs
    let (_, name, follower) = follower_of_a_held_lock("share-relisten", "count=5").await;
    let first = follower.on("b", |_| {});
    sleep(100).await;
    record_channel(&name);
    drop(first);
    let _again = follower.on("b", |_| {});
    sleep(300).await;
    let wants: Vec<Vec<String>> = recorded_notes()
        .iter()
        .map(|note| js_sys::Array::from(&note))
        .filter(|note| note.get(0).as_f64() == Some(WANT))
        .map(|note| {
            js_sys::Array::from(&note.get(2))
                .iter()
                .filter_map(|name| name.as_string())
                .collect()
        })
        .collect();
    assert!(!wants.is_empty(), "the new listener is announced");
    assert!(
        wants
            .iter()
            .all(|types| types.iter().any(|name| name == "b")),
        "{wants:?}"
    );
}

/// A new leader that resumes behind this tab (it missed broadcasts this tab got) sends
/// events this tab delivered already: they are dropped, the rest delivered; a stale
/// leader's late broadcasts are ignored. The leaders are played from JavaScript on the
/// channel, with the lock held there so that the source stays a follower.
#[wasm_bindgen_test]
async fn a_new_leader_behind_this_tab_brings_no_repeat() {
    let (_, name, b) = follower_of_a_held_lock("share-repeats", "count=5").await;
    let b_ids = Ids::of(&b, "message");
    let first = b.messages();
    broadcast(&name, hello(1.0, ""));
    for id in 1..=5 {
        broadcast(&name, event(1.0, id as f64 + 1.0, id));
    }
    assert_eq!(
        b_ids.reach(5, "the first leader's events").await,
        [1, 2, 3, 4, 5]
    );
    // Leader 2 resumes after 3: 4 and 5 come again, then 6 and 7.
    broadcast(&name, hello(2.0, "3"));
    for (seq, id) in [4, 5, 6, 7].into_iter().enumerate() {
        broadcast(&name, event(2.0, seq as f64 + 2.0, id));
    }
    // Leader 1 has not noticed yet: ignored.
    broadcast(&name, event(1.0, 7.0, 99));
    // A repeat of leader 2's last sequence number: ignored.
    broadcast(&name, event(2.0, 5.0, 7));
    let seen = b_ids.reach(7, "the second leader's events").await;
    sleep(300).await;
    assert_eq!(
        b_ids.now(),
        [1, 2, 3, 4, 5, 6, 7],
        "no repeat, nothing stale"
    );
    assert_eq!(seen, b_ids.now());
    assert_eq!(b.last_event_id(), "7");
    assert_eq!(b.ready_state(), ReadyState::Open);
    drop(first);
    close_channel();
    release_held();
}

/// What only looks like a note is ignored: a kind that is no whole number (`0.5` read as
/// 0 was a `hello`), a leader id that is not a number any tab has (`NaN`), a sequence
/// number no tab counts to (`Infinity`, `NaN`). Taken as a `hello`, it made the follower
/// drop its real leader's events as stale; a `NaN`-numbered event was delivered.
#[wasm_bindgen_test]
async fn a_malformed_note_is_ignored() {
    let (_, name, b) = follower_of_a_held_lock("share-malformed", "count=3").await;
    let b_ids = Ids::of(&b, "message");
    broadcast(&name, hello(1.0, ""));
    broadcast(&name, event(1.0, 2.0, 1));
    assert_eq!(b_ids.reach(1, "the leader's first event").await, [1]);
    // A `hello` from leader 3 but for its kind, and one from a leader that is no number.
    broadcast(&name, note(0.5, 3.0, 1.0, &["".into()]));
    broadcast(&name, hello(f64::NAN, ""));
    broadcast(&name, note(0.0, 1.0, f64::INFINITY, &["1".into()]));
    let stray = ["message", "data 9", "9", "http://example.test"].map(JsValue::from);
    broadcast(&name, note(4.0, 1.0, f64::NAN, &stray));
    broadcast(&name, event(1.0, 3.0, 2));
    assert_eq!(
        b_ids
            .reach(2, "the leader's event after the malformed notes")
            .await,
        [1, 2]
    );
    close_channel();
    release_held();
}

/// On a stream without ids every event carries `""`, after which a new leader cannot
/// resume: whatever it relays is new, and none of it is dropped as a repeat.
#[wasm_bindgen_test]
async fn a_new_leader_on_a_stream_without_ids_drops_nothing() {
    let (_, name, b) = follower_of_a_held_lock("share-no-ids", "count=5").await;
    let data = Rc::new(RefCell::new(Vec::new()));
    let _on_message = b.on("message", {
        let data = data.clone();
        move |msg| data.borrow_mut().push(msg.data().to_owned())
    });
    broadcast(&name, hello(1.0, ""));
    for n in 1..=3 {
        broadcast(&name, event_with_id(1.0, n as f64 + 1.0, "", n));
    }
    until("the first leader's events", || data.borrow().len() == 3).await;
    broadcast(&name, hello(2.0, ""));
    for (seq, n) in [4, 5, 6].into_iter().enumerate() {
        broadcast(&name, event_with_id(2.0, seq as f64 + 2.0, "", n));
    }
    until("the second leader's events", || data.borrow().len() == 6).await;
    sleep(300).await;
    let expected: Vec<String> = (1..=6).map(|n| format!("data {n}")).collect();
    assert_eq!(*data.borrow(), expected);
    close_channel();
    release_held();
}

/// A follower of leader 1, played by the test, that has delivered its event 1 (broadcast
/// 2): the lock's name, the source, and its ids.
async fn following_leader_1(prefix: &str) -> (String, EventSource, Ids) {
    let (_, name, b) = follower_of_a_held_lock(prefix, "count=5").await;
    let b_ids = Ids::of(&b, "message");
    broadcast(&name, hello(1.0, ""));
    broadcast(&name, event(1.0, 2.0, 1));
    b_ids.reach(1, "the first leader's event").await;
    (name, b, b_ids)
}

/// Dispatches a page lifecycle event (`pagehide`, `pageshow`) on the window.
fn page_event(name: &str) {
    let page = web_sys::window().expect("a window");
    let event = web_sys::Event::new(name).expect("an event");
    page.dispatch_event(&event).expect("dispatched");
}

/// A follower whose page comes back (from the back/forward cache, which drops channel
/// messages, so that it missed the hello of a tab that took the lead meanwhile) follows
/// whichever leader it hears first, rather than dropping the new leader's events until
/// its silence check gives up on the old one.
#[wasm_bindgen_test]
async fn a_follower_back_from_away_follows_a_new_leader_at_once() {
    let (name, _b, b_ids) = following_leader_1("share-away").await;
    page_event("pagehide");
    // Leader 2's hello went by while the page was away.
    page_event("pageshow");
    broadcast(&name, event(2.0, 5.0, 2));
    broadcast(&name, event(2.0, 6.0, 3));
    // The silence check gives up on a leader after 3 s at the least.
    let seen = within_ms(2_000, "the new leader's events", b_ids.reach(3, "event 3")).await;
    assert_eq!(seen, [1, 2, 3]);
    close_channel();
    release_held();
}

/// A follower whose page went away (`pagehide`) has said `bye`, and says nothing more until
/// it comes back: a `want` after the `bye` made the leader count it again, drop it again
/// at the presence check, and subscribe to its types and drop them, round after round.
#[wasm_bindgen_test]
async fn a_follower_away_says_nothing_after_its_bye() {
    let (name, b, _b_ids) = following_leader_1("share-away-quiet").await;
    record_channel(&name);
    page_event("pagehide");
    // More than a beat (1 s), in which a follower announces its types; and a type asked
    // for meanwhile.
    let _late = b.on("late", |_| {});
    sleep(1_500).await;
    let kinds: Vec<f64> = recorded_notes()
        .iter()
        .filter_map(|note| note.unchecked_into::<js_sys::Array>().get(0).as_f64())
        .collect();
    let bye = kinds.iter().position(|&kind| kind == 12.0);
    assert!(bye.is_some(), "the bye: {kinds:?}");
    assert_eq!(
        &kinds[bye.unwrap() + 1..],
        &[] as &[f64],
        "after the bye: {kinds:?}"
    );
    page_event("pageshow");
    close_channel();
    release_held();
}

/// A follower's goodbye says whether its page may come back: hidden into the
/// back/forward cache (`persisted`), the leader goes on listening for its types; unloaded
/// (the tab closed or reloaded, or the page left), it forgets them at once, as for a
/// source closed.
#[wasm_bindgen_test]
async fn a_followers_goodbye_says_whether_its_page_may_come_back() {
    let (_, name, _b) = follower_of_a_held_lock("share-unload", "count=5").await;
    record_channel(&name);
    let bye = |what| next_recorded(what, |note| note.get(0).as_f64() == Some(12.0));
    page_transition("pagehide", false);
    let unloaded = bye("the bye as the page unloads").await;
    page_transition("pageshow", false);
    page_transition("pagehide", true);
    let cached = bye("the bye as the page is cached").await;
    page_transition("pageshow", true);
    // Frozen, then unloaded without being resumed: the goodbye for good follows.
    document_event("freeze");
    let frozen = bye("the bye as the page freezes").await;
    page_transition("pagehide", false);
    let unloaded_frozen = bye("the bye as the frozen page unloads").await;
    recorded_notes();
    page_transition("pageshow", false);
    assert_eq!(unloaded.length(), 2, "no mark: {:?}", unloaded.to_vec());
    assert_eq!(cached.get(2).as_f64(), Some(1.0), "marked away");
    assert_eq!(frozen.get(2).as_f64(), Some(1.0), "frozen: marked away");
    assert_eq!(
        unloaded_frozen.length(),
        2,
        "unloaded once frozen: {:?}",
        unloaded_frozen.to_vec()
    );
    close_channel();
    release_held();
}

/// Dispatches a page lifecycle event (`freeze`, `resume`) on the document.
fn document_event(name: &str) {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .expect("a document");
    let event = web_sys::Event::new(name).expect("an event");
    document.dispatch_event(&event).expect("dispatched");
}

/// A follower whose page comes back having missed some of the same leader's broadcasts
/// (a page frozen or in the back/forward cache gets no channel messages) sees the gap in
/// their sequence numbers: it asks the leader for them again, drops what comes before
/// they do, and delivers every event once, in order.
#[wasm_bindgen_test]
async fn a_follower_back_from_away_asks_for_what_it_missed() {
    let (name, _b, b_ids, asked) = back_from_away_having_missed("share-missed", 4).await;
    assert_eq!(
        (asked.get(2).as_f64(), asked.get(3).as_f64()),
        (Some(1.0), Some(2.0)),
        "leader 1's broadcasts after 2"
    );
    let b_tab = asked.get(1).as_f64().expect("the asking tab");
    // Posted again for another tab (an event 99 there): b does not take it up.
    broadcast(&name, again(1.0, b_tab + 1.0, event(1.0, 3.0, 99)));
    // Posted again for b, then the leader goes on.
    for seq in 3..=5 {
        broadcast(&name, again(1.0, b_tab, event(1.0, seq as f64, seq - 1)));
    }
    broadcast(&name, event(1.0, 6.0, 5));
    let seen = b_ids.reach(5, "event 5").await;
    sleep(200).await;
    assert_eq!(seen, [1, 2, 3, 4, 5]);
    assert_eq!(b_ids.now(), seen, "nothing after");
    close_channel();
    release_held();
}

/// A follower back from away that missed more than the leader keeps is started again at
/// the leader's position (a `hello` posted again for it alone): from then on it stands
/// there. It had kept its own last id, far behind, and taking the lead it would have made
/// the server send every other tab again what they delivered.
#[wasm_bindgen_test]
async fn a_follower_started_again_stands_at_the_leaders_position() {
    let (name, b, _b_ids, asked) = back_from_away_having_missed("share-restart", 300).await;
    let b_tab = asked.get(1).as_f64().expect("the asking tab");
    assert_eq!(b.last_event_id(), "1", "before the leader answers");
    // Leader 1 no longer keeps broadcasts 3 and 4: it starts b again where it stands.
    broadcast(
        &name,
        again(1.0, b_tab, note(0.0, 1.0, 5.0, &["300".into()])),
    );
    until("b at the leader's position", || b.last_event_id() == "300").await;
    close_channel();
    release_held();
}

/// A follower of leader 1 (see [`following_leader_1`]) whose page went away, while
/// broadcasts 3 and 4 went by, and came back to broadcast 5 (event `id`): it has asked
/// for what it missed. The channel's name, the follower, its ids, and its request.
async fn back_from_away_having_missed(
    prefix: &str,
    id: u64,
) -> (String, EventSource, Ids, js_sys::Array) {
    let (name, b, b_ids) = following_leader_1(prefix).await;
    record_channel(&name);
    page_event("pagehide");
    page_event("pageshow");
    broadcast(&name, event(1.0, 5.0, id));
    let asked = next_recorded("the request for what was missed", |note| {
        note.get(0).as_f64() == Some(14.0)
    })
    .await;
    recorded_notes();
    (name, b, b_ids, asked)
}

/// Leader `leader`'s `note` posted again for tab `to` alone, as `src/share/wire.rs`
/// encodes it.
fn again(leader: f64, to: f64, note: js_sys::Array) -> js_sys::Array {
    js_sys::Array::of4(&5.into(), &leader.into(), &to.into(), &note)
}

/// The first note recorded on the channel from now on for which `wanted` holds.
async fn next_recorded(what: &str, wanted: impl Fn(&js_sys::Array) -> bool) -> js_sys::Array {
    within(what, async {
        loop {
            let found = take_recorded()
                .iter()
                .map(|note| note.unchecked_into::<js_sys::Array>())
                .find(&wanted);
            if let Some(found) = found {
                break found;
            }
            sleep(20).await;
        }
    })
    .await
}

/// Asks, as tab 7, for leader `leader`'s broadcasts after `after` on channel `name`.
fn ask_again(name: &str, leader: &JsValue, after: f64) {
    let request = js_sys::Array::of4(&14.into(), &7.0.into(), leader, &after.into());
    broadcast(name, request);
}

/// The broadcast inside an `again` note for tab 7; `None` for any other note.
fn again_for_tab_7(note: &js_sys::Array) -> Option<js_sys::Array> {
    (note.get(0).as_f64() == Some(5.0) && note.get(2).as_f64() == Some(7.0))
        .then(|| note.get(3).unchecked_into())
}

/// A source that leads on the native transport, at `/test/stream?{query}` tagged anew
/// from `prefix`: its URL, its lock's name, and the source.
async fn native_leader(prefix: &str, query: &str) -> (String, String, EventSource) {
    let (_, url, name) = native_stream(prefix, query).await;
    let a = leader(&url).await;
    (url, name, a)
}

/// A leader posts its kept broadcasts again, as they were, for the follower that asks
/// for those after a sequence number, and for it alone: another follower delivers
/// nothing twice. Its beats are not kept (they take no sequence number of their own).
#[wasm_bindgen_test]
async fn a_leader_sends_again_what_a_follower_missed() {
    let (url, name, a) = native_leader("share-resend", "count=1000&interval=20").await;
    let a_ids = Ids::of(&a, "message");
    let b = shared(&url);
    let b_ids = Ids::of(&b, "message");
    record_channel(&name);
    until("3 events", || a_ids.now().len() >= 3).await;
    // The channel delivers a broadcast after the leader's own listeners have had the
    // event, later still on a busy machine: what has been recorded so far may be nothing.
    let mut before: Vec<js_sys::Array> = Vec::new();
    until("a broadcast recorded", || {
        let kept = |kind: f64| kind < 5.0 && kind != 1.0;
        before.extend(
            take_recorded()
                .iter()
                .map(|note| note.unchecked_into::<js_sys::Array>())
                .filter(|note| note.get(0).as_f64().is_some_and(kept)),
        );
        !before.is_empty()
    })
    .await;
    let first = before.first().expect("a broadcast");
    let leader_id = first.get(1);
    let after = first.get(2).as_f64().expect("a sequence number") - 1.0;
    ask_again(&name, &leader_id, after);
    // The leader posts them all at once; what it posts next (an event comes every 20 ms)
    // is a beat.
    let mut again = Vec::new();
    let next = within("the broadcasts again, and the note after", async {
        loop {
            for note in take_recorded().iter() {
                let note: js_sys::Array = note.unchecked_into();
                match again_for_tab_7(&note) {
                    Some(inner) => again.push(inner),
                    None if !again.is_empty() => return note,
                    None => {}
                }
            }
            sleep(20).await;
        }
    })
    .await;
    recorded_notes();
    assert_eq!(
        (next.get(0).as_f64(), next.get(2).as_f64()),
        (
            Some(1.0),
            again.last().and_then(|note| note.get(2).as_f64())
        ),
        "a beat, numbered as the last broadcast posted again: {:?}",
        next.to_vec()
    );
    let text = |note: &js_sys::Array| js_sys::JSON::stringify(note).unwrap();
    let before: Vec<_> = before.iter().map(text).collect();
    let again: Vec<_> = again.iter().take(before.len()).map(text).collect();
    assert_eq!(again, before, "posted again, as they were");
    let last = a_ids
        .reach(a_ids.now().last().unwrap() + 5, "5 more events")
        .await;
    let b_seen = b_ids.reach(*last.last().unwrap(), "b's events").await;
    assert_run(&b_seen, 1, *last.last().unwrap(), "b, while another asked");
    close_channel();
}

/// Past what a leader keeps (here, 2^20 characters of event data: 10 of these events), it
/// answers a follower that asks for older broadcasts with a `hello` from where it stands,
/// for that follower alone.
#[wasm_bindgen_test]
async fn a_leader_that_no_longer_keeps_them_says_hello() {
    let (_, name, a) =
        native_leader("share-resend-hello", "count=1000&interval=20&size=100000").await;
    let a_ids = Ids::of(&a, "message");
    record_channel(&name);
    let first = next_recorded("a broadcast", |note| {
        note.get(0).as_f64().is_some_and(|kind| kind < 5.0)
    })
    .await;
    let leader_id = first.get(1);
    let after = first.get(2).as_f64().expect("a sequence number") - 1.0;
    // 12 events later it has been pushed out.
    until("12 events", || a_ids.now().len() >= 12).await;
    take_recorded();
    ask_again(&name, &leader_id, after);
    let hello = next_recorded("the hello", |note| {
        again_for_tab_7(note).is_some_and(|inner| inner.get(0).as_f64() == Some(0.0))
    })
    .await;
    recorded_notes();
    let hello = again_for_tab_7(&hello).unwrap();
    assert_eq!(hello.get(1), leader_id);
    let resumes_after: u64 = hello.get(3).as_string().unwrap().parse().expect("an id");
    assert!(
        resumes_after >= 12,
        "the leader's position: {resumes_after}"
    );
    close_channel();
}

/// A leader's beats (one a second, and one for each probe) are not among the broadcasts
/// it keeps: a follower away for minutes of a quiet stream still gets back the events it
/// missed. Kept, 256 beats (four minutes) pushed them out, and the follower was started
/// again at the leader's position, every event between lost.
#[wasm_bindgen_test]
async fn beats_do_not_push_events_out_of_what_a_leader_keeps() {
    let (_, name, a) = native_leader("share-kept-beats", "count=1000&interval=1000").await;
    let _a_ids = Ids::of(&a, "message");
    record_channel(&name);
    let event = next_recorded("an event", |note| note.get(0).as_f64() == Some(4.0)).await;
    let leader_id = event.get(1);
    let seq = event.get(2).as_f64().expect("a sequence number");
    // Each probe is answered with a beat: 300 of them are five minutes' worth.
    for _ in 0..300 {
        broadcast(&name, js_sys::Array::of2(&13.into(), &7.0.into()));
    }
    let mut beats = 0;
    within("300 beats", async {
        while beats < 300 {
            sleep(20).await;
            beats += take_recorded()
                .iter()
                .filter(|note| note.unchecked_ref::<js_sys::Array>().get(0).as_f64() == Some(1.0))
                .count();
        }
    })
    .await;
    ask_again(&name, &leader_id, seq - 1.0);
    let first = next_recorded("the answer", |note| again_for_tab_7(note).is_some()).await;
    recorded_notes();
    let first = again_for_tab_7(&first).unwrap();
    assert_eq!(
        first.get(0).as_f64(),
        Some(4.0),
        "the event again, not a hello"
    );
    assert_eq!(first.get(2).as_f64(), Some(seq));
    close_channel();
}

/// A follower whose page went away (its `bye` says so) is no longer counted, but the
/// leader goes on listening for its types while it keeps the broadcasts that follower
/// will ask for: back, it gets its own events again too. The leader stopped listening for
/// a type that only the follower wanted, and those events were lost.
#[wasm_bindgen_test]
async fn a_follower_back_from_away_gets_its_own_types_again() {
    let (url, name, a) =
        native_leader("share-away-types", "count=1000&interval=50&events=a,b,c").await;
    // The leader wants only `a` (ids 1, 4, 7, ...); tab 7 only `b` (2, 5, 8, ...).
    let a_ids = Ids::of(&a, "a");
    // A follower that stays: with one present, the leader checks the presence locks,
    // which an away follower has given up.
    let c = shared(&url);
    until("c counted", || a.sharing() == Sharing::Leader { tabs: 2 }).await;
    // Tab 7's presence lock, which a real tab holds until its page goes away: without
    // it, the leader's presence check would forget tab 7 within 3.5 s of its `want`.
    let presence = format!("web-eventsource tab 7 {name}");
    hold_lock(&presence);
    record_channel(&name);
    broadcast(&name, want(7.0, &["b"]));
    let is_b = |note: &js_sys::Array| is_event_of_type(note, "b");
    let first_b = next_recorded("a b event", is_b).await;
    let leader_id = first_b.get(1);
    let after = first_b.get(2).as_f64().expect("a sequence number");
    // An event's id; 0 for any other broadcast.
    let id_of = |note: &js_sys::Array| -> u64 {
        let id = note
            .get(5)
            .as_string()
            .filter(|_| note.get(0).as_f64() == Some(4.0));
        id.map_or(0, |id| id.parse().expect("a numeric id"))
    };
    let first_id = id_of(&first_b);
    until("tab 7 counted", || {
        a.sharing() == Sharing::Leader { tabs: 3 }
    })
    .await;
    broadcast(&name, bye_away(7.0));
    // Its page went away, and its presence lock with it.
    release_held();
    until("tab 7 away, not counted", || {
        a.sharing() == Sharing::Leader { tabs: 2 }
    })
    .await;
    // 25 b events go by while it is away: 3.75 s, past the presence check's grace.
    a_ids
        .reach(first_id + 74, "the a event after b's 25th")
        .await;
    hold_lock(&presence);
    broadcast(&name, want(7.0, &["b"]));
    ask_again(&name, &leader_id, after);
    let mut again = Vec::new();
    within("what tab 7 missed, again", async {
        while !again.iter().any(|note| id_of(note) >= first_id + 74) {
            sleep(20).await;
            again.extend(
                take_recorded()
                    .iter()
                    .filter_map(|note| again_for_tab_7(note.unchecked_ref())),
            );
        }
    })
    .await;
    recorded_notes();
    let b_ids: Vec<u64> = again.iter().filter(|note| is_b(note)).map(id_of).collect();
    assert_eq!(b_ids.first(), Some(&(first_id + 3)), "{b_ids:?}");
    let last = *b_ids.last().unwrap();
    assert!(last >= first_id + 72, "{b_ids:?}");
    assert_run(&b_ids, 3, last, "tab 7's b events, again");
    until("tab 7 counted again", || {
        a.sharing() == Sharing::Leader { tabs: 3 }
    })
    .await;
    c.close();
    close_channel();
    release_held();
}

/// A follower that closes, or whose page is unloaded, says goodbye for good: the leader
/// stops listening for the types only it wanted at once, not once its kept broadcasts
/// roll over, as for a page that may come back.
#[wasm_bindgen_test]
async fn a_followers_goodbye_for_good_stops_its_types_at_once() {
    let (name, _a, _a_ids) =
        leader_with_tab_7_wanting_b("share-bye-types", "count=1000&interval=100&events=a,b").await;
    // Held, so that only the goodbye can make the leader forget tab 7.
    hold_lock(&format!("web-eventsource tab 7 {name}"));
    broadcast(&name, bye(7.0));
    no_broadcast_of_type("b", "after tab 7's goodbye").await;
    recorded_notes();
    close_channel();
    release_held();
}

/// A leader remembers at most 16 followers whose page went away saying it may come back
/// (most never do: the browser evicts a page from the back/forward cache without a
/// word), the oldest forgotten first with the types only it wanted.
#[wasm_bindgen_test]
async fn a_leader_remembers_at_most_16_followers_away() {
    let (name, _a, _a_ids) =
        leader_with_tab_7_wanting_b("share-away-cap", "count=1000&interval=50&events=a,b,c").await;
    broadcast(&name, bye_away(7.0));
    for tab in 100..115 {
        broadcast(&name, want(f64::from(tab), &["c"]));
        broadcast(&name, bye_away(f64::from(tab)));
    }
    // 16 away: tab 7 is still remembered.
    next_of_type("b", "a b event with 16 away").await;
    broadcast(&name, want(115.0, &["c"]));
    broadcast(&name, bye_away(115.0));
    no_broadcast_of_type("b", "with 17 away").await;
    next_of_type("c", "a c event").await;
    recorded_notes();
    close_channel();
}

/// A tab that stops leading forgets the followers away from its leadership: leading
/// again, it has none of the broadcasts they would ask for, and would listen for their
/// types for nothing.
#[wasm_bindgen_test]
async fn a_tab_that_leads_again_forgets_who_was_away() {
    let (name, a, _a_ids) =
        leader_with_tab_7_wanting_b("share-away-again", "count=1000&interval=50&events=a,b").await;
    // Back to back, so that (but for an event between them) `a` broadcasts nothing
    // after the goodbye: its hello as leader again then comes right after the broadcast
    // tab 7 went away after, and the broadcasts it keeps seem to reach back to it.
    broadcast(&name, bye_away(7.0));
    // Tab 8 says it was granted the lock: `a` stops leading, asks for the lock again,
    // and, granted it at once, leads again.
    broadcast(&name, claim(8.0));
    next_recorded("a's hello, leading again", |note| {
        note.get(0).as_f64() == Some(0.0)
    })
    .await;
    assert!(leads(&a), "a leads again");
    no_broadcast_of_type("b", "leading again").await;
    recorded_notes();
    close_channel();
}

/// A follower away for longer than the leader's kept broadcasts reach back (here 2^20
/// characters of event data: 10 of these events) is forgotten: its types are no longer
/// listened for. Back, it would start again at the leader's position anyway.
#[wasm_bindgen_test]
async fn a_follower_away_for_longer_than_the_leader_keeps_is_forgotten() {
    let (_, name, a) = native_leader(
        "share-away-long",
        "count=1000&interval=20&events=a,b&size=100000",
    )
    .await;
    let _a_ids = Ids::of(&a, "a");
    record_channel(&name);
    broadcast(&name, want(7.0, &["b"]));
    let is_b = |note: &JsValue| is_event_of_type(note.unchecked_ref(), "b");
    next_recorded("a b event", |note| is_b(note)).await;
    until("tab 7 counted", || {
        a.sharing() == Sharing::Leader { tabs: 2 }
    })
    .await;
    broadcast(&name, bye_away(7.0));
    until("tab 7 away", || a.sharing() == Sharing::Leader { tabs: 1 }).await;
    take_recorded();
    // Still listened for after the goodbye: forgotten at once, there would be no b event
    // to stop.
    next_recorded("a b event after the goodbye", |note| is_b(note)).await;
    // A b event every 40 ms while it is listened for; the leader forgets at its next
    // tick (every 500 ms) after the kept broadcasts no longer reach back.
    within("no more b events", async {
        let mut quiet_since = js_sys::Date::now();
        loop {
            sleep(50).await;
            if take_recorded().iter().any(|note| is_b(&note)) {
                quiet_since = js_sys::Date::now();
            } else if js_sys::Date::now() - quiet_since > 600.0 {
                break;
            }
        }
    })
    .await;
    recorded_notes();
    close_channel();
}

/// A beat takes no sequence number of its own, but carries that of the broadcast before
/// it: a follower takes one so numbered as news (here, how many tabs share), and one
/// numbered past it as the sign of a broadcast it missed, which it asks for again.
#[wasm_bindgen_test]
async fn a_beat_carries_the_number_of_the_broadcast_before_it() {
    let (name, b, _b_ids) = following_leader_1("share-beat-seq").await;
    // Leader 1's beat: open, `tabs` sharing, its last event id "1".
    let beat = |seq: f64, tabs: u32| note(1.0, 1.0, seq, &[1.into(), tabs.into(), "1".into()]);
    broadcast(&name, beat(2.0, 3));
    until("the beat's count of tabs", || {
        b.sharing() == Sharing::Follower { tabs: 3 }
    })
    .await;
    record_channel(&name);
    // Broadcast 3 went by unheard.
    broadcast(&name, beat(3.0, 4));
    let asked = next_recorded("the request for what was missed", |note| {
        note.get(0).as_f64() == Some(14.0)
    })
    .await;
    recorded_notes();
    assert_eq!(
        (asked.get(2).as_f64(), asked.get(3).as_f64()),
        (Some(1.0), Some(2.0)),
        "leader 1's broadcasts after 2"
    );
    assert_eq!(
        b.sharing(),
        Sharing::Follower { tabs: 3 },
        "the beat after the gap waits for what was missed"
    );
    close_channel();
    release_held();
}

/// A callback that closes the source as it loses the lead (its state goes back to
/// connecting) leaves no request for the lock behind.
#[wasm_bindgen_test]
async fn a_source_closed_as_it_loses_the_lead_asks_for_no_lock() {
    let (_, name, a) = native_leader("share-lose-lead", "count=1000&interval=50").await;
    // Queued behind the leader: JavaScript takes the lock when the leader lets it go.
    hold_lock(&name);
    let weak = a.downgrade();
    let _close_when_connecting = a.on_state_change(move |state| {
        if state == ReadyState::Connecting {
            if let Some(a) = weak.upgrade() {
                a.close();
            }
        }
    });
    // Another tab says it leads: this one stops leading, and would ask for the lock again.
    broadcast(&name, hello(7.0, ""));
    until("the source to close", || {
        a.ready_state() == ReadyState::Closed
    })
    .await;
    sleep(200).await;
    let names: js_sys::Array = lock_names().await.unchecked_into();
    let requests = names
        .iter()
        .filter(|lock| lock.as_string().as_deref() == Some(&name))
        .count();
    assert_eq!(requests, 1, "only the lock JavaScript holds");
    close_channel();
    release_held();
}

/// A leader that holds the lock but no longer answers (here: the lock held from
/// JavaScript, with nobody broadcasting) is taken over once its silence lasts.
#[wasm_bindgen_test]
async fn a_silent_leader_that_keeps_the_lock_is_taken_over() {
    let (tag, _, b) = follower_of_a_held_lock("share-stuck", "count=200&interval=50").await;
    let b_ids = Ids::of(&b, "message");
    sleep(1_000).await;
    assert!(!leads(&b), "the lock is held elsewhere");
    assert!(b_ids.now().is_empty());
    until("the follower to steal the lock", || leads(&b)).await;
    until("events", || b_ids.now().len() >= 3).await;
    release_held();
    assert_eq!(b_ids.now()[0], 1, "from the start: nothing was seen before");
    drop((b, b_ids));
    wait_open_on_server(&tag, 0).await;
}

/// A follower that goes away without a goodbye (its tab crashed or was discarded, its
/// worker terminated) is forgotten within seconds, not after the peers' 3-minute expiry:
/// the leader sees that its presence lock is gone. One whose lock is still held stays
/// counted. The follower is played from JavaScript: its lock, and its announcement.
#[wasm_bindgen_test]
async fn a_follower_gone_without_goodbye_is_soon_forgotten() {
    let (url, name, a) = native_leader("share-gone", "count=400&interval=50").await;
    hold_lock(&format!("web-eventsource tab 7 {name}"));
    broadcast(&name, want(7.0, &["message"]));
    until("the leader to count the follower", || {
        a.sharing() == Sharing::Leader { tabs: 2 }
    })
    .await;
    // A real follower takes its presence lock, and gives it back when it closes.
    let b = shared(&url);
    until("the leader to count b", || {
        a.sharing() == Sharing::Leader { tabs: 3 }
    })
    .await;
    assert_eq!(
        presence_locks(&name).await,
        3,
        "a's, b's and the played one's"
    );
    b.close();
    until("the leader to drop b", || {
        a.sharing() == Sharing::Leader { tabs: 2 }
    })
    .await;
    assert_eq!(presence_locks(&name).await, 2, "b's is given back");
    sleep(4_000).await;
    assert_eq!(
        a.sharing(),
        Sharing::Leader { tabs: 2 },
        "a follower whose lock is held stays counted"
    );
    release_held();
    until("the leader to forget the follower", || {
        a.sharing() == Sharing::Leader { tabs: 1 }
    })
    .await;
    close_channel();
}

/// A tab that cannot send its resume point (the native transport, with a policy that
/// names no resume parameter) asks for the stream from the start when it takes the lead.
/// Its `hello` says so (it resumes after `""`), so that a tab that had the events drops
/// them as repeats. It said where it had got to, and the other tab took the first event
/// sent again for a new one and delivered all of them twice.
#[wasm_bindgen_test]
async fn a_leader_that_cannot_resume_says_it_starts_over() {
    let (_, url, name) = native_stream("share-noresume", "count=6&interval=50").await;
    hold_lock(&name);
    let b = shared_with_policy(
        &url,
        web_eventsource::Reconnect::default().resume_param(None),
    );
    let b_ids = Ids::of(&b, "message");
    // The resume point as each open of b reports it: its last, as the leader, is "".
    let b_opens = Rc::new(RefCell::new(Vec::new()));
    let _on_open = b.on_open({
        let (b_opens, weak) = (b_opens.clone(), b.downgrade());
        move || {
            b_opens
                .borrow_mut()
                .extend(weak.upgrade().map(|b| b.last_event_id()))
        }
    });
    let c = shared(&url);
    let c_ids = Ids::of(&c, "message");
    broadcast(&name, hello(1.0, ""));
    for n in 1..=3 {
        broadcast(&name, event(1.0, n as f64 + 1.0, n));
    }
    c_ids.reach(3, "the played leader's events").await;
    b_ids.reach(3, "the played leader's events").await;
    // b asked for the lock first.
    release_held();
    until("b to lead", || leads(&b)).await;
    assert_eq!(
        c_ids.reach(6, "the stream's last event").await,
        [1, 2, 3, 4, 5, 6]
    );
    sleep(200).await;
    assert_eq!(c_ids.now(), [1, 2, 3, 4, 5, 6], "nothing twice");
    // The new leader itself starts over, as its own replacements do (the builder's
    // `share_across_tabs` says so): its listeners get the stream from its start, and it
    // names no resume point the server never heard of.
    assert_eq!(b_ids.now(), [1, 2, 3, 1, 2, 3, 4, 5, 6]);
    assert_eq!(
        b_opens.borrow().last().map(String::as_str),
        Some(""),
        "{:?}",
        b_opens.borrow()
    );
    close_channel();
}

/// A `want` note holds only names. One with a hole in its list is not this module's, and
/// is ignored whole: the leader read every index up to the list's length, which a sparse
/// array puts at up to 2^32 - 1, and held every tab of the stream for minutes.
#[wasm_bindgen_test]
async fn a_want_with_holes_in_its_list_is_ignored() {
    let (_, name, a) = native_leader("share-holes", "count=400&interval=50").await;
    let holey = |length: u32| {
        let types = js_sys::Array::new_with_length(length);
        types.set(0, "message".into());
        js_sys::Array::of3(&11.into(), &7.0.into(), &types)
    };
    broadcast(&name, holey(3));
    // Not 2^32 - 1: WebKit's structured clone of the note itself would take 25 s.
    broadcast(&name, holey(1 << 26));
    // Tab 8 is played as a follower whose tab is still there (its presence lock held).
    hold_lock(&format!("web-eventsource tab 8 {name}"));
    broadcast(&name, want(8.0, &["message"]));
    within_ms(2_000, "the leader to count tab 8", async {
        until("tab 8 counted", || {
            a.sharing() != Sharing::Leader { tabs: 1 }
        })
        .await;
    })
    .await;
    sleep(100).await;
    assert_eq!(
        a.sharing(),
        Sharing::Leader { tabs: 2 },
        "tab 8 alone is counted"
    );
    release_held();
    close_channel();
}

/// Without `navigator.locks`, a shared source is a private one.
#[wasm_bindgen_test]
async fn without_web_locks_sources_are_private() {
    common::use_transport(Transport::Native);
    let tag = unique("share-nolocks");
    let url = server_url(&format!("/test/stream?count=100&interval=50&tag={tag}"));
    remove_locks();
    let a = shared(&url);
    let b = shared(&url);
    restore_locks();
    assert_eq!(a.sharing(), Sharing::Private);
    assert_eq!(b.sharing(), Sharing::Private);
    let (a_ids, b_ids) = (Ids::of(&a, "message"), Ids::of(&b, "message"));
    until("both to receive", || {
        !a_ids.now().is_empty() && !b_ids.now().is_empty()
    })
    .await;
    wait_open_on_server(&tag, 2).await;
    assert!(a.raw().is_some() && b.raw().is_some());
}

/// A shared source that asks to pause 100 ms after its page is hidden.
/// Refused locks and a hidden page, both undone when dropped (also when the test that
/// made them fails), so that no later test runs with them.
struct RefusedAndHidden;

impl Drop for RefusedAndHidden {
    fn drop(&mut self) {
        allow_locks();
        set_hidden(false);
    }
}

fn shared_pausing_when_hidden(url: &str) -> EventSource {
    builder(url)
        .share_across_tabs(true)
        .pause_when_hidden(ms(100))
        .open()
        .expect("the URL opens")
}

/// A source whose lock the browser refuses after it joined is a private one, exactly as
/// without the option: `pause_when_hidden` pauses it.
#[wasm_bindgen_test]
async fn a_source_whose_lock_is_refused_is_private_and_pauses_when_hidden() {
    common::use_transport(Transport::Native);
    let tag = unique("share-refused");
    let url = server_url(&format!("/test/stream?count=1000&interval=50&tag={tag}"));
    let _undo = RefusedAndHidden;
    refuse_locks();
    let es = shared_pausing_when_hidden(&url);
    until("the refusal", || es.sharing() == Sharing::Private).await;
    allow_locks();
    wait_open_on_server(&tag, 1).await;
    set_hidden(true);
    until("the pause", || es.ready_state() == ReadyState::Paused).await;
    wait_open_on_server(&tag, 0).await;
    set_hidden(false);
    until("the reopen", || es.ready_state() == ReadyState::Open).await;
    es.close();
}

/// A shared source that becomes private after its hidden page's grace period ran out (a
/// lock asked for again is refused) is paused too: the grace is counted again from then,
/// rather than not until the page's next change of visibility.
#[wasm_bindgen_test]
async fn a_source_private_after_the_grace_ran_out_still_pauses() {
    let (tag, url, name) = native_stream("share-late-alone", "count=1000&interval=50").await;
    let es = shared_pausing_when_hidden(&url);
    until("the lead", || leads(&es)).await;
    until("the open", || es.ready_state() == ReadyState::Open).await;
    let _undo = RefusedAndHidden;
    set_hidden(true);
    // Three times the grace period: shared, the source is not paused.
    sleep(300).await;
    assert_eq!(es.ready_state(), ReadyState::Open);
    // Another tab says it leads: this one stops leading and asks for the lock again,
    // which the browser refuses.
    refuse_locks();
    broadcast(&name, hello(7.0, ""));
    until("the refusal", || es.sharing() == Sharing::Private).await;
    allow_locks();
    until("the pause", || es.ready_state() == ReadyState::Paused).await;
    wait_open_on_server(&tag, 0).await;
    set_hidden(false);
    until("the reopen", || es.ready_state() == ReadyState::Open).await;
    es.close();
    close_channel();
}

/// A shared source is not paused however long its page is hidden: its connection serves
/// the other tabs.
#[wasm_bindgen_test]
async fn a_shared_source_is_not_paused_when_hidden() {
    common::use_transport(Transport::Native);
    let tag = unique("share-hidden");
    let url = server_url(&format!("/test/stream?count=1000&interval=50&tag={tag}"));
    let es = shared_pausing_when_hidden(&url);
    until("the lead", || leads(&es)).await;
    set_hidden(true);
    // Four times the grace period.
    sleep(400).await;
    let state = es.ready_state();
    set_hidden(false);
    assert_eq!(state, ReadyState::Open);
    assert!(leads(&es));
    es.close();
}

/// 100 failovers leave memory, timers and streams where they were.
#[wasm_bindgen_test]
async fn memory_stays_flat_over_100_failovers() {
    common::use_transport(Transport::Native);
    install_timer_counter();
    let tag = unique("share-leak");
    let url = server_url(&format!("/test/stream?count=100000&interval=20&tag={tag}"));
    // Each count is taken with every source gone (the server counts no stream), so that
    // what a live source holds at that moment (its recent ids, its buffers) is not in it.
    failovers(&url, &tag, 10).await;
    let heap_after_warm_up = heap_bytes();
    assert!(heap_after_warm_up > 0, "the heap is not counted");
    failovers(&url, &tag, 100).await;
    let heap = heap_bytes();
    web_sys::console::log_1(
        &format!("100 failovers: Rust heap {heap_after_warm_up} -> {heap} bytes").into(),
    );
    // 100 failovers that each kept even one 8-byte block would hold 800 bytes more. The
    // slack is for wasm-bindgen's table of JS values, which grows by 512 bytes when more
    // are alive at once than ever before, and never shrinks.
    assert!(
        heap < heap_after_warm_up + 800,
        "the Rust heap grew from {heap_after_warm_up} to {heap} bytes over 100 failovers"
    );
    assert_eq!(live_timers_at_least(100), 0, "a timer outlived its source");
}

/// `rounds` failovers on `url`: each time a new source follows, the leader closes, and the
/// follower takes over with no gap; then the last source goes, and the server counts no
/// stream of `tag`.
async fn failovers(url: &str, tag: &str, rounds: u32) {
    let mut current = leader(url).await;
    for _ in 0..rounds {
        let next = shared(url);
        let ids = Ids::of(&next, "message");
        until("the follower to receive", || !ids.now().is_empty()).await;
        current.close();
        drop(current);
        until("the follower to lead", || leads(&next)).await;
        let count = ids.now().len();
        until("events after the failover", || ids.now().len() > count + 1).await;
        assert_run(
            &ids.now(),
            1,
            *ids.now().last().unwrap(),
            "across the failover",
        );
        drop(ids);
        current = next;
    }
    drop(current);
    wait_open_on_server(tag, 0).await;
}
