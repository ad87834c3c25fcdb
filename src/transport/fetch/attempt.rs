//! One fetch attempt: the request, the response's checks, the body read chunk by chunk
//! and parsed, and the transport's own reconnects after a lost connection, as the
//! browser's `EventSource` makes them (WHATWG HTML §9.2.3):
//! - 200 with `text/event-stream`: open;
//! - 204: "stop reconnecting", final;
//! - any other status or type: failed (final without a policy), with the status;
//! - a network error, or the body's end: lost; the same request again after the
//!   stream's `retry:` time (3 s before any; the source's, kept from attempt to attempt),
//!   with `Last-Event-ID`, at the URL as given
//!   (with the resume parameter set to the same id as the header where the source
//!   resumes by query: see `Connection::reconnect_url`). For a method other than GET the
//!   body's end closes the source, and a network error is a failure.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::time::Duration;

use gloo_timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::mime::is_event_stream;
use super::request;
use super::FetchOptions;
use crate::cells;
use crate::connection::Connection;
use crate::fetch_api::{
    console_warn, copied, discard_body, global_fetch, ignored_outcome, BodyReader, FetchResponse,
    ReadResult,
};
use crate::first_request::resolve_or_refuse;
use crate::js_text::JsChunk;
use crate::parser::{Item, ParsedEvent, Parser, Text};
use crate::reconnect::timer_millis;
use crate::transport::{Attempt, Failure, Request};
use crate::{Error, ErrorKind, Message, ReadyState};

/// The reconnection time before the stream sets one with `retry:`, as in Chromium.
pub(super) const DEFAULT_RETRY_MS: u32 = 3_000;

/// The most of a chunk copied into wasm memory at once, in bytes.
const COPY_SLICE: u32 = 64 * 1024;

/// The most entries of the delivery queue kept for the next chunk (32 KiB): a slice of
/// 8-byte events makes thousands, whose room would otherwise stay with the attempt.
const KEPT_QUEUE: usize = 1024;

pub(crate) struct FetchAttempt(Rc<Inner>);

struct Inner {
    me: Weak<Inner>,
    connection: Weak<Connection>,
    options: Rc<FetchOptions>,
    /// The request's URL, resolved.
    url: String,
    with_credentials: bool,
    state: Cell<ReadyState>,
    /// Opened since the last failure (see `Failure::was_open`).
    opened: Cell<bool>,
    /// Closed by the connection: nothing more is reported.
    closed: Cell<bool>,
    /// Cancels the request in flight and its body.
    abort: RefCell<Option<web_sys::AbortController>>,
    reader: RefCell<Option<BodyReader>>,
    parser: RefCell<Parser>,
    /// The last event id as of the newest item delivered: what a callback reads, even
    /// while later items of the same chunk wait.
    delivered_id: RefCell<Text>,
    /// The stream's reconnection time, in ms: the source's, shared by its attempts.
    retry_ms: Rc<Cell<u32>>,
    reconnect: RefCell<Option<Timeout>>,
    /// The response's origin, shared by its messages.
    origin: RefCell<Rc<String>>,
    /// A body that cut off an event has said so on the console (see `ended`).
    warned_of_cut_event: Cell<bool>,
    /// Reused for every chunk, up to [`KEPT_QUEUE`] entries: what the parser made of it. (The chunk's bytes are not:
    /// the parser keeps them, shared by the messages parsed from them.)
    items: RefCell<Vec<Queued>>,
}

/// What waits to be delivered, in stream order: the parser's items but for `retry:`,
/// which is applied as it is parsed (it matters only to a reconnection, which comes after
/// the delivery). Two variants, so that it packs in 32 bytes on wasm32 (see [`Text`]):
/// each is moved into the queue and out again once per event.
enum Queued {
    Event(ParsedEvent),
    LastEventId(Text),
}

// A larger `Queued` compiles, and costs a `memory.copy` call per move: caught where the
// benchmarks' feature is on, as `ParsedEvent`'s size is (see there).
#[cfg(all(target_arch = "wasm32", feature = "bench-internals"))]
const _: () = assert!(std::mem::size_of::<Queued>() <= 32);

impl FetchAttempt {
    /// Sends the first request.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidUrl`] for a URL that does not resolve; [`Error::InvalidOption`]
    /// for a header `headers_with` returns that the browser refuses.
    pub(crate) fn start(
        connection: Weak<Connection>,
        options: Rc<FetchOptions>,
        retry_ms: Rc<Cell<u32>>,
        request: &Request<'_>,
    ) -> Result<Self, Error> {
        let url = resolve_or_refuse(request.url)?;
        let parser = Parser::new(options.max_event_size, request.last_event_id);
        let inner = Rc::new_cyclic(|me| Inner {
            me: me.clone(),
            connection,
            options,
            url,
            with_credentials: request.with_credentials,
            state: Cell::new(ReadyState::Connecting),
            opened: Cell::new(false),
            closed: Cell::new(false),
            abort: RefCell::new(None),
            reader: RefCell::new(None),
            parser: RefCell::new(parser),
            delivered_id: RefCell::new(Text::shared(request.last_event_id.to_owned())),
            retry_ms,
            reconnect: RefCell::new(None),
            origin: RefCell::new(Rc::default()),
            warned_of_cut_event: Cell::new(false),
            items: RefCell::new(Vec::new()),
        });
        inner.send(&inner.url)?;
        Ok(Self(inner))
    }
}

/// One function for both outcomes of a promise, so that exactly one call releases it:
/// `once_into_js` frees it as that call returns, not when the JS garbage collector gets to
/// it. An uncalled one would never be freed, so every promise given one must settle: the
/// attempt's close (which its drop runs) aborts its request and cancels its body, which
/// settles them. (But for a page's `fetch` wrapper that drops the abort signal and never
/// settles its promise: then one such function, holding a `Weak`, is never freed.) It holds the attempt weakly: an attempt dropped or closed meanwhile
/// ignores the outcome, but for a response that came after it, whose body nothing will
/// read: that is cancelled ([`discard_body`]).
fn settle(weak: Weak<Inner>, then: fn(&Rc<Inner>, JsValue)) -> JsValue {
    Closure::once_into_js(move |outcome: JsValue| match weak.upgrade() {
        Some(inner) if !inner.closed.get() => then(&inner, outcome),
        _ => discard_body(&outcome),
    })
}

fn origin_of(url: &str) -> Rc<String> {
    let origin = web_sys::Url::new(url)
        .map(|url| url.origin())
        .unwrap_or_default();
    Rc::new(origin)
}

impl Inner {
    /// Sends the request to `url`: the first, or the transport's own reconnect.
    fn send(self: &Rc<Self>, url: &str) -> Result<(), Error> {
        self.state.set(ReadyState::Connecting);
        let abort = web_sys::AbortController::new().map_err(|_| Error::Js {
            message: "AbortController is not available".to_owned(),
        })?;
        let last_event_id = cells::borrow(&self.parser).last_event_id().clone();
        let init = request::init(
            &self.options,
            last_event_id.as_str(),
            self.with_credentials,
            &abort.signal(),
        )?;
        // `headers_with` may have closed the source: then nothing is sent. (A connection
        // that cannot be reached is one still being made, whose first attempt this is: a
        // connection dropped since closed its attempt.)
        if self.closed.get() || self.connection.upgrade().is_some_and(|c| c.is_closed()) {
            return Ok(());
        }
        *cells::borrow_mut(&self.abort) = Some(abort);
        let on_settled = settle(self.me.clone(), Self::responded);
        global_fetch(url, &init).then(&on_settled, &on_settled);
        Ok(())
    }

    fn responded(self: &Rc<Self>, outcome: JsValue) {
        let Some(response) = outcome.dyn_ref::<web_sys::Response>() else {
            self.network_failed();
            return;
        };
        let status = response.status();
        let content_type = response.headers().get("Content-Type").ok().flatten();
        if status == 200 && content_type.is_some_and(|value| is_event_stream(&value)) {
            let Some(body) = response.unchecked_ref::<FetchResponse>().body() else {
                self.ended();
                return;
            };
            // A body that cannot be read is a request that failed: uncaught, the throw
            // would leave the source connecting for good.
            let Ok(reader) = body.get_reader() else {
                self.network_failed();
                return;
            };
            *cells::borrow_mut(&self.reader) = Some(reader);
            *cells::borrow_mut(&self.origin) = origin_of(&response.url());
            self.state.set(ReadyState::Open);
            self.opened.set(true);
            if let Some(connection) = self.connection.upgrade() {
                connection.opened();
            }
            self.read_next();
        } else {
            // Refused: its body is not read. The abort `failed` makes ends it, but not
            // where a page's `fetch` wrapper dropped the signal: a refusal that streams on
            // would hold one of the browser's six connections to the host, one more on
            // each of the policy's retries.
            discard_body(&outcome);
            let kind = if status == 204 {
                ErrorKind::NoContent
            } else {
                ErrorKind::Failed
            };
            self.failed(kind, Some(status));
        }
    }

    fn read_next(self: &Rc<Self>) {
        if self.closed.get() {
            return;
        }
        // Not read under the borrow: a page's own stream is pulled inside `read()`, and
        // what it runs may close the source, which takes the reader.
        let Some(reader) = cells::borrow(&self.reader).clone() else {
            return;
        };
        let reading = reader.read();
        let on_settled = settle(self.me.clone(), Self::read);
        reading.then(&on_settled, &on_settled);
    }

    fn read(self: &Rc<Self>, outcome: JsValue) {
        // A read resolves with `{ done: true }` or `{ done: false, value: <bytes> }`, and
        // rejects with anything: the browser's own body an `Error`, a wrapped or mocked
        // `fetch`'s any value. Whatever is neither the end nor a chunk is a rejection: read
        // as an empty chunk, it would be read again, and fail again, without end.
        let result: &ReadResult = outcome.unchecked_ref();
        if !outcome.is_object() || outcome.is_instance_of::<js_sys::Error>() {
            self.network_failed();
        } else if result.done() == Some(true) {
            self.ended();
        } else if let Some(bytes) = result
            .value()
            .filter(|value| value.is_instance_of::<js_sys::Uint8Array>())
        {
            // Whatever the chunk holds, a keep-alive comment too, the stream is alive: a
            // server's `: ping` keeps the idle timeout from replacing it.
            if let Some(connection) = self.connection.upgrade() {
                connection.saw_bytes();
            }
            self.parse(&bytes);
            self.read_next();
        } else {
            self.network_failed();
        }
    }

    /// Parses one chunk and delivers what it held, stopping if a callback closes the
    /// source. The chunk is copied into wasm memory a slice at a time: a browser may hand
    /// over many megabytes at once (Firefox does, from a fast server), and copying it
    /// whole would grow the memory past the bound `max_event_size` promises.
    fn parse(&self, bytes: &js_sys::Uint8Array) {
        let length = bytes.length();
        let mut start = 0;
        while start < length && !self.closed.get() {
            let end = length.min(start.saturating_add(COPY_SLICE));
            if !self.parse_slice(&bytes.subarray(start, end)) {
                return;
            }
            start = end;
        }
    }

    /// Parses and delivers one slice; `false` when the stream cannot go on (the event
    /// grew past `max_event_size`, and the attempt has failed).
    fn parse_slice(&self, bytes: &js_sys::Uint8Array) -> bool {
        let mut items = cells::take(&self.items);
        let parsed = cells::borrow_mut(&self.parser).feed(copied(bytes), |item| match item {
            Item::Event(event) => items.push(Queued::Event(event)),
            Item::LastEventId(id) => items.push(Queued::LastEventId(id)),
            Item::Retry(ms) => self
                .retry_ms
                .set(timer_millis(Duration::from_millis(ms.into()))),
        });
        // Made only if the read delivers a message; the JavaScript strings only if one is
        // asked for.
        let mut js = None;
        let chunk = events_chunk(&items);
        // No borrow is held while the callbacks run: they may close the source, or read
        // its last event id.
        for item in items.drain(..) {
            if self.closed.get() {
                break;
            }
            self.deliver(item, &mut js, &chunk);
        }
        // Not kept by a closed attempt (see `close`), nor past a small queue.
        if !self.closed.get() && items.capacity() <= KEPT_QUEUE {
            *cells::borrow_mut(&self.items) = items;
        }
        if parsed.is_err() && !self.closed.get() {
            self.failed(ErrorKind::TooLarge, None);
            return false;
        }
        true
    }

    /// Delivers `item`; a message gets the read's JavaScript strings, `js`, made on the
    /// first for the events that lie in `chunk`.
    fn deliver(&self, item: Queued, js: &mut Option<Rc<JsChunk>>, chunk: &Option<Rc<String>>) {
        match item {
            Queued::Event(event) => {
                *cells::borrow_mut(&self.delivered_id) = event.last_event_id.clone();
                let Some(connection) = self.connection.upgrade() else {
                    return;
                };
                match connection.topic(event.event_type()) {
                    Some(topic) => {
                        let origin = cells::borrow(&self.origin).clone();
                        let js = js.get_or_insert_with(|| Rc::new(JsChunk::new(chunk.clone())));
                        let message = Message::parsed(
                            topic.shared_name(),
                            event.data,
                            event.last_event_id,
                            origin,
                            Some(Rc::clone(js)),
                        );
                        connection.received(&topic, message);
                    }
                    None => connection.saw_message(),
                }
            }
            Queued::LastEventId(id) => *cells::borrow_mut(&self.delivered_id) = id,
        }
    }

    /// The body ended: a GET reconnects, any other method is over.
    ///
    /// An event the body cut off (no blank line after its last line) is dropped, as the
    /// standard says and a browser's `EventSource` does, but not silently: a server that
    /// omits the last blank line loses its last event, often the one that says a streamed
    /// answer is complete. The console says why: once per attempt (a policy's
    /// replacement, or the reopen after a pause, warns again). (The parser is reset once,
    /// by `stop`.)
    fn ended(self: &Rc<Self>) {
        let cut = cells::borrow(&self.parser).holds_unfinished_event();
        if cut && !self.warned_of_cut_event.replace(true) {
            console_warn(
                "web-eventsource: a response ended in the middle of an event, which is \
                 dropped, as the standard says (a server must end every event with a blank \
                 line):",
                &self.url,
            );
        }
        if request::is_get(&self.options) {
            self.lost();
        } else {
            self.stop();
            if let Some(connection) = self.connection.upgrade() {
                connection.close();
            }
        }
    }

    /// The request or the body failed on the network.
    ///
    /// A request that CORS refused fails here too, where the browser's `EventSource` fails
    /// the connection for good: `fetch` reports both as the same `TypeError`. Asking the
    /// server again in `no-cors` mode does not tell them apart either: Chromium, Firefox
    /// and WebKit all fail that request too when the server answers, since their opaque
    /// response blocking refuses a `text/event-stream` answer, a `HEAD` included.
    fn network_failed(self: &Rc<Self>) {
        if request::is_get(&self.options) {
            self.lost();
        } else {
            self.failed(ErrorKind::Failed, None);
        }
    }

    /// Reports a lost connection, then sends the request again after the reconnection
    /// time, unless a callback closed the source meanwhile.
    fn lost(self: &Rc<Self>) {
        self.stop();
        self.state.set(ReadyState::Connecting);
        if let Some(connection) = self.connection.upgrade() {
            connection.errored(Failure {
                kind: ErrorKind::Lost,
                status: None,
                status_hidden: false,
                event: None,
                reconnecting: true,
                was_open: self.opened.replace(false),
                cause: None,
            });
        }
        if self.closed.get() {
            return;
        }
        let weak = self.me.clone();
        let timer = Timeout::new(self.retry_ms.get(), move || {
            let Some(inner) = weak.upgrade() else { return };
            drop(cells::take(&inner.reconnect));
            if inner.closed.get() {
                return;
            }
            // The resume parameter the first URL may carry is out of date by now: a server
            // that reads it rather than the header would send the events since again.
            let url = match inner.connection.upgrade() {
                Some(connection) => connection.reconnect_url(),
                None => return,
            };
            // The request could not be made: e.g. a header `headers_with` returned for it,
            // which the browser refused. The error says so (its `request_error()`).
            if let Err(cause) = inner.send(&url) {
                inner.failed_for(ErrorKind::Failed, None, Some(Rc::new(cause)));
            }
        });
        *cells::borrow_mut(&self.reconnect) = Some(timer);
    }

    /// Reports a failure the transport does not retry itself.
    fn failed(&self, kind: ErrorKind, status: Option<u16>) {
        self.failed_for(kind, status, None);
    }

    /// [`failed`](Self::failed), with why the request could not be made.
    fn failed_for(&self, kind: ErrorKind, status: Option<u16>, cause: Option<Rc<Error>>) {
        self.stop();
        self.state.set(ReadyState::Closed);
        if let Some(connection) = self.connection.upgrade() {
            connection.errored(Failure {
                kind,
                status,
                status_hidden: false,
                event: None,
                reconnecting: false,
                was_open: self.opened.replace(false),
                cause,
            });
        }
    }

    /// Cancels the request and its body, and forgets what was half parsed.
    fn stop(&self) {
        self.cancel_request();
        cells::borrow_mut(&self.parser).finish();
    }

    /// Aborts the request in flight, its body with it.
    fn cancel_request(&self) {
        if let Some(abort) = cells::take(&self.abort) {
            abort.abort();
        }
        if let Some(reader) = cells::take(&self.reader) {
            // The body is cancelled too: a page's `fetch` wrapper may have sent the request
            // without the signal, and then only this ends it (and frees the browser's
            // connection). A read under way settles, which frees its callback. Where the
            // abort already failed the body, the cancel's rejection is handled here.
            let ignored = ignored_outcome();
            reader.cancel().then(&ignored, &ignored);
        }
    }

    fn close(&self) {
        if self.closed.replace(true) {
            return;
        }
        drop(cells::take(&self.reconnect));
        self.cancel_request();
        // A closed source may be kept (in an app's state, say) long after: an unfinished
        // event of up to `max_event_size` must not stay with it. The parser is borrowed
        // only while it parses, which calls nothing that closes.
        if let Ok(mut parser) = self.parser.try_borrow_mut() {
            parser.release();
        }
        drop(cells::take(&self.items));
        // Read after the close (`last_event_id()`): a copy, not a slice of a chunk.
        let delivered_id = cells::borrow(&self.delivered_id).detached();
        *cells::borrow_mut(&self.delivered_id) = delivered_id;
        self.state.set(ReadyState::Closed);
    }
}

impl Attempt for FetchAttempt {
    fn url(&self) -> String {
        self.0.url.clone()
    }

    // Every event type is parsed; the connection delivers those with subscribers.
    fn listen(&self, _: &Rc<crate::topics::Topic>) {}

    fn unlisten(&self, _: &Rc<crate::topics::Topic>) {}

    fn ready_state(&self) -> ReadyState {
        self.0.state.get()
    }

    fn last_event_id(&self) -> Option<String> {
        Some(cells::borrow(&self.0.delivered_id).as_str().to_owned())
    }

    fn close(&self) {
        self.0.close();
    }

    fn raw(&self) -> Option<web_sys::EventSource> {
        None
    }
}

impl Drop for FetchAttempt {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// The chunk a read's events lie in: that of its last event's data, when it is a slice
/// (the data of an event whose blank line began the read lies in the chunk before).
fn events_chunk(items: &[Queued]) -> Option<Rc<String>> {
    items.iter().rev().find_map(|item| match item {
        Queued::Event(event) => event.data.in_chunk().map(|(chunk, _)| Rc::clone(chunk)),
        Queued::LastEventId(_) => None,
    })
}
