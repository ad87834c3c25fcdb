//! The hooks in the browser: one [`EventSource`] at a time, replaced when the URL changes
//! or `open()` is called, closed by `close()` and when the owner is cleaned up.
//!
//! Everything that is not `Send` (the source, its listeners, the user's callback) lives
//! in `LocalStorage` stored values, so the closures handed out hold only `Copy` handles
//! and are `Send + Sync` as Leptos expects.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::prelude::*;
use web_eventsource::__integrations::guarded;
use web_eventsource::{EventSource, Listener, Message, ReadyState};

use crate::message::Decode;
use crate::options::OnEvent;
use crate::{ConnectionFailure, UseEventSourceError, UseEventSourceMessage, UseEventSourceOptions};

/// The write halves of a hook's signals (all `Copy`), which the client feeds.
pub(crate) struct Setters<T: Send + Sync + 'static> {
    pub(crate) ready_state: WriteSignal<ReadyState>,
    pub(crate) message: WriteSignal<Option<UseEventSourceMessage<T>>>,
    pub(crate) history: WriteSignal<Vec<UseEventSourceMessage<T>>>,
    pub(crate) error: WriteSignal<Option<UseEventSourceError>>,
    pub(crate) last_event_id: WriteSignal<String>,
}

impl<T: Send + Sync + 'static> Clone for Setters<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Setters<T> {}

/// What every connection of one hook shares.
struct Config<T: Send + Sync + 'static> {
    options: UseEventSourceOptions,
    decode: Decode<T>,
    setters: Setters<T>,
    /// The `seq` of the last event delivered.
    seq: Cell<u64>,
    /// The URL last opened, as given (before any resume parameter).
    opened: RefCell<String>,
    /// `close()` was called, and no `open()` since: the URL last opened, set again after an
    /// empty one, does not reopen it.
    closed_by_user: Cell<bool>,
    /// The stream an empty URL closed had ended (its source was closed): a request that
    /// is not a GET is then not sent again when its URL comes back.
    ended_when_left: Cell<bool>,
}

impl<T: Send + Sync + 'static> Config<T> {
    /// Whether the stream at the URL last opened stays closed when that URL comes back
    /// after an empty one, as the Yew and Dioxus hooks hold it: closed by the user, or a
    /// request other than a GET whose answer had ended (sent again for the URL alone, a
    /// chat's prompt would be asked twice). `open()` opens it.
    fn stays_ended(&self) -> bool {
        let sends_once = self
            .options
            .method
            .as_deref()
            .is_some_and(|method| !method.eq_ignore_ascii_case("GET"));
        self.closed_by_user.get() || (sends_once && self.ended_when_left.get())
    }
}

/// The open connection and the listeners that feed the signals. Dropping it drops the
/// last handles, which closes the connection.
struct Live {
    source: EventSource,
    _listeners: Vec<Listener>,
}

/// Wires the hook to the browser; returns `open` and `close`.
pub(crate) fn start<T>(
    url: Signal<String>,
    options: UseEventSourceOptions,
    decode: Decode<T>,
    setters: Setters<T>,
    last_event_id: ReadSignal<String>,
) -> (
    impl Fn() + Clone + Send + Sync + 'static,
    impl Fn() + Clone + Send + Sync + 'static,
)
where
    T: Clone + Send + Sync + 'static,
{
    let immediate = options.immediate;
    let config = StoredValue::new_local(Rc::new(Config {
        options,
        decode,
        setters,
        seq: Cell::new(0),
        opened: RefCell::new(String::new()),
        closed_by_user: Cell::new(false),
        ended_when_left: Cell::new(false),
    }));
    let live = StoredValue::new_local(None::<Live>);

    let shut = move || {
        // Take it out first: closing reports the state change synchronously, and no
        // borrow of the stored value may be held while listeners run.
        if let Some(Some(old)) = live.try_update_value(Option::take) {
            old.source.close();
        }
        // The error is over with the source (or with the attempt to open one): a
        // "reconnecting" one would stand next to `Closed`, and a final one, or a refused
        // URL's, next to the next source's `Connecting`.
        setters.error.try_set(None);
        setters.ready_state.try_set(ReadyState::Closed);
    };

    let close = move || {
        if let Some(config) = config.try_get_value() {
            config.closed_by_user.set(true);
        }
        shut();
    };

    // Opens the URL as it is now: an empty one closes the source, and notes whether the
    // stream it leaves had ended.
    let open_url = move || {
        let (Some(url), Some(config)) = (url.try_get_untracked(), config.try_get_value()) else {
            shut();
            return; // the owner is gone
        };
        if url.is_empty() {
            // Only a source it leaves says: with none (an empty URL before, or the ended
            // stream held back when its URL came back), what was noted stands. Noted
            // afresh, the second trip through an empty URL sent an ended POST again.
            let ended = live
                .try_with_value(|live| {
                    live.as_ref()
                        .map(|live| live.source.ready_state() == ReadyState::Closed)
                })
                .flatten();
            if let Some(ended) = ended {
                config.ended_when_left.set(ended);
            }
        }
        shut();
        if url.is_empty() {
            return;
        }
        // A stream opened now has not ended: one of another URL must not inherit what
        // was noted of the last.
        config.ended_when_left.set(false);
        // Reopening the same URL resumes after the last event id, as the policy's own
        // replacements do; another URL starts afresh.
        let same_url = config.opened.replace(url.clone()) == url;
        let last_id = last_event_id.try_get_untracked().unwrap_or_default();
        if !same_url {
            setters.last_event_id.try_set(String::new());
        }
        let resume_from = if same_url { last_id } else { String::new() };
        let connection = connect(&url, &resume_from, &config);
        let opened = connection.is_some();
        // After disposal this hands the connection back, and dropping it closes it.
        drop(live.try_set_value(connection));
        // `close()` was called while the first request was being made (by `headers_with`,
        // or a page's own `fetch` wrapper), when there was no source to close yet: it
        // closes the one made for it. (`open()` and a new URL clear the flag before.) None
        // made, the error that says why stays.
        if opened && config.closed_by_user.get() {
            shut();
        }
    };

    let open = move || {
        if let Some(config) = config.try_get_value() {
            config.closed_by_user.set(false);
            config.ended_when_left.set(false);
        }
        open_url();
    };

    // A new URL opens; the URL before an empty one, set again, resumes, unless its stream
    // stays ended. An empty URL closes the source, and keeps what `close()` said.
    let follow_url = move |url: &str| {
        if let Some(config) = config.try_get_value().filter(|_| !url.is_empty()) {
            // `open()`, called in the same tick as the change, opened the new URL already:
            // opened again, a POST would be sent twice.
            let opened_already = live.try_with_value(Option::is_some).unwrap_or_default();
            if *config.opened.borrow() == url && (opened_already || config.stays_ended()) {
                return;
            }
            config.closed_by_user.set(false);
        }
        open_url();
    };

    // The first run opens, a tick after the hook, never while the component is being
    // created: a page rendered on the server hydrates against the signals as the server
    // left them (`Closed`, no error), and effects run once hydration is over. It opens
    // the URL as it is then, so a URL set in between is the one opened; without
    // `immediate`, such a URL is a change of URL, which opens.
    let initial = url.get_untracked();
    Effect::watch(
        move || url.get(),
        move |url, previous, _| {
            let open_now = match previous {
                Some(previous) => previous != url,
                None => immediate || *url != initial,
            };
            if !open_now {
                return;
            }
            // `close()` called before the first run (while the component rendered) holds:
            // the URL is noted as the one closed, for `open()` to open.
            if previous.is_none() {
                if let Some(config) = config.try_get_value().filter(|c| c.closed_by_user.get()) {
                    config.opened.replace(url.clone());
                    return;
                }
            }
            follow_url(url);
        },
        true,
    );
    on_cleanup(shut);
    (open, close)
}

/// Opens `url` with the hook's options, resuming after `resume_from` when it is not empty
/// (in the policy's resume parameter, `lastEventId` by default), and attaches the
/// listeners that feed its signals.
fn connect<T>(url: &str, resume_from: &str, config: &Rc<Config<T>>) -> Option<Live>
where
    T: Clone + Send + Sync + 'static,
{
    let options = &config.options;
    let setters = config.setters;
    let mut builder = EventSource::builder(url)
        .with_credentials(options.with_credentials)
        .last_event_id(resume_from);
    if let Some(policy) = &options.reconnect {
        builder = builder.reconnect(policy.clone());
    }
    if let Some(grace) = options.pause_when_hidden {
        builder = builder.pause_when_hidden(grace);
    }
    builder = builder.share_across_tabs(options.share_across_tabs);
    if let Some(request_options) = options.request_options {
        builder = request_options(builder, options);
    }
    let source = match builder.open() {
        Ok(source) => source,
        Err(err) => {
            setters.error.try_set(Some(UseEventSourceError::Open(err)));
            setters.ready_state.try_set(ReadyState::Closed);
            return None;
        }
    };
    setters.ready_state.try_set(source.ready_state());
    let mut listeners = vec![
        source.on_state_change(move |state| {
            setters.ready_state.try_set(state);
        }),
        source.on_open(move || {
            setters.error.try_set(None);
        }),
        source.on_error(move |err| {
            let failure = ConnectionFailure::from(&err);
            setters
                .error
                .try_set(Some(UseEventSourceError::Connection(failure)));
        }),
    ];
    // One listener per type: the browser dispatches each event synchronously, so events
    // of different types still reach `deliver` in the server's order.
    for event_type in &options.event_types {
        let config = Rc::clone(config);
        listeners.push(source.on(event_type, move |msg| deliver(&config, &msg)));
    }
    Some(Live {
        source,
        _listeners: listeners,
    })
}

/// Hands one event to `on_event`, then, decoded, to the history and the signals.
fn deliver<T>(config: &Config<T>, msg: &Message)
where
    T: Clone + Send + Sync + 'static,
{
    let setters = config.setters;
    let seq = config.seq.get() + 1;
    config.seq.set(seq);
    let received = UseEventSourceMessage {
        event_type: msg.event_type().to_owned(),
        data: msg.data().to_owned(),
        last_event_id: msg.last_event_id(),
        seq,
    };
    setters
        .last_event_id
        .try_set(received.last_event_id.clone());
    if let Some(on_event) = &config.options.on_event {
        call(on_event, &received);
    }
    let data = match (config.decode)(&received) {
        Ok(data) => data,
        Err(err) => {
            setters
                .error
                .try_set(Some(UseEventSourceError::Decode(err)));
            return;
        }
    };
    let UseEventSourceMessage {
        event_type,
        last_event_id,
        ..
    } = received;
    let decoded = UseEventSourceMessage {
        event_type,
        data,
        last_event_id,
        seq,
    };
    let size = config.options.history;
    if size > 0 {
        setters.history.try_update(|history| {
            if history.len() >= size {
                history.drain(..=history.len() - size);
            }
            history.push(decoded.clone());
        });
    }
    setters.message.try_set(Some(decoded));
}

/// Calls the user's callback outside any reactive observer, so that signals it reads do
/// not become dependencies of whatever happens to be running. A JavaScript exception it
/// throws ends it alone: thrown through this frame, it skipped the event's history entry
/// and `message`, and left `untrack`'s observer unrestored.
fn call(on_event: &OnEvent, received: &UseEventSourceMessage) {
    untrack(|| guarded(|| on_event(received)));
}
