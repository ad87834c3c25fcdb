//! [`Report`]: the signals a hook shows its source through, and how the source's callbacks
//! write them from outside any render.

use std::rc::{Rc, Weak};

use dioxus::core::{current_scope_id, Runtime, ScopeId};
use dioxus::prelude::{ReadableExt, Signal, WritableExt};
use dioxus::signals::BorrowMutError;
use web_eventsource::{ConnectionError, Error, Message, ReadyState};
use web_eventsource_hooks_core::{ends_at, first_state};

use crate::batch::Batch;
use crate::UseEventSourceError;

/// The hook's signals (its write halves) and the component scope they belong to.
#[derive(Clone)]
pub(crate) struct Report {
    pub(crate) ready_state: Signal<ReadyState>,
    pub(crate) error: Signal<Option<UseEventSourceError>>,
    pub(crate) last_event_id: Signal<String>,
    pub(crate) message: Signal<Option<Message>>,
    pub(crate) scope: InScope,
    /// The writes events ask for, applied once per burst; the history hooks of the same
    /// source defer theirs here too, so that every write keeps the order of the events.
    pub(crate) batch: Rc<Batch>,
}

impl Report {
    /// New signals in the current component, in the state a source at `url` starts in
    /// ([`first_state`]; on the server, the state a page renders in before it opens in
    /// the browser).
    pub(crate) fn new(url: &str) -> Self {
        Self {
            ready_state: Signal::new(first_state(url)),
            error: Signal::new(None),
            last_event_id: Signal::new(String::new()),
            message: Signal::new(None),
            scope: InScope::current(),
            batch: Rc::default(),
        }
    }

    /// A new source was opened (a new URL, new options, or `reopen()`): its first state,
    /// and no error yet. `fresh`: another stream (another URL or request), so the last
    /// event id and the latest message start again.
    pub(crate) fn opened(&self, state: ReadyState, fresh: bool) {
        self.batch.flush();
        self.set_if_changed(self.ready_state, state);
        // Unchanged most of the time (every open after a clean one): no render then.
        self.set_if_changed(self.error, None);
        if fresh {
            self.forget_the_stream();
        }
    }

    /// Another stream: the last stream's event id and latest message are not this one's
    /// (a room switched to must not show the last room's message under its name).
    fn forget_the_stream(&self) {
        self.set_if_changed(self.last_event_id, String::new());
        if self
            .message
            .try_peek()
            .is_ok_and(|message| message.is_some())
        {
            self.set(self.message, None);
        }
    }

    /// The source could not be opened (a refused URL or option). For another stream there
    /// is no resume point: the last event id is empty, as `reopen()` would find it. At the
    /// same stream (refused new options) it is kept, and the next open resumes after it.
    pub(crate) fn open_failed(&self, err: Error, fresh: bool) {
        self.batch.flush();
        self.set_if_changed(self.ready_state, ReadyState::Closed);
        if fresh {
            self.forget_the_stream();
        }
        // Unchanged (the same refusal again): no render, so that an effect that reads the
        // error and reopens does not run again at once, without end.
        self.set_if_changed(self.error, Some(UseEventSourceError::Open(err)));
    }

    /// The source changed state. A "will reconnect" error is over once the source is open
    /// again, or closed (see [`ends_at`](web_eventsource_hooks_core::ends_at)).
    pub(crate) fn state(&self, state: ReadyState) {
        self.batch.flush();
        self.set_if_changed(self.ready_state, state);
        let over = self
            .error
            .try_peek()
            .is_ok_and(|error| error.as_ref().is_some_and(|err| ends_at(err, state)));
        if over {
            self.set(self.error, None);
        }
    }

    /// The source reported an error; the state it carries agrees with it (`Closed` in a
    /// final one).
    pub(crate) fn error(&self, err: ConnectionError) {
        self.batch.flush();
        self.set_if_changed(self.ready_state, err.ready_state());
        self.set(self.error, Some(UseEventSourceError::Connection(err)));
    }

    /// A `message` event: the latest message, and the last event id with it (deferred).
    pub(crate) fn message(&self, message: &Message) {
        let (last_event_id, latest) = (self.last_event_id, self.message);
        let (batch, scope) = (Rc::downgrade(&self.batch), self.scope.clone());
        let message = message.clone();
        self.batch.defer(move || {
            set_if_changed(&batch, &scope, last_event_id, message.last_event_id());
            write(&batch, &scope, latest, move |slot| *slot = Some(message));
        });
    }

    /// An event reached a listener or history hook: its last event id (deferred).
    pub(crate) fn seen(&self, message: &Message) {
        let last_event_id = self.last_event_id;
        let (batch, scope) = (Rc::downgrade(&self.batch), self.scope.clone());
        let id = message.last_event_id();
        self.batch
            .defer(move || set_if_changed(&batch, &scope, last_event_id, id));
    }

    fn set<T: 'static>(&self, signal: Signal<T>, value: T) {
        write(
            &Rc::downgrade(&self.batch),
            &self.scope,
            signal,
            move |slot| {
                *slot = value;
            },
        );
    }

    fn set_if_changed<T: PartialEq + 'static>(&self, signal: Signal<T>, value: T) {
        set_if_changed(&Rc::downgrade(&self.batch), &self.scope, signal, value);
    }
}

/// Applies `apply` to `signal`'s value, in `scope`: now, or at `batch`'s next flush (after
/// what waits there) while the signal is being read or written. That happens when the
/// code that led here holds a guard on it: a listener that reads the history and reopens
/// the source makes the reopen apply the pending entries. Such a write was lost; it is
/// only late now. Nothing for a signal that is gone (its component unmounted), and never
/// a panic.
pub(crate) fn write<T: 'static>(
    batch: &Weak<Batch>,
    scope: &InScope,
    mut signal: Signal<T>,
    apply: impl FnOnce(&mut T) + 'static,
) {
    let mut apply = Some(apply);
    let mut busy = false;
    scope.run(|| match signal.try_write() {
        Ok(mut value) => {
            if let Some(apply) = apply.take() {
                apply(&mut value);
            }
        }
        Err(BorrowMutError::Dropped(_)) => {}
        Err(_) => busy = true,
    });
    if let (true, Some(apply), Some(pending)) = (busy, apply, batch.upgrade()) {
        let (batch, scope) = (batch.clone(), scope.clone());
        pending.defer(move || write(&batch, &scope, signal, apply));
    }
}

/// Writes `value` if it differs from what the signal holds (see [`write`]): readers re-run
/// only on a change. A signal that cannot be read now (being written, or gone) is left to
/// `write`, which waits or skips.
fn set_if_changed<T: PartialEq + 'static>(
    batch: &Weak<Batch>,
    scope: &InScope,
    signal: Signal<T>,
    value: T,
) {
    let same = signal.try_peek().is_ok_and(|now| *now == value);
    if !same {
        write(batch, scope, signal, move |slot| *slot = value);
    }
}

/// A component scope, to run code in from a browser callback: Dioxus finds its runtime
/// and scope there, as it does in a render or an event handler.
#[derive(Clone)]
pub(crate) struct InScope {
    /// Weak: a source's callbacks must not keep a dropped app's runtime alive.
    runtime: Weak<Runtime>,
    scope: ScopeId,
}

impl InScope {
    /// The scope now rendering.
    pub(crate) fn current() -> Self {
        Self {
            runtime: Rc::downgrade(&Runtime::current()),
            scope: current_scope_id(),
        }
    }

    /// Runs `f` in the scope, or not at all once the app is gone.
    pub(crate) fn run(&self, f: impl FnOnce()) {
        if let Some(runtime) = self.runtime.upgrade() {
            runtime.in_scope(self.scope, f);
        }
    }
}
