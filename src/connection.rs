//! The shared core behind every handle: the phase machine of one source's life, its
//! state as announced, and its resume point. What carries the events is the transport's
//! job (`transport/`), what subscribers listen to the registry's (`topics.rs`), and the
//! order of deliveries the queue's (`delivery.rs`).
//!
//! Ownership runs one way: handles ([`EventSource`](crate::EventSource), [`Listener`],
//! streams) hold the `Connection` strongly; transports, timers and the probe hold a
//! `Weak` to it. So dropping the last handle drops the `Connection`, which closes the
//! transport, removes its JS listeners and cancels any timer; nothing is leaked and no
//! closure is forgotten. The one exception is asked for by the user:
//! [`Listener::forget`] makes the connection hold itself until it closes.
//!
//! [`Listener`]: crate::Listener
//!
//! The connection acts; what to do after a failure is decided by a [`Recover`]
//! implementation (the [`Reconnect`](crate::Reconnect) policy at work), and when to step
//! aside for a hidden page by the visibility watcher. Both drive it through
//! [`step_aside`](Connection::step_aside), [`pause`](Connection::pause),
//! [`reopen`](Connection::reopen), [`report`](Connection::report) and
//! [`fail`](Connection::fail).

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::cells;
use crate::delivery::{Deliveries, Delivery};
use crate::first_request::ResumeFrom;
use crate::message::id_or_carried;
use crate::resume::with_query_parameter;
use crate::subscribers::Author;
use crate::topics::{Signal, Subscription, Topic, Topics};
use crate::transport::{AnyAttempt, AnyOpener, Attempt, Failure, Opener, Request, Transport};
use crate::{ConnectionError, Error, ErrorKind, Message, ReadyState, Sharing};

/// The query parameter that carries the resume point when no policy names another.
pub(crate) const DEFAULT_RESUME_PARAM: &str = "lastEventId";

/// What a connection asks of its reconnect policy. Made only by
/// `Builder::reconnect`, so an app that never asks for a policy links none of its code
/// (timers, the status probe). No `Debug` bound: formatting the policy
/// would link float formatting into every app that uses one.
pub(crate) trait Recover {
    /// The query parameter replacements carry the last event id in, if any.
    fn resume_param(&self) -> Option<&str>;
    /// A new attempt is listened to: watch it for silence.
    fn attached(&self, connection: &Rc<Connection>);
    /// The current attempt opened.
    fn opened(&self);
    /// An event arrived on the current attempt.
    fn saw_message(&self);
    /// Bytes arrived on the current attempt (a keep-alive comment, part of an event): it
    /// is alive, though it has proved nothing yet.
    fn saw_bytes(&self);
    /// The current attempt, open since the last failure, dropped, and its transport
    /// reconnects by itself: the time it was open counts now, before the reconnect's
    /// open starts the clock again.
    fn dropped(&self);
    /// The transport failed the current attempt for good, or could not connect: steps
    /// the connection aside and decides.
    fn failed(&self, connection: &Rc<Connection>, failure: Failure);
    /// Stops everything under way: the watchdog, a pending attempt, a probe.
    fn halt(&self);
    /// The page hides the source: [`halt`](Self::halt)s, keeping how much of the
    /// backoff was left (of the pending attempt, or of the one a probe cut short would
    /// have decided on) for [`unpause`](Self::unpause).
    fn pause(&self);
    /// The page is visible again: when the pause cut the backoff short, the policy
    /// replaces the attempt when what was left of it runs out (`true`), or lets the
    /// connection open at once (`false`).
    fn unpause(&self, connection: &Rc<Connection>) -> bool;
    /// The URL a transport's own reconnect asks for ([`Connection::reconnect_url`]).
    fn reconnect_url(&self, connection: &Connection) -> String;
    /// Another tab's policy, whose connection this source shares, reported `error`.
    fn heard(&self, error: &ConnectionError);
    /// The other tab's beat: its policy waits to retry after failure `count`, for `left_ms`
    /// more. What a tab that joined after that failure's report learns of it.
    fn heard_retry(&self, count: u32, left_ms: u32);
    /// While the policy waits to retry: the failures counted, and the ms left to wait.
    fn pending_retry(&self) -> Option<(u32, u32)>;
    /// The other tab's connection opened.
    fn heard_open(&self);
    /// This tab takes the connection over from another: the policy goes on from the
    /// other tab's count, and replaces the attempt when the other's backoff runs out
    /// (`true`), or lets the connection open at once (`false`).
    fn take_over(&self, connection: &Rc<Connection>) -> bool;
}

/// Where the connection is in its life, beyond what the transport says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// An attempt is in use; its own state tells the rest.
    Live,
    /// The policy is between a failed attempt and its replacement.
    Waiting,
    /// Closed for a hidden page; reopens when the page is visible again.
    Paused,
    /// Over, by `close()` or a final failure.
    Closed,
}

pub(crate) struct Connection {
    /// The URL as resolved for the first attempt.
    url: String,
    with_credentials: bool,
    opener: AnyOpener,
    /// The current attempt: replaced after a failure or a pause.
    attempt: RefCell<AnyAttempt>,
    phase: Cell<Phase>,
    /// The state last announced to `state` subscribers.
    announced: Cell<ReadyState>,
    deliveries: Deliveries,
    /// What the newest message on the current attempt says of the last event id, when the
    /// attempt does not know it (the browser's `EventSource`): the browser's value, made a
    /// `String` only if asked for, and the id carried to that message, for when the value
    /// is empty (see `Message::browser_id`). Not the message: a closed source an app keeps
    /// in its state would keep its last event with it, data and all. Attempts that know
    /// the id keep none here.
    last_id: Cell<Option<(wasm_bindgen::JsValue, Rc<String>)>>,
    /// The resume point carried over from the attempts before the current one (none where
    /// the current one could not send it: see `reopen`), which starts with none.
    carried_id: RefCell<Rc<String>>,
    topics: Topics,
    recovery: Option<Rc<dyn Recover>>,
    /// How a transport's own reconnect finds its URL after a first request that carried
    /// the resume parameter (see [`reconnect_url`](Self::reconnect_url)).
    first_reconnect_url: Option<fn(&Connection) -> String>,
    /// Whatever watches the page's visibility, kept only to be dropped with the
    /// connection or on `close()`.
    visibility: RefCell<Option<Box<dyn Any>>>,
    /// The connection itself while a forgotten [`Listener`](crate::Listener) needs it: a
    /// cycle made on purpose ([`Listener::forget`](crate::Listener::forget)), broken when
    /// the connection closes.
    kept_alive: RefCell<Option<Rc<Connection>>>,
}

/// The query parameter that carries the resume point: the policy's, or the default.
fn resume_param(recovery: Option<&dyn Recover>) -> Option<&str> {
    match recovery {
        Some(recovery) => recovery.resume_param(),
        None => Some(DEFAULT_RESUME_PARAM),
    }
}

/// Whether a request on `transport` can tell the server where it resumes: in
/// `Last-Event-ID` on fetch, or in the resume parameter `resume_param`. The browser's
/// `EventSource` takes no header: with no parameter, it asks for the stream from its start.
pub(crate) fn carries_resume_point(transport: Transport, resume_param: Option<&str>) -> bool {
    transport == Transport::Fetch || resume_param.is_some()
}

impl Connection {
    /// Opens the first attempt; with `resume_from`, it resumes after that id from the
    /// first request, as a replacement would.
    pub(crate) fn open(
        url: &str,
        with_credentials: bool,
        opener: AnyOpener,
        recovery: Option<Rc<dyn Recover>>,
        resume_from: Option<ResumeFrom>,
    ) -> Result<Rc<Self>, Error> {
        let (carried_id, first_request) = match resume_from {
            Some(ResumeFrom { id, build }) => {
                let request = build(url, resume_param(recovery.as_deref()), &id);
                (id, request)
            }
            None => (String::new(), None),
        };
        let (request_url, resolved, first_reconnect_url) = match first_request {
            Some(first) => (first.url, first.resolved, Some(first.reconnect_url)),
            None => (url.to_owned(), None, None),
        };
        // The first attempt is made with the connection, which it holds a `Weak` to, so
        // that the URL it resolved is a plain field. The `Weak` does not upgrade until
        // this returns: no attempt reaches its connection while it starts (a fetch
        // attempt's first request reads an unreachable one as not closed).
        let mut refused = None;
        let connection = Rc::new_cyclic(|me| {
            let opened = opener.open(
                me.clone(),
                &Request {
                    url: &request_url,
                    last_event_id: &carried_id,
                    with_credentials,
                },
            );
            let (attempt, url) = match opened {
                Ok(attempt) => {
                    let url = resolved.unwrap_or_else(|| attempt.url());
                    (attempt, url)
                }
                Err(error) => {
                    refused = Some(error);
                    (AnyAttempt::None, String::new())
                }
            };
            Self {
                url,
                with_credentials,
                opener,
                attempt: RefCell::new(attempt),
                phase: Cell::new(Phase::Live),
                announced: Cell::new(ReadyState::Connecting),
                deliveries: Deliveries::new(),
                last_id: Cell::new(None),
                carried_id: RefCell::new(Rc::new(carried_id)),
                topics: Topics::new(),
                recovery,
                first_reconnect_url,
                visibility: RefCell::new(None),
                kept_alive: RefCell::new(None),
            }
        });
        if let Some(error) = refused {
            return Err(error);
        }
        // Nothing subscribes yet: there is no message type to listen to. (Walking the
        // empty list anyway links the walk and `listen` into every app.)
        connection.watch();
        Ok(connection)
    }

    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    pub(crate) fn with_credentials(&self) -> bool {
        self.with_credentials
    }

    pub(crate) fn transport(&self) -> Transport {
        self.opener.transport()
    }

    pub(crate) fn sharing(&self) -> Sharing {
        self.opener.sharing()
    }

    /// Whether a hidden page may pause the source (see `Opener::pausable`).
    pub(crate) fn pausable(&self) -> bool {
        self.opener.pausable()
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.phase.get() == Phase::Closed
    }

    /// Whether the policy is between a failed attempt and its replacement.
    pub(crate) fn is_waiting(&self) -> bool {
        self.phase.get() == Phase::Waiting
    }

    /// Whether the connection is closed for a hidden page.
    pub(crate) fn is_paused(&self) -> bool {
        self.phase.get() == Phase::Paused
    }

    /// Whether the current attempt is live: neither replaced, paused nor closed.
    pub(crate) fn is_live(&self) -> bool {
        self.phase.get() == Phase::Live
    }

    pub(crate) fn ready_state(&self) -> ReadyState {
        match self.phase.get() {
            Phase::Live => cells::borrow(&self.attempt).ready_state(),
            Phase::Waiting => ReadyState::Connecting,
            Phase::Paused => ReadyState::Paused,
            Phase::Closed => ReadyState::Closed,
        }
    }

    /// The resume point: the last event id of the current attempt, or, until it has
    /// sent one, the one carried over from the attempts before it.
    ///
    /// A new browser source starts with an empty id, so an event without an id on it
    /// reads as `""`: that must not erase the resume point (under the spec an event
    /// without an `id:` field leaves the id as it was). The cost: a server that clears
    /// the id with an empty `id:` field as the first id of a replacement is not heard
    /// until it sends another. The fetch transport starts each attempt from the resume
    /// point and knows its id exactly.
    pub(crate) fn last_event_id(&self) -> String {
        if let Some(id) = cells::borrow(&self.attempt).last_event_id() {
            return id;
        }
        let last_id = self.last_id.take();
        let id = match &last_id {
            Some((id, carried)) => id_or_carried(id.as_string(), carried),
            None => String::clone(&cells::borrow(&self.carried_id)),
        };
        self.last_id.set(last_id);
        id
    }

    /// The resume point carried over from the attempts before the current one.
    pub(crate) fn carried_id(&self) -> Rc<String> {
        Rc::clone(&cells::borrow(&self.carried_id))
    }

    pub(crate) fn raw(&self) -> Option<web_sys::EventSource> {
        cells::borrow(&self.attempt).raw()
    }

    /// The URL a replacement (or the status probe) asks for: the original one, with the
    /// resume point in the resume parameter when there is one.
    pub(crate) fn resume_url(&self) -> String {
        let id = self.last_event_id();
        match resume_param(self.recovery.as_deref()) {
            Some(name) if !id.is_empty() => with_query_parameter(self.url(), name, &id),
            _ => self.url().to_owned(),
        }
    }

    /// Whether a replacement tells the server where it resumes (see [`carries_resume_point`]).
    pub(crate) fn resumes(&self) -> bool {
        carries_resume_point(
            self.opener.transport(),
            resume_param(self.recovery.as_deref()),
        )
    }

    /// The URL a transport's own reconnect asks for: the URL as given, with the resume
    /// parameter set to the resume point where the source resumes by query (a policy
    /// names a parameter, or the first request carried one, from
    /// `Builder::last_event_id`), so that it never says an older id than the header.
    ///
    /// Through the policy, or a function pointer the first request stored: a source that
    /// does neither links none of the URL work.
    pub(crate) fn reconnect_url(&self) -> String {
        match (&self.recovery, self.first_reconnect_url) {
            (Some(recovery), _) => recovery.reconnect_url(self),
            (None, Some(first_reconnect_url)) => first_reconnect_url(self),
            (None, None) => self.url().to_owned(),
        }
    }

    /// Keeps `guard` (the visibility watcher) until the connection closes.
    pub(crate) fn keep_visibility_watcher(&self, guard: Box<dyn Any>) {
        let previous = cells::replace(&self.visibility, Some(guard));
        drop(previous);
    }

    /// Keeps the connection alive, whatever handles are dropped, until it closes. A closed
    /// connection is not kept: nothing would ever let it go.
    pub(crate) fn keep_until_closed(self: &Rc<Self>) {
        if !self.is_closed() {
            let previous = cells::replace(&self.kept_alive, Some(Rc::clone(self)));
            drop(previous);
        }
    }

    /// Closes the source for good and ends every stream. Idempotent.
    pub(crate) fn close(&self) {
        if self.shut() {
            self.announce_state();
            self.tear_down_when_idle();
        }
    }

    /// Ends the source with a final error: the state is `Closed` before any subscriber
    /// sees the error, then every stream ends.
    pub(crate) fn fail(&self, error: ConnectionError) {
        if self.shut() {
            self.deliver_after_state(&self.topics.error, Signal::Error(error));
            self.tear_down_when_idle();
        }
    }

    /// Stops everything for good; `false` if it already was. Subscribers stay until the
    /// deliveries under way end.
    fn shut(&self) -> bool {
        if self.phase.replace(Phase::Closed) == Phase::Closed {
            return false;
        }
        self.deliveries.close();
        if let Some(recovery) = &self.recovery {
            recovery.halt();
        }
        let watcher = cells::take(&self.visibility);
        drop(watcher);
        cells::borrow(&self.attempt).close();
        true
    }

    /// Drops every subscriber (ending the streams) once the source is closed and no
    /// delivery is under way: a close from inside a callback waits for the event being
    /// delivered to reach every subscriber, as the DOM's own listeners would, and for the
    /// `Closed` state (and a final error) queued behind it.
    fn tear_down_when_idle(&self) {
        if self.is_closed() && !self.deliveries.is_running() {
            self.topics.clear();
            // Last: after this the only strong handle may be the caller's (an
            // `EventSource`, or a transport's upgraded `Weak`), which frees the connection
            // when it returns.
            let kept = cells::take(&self.kept_alive);
            drop(kept);
        }
    }

    fn deliver(&self, topic: &Rc<Topic>, signal: Signal) {
        self.opener.delivering(&signal);
        if self.deliveries.deliver(topic, signal) {
            self.tear_down_when_idle();
        }
    }

    /// Tells `state` subscribers the state, if it changed since they were last told.
    fn announce_state(&self) {
        if let Some((topic, signal)) = self.state_change() {
            self.deliver(&topic, signal);
        }
    }

    /// Tells `state` subscribers the state if it changed, then delivers `signal`, as
    /// one: what a callback does in between waits until both are delivered.
    fn deliver_after_state(&self, topic: &Rc<Topic>, signal: Signal) {
        let change = self.state_change();
        self.opener.delivering(&signal);
        if self
            .deliveries
            .deliver_pair(change, (topic.clone(), signal))
        {
            self.tear_down_when_idle();
        }
    }

    /// The delivery that tells `state` subscribers the state, if it changed since they
    /// were last told (they count as told).
    fn state_change(&self) -> Option<Delivery> {
        let state = self.ready_state();
        (self.announced.replace(state) != state)
            .then(|| (self.topics.state.clone(), Signal::State(state)))
    }

    /// Listens to every subscribed message type on the current attempt, and lets the
    /// policy watch it.
    fn attached(self: &Rc<Self>) {
        let attempt = cells::borrow(&self.attempt);
        let mut index = 0;
        while let Some(topic) = self.topics.message_at(index) {
            attempt.listen(&topic);
            index += 1;
        }
        drop(attempt);
        self.watch();
    }

    /// Lets the policy watch the current attempt, unless another tab's policy does.
    fn watch(self: &Rc<Self>) {
        let relayed = cells::borrow(&self.attempt).relayed();
        if let Some(recovery) = self.recovery.as_ref().filter(|_| !relayed) {
            recovery.attached(self);
        }
    }

    /// Steps aside from the current attempt for the policy: closes it and announces
    /// `Connecting`. Nothing is reported as an error.
    pub(crate) fn step_aside(&self) {
        self.suspend(Phase::Waiting, true);
    }

    /// Steps aside like [`step_aside`](Self::step_aside), without announcing
    /// `Connecting`: for a failure the policy ends the source on at once, whose `Closed`
    /// is the next state announced.
    pub(crate) fn stand_down(&self) {
        self.suspend(Phase::Waiting, false);
    }

    /// Steps aside for a hidden page: like [`step_aside`](Self::step_aside), and a
    /// pending attempt or probe of the policy is cancelled, since it would only reopen
    /// what the page hid (what was left of its backoff is waited for once the page is
    /// visible: [`unpause`](Self::unpause)). The state is `Paused`.
    pub(crate) fn pause(&self) {
        if self.is_closed() {
            return;
        }
        if let Some(recovery) = &self.recovery {
            recovery.pause();
        }
        self.suspend(Phase::Paused, true);
    }

    /// The page is visible again: reopens the paused connection, or, where the pause cut
    /// the policy's backoff short, waits for what was left of it (the state is
    /// `Connecting`). A user switching tabs while the server is down must not cost the
    /// server an attempt at each switch.
    pub(crate) fn unpause(self: &Rc<Self>) {
        if !self.is_paused() {
            return;
        }
        let waits = self
            .recovery
            .as_ref()
            .is_some_and(|recovery| recovery.unpause(self));
        if waits {
            self.phase.set(Phase::Waiting);
            self.announce_state();
        } else {
            self.reopen();
        }
    }

    fn suspend(&self, phase: Phase, announce: bool) {
        if self.is_closed() {
            return;
        }
        cells::borrow(&self.attempt).close();
        // Closing the attempt can run page code (a fetch wrapper's abort listener, a
        // mocked body's `cancel`) that closes the source: that close holds.
        if self.is_closed() {
            return;
        }
        self.phase.set(phase);
        if announce {
            self.announce_state();
        }
    }

    /// Opens a new attempt at the resume URL and moves every subscription onto it. The
    /// resume point carries over where the request can send it, and the state is
    /// connecting again.
    ///
    /// Without a policy, a transport that sends the resume point as `Last-Event-ID` asks
    /// for the URL as its own reconnects do: as given, unless the first request resumed by
    /// query. A signed URL, or a server that refuses unknown parameters, would refuse a
    /// parameter it never asked for.
    pub(crate) fn reopen(self: &Rc<Self>) {
        if self.is_closed() || self.is_live() {
            return;
        }
        // Where it cannot be sent (the browser's `EventSource`, no resume parameter), the
        // server starts over, and `last_event_id()` says so, as for a first request that
        // could not send one (`Builder::last_event_id`): it does not name a resume point
        // the server never heard of, nor lend it to the events that come again.
        let id = if self.resumes() {
            self.last_event_id()
        } else {
            String::new()
        };
        let url = match (&self.recovery, self.opener.transport()) {
            (None, Transport::Fetch) => self.reconnect_url(),
            _ => self.resume_url(),
        };
        let opened = self.opener.open(
            Rc::downgrade(self),
            &Request {
                url: &url,
                last_event_id: &id,
                with_credentials: self.with_credentials,
            },
        );
        match opened {
            // Closed meanwhile, by a callback the opener ran (`headers_with`): the close
            // holds, and the new attempt goes with it.
            Ok(attempt) if self.is_closed() => attempt.close(),
            Ok(attempt) => {
                *cells::borrow_mut(&self.carried_id) = Rc::new(id);
                let previous_id = self.last_id.take();
                let previous_attempt = cells::replace(&self.attempt, attempt);
                drop(previous_id);
                drop(previous_attempt);
                self.phase.set(Phase::Live);
                self.attached();
                self.announce_state();
            }
            // The URL opened before, so only the request can be refused: e.g. a header
            // that a `headers_with` returned this time. With a policy it is the policy's
            // failure, retried after its backoff as a failed connect is; without, it ends
            // the source. The error says why (its `request_error()`).
            Err(cause) => {
                let cause = Some(Rc::new(cause));
                match self.recovery.clone() {
                    Some(recovery) => {
                        recovery.failed(
                            self,
                            Failure {
                                kind: ErrorKind::Failed,
                                status: None,
                                status_hidden: false,
                                event: None,
                                reconnecting: false,
                                was_open: false,
                                cause,
                            },
                        );
                    }
                    None => self.fail(
                        ConnectionError::last(ErrorKind::Failed, None, None).with_cause(cause),
                    ),
                }
            }
        }
    }

    /// Replaces the current attempt with a new one from the opener at once, resuming
    /// after the last event id: for a source shared across tabs whose tab starts or
    /// stops leading. The policy's timers stop (the new attempt's own start again).
    pub(crate) fn switch_attempt(self: &Rc<Self>) {
        self.switch(false);
    }

    /// [`switch_attempt`](Self::switch_attempt) for a tab that starts leading: the policy
    /// goes on from the previous leader's count, and waits for what was left of its
    /// backoff. A leader handing over while its server is down must not cost the server an
    /// attempt without backoff, nor start the policy's count afresh.
    pub(crate) fn take_over(self: &Rc<Self>) {
        self.switch(true);
    }

    fn switch(self: &Rc<Self>, taking_over: bool) {
        if self.is_closed() {
            return;
        }
        if let Some(recovery) = &self.recovery {
            recovery.halt();
        }
        self.suspend(Phase::Waiting, true);
        let waits = taking_over
            && !self.is_closed()
            && self
                .recovery
                .as_ref()
                .is_some_and(|recovery| recovery.take_over(self));
        if !waits {
            self.reopen();
        }
    }

    /// What another tab's connection delivered, passed on by a follower's attempt (whose
    /// state already says what the other's does): the open, a state change, or an error,
    /// final or not. Messages go through [`received`](Self::received).
    pub(crate) fn relay(&self, signal: Signal) {
        if !self.is_live() {
            return;
        }
        match signal {
            Signal::Error(error) if error.is_final() => self.fail(error),
            Signal::Error(error) => {
                if let Some(recovery) = &self.recovery {
                    recovery.heard(&error);
                }
                self.deliver_after_state(&self.topics.error, Signal::Error(error))
            }
            Signal::Open => {
                if let Some(recovery) = &self.recovery {
                    recovery.heard_open();
                }
                self.deliver_after_state(&self.topics.open, Signal::Open)
            }
            Signal::State(_) | Signal::Message(_) => self.announce_state(),
        }
    }

    /// Another tab, whose connection this source shares, said its policy waits to retry
    /// (see [`Recover::heard_retry`]).
    pub(crate) fn heard_retry(&self, count: u32, left_ms: u32) {
        if !self.is_live() {
            return;
        }
        if let Some(recovery) = &self.recovery {
            recovery.heard_retry(count, left_ms);
        }
    }

    /// While the policy waits to retry: the failures counted, and the ms left to wait.
    pub(crate) fn pending_retry(&self) -> Option<(u32, u32)> {
        self.recovery.as_ref()?.pending_retry()
    }

    /// The current attempt opened.
    pub(crate) fn opened(&self) {
        if !self.is_live() {
            return;
        }
        if let Some(recovery) = &self.recovery {
            recovery.opened();
        }
        self.deliver_after_state(&self.topics.open, Signal::Open);
    }

    /// A message arrived on the current attempt for `topic`, from an attempt that knows
    /// its last event id (see [`last_event_id`](Self::last_event_id)).
    pub(crate) fn received(&self, topic: &Rc<Topic>, message: Message) {
        if !self.is_live() {
            return;
        }
        self.saw_message();
        self.deliver(topic, Signal::Message(message));
    }

    /// [`received`](Self::received), from an attempt that does not know its last event id:
    /// what the message says of it is kept.
    pub(crate) fn received_keeping_id(&self, topic: &Rc<Topic>, message: Message) {
        if !self.is_live() {
            return;
        }
        self.last_id.set(message.browser_id());
        self.received(topic, message);
    }

    /// An event arrived that no subscriber listens to: it still shows the connection is
    /// alive.
    pub(crate) fn saw_message(&self) {
        if let Some(recovery) = &self.recovery {
            recovery.saw_message();
        }
    }

    /// Bytes arrived on the current attempt, which the transport sees (fetch does; the
    /// browser's `EventSource` hides comments): the idle timeout counts from now.
    pub(crate) fn saw_bytes(&self) {
        if let Some(recovery) = &self.recovery {
            recovery.saw_bytes();
        }
    }

    /// The topic of message type `event_type`, if anything subscribes to it.
    pub(crate) fn topic(&self, event_type: &str) -> Option<Rc<Topic>> {
        self.topics.message(event_type)
    }

    /// The current attempt failed: it reconnects by itself, or it is over and the policy
    /// (if any) decides.
    pub(crate) fn errored(self: &Rc<Self>, failure: Failure) {
        if !self.is_live() {
            return;
        }
        // A dropped stream (it opened since the last failure) is the transport's to
        // resume. A connect that failed (no opening since) only some transports retry:
        // Chromium's and WebKit's sources and fetch, every few seconds and for ever, while
        // Firefox's fails the source. With a policy it is the policy's failure on every
        // engine and transport, so that its delays, attempt count and limit apply alike.
        if failure.reconnecting && (failure.was_open || self.recovery.is_none()) {
            if let Some(recovery) = &self.recovery {
                recovery.dropped();
            }
            let error = ConnectionError::lost(failure.event).with_status(failure.status);
            self.deliver_after_state(&self.topics.error, Signal::Error(error));
        } else if failure.kind == ErrorKind::NoContent {
            // The server's "stop reconnecting": final, whatever the policy says.
            self.fail(
                ConnectionError::last(failure.kind, None, failure.event)
                    .with_status(failure.status),
            );
        } else if let Some(recovery) = &self.recovery {
            let kind = if failure.reconnecting {
                ErrorKind::Failed
            } else {
                failure.kind
            };
            recovery.failed(self, Failure { kind, ..failure });
        } else {
            self.fail(
                ConnectionError::last(failure.kind, None, failure.event)
                    .with_status(failure.status)
                    .with_cause(failure.cause),
            );
        }
    }

    /// Tells `error` subscribers of a failure that is not final.
    pub(crate) fn report(&self, error: ConnectionError) {
        self.deliver(&self.topics.error, Signal::Error(error));
    }

    pub(crate) fn subscribe_open(
        &self,
        author: Author,
        mut callback: impl FnMut() + 'static,
    ) -> Option<Subscription> {
        self.join(&self.topics.open, author, move |signal| {
            if let Signal::Open = signal {
                callback();
            }
        })
    }

    pub(crate) fn subscribe_error(
        &self,
        author: Author,
        mut callback: impl FnMut(ConnectionError) + 'static,
    ) -> Option<Subscription> {
        self.join(&self.topics.error, author, move |signal| {
            if let Signal::Error(error) = signal {
                callback(error.clone());
            }
        })
    }

    pub(crate) fn subscribe_state(
        &self,
        author: Author,
        mut callback: impl FnMut(ReadyState) + 'static,
    ) -> Option<Subscription> {
        self.join(&self.topics.state, author, move |signal| {
            if let Signal::State(state) = signal {
                callback(*state);
            }
        })
    }

    /// Subscribes to one message event type (any name, `"open"` and `"error"` too: the
    /// server's events of that name), listening to it on the current attempt if it is
    /// the first. `None` when closed.
    pub(crate) fn subscribe_message(
        &self,
        event_type: &str,
        author: Author,
        mut callback: impl FnMut(Message) + 'static,
    ) -> Option<Subscription> {
        if self.is_closed() {
            return None;
        }
        let (topic, is_new) = self.topics.message_or_new(event_type);
        // Without an attempt in use, `reopen` listens on the next one.
        if is_new && self.is_live() {
            cells::borrow(&self.attempt).listen(&topic);
        }
        self.join(&topic, author, move |signal| {
            if let Signal::Message(message) = signal {
                callback(message.clone());
            }
        })
    }

    fn join(
        &self,
        topic: &Rc<Topic>,
        author: Author,
        callback: impl FnMut(&Signal) + 'static,
    ) -> Option<Subscription> {
        // A closed source takes no subscriber, but for its errors while the deliveries
        // under way end: `Closed` and the final error that caused it are delivered as one,
        // so one made when told of `Closed` hears why, as one made when told of `Open`
        // hears the opening. The teardown after the deliveries removes it.
        let final_error_to_come =
            Rc::ptr_eq(topic, &self.topics.error) && self.deliveries.is_running();
        if self.is_closed() && !final_error_to_come {
            return None;
        }
        Some(Subscription {
            topic: topic.clone(),
            subscriber: topic.subscribers.add(author, callback),
        })
    }

    /// Removes one subscriber; stops listening to a message type left with none.
    pub(crate) fn unsubscribe(&self, subscription: &Subscription) {
        if self.topics.unsubscribe(subscription) {
            cells::borrow(&self.attempt).unlisten(&subscription.topic);
        }
    }

    /// How many Rust subscribers there are in all (for `Debug`).
    pub(crate) fn subscriber_count(&self) -> usize {
        self.topics.subscriber_count()
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        // The last handle is gone: nobody can receive another event, so stop the
        // transport from holding the connection open, and stop any timer or probe. The
        // JS listeners go with the fields.
        if let Some(recovery) = &self.recovery {
            recovery.halt();
        }
        cells::borrow(&self.attempt).close();
    }
}
