//! [`Hub`]: where the hooks of one source meet. It holds the source now open and the
//! listener and history hooks' [`HookListener`]s, and attaches each of them to each new
//! source in the same turn of the event loop in which the source opens, before the
//! browser can deliver anything: no event falls between opening a source and listening to
//! it, whichever component's hooks ran first.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::{Rc, Weak};

use web_eventsource::{EventSource, Listener, ReadyState};

use crate::hook_listener::{Deliver, HookListener};
use crate::retired::Retired;
use crate::Frontend;

/// The state a hook shows before its first effect runs, and on the server for good:
/// `Connecting` for a source about to open, as the browser's `EventSource` starts;
/// `Closed` at an empty URL, which opens nothing ([`Hub::mount`]). From the URL alone, so
/// that a server's render and the first in the browser agree.
///
/// # Examples
///
/// ```
/// use web_eventsource::ReadyState;
/// use web_eventsource_hooks_core::first_state;
///
/// assert_eq!(first_state("/sse"), ReadyState::Connecting);
/// assert_eq!(first_state(""), ReadyState::Closed);
/// ```
pub fn first_state(url: &str) -> ReadyState {
    if url.is_empty() {
        ReadyState::Closed
    } else {
        ReadyState::Connecting
    }
}

/// Where the hooks of one `use_event_source` meet: one per hook, shared by its handle and
/// by the listener and history hooks given that handle.
///
/// The framework calls [`mount`](Self::mount) from the hook's effect (never on the
/// server), [`unmount`](Self::unmount) when the component goes, and
/// [`listen`](Self::listen) from each listener hook.
pub struct Hub<F: Frontend> {
    /// How to open a source, and where its state, errors and messages go. Shared with the
    /// hook listeners' callbacks, for [`Frontend::seen`].
    frontend: Rc<F>,
    /// The URL and options to open, while the hook's component is mounted in a browser.
    target: RefCell<Option<(String, F::Options)>>,
    /// The source now open, and the listeners that report its state, errors and messages.
    current: RefCell<Option<Current>>,
    /// The listener and history hooks' callbacks; each belongs to its hook, which drops it
    /// when it unmounts or changes event type.
    hook_listeners: RefCell<Vec<Weak<HookListener>>>,
    /// Their listeners on replaced sources, until the dispatch under way has ended.
    retired: Retired,
    /// The resume point of an open that failed (options the core refused, say), which the
    /// next open of the same stream resumes after: with no source open, nothing else
    /// holds it.
    unopened_resume_point: RefCell<String>,
    /// The stream an empty URL left (its URL and options), whose resume point is then in
    /// `unopened_resume_point`: the same URL asked for again resumes where it was.
    left: RefCell<Option<Left<F::Options>>>,
    /// The stream asked for has ended, and has no source since: its URL came back after
    /// an empty one, and it waits for [`reopen`](Self::reopen), being a request that is
    /// not a GET (sent once) or one the user [closed](Self::close).
    held_back: Cell<bool>,
    /// [`close`](Self::close) was called, and nothing has opened since: new options at
    /// the same stream (a refreshed token, say) keep it closed until
    /// [`reopen`](Self::reopen), another request or another URL.
    closed_by_user: Cell<bool>,
}

/// What [`Hub::leave`] keeps of the stream an empty URL replaced.
struct Left<O> {
    url: String,
    options: O,
    /// Its source had ended (closed, or failed for good), or none was opened since it did.
    ended: bool,
}

struct Current {
    source: EventSource,
    _reporters: Vec<Listener>,
}

impl<F: Frontend> Hub<F> {
    /// A hub that opens sources and reports them through `frontend`, with no source open.
    pub fn new(frontend: F) -> Self {
        Self {
            frontend: Rc::new(frontend),
            target: RefCell::new(None),
            current: RefCell::new(None),
            hook_listeners: RefCell::new(Vec::new()),
            retired: Retired::default(),
            unopened_resume_point: RefCell::new(String::new()),
            left: RefCell::new(None),
            held_back: Cell::new(false),
            closed_by_user: Cell::new(false),
        }
    }

    /// The framework's side: how it opens sources and where it reports them.
    pub fn frontend(&self) -> &F {
        &self.frontend
    }

    /// The hook's effect ran in a browser, first or for a new URL or new options: opens the
    /// source, unless the one open is already this URL's with options that
    /// [open like](Frontend::opens_like) these, or its request, not a GET, has ended and
    /// these options [resume](Frontend::resumes) it, or it was [closed](Self::close) and
    /// these options resume it (then [`reopen`](Self::reopen) opens with them).
    ///
    /// An empty URL (one not known yet, or not now: a signed-out user's, say) closes the
    /// source and leaves its stream where it was: the same URL asked for again resumes
    /// after the last event id, as new options at the same URL do (and as the Leptos hook
    /// does), so the listener and history hooks, which carry over, get no event twice.
    pub fn mount(&self, url: &str, options: &F::Options) {
        if url.is_empty() {
            self.leave(options);
            return;
        }
        // `close()` came before the first mount (in the component's render; or, in Yew,
        // whose child components' effects run before their parent's, in a child's mount
        // effect): the stream asked for is held back, as a closed one is, until `reopen`.
        if self.closed_by_user.get() && self.target.borrow().is_none() {
            self.target.replace(Some((url.to_owned(), options.clone())));
            self.held_back.set(true);
            self.frontend.opened(ReadyState::Closed, true);
            return;
        }
        let (same_stream, ended) = {
            let target = self.target.borrow();
            let left = self.left.take();
            match (&*target, left) {
                (Some((open_url, open_options)), _) if open_url == url => {
                    if F::opens_like(open_options, options) {
                        return;
                    }
                    (F::resumes(open_options, options), self.has_ended())
                }
                (_, Some(left)) => (
                    left.url == url && F::resumes(&left.options, options),
                    left.ended,
                ),
                _ => (false, false),
            }
        };
        self.target.replace(Some((url.to_owned(), options.clone())));
        // A request other than a GET that has ended (its body's end, a final failure or
        // `close`) is not sent again for new options alone (a new token, say): that would
        // repeat what it asked for, a chat's prompt. `reopen` sends it, with them.
        // Nor is a stream the user closed reopened by them: `close` closes for good.
        let sends_once =
            F::method(options).is_some_and(|method| !method.eq_ignore_ascii_case("GET"));
        if same_stream && ended && (sends_once || self.closed_by_user.get()) {
            // No source may be open for it (it came back after an empty URL): a later
            // empty URL and this one again must find it ended still.
            self.held_back.set(self.source().is_none());
            return;
        }
        // A new URL, or another request at the same URL, starts afresh. New options at the
        // same URL (a new token, a policy) are the same stream: the new source resumes
        // after the last event id, as `reopen` does, so the listener and history hooks,
        // which carry over, get no event twice.
        let resume_from = if same_stream {
            self.last_event_id()
        } else {
            self.unopened_resume_point.take();
            String::new()
        };
        self.open(url, options, &resume_from, !same_stream);
    }

    /// [`mount`](Self::mount) of an empty URL: closes the source, and keeps the stream
    /// that was asked for before, with its resume point and whether it had ended, for a
    /// later mount of its URL.
    fn leave(&self, options: &F::Options) {
        let before = self.target.replace(Some((String::new(), options.clone())));
        let left = before.filter(|(url, _)| !url.is_empty());
        let fresh = match left {
            Some((url, options)) => {
                let resume_point = self.last_event_id();
                self.unopened_resume_point.replace(resume_point);
                let ended = self.has_ended();
                self.left.replace(Some(Left {
                    url,
                    options,
                    ended,
                }));
                false
            }
            // The first URL, or still none: nothing to leave.
            None => self.left.borrow().is_none(),
        };
        self.open("", options, "", fresh);
    }

    /// Whether the stream asked for now has ended: its source is closed, or it has had none
    /// since it ended.
    fn has_ended(&self) -> bool {
        self.held_back.get()
            || self
                .source()
                .is_some_and(|source| source.ready_state() == ReadyState::Closed)
    }

    /// The component unmounts: closes the source, so the server sees the client go, and
    /// lets go of every JS listener.
    pub fn unmount(&self) {
        self.target.replace(None);
        self.left.take();
        self.held_back.set(false);
        self.closed_by_user.set(false);
        self.unopened_resume_point.take();
        let current = self.current.take();
        self.move_hook_listeners_to(None);
        // Unmounting never runs inside a dispatch: nothing to wait for.
        self.retired.drop_all();
        if let Some(Current { source, _reporters }) = current {
            // Reporters first: a closing source reports `Closed`, which would reach a hook
            // that is going away.
            drop(_reporters);
            source.close();
        }
    }

    /// Closes the current source for good (the component shows `Closed`); the source stays
    /// readable (its last event id) until [`reopen`](Self::reopen) or a new URL. New
    /// options for the same stream do not open it again; another request (a new `method`
    /// or `body`) or another URL does. While the URL is empty, it is the stream that URL
    /// left which is closed: it stays closed when its URL comes back. After an open that
    /// failed (options the core refused), it is the stream asked for which is closed: new
    /// options (a refreshed token) keep it closed. Before the hook's first effect (in the
    /// render; in Yew, also in a child component's effect, which runs before its
    /// parent's), the source does not open: [`reopen`](Self::reopen) opens it.
    pub fn close(&self) {
        if let Some(source) = self.source() {
            self.closed_by_user.set(true);
            source.close();
        } else if let Some(left) = self.left.borrow_mut().as_mut() {
            left.ended = true;
            self.closed_by_user.set(true);
        } else if self
            .target
            .borrow()
            .as_ref()
            .is_some_and(|(url, _)| !url.is_empty())
        {
            // Ended with no source open, as `mount` holds back a closed stream.
            self.held_back.set(true);
            self.closed_by_user.set(true);
        } else if self.target.borrow().is_none() {
            // Before the hook's first effect: that mount holds the stream back.
            self.closed_by_user.set(true);
        }
    }

    /// Opens a new source at the same URL with the same options, resuming after the last
    /// event id of the current one. While the URL is empty, opens nothing, but undoes a
    /// [`close`](Self::close): the stream that URL left opens when its URL comes back.
    /// Does nothing before the hook's effect has run (on the server, that is always) or
    /// after unmounting.
    pub fn reopen(&self) {
        // Before anything else: a `close()` before the first mount is undone too.
        self.closed_by_user.set(false);
        let Some((url, options)) = self.target.borrow().clone() else {
            return;
        };
        if let Some(left) = self.left.borrow_mut().as_mut() {
            left.ended = false;
        }
        let last_event_id = self.last_event_id();
        self.open(&url, &options, &last_event_id, false);
    }

    /// The source now open, if any (a clone: it is the same connection).
    pub fn source(&self) -> Option<EventSource> {
        self.current.borrow().as_ref().map(|c| c.source.clone())
    }

    /// The last event id of the source now open (`""` when none was seen), or, when the
    /// latest open of the same stream failed, the one it would have resumed after (`""`
    /// when there is neither).
    pub fn last_event_id(&self) -> String {
        match self.source() {
            Some(source) => source.last_event_id(),
            None => self.unopened_resume_point.borrow().clone(),
        }
    }

    /// Calls `deliver` with each message of `event_type` of the current source and of
    /// every later one, until the returned hook listener is dropped. Touches no browser
    /// API when no source is open (on the server, none ever is).
    #[must_use = "the listener is removed when the returned handle is dropped"]
    pub fn listen(&self, event_type: &str, deliver: Deliver) -> Rc<HookListener> {
        let frontend = Rc::clone(&self.frontend);
        let deliver: Deliver = Box::new(move |message| {
            // The frontend's resume point first, so that it may move with the message
            // (Dioxus's signal moves once the burst is over; Yew reads the id from the
            // source, which has it already).
            frontend.seen(&message);
            deliver(message);
        });
        let hook_listener = Rc::new(HookListener::new(event_type, deliver));
        // A new hook listener has no listener on an old source to hand back.
        let _ = hook_listener.attach_to(self.source().as_ref());
        let mut hook_listeners = self.hook_listeners.borrow_mut();
        hook_listeners.retain(|h| h.strong_count() > 0);
        hook_listeners.push(Rc::downgrade(&hook_listener));
        hook_listener
    }

    fn live_hook_listeners(&self) -> Vec<Rc<HookListener>> {
        let mut hook_listeners = self.hook_listeners.borrow_mut();
        hook_listeners.retain(|h| h.strong_count() > 0);
        hook_listeners.iter().filter_map(Weak::upgrade).collect()
    }

    /// Replaces the current source with one at `url`, resuming after `resume_from` when it
    /// is not empty; `fresh` when it is not the stream open before (another URL, or another
    /// request: see [`Frontend::resumes`]). An empty URL (one not
    /// known yet, say) opens nothing, and the hook shows `Closed` with no error: resolved,
    /// it would be the page's own URL, an HTML page asked for as an event stream.
    fn open(&self, url: &str, options: &F::Options, resume_from: &str, fresh: bool) {
        self.close_current();
        self.held_back.set(false);
        if url.is_empty() {
            self.move_hook_listeners_to(None);
            self.frontend.opened(ReadyState::Closed, fresh);
            return;
        }
        self.closed_by_user.set(false);
        match self.frontend.open(options, url, resume_from) {
            Ok(source) => {
                self.unopened_resume_point.take();
                self.take_up(source, fresh);
                // `close` was called while the first request was being made (by
                // `headers_with`, or a page's own `fetch` wrapper), when there was no
                // source to close yet: it closes the one made for it.
                if self.closed_by_user.get() {
                    self.held_back.set(false);
                    self.close();
                }
            }
            Err(err) => {
                self.unopened_resume_point.replace(resume_from.to_owned());
                self.move_hook_listeners_to(None);
                self.frontend.open_failed(err, fresh);
            }
        }
    }

    /// Closes the current source without reporting its `Closed`: what replaces it (a new
    /// source, or the reason none opened) is reported next.
    fn close_current(&self) {
        if let Some(Current { source, _reporters }) = self.current.take() {
            drop(_reporters);
            source.close();
        }
    }

    /// Makes `source` the current one: reports its state, errors and messages from now
    /// on, and moves every hook listener onto it before returning, so before the browser
    /// can deliver an event.
    fn take_up(&self, source: EventSource, fresh: bool) {
        let reporters = self.frontend.reporters(&source);
        self.frontend.opened(source.ready_state(), fresh);
        self.move_hook_listeners_to(Some(&source));
        let replaced = self.current.replace(Some(Current {
            source,
            _reporters: reporters,
        }));
        // Only a source opened while this one was being opened: a listener of the app's
        // own that reopened as `close_current` closed the source before. Not closed, it
        // would stay connected for as long as the app holds a handle to it.
        if let Some(Current { source, _reporters }) = replaced {
            drop(_reporters);
            source.close();
        }
    }

    /// Attaches every hook listener to `source` (or to none). Their listeners on the old
    /// source are retired, not dropped: this may run inside that source's dispatch (a
    /// listener hook that reopens), whose event the hooks after it must still get.
    fn move_hook_listeners_to(&self, source: Option<&EventSource>) {
        let left = self
            .live_hook_listeners()
            .iter()
            .filter_map(|hook_listener| hook_listener.attach_to(source))
            .collect();
        self.retired.keep(left);
    }
}

impl<F: Frontend> fmt::Debug for Hub<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hub")
            .field("source", &self.source())
            .field("hook_listeners", &self.live_hook_listeners().len())
            .finish()
    }
}
