//! The JavaScript half of the package (`js/`): the values listeners and iterators
//! receive, built on the JavaScript side so that nothing handed to a listener holds wasm
//! memory.

use js_sys::JsString;
use wasm_bindgen::prelude::*;

// Every file of `js/` is imported here by name: wasm-bindgen copies into the package
// only the files named in a `module` attribute, not the ones they import.

#[wasm_bindgen(module = "/js/listener.js")]
extern "C" {
    /// Calls `listener()`; what it throws is reported, not propagated.
    #[wasm_bindgen(js_name = deliverOpen)]
    pub(crate) fn deliver_open(listener: &JsValue);

    /// Calls `listener(state)`.
    #[wasm_bindgen(js_name = deliverState)]
    pub(crate) fn deliver_state(listener: &JsValue, state: &str);

    /// Calls `listener(message)`.
    #[wasm_bindgen(js_name = call)]
    pub(crate) fn deliver_message(listener: &JsValue, message: &JsMessage);
}

#[wasm_bindgen(module = "/js/event-target.js")]
extern "C" {
    /// The function to call for an `addEventListener` listener (an object's `handleEvent`
    /// wrapped), `null` for none; throws a `TypeError` for a value that is neither.
    #[wasm_bindgen(catch, js_name = listenerFunction)]
    pub(crate) fn listener_function(listener: &JsValue) -> Result<JsValue, JsValue>;

    /// `addEventListener`'s options, read; throws a `TypeError` for a bad `signal`.
    #[wasm_bindgen(catch, js_name = listenerOptions)]
    pub(crate) fn listener_options(options: &JsValue) -> Result<ListenerOptions, JsValue>;

    /// The options `listenerOptions` read.
    #[derive(Debug)]
    pub(crate) type ListenerOptions;

    /// Part of what names a listener, with its type and function, as in the DOM.
    #[wasm_bindgen(method, getter)]
    pub(crate) fn capture(this: &ListenerOptions) -> bool;

    #[wasm_bindgen(method, getter)]
    pub(crate) fn once(this: &ListenerOptions) -> bool;

    /// The `AbortSignal` that removes the listener, or `null`.
    #[wasm_bindgen(method, getter)]
    pub(crate) fn signal(this: &ListenerOptions) -> JsValue;

    /// Whether the signal has aborted already: then nothing is added.
    #[wasm_bindgen(method, getter)]
    pub(crate) fn aborted(this: &ListenerOptions) -> bool;

    /// `capture` from `removeEventListener`'s options (`options`, or `options.capture`);
    /// what a `capture` getter throws is thrown on (caught here: a throw through wasm
    /// frames would skip their cleanup).
    #[wasm_bindgen(catch, js_name = listenerCapture)]
    pub(crate) fn listener_capture(options: &JsValue) -> Result<bool, JsValue>;

    /// Calls `callback` once, when `signal` aborts; returns the function that stops
    /// waiting, for a listener removed before then. What the signal's `addEventListener`
    /// throws (a page may have patched it) is thrown on.
    #[wasm_bindgen(catch, js_name = whenAborted)]
    pub(crate) fn when_aborted(
        signal: &JsValue,
        callback: &JsValue,
    ) -> Result<js_sys::Function, JsValue>;
}

#[wasm_bindgen(module = "/js/message.js")]
extern "C" {
    /// The `Message` JavaScript listeners and iterators receive.
    #[derive(Debug)]
    pub(crate) type JsMessage;

    /// `new Message(...)` around the browser's `event` (native transport), whose fields
    /// it reads, with the core's `last_event_id` (the resume point).
    #[wasm_bindgen(js_name = newDomMessage)]
    pub(crate) fn new_dom_message(last_event_id: &str, event: &web_sys::MessageEvent) -> JsMessage;

    /// `new Message(...)` from the fields the fetch transport parsed.
    #[wasm_bindgen(js_name = newParsedMessage)]
    pub(crate) fn new_parsed_message(
        last_event_id: &JsString,
        data: &JsString,
        event_type: &JsValue,
        origin: &JsValue,
    ) -> JsMessage;
}

#[wasm_bindgen(module = "/js/connection-error.js")]
extern "C" {
    /// Calls `listener(new EventSourceError(...))`.
    #[wasm_bindgen(js_name = deliverError)]
    pub(crate) fn deliver_error(
        listener: &JsValue,
        message: &str,
        kind: &str,
        will_reconnect: bool,
        attempt: Option<u32>,
        retry_delay: Option<f64>,
        status: Option<u16>,
        cause: Option<JsValue>,
    );
}

#[wasm_bindgen(module = "/js/options.js")]
extern "C" {
    /// Checks the options of `new EventSource(url, options)`; throws a `TypeError` for a
    /// bad or unknown one.
    #[wasm_bindgen(catch, js_name = readOptions)]
    pub(crate) fn read_options(options: &JsValue) -> Result<CheckedOptions, JsValue>;

    /// The URL argument as the browser's own `EventSource` reads it, so that a `URL`
    /// object works as well as a string. What a `toString` throws is thrown on, and a
    /// symbol is a `TypeError`, as in the browser's constructor.
    #[wasm_bindgen(catch, js_name = urlString)]
    pub(crate) fn url_string(url: &JsValue) -> Result<String, JsValue>;

    /// The options as `readOptions` returns them: each getter is `None` (or `undefined`)
    /// when the option was left out, `null` where an option was turned off, else a
    /// value its check accepted.
    #[derive(Debug, Clone)]
    pub(crate) type CheckedOptions;

    #[wasm_bindgen(method, getter, js_name = withCredentials)]
    pub(crate) fn with_credentials(this: &CheckedOptions) -> Option<bool>;

    /// `None` for no policy (`reconnect` left out, `false` or `null`).
    #[wasm_bindgen(method, getter)]
    pub(crate) fn reconnect(this: &CheckedOptions) -> Option<CheckedReconnect>;

    /// Milliseconds.
    #[wasm_bindgen(method, getter, js_name = pauseWhenHidden)]
    pub(crate) fn pause_when_hidden(this: &CheckedOptions) -> Option<f64>;

    #[wasm_bindgen(method, getter, js_name = shareAcrossTabs)]
    pub(crate) fn share_across_tabs(this: &CheckedOptions) -> Option<bool>;

    /// Whether the fetch transport is chosen: by `transport: "fetch"`, or by any option
    /// only it has.
    #[wasm_bindgen(method, getter)]
    pub(crate) fn fetch(this: &CheckedOptions) -> bool;

    /// `headers` as `[name, value, name, value, ...]` when it is an object (or left
    /// out: empty), `None` for a function.
    #[wasm_bindgen(method, getter, js_name = fixedHeaders)]
    pub(crate) fn fixed_headers(this: &CheckedOptions) -> Option<js_sys::Array>;

    /// The headers for the next request, from the `headers` function, called now (only
    /// when [`fixed_headers`](Self::fixed_headers) is `None`): `[name, value, name,
    /// value, ...]`. It never throws: when the function throws (or returns no object of
    /// strings), it returns a header the browser refuses, so that the request fails as it
    /// is built and is not sent, and keeps the error for `opened()` and `failure()`.
    #[wasm_bindgen(method, js_name = headersWith)]
    pub(crate) fn headers_with(this: &CheckedOptions) -> js_sys::Array;

    /// Called once the source is open: what a `headers` function threw, or its bad
    /// result's `TypeError`, at the first request; `undefined` if nothing.
    #[wasm_bindgen(method)]
    pub(crate) fn opened(this: &CheckedOptions) -> JsValue;

    /// What a `headers` function threw, or its bad result's `TypeError`, at the latest
    /// request; `undefined` if it gave headers (or is no function).
    #[wasm_bindgen(method)]
    pub(crate) fn failure(this: &CheckedOptions) -> JsValue;

    #[wasm_bindgen(method, getter)]
    pub(crate) fn method(this: &CheckedOptions) -> Option<String>;

    #[wasm_bindgen(method, getter)]
    pub(crate) fn body(this: &CheckedOptions) -> Option<String>;

    /// A whole number of bytes from 1 to `u32::MAX`.
    #[wasm_bindgen(method, getter, js_name = maxEventSize)]
    pub(crate) fn max_event_size(this: &CheckedOptions) -> Option<u32>;

    /// `options.reconnect`, checked: every time in milliseconds. The four that `null`
    /// turns off are read as they are, to tell `null` from left out.
    #[derive(Debug)]
    pub(crate) type CheckedReconnect;

    #[wasm_bindgen(method, getter, js_name = initialDelay)]
    pub(crate) fn initial_delay(this: &CheckedReconnect) -> Option<f64>;

    #[wasm_bindgen(method, getter)]
    pub(crate) fn factor(this: &CheckedReconnect) -> Option<f64>;

    #[wasm_bindgen(method, getter, js_name = maxDelay)]
    pub(crate) fn max_delay(this: &CheckedReconnect) -> Option<f64>;

    /// `"none"`, `"full"` or `"equal"`.
    #[wasm_bindgen(method, getter)]
    pub(crate) fn jitter(this: &CheckedReconnect) -> Option<String>;

    /// A whole number from 0 to `u32::MAX`, or `null`.
    #[wasm_bindgen(method, getter, js_name = maxRetries)]
    pub(crate) fn max_retries(this: &CheckedReconnect) -> JsValue;

    /// A non-empty string, or `null`.
    #[wasm_bindgen(method, getter, js_name = resumeParam)]
    pub(crate) fn resume_param(this: &CheckedReconnect) -> JsValue;

    /// More than 0, or `null`.
    #[wasm_bindgen(method, getter, js_name = idleTimeout)]
    pub(crate) fn idle_timeout(this: &CheckedReconnect) -> JsValue;

    /// A number, or `null`.
    #[wasm_bindgen(method, getter, js_name = statusProbe)]
    pub(crate) fn status_probe(this: &CheckedReconnect) -> JsValue;

    #[wasm_bindgen(method, getter, js_name = minUptime)]
    pub(crate) fn min_uptime(this: &CheckedReconnect) -> Option<f64>;
}

#[wasm_bindgen(module = "/js/sharing.js")]
extern "C" {
    /// The `sharing` property's value: `{ role, tabs }`, frozen.
    #[wasm_bindgen(js_name = sharing)]
    pub(crate) fn new_sharing(role: &str, tabs: u32) -> JsValue;
}

#[wasm_bindgen(module = "/js/iterator.js")]
extern "C" {
    /// The async iterator of `messages()` and `subscribe(type)`.
    #[derive(Debug)]
    pub(crate) type MessageIterator;

    /// How the wasm side reaches an iterator without keeping it alive: an iterator the
    /// page drops is collected with what it buffered, and unsubscribes then.
    #[derive(Debug)]
    pub(crate) type IteratorFeed;

    /// A new iterator whose `return()`, or its collection, calls `unsubscribe`.
    #[wasm_bindgen(constructor)]
    pub(crate) fn new(unsubscribe: &JsValue) -> MessageIterator;

    /// The feed of `iterator`.
    #[wasm_bindgen(static_method_of = MessageIterator)]
    pub(crate) fn feed(iterator: &MessageIterator) -> IteratorFeed;

    /// Queues `message`, or hands it to a pending `next()`; does nothing once the
    /// iterator is collected.
    #[wasm_bindgen(static_method_of = MessageIterator)]
    pub(crate) fn push(feed: &IteratorFeed, message: &JsMessage);

    /// Ends the iterator once what it buffered is read. Idempotent.
    #[wasm_bindgen(static_method_of = MessageIterator)]
    pub(crate) fn end(feed: &IteratorFeed);
}
