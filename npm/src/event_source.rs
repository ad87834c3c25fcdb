//! The `EventSource` class JavaScript sees.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_eventsource::{ConnectionError, Error, ErrorKind, ReadyState, Sharing, Transport};

use crate::bindings::{self, IteratorFeed, MessageIterator};
use crate::message_maker::MessageMaker;
use crate::options::{self, HeadersFunction};
use crate::subscriptions::{Listening, Subscriptions};

/// The JavaScript `EventSource`: the core crate's source, with the listeners JavaScript
/// added to it. Its TypeScript declaration, with the documentation JavaScript users read,
/// is written by hand in `types.d.ts` (the generated one cannot type `on`'s listener by
/// event type, and wasm-bindgen renames the class internally so as not to shadow the
/// browser's `EventSource`, which an interface could not merge with).
#[wasm_bindgen(js_name = EventSource, skip_typescript)]
#[derive(Debug)]
pub struct JsEventSource {
    subscriptions: Rc<Subscriptions>,
}

/// The event types of the `onopen`, `onmessage` and `onerror` handler properties (for code
/// written for the browser's `EventSource`), in the order of their slots in
/// [`Subscriptions`].
const HANDLED: [&str; 3] = ["open", "message", "error"];

#[wasm_bindgen(js_class = EventSource)]
impl JsEventSource {
    /// Opens a source at `url` (absolute, or relative to the page; a `URL` object works
    /// too). The browser starts connecting at once.
    ///
    /// `options.withCredentials` sends cookies cross-origin. `options.reconnect` (`true`
    /// for the defaults, or an object; every time in milliseconds) replaces a connection
    /// the browser gives up on after a backoff, resuming with `?lastEventId=`.
    /// `options.pauseWhenHidden` closes the connection once the page has been hidden
    /// that many milliseconds and reopens it, resuming, when it is visible again.
    /// `options.transport: "fetch"`, or any of `headers`, `method`, `body` and
    /// `maxEventSize`, chooses the fetch transport. `options.shareAcrossTabs: true`
    /// shares one connection with every source of the origin (in any tab) that opens
    /// the same stream.
    ///
    /// Throws a `TypeError` naming the option for a bad or unknown option (or one the
    /// browser refuses: a header, a method, a body on a GET), what a `headers` function
    /// threw at the first request, and the browser's own `DOMException` named
    /// `"SyntaxError"`, with its message, for a URL it cannot parse.
    #[wasm_bindgen(constructor)]
    pub fn new(url: JsValue, options: JsValue) -> Result<JsEventSource, JsValue> {
        let url = bindings::url_string(&url)?;
        let (builder, options, headers) =
            options::apply(web_eventsource::EventSource::builder(url), &options)?;
        // What a `headers` function threw at the first request fails the constructor, as
        // a bad header name it returned does. It stopped that request before it was sent
        // (`js/options.js` makes it fail as it is built), so `open()` failed too: the
        // function's own error is the one to throw.
        let source = match builder.open() {
            Ok(source) => source,
            Err(error) => {
                let failure = options.opened();
                return Err(if failure.is_undefined() {
                    thrown(&error)
                } else {
                    failure
                });
            }
        };
        let failure = options.opened();
        if !failure.is_undefined() {
            source.close();
            return Err(failure);
        }
        Ok(Self {
            subscriptions: Subscriptions::new(source, headers),
        })
    }

    /// The `onopen` handler: called as `on("open", …)`'s listeners are, or `null`.
    #[wasm_bindgen(getter)]
    pub fn onopen(&self) -> JsValue {
        self.handler(0)
    }

    /// Replaces the `onopen` handler (`null` removes it).
    ///
    /// Throws a `TypeError` for a value that is neither a function, `null` nor `undefined`.
    #[wasm_bindgen(setter)]
    pub fn set_onopen(&self, handler: JsValue) -> Result<(), JsValue> {
        self.set_handler(0, handler)
    }

    /// The `onmessage` handler: called with each `Message` of type `"message"`, or `null`.
    #[wasm_bindgen(getter)]
    pub fn onmessage(&self) -> JsValue {
        self.handler(1)
    }

    /// Replaces the `onmessage` handler (`null` removes it).
    ///
    /// Throws a `TypeError` for a value that is neither a function, `null` nor `undefined`.
    #[wasm_bindgen(setter)]
    pub fn set_onmessage(&self, handler: JsValue) -> Result<(), JsValue> {
        self.set_handler(1, handler)
    }

    /// The `onerror` handler: called with each `EventSourceError`, or `null`.
    #[wasm_bindgen(getter)]
    pub fn onerror(&self) -> JsValue {
        self.handler(2)
    }

    /// Replaces the `onerror` handler (`null` removes it).
    ///
    /// Throws a `TypeError` for a value that is neither a function, `null` nor `undefined`.
    #[wasm_bindgen(setter)]
    pub fn set_onerror(&self, handler: JsValue) -> Result<(), JsValue> {
        self.set_handler(2, handler)
    }

    /// The absolute URL of the source, as the browser resolved it.
    #[wasm_bindgen(getter)]
    pub fn url(&self) -> String {
        self.source().url().to_owned()
    }

    /// Whether cross-origin requests send credentials.
    #[wasm_bindgen(getter, js_name = withCredentials)]
    pub fn with_credentials(&self) -> bool {
        self.source().with_credentials()
    }

    /// The browser's numbers: 0 connecting, 1 open, 2 closed for good. A source paused
    /// by `pauseWhenHidden`, or waiting for the reconnect policy's next attempt, is 0:
    /// it will connect again. `state` tells paused apart.
    #[wasm_bindgen(getter, js_name = readyState)]
    pub fn ready_state(&self) -> u16 {
        match self.source().ready_state() {
            ReadyState::Open => 1,
            ReadyState::Closed => 2,
            _ => 0,
        }
    }

    /// `"connecting"`, `"open"`, `"paused"` or `"closed"`.
    #[wasm_bindgen(getter)]
    pub fn state(&self) -> String {
        state_name(self.source().ready_state()).to_owned()
    }

    /// `"native"` (the browser's `EventSource`) or `"fetch"`.
    #[wasm_bindgen(getter)]
    pub fn transport(&self) -> String {
        match self.source().transport() {
            Transport::Fetch => "fetch",
            _ => "native",
        }
        .to_owned()
    }

    /// This tab's part in a source shared across tabs (`shareAcrossTabs`), read now:
    /// `{ role: "leader", tabs }` while this source holds the connection for `tabs`
    /// sources (itself included), `{ role: "follower", tabs }` while another tab's does
    /// (`tabs` is 0 until the leader has said how many), and
    /// `{ role: "private", tabs: 1 }` for a connection of its own: without the option,
    /// where the browser cannot share, and once the source is closed.
    #[wasm_bindgen(getter)]
    pub fn sharing(&self) -> JsValue {
        let (role, tabs) = sharing_parts(self.source().sharing());
        bindings::new_sharing(role, tabs)
    }

    /// The id of the newest event received that carried one (`""` before the first):
    /// where a reconnect resumes.
    #[wasm_bindgen(getter, js_name = lastEventId)]
    pub fn last_event_id(&self) -> String {
        self.source().last_event_id()
    }

    /// Closes the connection for good: listeners are not called again, and every
    /// iterator ends after what it already received. Harmless to call again; a closed
    /// source never throws.
    ///
    /// Called by a listener, it lets the event being delivered reach every other
    /// listener and iterator first, as the browser's own `EventSource` does: the core
    /// drops the callbacks (ending the iterators) once that delivery is over, so nothing
    /// is dropped here.
    pub fn close(&self) {
        self.source().close();
    }

    /// Calls `listener` for each event of `type` and returns a function that
    /// unsubscribes it. `"open"` gets an `Event` of that type, `"error"` an `EventSourceError`,
    /// `"readystatechange"` the new `state`, and any other type (the server's `event:`
    /// field, `"message"` when it sent none) a `Message`. The server's own events named
    /// `open`, `error` or `readystatechange` are `subscribe`'s. What a listener throws is
    /// reported like an exception in a DOM event listener (`reportError`), and the
    /// other listeners still run.
    ///
    /// Throws a `TypeError` when `type` is not a string or `listener` not a function.
    pub fn on(&self, event_type: JsValue, listener: JsValue) -> Result<JsValue, JsValue> {
        let event_type = event_type_of(&event_type, "on")?;
        if !listener.is_function() {
            return Err(
                js_sys::TypeError::new("EventSource.on: the listener is not a function").into(),
            );
        }
        // A closed source's listener is never called: its unsubscribe function does
        // nothing.
        let id = self.subscriptions.next_id();
        self.subscribe_listener(id, &event_type, Listening::Function(listener));
        Ok(self.subscriptions.unsubscriber(id))
    }

    /// The DOM's `addEventListener`, for code written for the browser's `EventSource`:
    /// `listener` (a function, or an object whose `handleEvent` is called) is called as
    /// `on(type, …)`'s listeners are, with what `on` hands them (a `Message` for the
    /// server's events, an `EventSourceError` for `"error"`, an `Event` of type `"open"` for `"open"`).
    /// As in the DOM, a listener already added for `type` (and `capture`) is not added
    /// again, `null` adds nothing, `{ once: true }` removes it before its first call, and
    /// `{ signal }` removes it when the signal aborts (an aborted one adds nothing).
    /// `capture` changes no call (a source is in no tree), but names the listener as in
    /// the DOM: one added with and without it is two. `passive` means nothing here. On a
    /// closed source nothing is added.
    ///
    /// Throws a `TypeError` when `type` is not a string, `listener` is neither a
    /// function, an object, `null` nor `undefined`, or `options.signal` is not an
    /// `AbortSignal`; what a getter of `options`, or the signal's own (patched)
    /// `addEventListener`, throws is thrown on, and nothing is added.
    #[wasm_bindgen(js_name = addEventListener)]
    pub fn add_event_listener(
        &self,
        event_type: JsValue,
        listener: JsValue,
        options: JsValue,
    ) -> Result<(), JsValue> {
        let event_type = event_type_of(&event_type, "addEventListener")?;
        let function = bindings::listener_function(&listener)?;
        let options = bindings::listener_options(&options)?;
        let signal = options.signal();
        let capture = options.capture();
        if function.is_null()
            || options.aborted()
            || self
                .subscriptions
                .added(&event_type, &listener, capture)
                .is_some()
        {
            return Ok(());
        }
        let id = self.subscriptions.next_id();
        let listening = if options.once() {
            Listening::Once {
                function,
                subscriptions: Rc::downgrade(&self.subscriptions),
                id,
            }
        } else {
            Listening::Function(function)
        };
        if !self.subscribe_listener(id, &event_type, listening) {
            return Ok(()); // a closed source: it would never be called
        }
        // The unsubscribe function `on` returns: freed when the signal lets go of it
        // (`Closure::once_into_js` would be freed only by its call, and a signal that
        // never aborts would leak it). The signal lets go of it when it aborts, or when
        // the listener goes first (`Added`'s drop): a signal that outlives many listeners
        // would otherwise keep one function for each.
        let stop_waiting = if signal.is_null() {
            None
        } else {
            match bindings::when_aborted(&signal, &self.subscriptions.unsubscriber(id)) {
                Ok(stop_waiting) => Some(stop_waiting),
                // Not added, as the DOM adds nothing when it throws.
                Err(thrown) => {
                    self.subscriptions.remove(id);
                    return Err(thrown);
                }
            }
        };
        self.subscriptions
            .note_added(event_type, listener, capture, id, stop_waiting);
        // A patched `addEventListener` of the signal's may have closed the source, whose
        // close let go of the listeners noted until then: this one goes too.
        if self.source().ready_state() == ReadyState::Closed {
            self.subscriptions.remove(id);
        }
        Ok(())
    }

    /// The DOM's `removeEventListener`: removes the listener `addEventListener` added for
    /// `type`, `listener` (the same function or object) and `capture` (`options`, or
    /// `options.capture`), if any. Throws a `TypeError` when `type` is not a string.
    #[wasm_bindgen(js_name = removeEventListener)]
    pub fn remove_event_listener(
        &self,
        event_type: JsValue,
        listener: JsValue,
        options: JsValue,
    ) -> Result<(), JsValue> {
        let event_type = event_type_of(&event_type, "removeEventListener")?;
        let capture = bindings::listener_capture(&options)?;
        if let Some(id) = self.subscriptions.added(&event_type, &listener, capture) {
            self.subscriptions.remove(id);
        }
        Ok(())
    }

    /// The `"message"` events (those the server sent without an `event:` field), as an
    /// async iterator: see `subscribe`.
    pub fn messages(&self) -> JsValue {
        self.iterator("message")
    }

    /// The events of `type`, as an async iterator for `for await`. It buffers what
    /// arrives until read, and ends once the source is closed or has failed for good
    /// (after yielding what it holds). Leaving the loop early (`break`, `return`, a
    /// throw) calls its `return()`, which unsubscribes at once; an iterator the page
    /// drops without either is collected, and unsubscribes then (the callback here holds
    /// it weakly: `js/iterator.js`). An iterator made from a closed source ends at once.
    /// Every `type` is the server's: `subscribe("error")` yields the server's events named
    /// `error` (which `on("error", …)` does not get), as `Message`s.
    ///
    /// Throws a `TypeError` when `type` is not a string.
    pub fn subscribe(&self, event_type: JsValue) -> Result<JsValue, JsValue> {
        let event_type = event_type_of(&event_type, "subscribe")?;
        Ok(self.iterator(&event_type))
    }
}

impl JsEventSource {
    /// Subscribes `listener` to `event_type` as `on` does, as listener `id`; returns
    /// whether it is kept (not on a closed source).
    fn subscribe_listener(&self, id: u32, event_type: &str, listener: Listening) -> bool {
        let source = self.source();
        let subscription = match event_type {
            "open" => source.on_open(move || listener.call(bindings::deliver_open)),
            "error" => {
                let headers = self.subscriptions.headers().clone();
                source.on_error(move |error| {
                    listener.call(|function| deliver_error(function, &error, &headers));
                })
            }
            "readystatechange" => source.on_state_change(move |state| {
                listener.call(|function| bindings::deliver_state(function, state_name(state)));
            }),
            _ => {
                let maker = MessageMaker::new(event_type);
                source.on(event_type, move |message| {
                    listener.call(|function| {
                        bindings::deliver_message(function, &maker.make(&message));
                    });
                })
            }
        };
        self.subscriptions.insert(id, subscription)
    }

    /// The `on…` handler in slot `slot` (see [`HANDLED`]), or `null`: always on a closed
    /// source, whose handlers are gone or going (one closed by a listener of the event
    /// under way keeps them until that event has reached every listener), as setting one
    /// there keeps nothing.
    fn handler(&self, slot: usize) -> JsValue {
        if self.source().ready_state() == ReadyState::Closed {
            return JsValue::NULL;
        }
        self.subscriptions.handler(slot)
    }

    /// Sets the `on…` handler in slot `slot` (see [`HANDLED`]), as the DOM does: a function
    /// takes the place of the one before (its listener calls the new one), `null` or
    /// `undefined` removes it, and a function where there was none subscribes.
    fn set_handler(&self, slot: usize, handler: JsValue) -> Result<(), JsValue> {
        // (`get`, not indexing: a bounds check would link panic formatting.)
        let event_type = HANDLED.get(slot).copied().unwrap_or("message");
        if !handler.is_function() && !handler.is_null() && !handler.is_undefined() {
            let message = format!(
                "EventSource.on{event_type}: the handler is not a function, null or undefined"
            );
            return Err(js_sys::TypeError::new(&message).into());
        }
        // On a closed source (one closed by a listener of the event under way, say, whose
        // listeners are still kept) the handler is removed, not replaced.
        let closed = self.source().ready_state() == ReadyState::Closed;
        if handler.is_function()
            && !closed
            && self.subscriptions.replace_handler_function(slot, &handler)
        {
            return Ok(());
        }
        // On a closed source nothing is kept: it would never be called.
        let kept = if handler.is_function() {
            let cell = Rc::new(RefCell::new(handler));
            let id = self.subscriptions.next_id();
            self.subscribe_listener(id, event_type, Listening::Handler(Rc::clone(&cell)))
                .then_some((cell, id))
        } else {
            None
        };
        self.subscriptions.replace_handler(slot, kept);
        Ok(())
    }

    /// The iterator `subscribe` returns, for a type known to be a string.
    fn iterator(&self, event_type: &str) -> JsValue {
        let id = self.subscriptions.next_id();
        let iterator = MessageIterator::new(&self.subscriptions.unsubscriber(id));
        let feed = EndOnDrop(MessageIterator::feed(&iterator));
        let maker = MessageMaker::new(event_type);
        let listener = self.source().on(event_type, move |message| {
            MessageIterator::push(&feed.0, &maker.make(&message));
        });
        // Not kept on a closed source: its callback (and `feed`) is dropped now, which ends
        // the iterator.
        let _ = self.subscriptions.insert(id, listener);
        iterator.into()
    }

    fn source(&self) -> &web_eventsource::EventSource {
        self.subscriptions.source()
    }
}

/// Ends an iterator when the callback feeding it is dropped: on `return()`, on the
/// iterator's collection, on close or on a final failure, whichever comes first.
struct EndOnDrop(IteratorFeed);

impl Drop for EndOnDrop {
    fn drop(&mut self) {
        MessageIterator::end(&self.0);
    }
}

/// Calls `listener` with `error` as an `EventSourceError`.
fn deliver_error(listener: &JsValue, error: &ConnectionError, headers: &HeadersFunction) {
    let relayed = error.from_another_tab();
    // Why the request could not be made, as the constructor would have thrown it for the
    // first request: what the `headers` function threw, if it failed that request (the
    // failure is delivered as the request fails, before the function runs again), else a
    // `TypeError` naming the option. Another tab's request was made with that tab's
    // function: what this one threw last, when this tab led, is not why. (Through
    // `source()`, the cause would be a `dyn Error`, whose `Debug` would link string
    // escaping: 6 KB gzipped.)
    let cause = error.request_error().map(|refused| match refused {
        // The leader's refusal, whose own `headers` function may have thrown: its tab
        // has what it threw, this one only the header the browser refused instead.
        Error::InvalidOption { message, .. } if relayed => js_sys::TypeError::new(&format!(
            "EventSource option \"headers\": the tab that holds the shared connection could \
             not make its request (its headers function threw, or returned a header the \
             browser refuses: {message})"
        ))
        .into(),
        _ if relayed => thrown(refused),
        _ => headers.failure().unwrap_or_else(|| thrown(refused)),
    });
    bindings::deliver_error(
        listener,
        &error.to_string(),
        kind_name(error.kind()),
        error.will_reconnect(),
        error.attempt(),
        error
            .retry_delay()
            // Whole milliseconds (the core's are): `as_secs_f64() * 1000.0` made 1001 ms
            // 1000.9999999999999.
            .map(|delay| delay.as_millis() as f64),
        error.status(),
        cause,
    );
}

/// The `kind` of an `EventSourceError`, spelt as the web platform spells its enums.
fn kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Lost => "lost",
        ErrorKind::Failed => "failed",
        ErrorKind::IdleTimeout => "idle-timeout",
        ErrorKind::NoContent => "no-content",
        ErrorKind::RetriesExhausted => "retries-exhausted",
        ErrorKind::TooLarge => "too-large",
        // A kind newer than this package: `willReconnect` and `isFinal` still say what
        // happens next.
        _ => "unknown",
    }
}

/// `state` as JavaScript reads it: the core's `Display` names, spelt here so that no
/// `Formatter` is needed for them.
fn state_name(state: ReadyState) -> &'static str {
    match state {
        ReadyState::Connecting => "connecting",
        ReadyState::Open => "open",
        ReadyState::Paused => "paused",
        ReadyState::Closed => "closed",
    }
}

/// `sharing`'s `role` and `tabs`: a private source counts itself alone.
fn sharing_parts(sharing: Sharing) -> (&'static str, u32) {
    match sharing {
        Sharing::Leader { tabs } => ("leader", tabs),
        Sharing::Follower { tabs } => ("follower", tabs),
        // `Private`, and a role newer than this package: a connection of its own.
        _ => ("private", 1),
    }
}

/// What the constructor throws for `error`: the browser's own `SyntaxError` for a URL it
/// cannot parse (so code written for the native `EventSource` keeps working), a
/// `TypeError` naming the option for one the core refuses (as `readOptions` names the
/// ones it refuses), a plain `Error` otherwise.
fn thrown(error: &Error) -> JsValue {
    match error {
        Error::InvalidUrl { message, .. } => {
            web_sys::DomException::new_with_message_and_name(message, "SyntaxError")
                .map_or_else(|exception| exception, JsValue::from)
        }
        Error::InvalidOption { option, message } => js_sys::TypeError::new(&format!(
            "EventSource option \"{}\": {message}",
            option_name(option)
        ))
        .into(),
        _ => js_sys::Error::new(&error.to_string()).into(),
    }
}

/// A core builder option's name, as JavaScript spells it in `options`.
fn option_name(option: &str) -> &str {
    match option {
        "header" | "headers_with" => "headers",
        "max_event_size" => "maxEventSize",
        "idle_timeout" => "reconnect.idleTimeout",
        "status_probe" => "reconnect.statusProbe",
        // `transport`, `method`, `body`: the same.
        other => other,
    }
}

/// `value` as an event type, or a `TypeError` naming `method`'s argument. Checked here
/// rather than left to the glue: a release build's glue passes any value as a string
/// unchecked, and one without a length (a number, `true`) reaches the allocator as a
/// bogus pointer.
fn event_type_of(value: &JsValue, method: &str) -> Result<String, JsValue> {
    value.as_string().ok_or_else(|| {
        let got = value.js_typeof().as_string().unwrap_or_default();
        let got = if value.is_null() {
            "null".to_owned()
        } else {
            got
        };
        js_sys::TypeError::new(&format!(
            "EventSource.{method}: the event type is not a string (got {got})"
        ))
        .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_kind_has_a_web_style_name() {
        assert_eq!(kind_name(ErrorKind::Lost), "lost");
        assert_eq!(kind_name(ErrorKind::Failed), "failed");
        assert_eq!(kind_name(ErrorKind::IdleTimeout), "idle-timeout");
        assert_eq!(kind_name(ErrorKind::NoContent), "no-content");
        assert_eq!(kind_name(ErrorKind::RetriesExhausted), "retries-exhausted");
        assert_eq!(kind_name(ErrorKind::TooLarge), "too-large");
    }

    #[test]
    fn core_option_names_are_spelt_as_javascript_options() {
        assert_eq!(option_name("header"), "headers");
        assert_eq!(option_name("headers_with"), "headers");
        assert_eq!(option_name("max_event_size"), "maxEventSize");
        assert_eq!(option_name("idle_timeout"), "reconnect.idleTimeout");
        assert_eq!(option_name("status_probe"), "reconnect.statusProbe");
        assert_eq!(option_name("method"), "method");
        assert_eq!(option_name("body"), "body");
    }

    #[test]
    fn sharing_reads_as_a_role_and_a_count() {
        assert_eq!(sharing_parts(Sharing::Private), ("private", 1));
        assert_eq!(sharing_parts(Sharing::Leader { tabs: 3 }), ("leader", 3));
        assert_eq!(
            sharing_parts(Sharing::Follower { tabs: 0 }),
            ("follower", 0)
        );
    }

    #[test]
    fn state_names_are_the_core_display_names() {
        for state in [
            ReadyState::Connecting,
            ReadyState::Open,
            ReadyState::Paused,
            ReadyState::Closed,
        ] {
            assert_eq!(state_name(state), state.to_string());
        }
    }
}
