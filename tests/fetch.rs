#![cfg(target_arch = "wasm32")]
//! What only the fetch transport does, in headless Chromium against sse-server: custom
//! headers, `headers_with` per request, other methods and bodies, the real
//! `Last-Event-ID` header, the `retry:` time, the HTTP status of a failure, the bound on
//! an event's size, and bad bytes from the server. What it shares
//! with the native transport runs on both, in the other test files.

mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use common::{
    drain_to_end, echo, echoes, next, next_fetch_drops_the_signal, quick, requests_on_server,
    server_url, sleep, take, unique, until, wait_open_on_server, wait_requests_on_server,
    within_ms,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_eventsource::{
    Error, ErrorKind, Event, EventSource, Message, ReadyState, Reconnect, Transport,
    WeakEventSource,
};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export function next_fetch_body_fails_with(reason) {
  const original = globalThis.fetch;
  globalThis.fetch = () => {
    globalThis.fetch = original;
    const body = new ReadableStream({ start: (controller) => controller.error(reason) });
    return Promise.resolve(new Response(body, { headers: { "content-type": "text/event-stream" } }));
  };
}

export function next_fetch_body_is_locked() {
  const original = globalThis.fetch;
  globalThis.fetch = () => {
    globalThis.fetch = original;
    const response = new Response("data: x\n\n", { headers: { "content-type": "text/event-stream" } });
    response.body.getReader();
    return Promise.resolve(response);
  };
}

export function next_fetch_runs_on_abort(f) {
  const original = globalThis.fetch;
  globalThis.fetch = (url, init) => {
    globalThis.fetch = original;
    init.signal.addEventListener("abort", () => f());
    return original(url, init);
  };
}

export function next_fetch_body_pull_runs(f) {
  const original = globalThis.fetch;
  globalThis.fetch = () => {
    globalThis.fetch = original;
    let pulls = 0;
    // A high-water mark of 0: pulled only for a read under way, inside that read() call.
    const body = new ReadableStream({
      pull(controller) {
        pulls += 1;
        if (pulls > 1) f();
        controller.enqueue(new TextEncoder().encode(`data: ${pulls}\n\n`));
      },
    }, { highWaterMark: 0 });
    return Promise.resolve(new Response(body, { headers: { "content-type": "text/event-stream" } }));
  };
}

export function next_fetch_body_is(chunks) {
  const original = globalThis.fetch;
  globalThis.fetch = () => {
    globalThis.fetch = original;
    // Each chunk read whole, as one Uint8Array; then the body stays open.
    const body = new ReadableStream({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      },
    });
    return Promise.resolve(new Response(body, { headers: { "content-type": "text/event-stream" } }));
  };
}

export function watch_warnings() {
  const original = console.warn;
  const seen = [];
  console.warn = (...args) => seen.push(args.map(String).join(" "));
  return () => {
    console.warn = original;
    return seen;
  };
}
"#)]
extern "C" {
    /// Makes the next `fetch` answer 200 with a body whose first read fails with `reason`;
    /// the one after is the browser's again.
    fn next_fetch_body_fails_with(reason: &JsValue);

    /// Makes the next `fetch` answer 200 with a body already locked, as a page's wrapper
    /// that read it leaves it; the one after is the browser's again.
    fn next_fetch_body_is_locked();

    /// Makes the next `fetch` a wrapper that calls `f` when its request is aborted: page
    /// code that runs inside the source's own close of its attempt.
    fn next_fetch_runs_on_abort(f: &js_sys::Function);

    /// Makes the next `fetch` answer a stream whose source calls `f` when it is pulled for
    /// a second chunk, inside the `read()` that asks for it.
    fn next_fetch_body_pull_runs(f: &js_sys::Function);

    /// Makes the next `fetch` answer a stream whose body is `chunks`, each read whole,
    /// and then stays open: a read's size, which is the engine's on the network, is the
    /// test's.
    fn next_fetch_body_is(chunks: Vec<String>);

    /// Collects what `console.warn` is given, until the function returned is called: it
    /// gives `console.warn` back and returns the warnings, as strings.
    fn watch_warnings() -> js_sys::Function;
}

/// The warnings seen since `watch_warnings` returned `stop`.
fn warnings_until(stop: &js_sys::Function) -> Vec<String> {
    let seen: js_sys::Array = stop.call0(&JsValue::NULL).unwrap().unchecked_into();
    seen.iter()
        .filter_map(|warning| warning.as_string())
        .collect()
}

/// A JavaScript function that closes a source (the one given to `aim`), for page code
/// that closes it from inside the crate's own calls.
struct Closer {
    source: Rc<RefCell<Option<web_eventsource::WeakEventSource>>>,
    function: Closure<dyn FnMut()>,
}

impl Closer {
    fn new() -> Self {
        let source = Rc::new(RefCell::new(None::<web_eventsource::WeakEventSource>));
        let function = Closure::<dyn FnMut()>::new({
            let source = source.clone();
            move || {
                if let Some(es) = source.borrow().as_ref().and_then(|weak| weak.upgrade()) {
                    es.close();
                }
            }
        });
        Self { source, function }
    }

    fn function(&self) -> &js_sys::Function {
        self.function.as_ref().unchecked_ref()
    }

    fn aim(&self, es: &EventSource) {
        *self.source.borrow_mut() = Some(es.downgrade());
    }
}

fn fetch_source(url: &str) -> EventSource {
    fetch_source_result(url).expect("the URL opens")
}

fn fetch_source_result(url: &str) -> Result<EventSource, Error> {
    EventSource::builder(url).transport(Transport::Fetch).open()
}

/// The final error of `es`, after which every stream ends.
async fn final_error(es: &EventSource) -> web_eventsource::ConnectionError {
    let events = drain_to_end(&mut es.events(), "the source to end").await;
    match events.last() {
        Some(Event::Error(err)) if err.is_final() => err.clone(),
        other => panic!("expected a final error, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn headers_are_sent_with_the_request() {
    let es = EventSource::builder(server_url("/test/echo"))
        .header("Authorization", "Bearer fixed")
        .open()
        .unwrap();
    assert_eq!(es.transport(), Transport::Fetch, "a header chooses fetch");
    assert!(es.raw().is_none(), "no browser source on fetch");
    let first = take(&mut es.messages(), 1, "the echo").await.remove(0);
    assert!(first.raw().is_none(), "no DOM event on fetch");
    let echo = echo(&first);
    assert_eq!(echo.method, "GET");
    assert_eq!(echo.headers["authorization"], "Bearer fixed");
    assert_eq!(echo.headers["accept"], "text/event-stream");
    assert!(
        !echo.headers.contains_key("last-event-id"),
        "no id yet: {:?}",
        echo.headers
    );
    es.close();
}

#[wasm_bindgen_test]
async fn the_callers_accept_header_is_sent_in_place_of_the_default() {
    let accept = "text/event-stream, application/json;q=0.5";
    for builder in [
        EventSource::builder(server_url("/test/echo")).header("accept", accept),
        EventSource::builder(server_url("/test/echo"))
            .headers_with(move || vec![("Accept".to_owned(), accept.to_owned())]),
    ] {
        let es = builder.open().unwrap();
        let first = take(&mut es.messages(), 1, "the echo").await.remove(0);
        assert_eq!(echo(&first).headers["accept"], accept);
        es.close();
    }
}

#[wasm_bindgen_test]
async fn headers_with_is_asked_before_every_request_and_last_event_id_follows() {
    // Each echo ends its body: the transport reconnects by itself after the stream's
    // `retry:` time (50 ms, not the 3 s default), sending the id it saw last.
    let key = unique("echo");
    let asked = Rc::new(Cell::new(0));
    let es = EventSource::builder(server_url(&format!("/test/echo?key={key}&retry=50")))
        .headers_with({
            let asked = asked.clone();
            move || {
                asked.set(asked.get() + 1);
                vec![("Authorization".into(), format!("Bearer {}", asked.get()))]
            }
        })
        .open()
        .unwrap();
    let echoes = echoes(es, 3, 2_500, "three requests, 50 ms apart").await;
    for (n, echo) in (1..).zip(&echoes) {
        assert_eq!(echo.request, n);
        assert_eq!(echo.headers["authorization"], format!("Bearer {n}"));
        let expected_id = (n > 1).then(|| (n - 1).to_string());
        assert_eq!(
            echo.headers.get("last-event-id"),
            expected_id.as_ref(),
            "request {n}"
        );
    }
    assert_eq!(asked.get(), 3, "called once per request");
}

#[wasm_bindgen_test]
async fn a_replacement_refused_as_it_is_built_is_the_policys_failure_and_retried() {
    // The first request gets a 500; the policy's replacement is refused as it is built
    // (`headers_with` returns a header name the browser refuses, once); the one after
    // opens. Before, the refusal ended the source, whatever the policy.
    let key = unique("refused-replacement");
    let asked = Rc::new(Cell::new(0));
    let es = EventSource::builder(server_url(&format!(
        "/test/stream?count=3&fail_first=1&key={key}"
    )))
    .reconnect(quick())
    .headers_with({
        let asked = asked.clone();
        move || {
            asked.set(asked.get() + 1);
            let name = if asked.get() == 2 {
                "bad name"
            } else {
                "Authorization"
            };
            vec![(name.to_owned(), "Bearer 1".to_owned())]
        }
    })
    .open()
    .unwrap();
    let (errors, _on_error) = {
        let errors = Rc::new(RefCell::new(Vec::new()));
        let listener = es.on_error({
            let errors = errors.clone();
            move |err| errors.borrow_mut().push((err.kind(), err.is_final()))
        });
        (errors, listener)
    };
    let messages = take(&mut es.messages(), 3, "the three events after the refusal").await;
    let ids: Vec<String> = messages.iter().map(Message::last_event_id).collect();
    assert_eq!(ids, ["1", "2", "3"]);
    assert_eq!(
        asked.get(),
        3,
        "the first request, the refused one, the one that opened"
    );
    assert!(
        errors.borrow().iter().all(|(_, is_final)| !is_final),
        "{:?}",
        errors.borrow()
    );
    assert_eq!(errors.borrow().len(), 2, "{:?}", errors.borrow());
    es.close();
}

#[wasm_bindgen_test]
async fn a_non_ascii_last_event_id_is_sent_as_utf8() {
    // `Headers` takes a byte string: given the id as it is, `é` would go out as the one
    // byte 0xE9 and the emoji would make it throw, losing the header. The server decodes
    // the header's bytes as UTF-8. WebKit (WebKitGTK) encodes a header value's characters
    // as UTF-8 itself, against the Fetch spec, so there the id's UTF-8 bytes arrive
    // encoded twice; the README's "Browser engines" says so.
    let id = "é-😀-1";
    let expected = match common::engine() {
        common::Engine::WebKit => "Ã©-ð\u{9f}\u{98}\u{80}-1",
        _ => id,
    };
    let es = EventSource::builder(server_url("/test/echo"))
        .transport(Transport::Fetch)
        .last_event_id(id)
        .open()
        .unwrap();
    let first = take(&mut es.messages(), 1, "the echo").await.remove(0);
    es.close();
    assert_eq!(
        echo(&first)
            .headers
            .get("last-event-id")
            .map(String::as_str),
        Some(expected)
    );
}

/// The resume point the transport's own reconnect sends, after a first request that
/// resumed after `start` (or not at all): the `Last-Event-ID` header and the
/// `lastEventId` query parameter of each of the two requests.
async fn resume_points_of_two_requests(
    start: Option<&str>,
) -> Vec<(Option<String>, Option<String>)> {
    // The echo (id 1) ends its body, and the transport reconnects by itself after 50 ms.
    let key = unique("requery");
    let mut builder = EventSource::builder(server_url(&format!("/test/echo?key={key}&retry=50")))
        .transport(Transport::Fetch);
    if let Some(start) = start {
        builder = builder.last_event_id(start);
    }
    let es = builder.open().unwrap();
    let echoes = echoes(es, 2, 2_000, "two requests, 50 ms apart").await;
    echoes.iter().map(common::Echo::resume_point).collect()
}

#[wasm_bindgen_test]
async fn the_transports_own_reconnect_resumes_in_the_query_too() {
    // A server that reads the parameter must see 1 there too, not "start", or it sends 1
    // again.
    let some = |id: &str| Some(id.to_owned());
    assert_eq!(
        resume_points_of_two_requests(Some("start")).await,
        [(some("start"), some("start")), (some("1"), some("1"))]
    );
    // A source that never resumed by query keeps the URL as given.
    assert_eq!(
        resume_points_of_two_requests(None).await,
        [(None, None), (some("1"), None)]
    );
}

#[wasm_bindgen_test]
async fn before_any_retry_field_the_transport_waits_3_s_to_reconnect() {
    // The echo ends its body after its event, with no `retry:`: the reconnection time is
    // the spec's implementation-defined default, 3 s as in Chromium.
    let key = unique("retry3s");
    let es = fetch_source(&server_url(&format!("/test/echo?key={key}")));
    let mut messages = es.messages();
    take(&mut messages, 1, "the first echo").await;
    let first_at = js_sys::Date::now();
    let second = within_ms(8_000, "the reconnect", async {
        take(&mut messages, 1, "the second echo").await
    })
    .await;
    let waited = js_sys::Date::now() - first_at;
    es.close();
    assert_eq!(echo(&second[0]).request, 2);
    assert!(
        (2_900.0..6_000.0).contains(&waited),
        "reconnected {waited} ms after the body ended"
    );
}

#[wasm_bindgen_test]
async fn a_replacement_keeps_the_reconnection_time_the_stream_set() {
    // Request 1 sets `retry: 100` and ends after id 1: the transport reconnects 100 ms
    // later. Request 2 fails (500) and the policy replaces the attempt. Requests 3 to 5
    // send no `retry:` and each ends after one id: their reconnections wait the 100 ms
    // the stream set, which the standard keeps on the source across its connections,
    // not the 3 s of a stream that never set one (as a replacement did before).
    let key = unique("retrykept");
    let es = EventSource::builder(server_url(&format!(
        "/test/stream?count=4&retry=100&retry_requests=1&end_after=1&fail_requests=2&key={key}"
    )))
    .transport(Transport::Fetch)
    .reconnect(quick())
    .open()
    .unwrap();
    let received = within_ms(
        2_500,
        "ids 1..4, reconnecting after 100 ms each time",
        async { take(&mut es.messages(), 4, "ids 1..4").await },
    )
    .await;
    let ids: Vec<String> = received.iter().map(Message::last_event_id).collect();
    assert_eq!(ids, ["1", "2", "3", "4"]);
    es.close();
}

/// A POST whose body ends after one event, with `policy`: it is sent once, and the end
/// of its body closes the source (a policy replaces failures, not a finished answer).
async fn a_post_is_sent_once_and_the_end_of_its_body_closes_the_source(policy: Option<Reconnect>) {
    let key = unique("post");
    let mut builder = EventSource::builder(server_url(&format!("/test/echo?key={key}&retry=50")))
        .method("POST")
        .header("Content-Type", "application/json")
        .body(r#"{"prompt":"hi"}"#);
    if let Some(policy) = policy {
        builder = builder.reconnect(policy);
    }
    let es = builder.open().unwrap();
    let mut messages = es.messages();
    let states = es.state();
    let got = drain_to_end(&mut messages, "the body to end").await;
    assert_eq!(got.len(), 1);
    let echo = echo(&got[0]);
    assert_eq!(echo.method, "POST");
    assert_eq!(echo.body, r#"{"prompt":"hi"}"#);
    assert_eq!(echo.headers["content-type"], "application/json");
    assert_eq!(es.ready_state(), ReadyState::Closed);
    let states = drain_to_end(&mut { states }, "the states").await;
    assert_eq!(
        states,
        [ReadyState::Connecting, ReadyState::Open, ReadyState::Closed]
    );
    sleep(300).await;
    assert_eq!(requests_on_server(&key).await, 1, "never sent again");
}

#[wasm_bindgen_test]
async fn a_post_is_sent_once_and_its_end_closes_the_source() {
    a_post_is_sent_once_and_the_end_of_its_body_closes_the_source(None).await;
}

#[wasm_bindgen_test]
async fn a_post_is_sent_once_and_its_end_closes_the_source_with_a_policy_too() {
    a_post_is_sent_once_and_the_end_of_its_body_closes_the_source(Some(quick())).await;
}

/// A body of `body` (query-escaped) from sse-server with `method`: its first event is
/// delivered, and if the body cut off a second one (no blank line after it), that one is
/// dropped, as the standard says, with one warning naming the URL: a server that omits
/// the last blank line loses its last event, and the developer is told why. A body that
/// ends cleanly warns of nothing. A GET is lost and reconnects (after 3 s), a POST closes.
async fn a_cut_off_event_is_dropped_with_a_warning(method: &str, body: &str, cut: bool) {
    let url = server_url(&format!("/test/raw?body={body}"));
    let stop = watch_warnings();
    let es = EventSource::builder(&url).method(method).open().unwrap();
    // Both subscribed before anything arrives, so that the end of the body cannot come
    // between the message and the subscription to what follows it.
    let mut events = es.events();
    let mut messages = es.messages();
    let first = next(&mut messages, "the whole event").await.unwrap();
    assert_eq!(first.data(), "whole");
    let end = loop {
        let event = next(&mut events, "the end of the body").await;
        if !matches!(event, Some(Event::Open | Event::Message(_))) {
            break event;
        }
    };
    match method {
        "GET" => assert!(
            matches!(&end, Some(Event::Error(err)) if err.kind() == ErrorKind::Lost && !err.is_final()),
            "{end:?}"
        ),
        _ => assert!(end.is_none(), "{end:?}"),
    }
    es.close();
    assert!(drain_to_end(&mut messages, "the messages").await.is_empty());
    let warnings = warnings_until(&stop);
    if cut {
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains(&url), "{warnings:?}");
        assert!(
            warnings[0].contains("in the middle of an event"),
            "{warnings:?}"
        );
    } else {
        assert_eq!(warnings, Vec::<String>::new());
    }
}

#[wasm_bindgen_test]
async fn a_post_whose_body_cuts_off_its_last_event_warns() {
    a_cut_off_event_is_dropped_with_a_warning("POST", "data:%20whole%0A%0Adata:%20cut", true).await;
}

#[wasm_bindgen_test]
async fn a_get_whose_body_cuts_off_an_event_warns() {
    a_cut_off_event_is_dropped_with_a_warning(
        "GET",
        "data:%20whole%0A%0Aid:%207%0Adata:%20cut%0A",
        true,
    )
    .await;
}

#[wasm_bindgen_test]
async fn a_body_that_ends_after_a_blank_line_warns_of_nothing() {
    a_cut_off_event_is_dropped_with_a_warning("POST", "data:%20whole%0A%0A", false).await;
}

#[wasm_bindgen_test]
async fn a_body_that_ends_in_an_unfinished_comment_warns_of_nothing() {
    a_cut_off_event_is_dropped_with_a_warning("POST", "data:%20whole%0A%0A:%20bye", false).await;
}

#[wasm_bindgen_test]
async fn a_failed_response_says_its_status() {
    // (query, expected kind, expected status)
    let cases = [
        ("/test/stream?auth=secret", ErrorKind::Failed, 401),
        ("/test/stream?status=503", ErrorKind::Failed, 503),
        (
            "/test/raw?status=500&content_type=text/html&body=%3Chtml%3Eoops%3C/html%3E",
            ErrorKind::Failed,
            500,
        ),
        ("/test/stream?status=204", ErrorKind::NoContent, 204),
        (
            "/test/stream?content_type=text/plain",
            ErrorKind::Failed,
            200,
        ),
    ];
    for (path, kind, status) in cases {
        let es = fetch_source(&server_url(path));
        let err = final_error(&es).await;
        assert_eq!(
            (err.kind(), err.status()),
            (kind, Some(status)),
            "{path}: {err}"
        );
        assert!(err.to_string().contains(&format!("HTTP {status}")), "{err}");
        assert_eq!(es.ready_state(), ReadyState::Closed);
    }
}

#[wasm_bindgen_test]
async fn a_content_type_with_parameters_odd_case_or_several_values_opens_as_fetch_reads_it() {
    // Fetch's "extract a MIME type": the essence, in any case, of the last value that is
    // a MIME type (a header sent twice arrives joined by a comma; a comma in a quoted
    // string splits nothing, and a value that is no MIME type is passed over).
    for content_type in [
        "Text/Event-Stream;%20charset=utf-8",
        "text/event-stream,%20text/event-stream",
        "text/plain,%20text/event-stream",
        "text/event-stream;%20x=%22a,b/c%22",
        "text/event-stream,%20foo/ba%20r",
    ] {
        let es = fetch_source(&server_url(&format!(
            "/test/stream?count=1&content_type={content_type}"
        )));
        let message = next(&mut es.messages(), content_type).await;
        assert!(message.is_some(), "{content_type}: the stream opens");
        es.close();
    }
    let es = fetch_source(&server_url(
        "/test/stream?count=1&content_type=text/event-stream,%20text/plain",
    ));
    let err = final_error(&es).await;
    assert_eq!((err.kind(), err.status()), (ErrorKind::Failed, Some(200)));
}

#[wasm_bindgen_test]
async fn the_right_token_opens_what_a_missing_one_cannot() {
    let without = fetch_source(&server_url("/test/stream?auth=secret&count=3"));
    let err = final_error(&without).await;
    assert_eq!((err.kind(), err.status()), (ErrorKind::Failed, Some(401)));
    let es = EventSource::builder(server_url("/test/stream?auth=secret&count=3"))
        .header("Authorization", "Bearer secret")
        .open()
        .unwrap();
    let ids: Vec<String> = take(&mut es.messages(), 3, "the stream")
        .await
        .iter()
        .map(Message::last_event_id)
        .collect();
    assert_eq!(ids, ["1", "2", "3"]);
    es.close();
}

/// Opens a fetch source at `/test/stream?{query}` whose `headers_with` closes it on its
/// second call, for the second request, and checks that the close holds: the source stays
/// closed, its streams end, and the second request is never sent.
async fn a_close_in_the_second_headers_with_holds(query: &str, policy: Option<Reconnect>) {
    let key = unique("closehdr");
    let handle = Rc::new(RefCell::new(None::<WeakEventSource>));
    let calls = Rc::new(Cell::new(0));
    let url = server_url(&format!("/test/stream?key={key}&{query}"));
    let mut builder = EventSource::builder(url).headers_with({
        let (handle, calls) = (handle.clone(), calls.clone());
        move || {
            calls.set(calls.get() + 1);
            if calls.get() == 2 {
                let es = handle.borrow().as_ref().and_then(WeakEventSource::upgrade);
                es.expect("the source").close();
            }
            Vec::new()
        }
    });
    if let Some(policy) = policy {
        builder = builder.reconnect(policy);
    }
    let es = builder.open().unwrap();
    *handle.borrow_mut() = Some(es.downgrade());
    let states = drain_to_end(&mut es.state(), "the states to end").await;
    assert_eq!(states.last(), Some(&ReadyState::Closed), "{states:?}");
    assert_eq!(calls.get(), 2);
    sleep(300).await;
    assert_eq!(es.ready_state(), ReadyState::Closed, "closed for good");
    assert_eq!(
        requests_on_server(&key).await,
        1,
        "the second request never sent"
    );
}

#[wasm_bindgen_test]
async fn a_close_inside_headers_with_holds_on_the_transports_own_reconnect() {
    // The body ends after one event; the transport reconnects by itself after 50 ms.
    a_close_in_the_second_headers_with_holds("count=100&end_after=1&retry=50", None).await;
}

#[wasm_bindgen_test]
async fn a_close_inside_headers_with_holds_on_a_policys_replacement() {
    // The first request fails (500): the policy replaces the attempt after 50 ms.
    a_close_in_the_second_headers_with_holds("count=100&fail_first=1", Some(quick())).await;
}

/// How `headers_with` fails a request.
#[derive(Debug, Clone, Copy)]
enum Refusal {
    /// It returns a header name the browser refuses.
    BadName,
    /// It throws a JavaScript exception.
    Throws,
}

impl Refusal {
    const ALL: [Refusal; 2] = [Refusal::BadName, Refusal::Throws];

    /// The option that the `InvalidOption` of a request it fails names.
    fn option(self) -> &'static str {
        match self {
            Refusal::BadName => "header",
            Refusal::Throws => "headers_with",
        }
    }
}

#[wasm_bindgen_test]
async fn a_headers_with_that_throws_for_the_first_request_is_an_error_from_open() {
    // The exception unwound through `open()`, which threw rather than return an error.
    let rejections = common::Rejections::watch();
    let opened = EventSource::builder(server_url("/test/stream?count=1"))
        .headers_with(|| wasm_bindgen::throw_str("no token yet"))
        .open();
    assert!(
        matches!(
            opened,
            Err(Error::InvalidOption {
                option: "headers_with",
                ..
            })
        ),
        "{opened:?}"
    );
    assert_eq!(rejections.stop().await, ["no token yet"]);
}

/// What a source delivered before the error that named a refused request: how many
/// messages, and the HTTP status of each error without a cause.
#[derive(Debug, PartialEq)]
struct BeforeTheRefusal {
    messages: usize,
    statuses: Vec<Option<u16>>,
}

/// Opens a fetch source at `/test/stream?{query}` whose `headers_with` fails the second
/// request only, as `refusal` says, and returns the first error that reports a cause (it
/// must be that refusal, as `open()` reports a refused first request) with what came
/// before it. The first request's header is one sse-server's CORS rules allow, so that it
/// reaches the server: a header they refuse fails it as a network error, before the
/// server sees it.
async fn a_refused_header_for_a_later_request_is_the_errors_source(
    query: &str,
    policy: Option<Reconnect>,
    refusal: Refusal,
) -> (web_eventsource::ConnectionError, BeforeTheRefusal) {
    use std::error::Error as _;
    let rejections = common::Rejections::watch();
    let calls = Rc::new(Cell::new(0));
    let url = server_url(&format!(
        "/test/stream?key={}&{query}",
        unique("refusedhdr")
    ));
    let mut builder = EventSource::builder(url).headers_with({
        let calls = calls.clone();
        move || {
            calls.set(calls.get() + 1);
            let name = match (calls.get(), refusal) {
                (2, Refusal::BadName) => "bad name",
                (2, Refusal::Throws) => wasm_bindgen::throw_str("no token"),
                _ => "Authorization",
            };
            vec![(name.to_owned(), "Bearer 1".to_owned())]
        }
    });
    if let Some(policy) = policy {
        builder = builder.reconnect(policy);
    }
    let es = builder.open().unwrap();
    let mut events = es.events();
    let mut before = BeforeTheRefusal {
        messages: 0,
        statuses: Vec::new(),
    };
    loop {
        match next(&mut events, "an error with a cause").await {
            Some(Event::Error(err)) if err.source().is_some() => {
                let cause = err.request_error();
                assert_eq!(
                    err.source().and_then(|cause| cause.downcast_ref::<Error>()),
                    cause,
                    "the source() is the request_error()"
                );
                assert!(
                    matches!(cause, Some(Error::InvalidOption { option, message }) if *option == refusal.option() && !message.is_empty()),
                    "{refusal:?}: {cause:?}"
                );
                assert_eq!(calls.get(), 2, "the refused request was the second");
                let thrown: &[&str] = match refusal {
                    Refusal::BadName => &[],
                    Refusal::Throws => &["no token"],
                };
                assert_eq!(rejections.stop().await, thrown, "reported as uncaught");
                es.close();
                return (err, before);
            }
            Some(Event::Message(_)) => before.messages += 1,
            Some(Event::Error(err)) => before.statuses.push(err.status()),
            Some(_) => {}
            None => panic!("the source ended with no error naming the refused header"),
        }
    }
}

#[wasm_bindgen_test]
async fn a_header_refused_on_the_transports_own_reconnect_ends_the_source_and_says_why() {
    // The body ends after one event; the transport reconnects by itself after 50 ms, and
    // that request cannot be made. Before, the final error carried no reason.
    for refusal in Refusal::ALL {
        let (err, before) = a_refused_header_for_a_later_request_is_the_errors_source(
            "count=100&end_after=1&retry=50",
            None,
            refusal,
        )
        .await;
        assert_eq!((err.kind(), err.is_final()), (ErrorKind::Failed, true));
        assert_eq!(
            before,
            BeforeTheRefusal {
                messages: 1,
                statuses: vec![None],
            },
            "the event, then the end of the body"
        );
    }
}

#[wasm_bindgen_test]
async fn a_header_refused_on_a_policys_replacement_is_retried_and_says_why() {
    // The first request fails (500): the policy's replacement cannot be made, and is the
    // policy's second failure in a row, to be retried.
    for refusal in Refusal::ALL {
        let (err, before) = a_refused_header_for_a_later_request_is_the_errors_source(
            "count=100&fail_first=1",
            Some(quick()),
            refusal,
        )
        .await;
        assert_eq!(
            (err.kind(), err.is_final(), err.attempt()),
            (ErrorKind::Failed, false, Some(2))
        );
        assert_eq!(before.statuses, [Some(500)], "the first request's answer");
    }
}

#[wasm_bindgen_test]
async fn a_header_refused_when_the_policy_has_no_retry_left_ends_the_source_and_says_why() {
    // The first request fails (500); the one replacement the policy allows cannot be
    // made: the policy gives up, and its final error keeps the reason.
    for refusal in Refusal::ALL {
        let (err, before) = a_refused_header_for_a_later_request_is_the_errors_source(
            "count=100&fail_first=1",
            Some(quick().max_retries(Some(1))),
            refusal,
        )
        .await;
        assert_eq!(
            (err.kind(), err.is_final()),
            (ErrorKind::RetriesExhausted, true)
        );
        assert_eq!(before.statuses, [Some(500)], "the first request's answer");
    }
}

#[wasm_bindgen_test]
async fn an_event_past_max_event_size_fails_with_too_large() {
    let big = "x".repeat(2_000);
    let es = EventSource::builder(server_url(&format!(
        "/test/raw?body=data:%20small%0A%0Adata:%20{big}%0A%0Adata:%20after%0A%0A"
    )))
    .transport(Transport::Fetch)
    .max_event_size(1_024)
    .open()
    .unwrap();
    let mut messages = es.messages();
    let err = final_error(&es).await;
    assert_eq!(err.kind(), ErrorKind::TooLarge, "{err}");
    let data: Vec<String> = drain_to_end(&mut messages, "the messages")
        .await
        .iter()
        .map(|m| m.data().to_owned())
        .collect();
    assert_eq!(data, ["small"], "what came before, and nothing after");
}

#[wasm_bindgen_test]
async fn close_ends_the_body_where_a_fetch_wrapper_dropped_the_abort_signal() {
    // The abort signal never reaches this request: only cancelling the body ends it,
    // which frees the browser's connection (one of six per host), as the server's count
    // shows. (It also settles the read under way, which frees that read's callback: not
    // observed here.)
    let tag = unique("nosignal");
    next_fetch_drops_the_signal();
    let es = fetch_source(&server_url(&format!(
        "/test/stream?count=100000&interval=40&tag={tag}"
    )));
    take(&mut es.messages(), 1, "a message through the wrapper").await;
    es.close();
    wait_open_on_server(&tag, 0).await;
}

#[wasm_bindgen_test]
async fn a_refused_response_has_its_body_ended_where_a_fetch_wrapper_dropped_the_signal() {
    // A 200 of the wrong type that streams on: the source fails and reads none of it.
    // Only cancelling the body frees the browser's connection to the host.
    let tag = unique("nosignal-refused");
    next_fetch_drops_the_signal();
    let es = fetch_source(&server_url(&format!(
        "/test/stream?count=100000&interval=40&tag={tag}&content_type=text/plain"
    )));
    let err = final_error(&es).await;
    assert_eq!((err.kind(), err.status()), (ErrorKind::Failed, Some(200)));
    wait_open_on_server(&tag, 0).await;
}

#[wasm_bindgen_test]
async fn a_response_after_close_has_its_body_ended_where_a_fetch_wrapper_dropped_the_signal() {
    // Closed before the response came: the abort never reaches the request, and nothing
    // reads the body that comes after. It must be cancelled, or it holds one of the
    // browser's six connections to the host for as long as the server streams.
    let (tag, key) = (unique("nosignal-early"), unique("nosignal-early"));
    next_fetch_drops_the_signal();
    let es = fetch_source(&server_url(&format!(
        "/test/stream?count=100000&interval=40&tag={tag}&key={key}"
    )));
    es.close();
    wait_requests_on_server(&key, 1).await;
    sleep(300).await;
    wait_open_on_server(&tag, 0).await;
}

#[wasm_bindgen_test]
async fn the_status_probe_ends_its_body_where_a_fetch_wrapper_dropped_the_signal() {
    // The native transport's first connection fails; the policy's status probe (the
    // page's next `fetch`) gets the stream, which it does not read.
    let (tag, key) = (unique("nosignal-probe"), unique("nosignal-probe"));
    next_fetch_drops_the_signal();
    let es = EventSource::builder(server_url(&format!(
        "/test/stream?count=100000&interval=40&tag={tag}&key={key}&fail_first=1"
    )))
    .transport(Transport::Native)
    .reconnect(quick())
    .open()
    .expect("the URL opens");
    take(&mut es.messages(), 1, "a message after the retry").await;
    assert_eq!(
        requests_on_server(&key).await,
        3,
        "the failure, the probe, the retry"
    );
    sleep(300).await;
    wait_open_on_server(&tag, 1).await;
    es.close();
    wait_open_on_server(&tag, 0).await;
}

#[wasm_bindgen_test]
async fn a_close_from_page_code_inside_a_step_aside_holds() {
    // The idle timeout steps aside: closing the attempt aborts its request, whose abort
    // listener (a page's fetch wrapper) closes the source. The close holds: no state
    // after `Closed`, and no replacement.
    let key = unique("close-on-abort");
    let closer = Closer::new();
    next_fetch_runs_on_abort(closer.function());
    let es = EventSource::builder(server_url(&format!(
        "/test/stream?count=5&stall_after=1&keepalive=0&key={key}"
    )))
    .transport(Transport::Fetch)
    .reconnect(quick().idle_timeout(Some(common::ms(300))))
    .open()
    .expect("the URL opens");
    closer.aim(&es);
    let states = drain_to_end(&mut es.state(), "the source to close").await;
    assert_eq!(
        states,
        [ReadyState::Connecting, ReadyState::Open, ReadyState::Closed]
    );
    sleep(600).await;
    assert_eq!(es.ready_state(), ReadyState::Closed);
    assert_eq!(
        requests_on_server(&key).await,
        1,
        "no replacement after the close"
    );
}

#[wasm_bindgen_test]
async fn a_body_whose_read_closes_the_source_ends_it_cleanly() {
    // A body (a page's own stream, say) whose pull, run inside `read()`, closes the
    // source: the close cancels the body while the read is being asked for.
    let closer = Closer::new();
    next_fetch_body_pull_runs(closer.function());
    let es = fetch_source("/sse");
    closer.aim(&es);
    let messages = drain_to_end(&mut es.messages(), "the source to close").await;
    let data: Vec<_> = messages.iter().map(|m| m.data().to_owned()).collect();
    assert_eq!(
        data,
        ["1"],
        "the first chunk's event, and none after the close"
    );
    assert_eq!(es.ready_state(), ReadyState::Closed);
}

#[wasm_bindgen_test]
async fn an_event_past_max_event_size_aborts_the_request() {
    // A stream that would go on for over an hour: only the client's abort ends it.
    let tag = unique("toolarge");
    let es = EventSource::builder(server_url(&format!(
        "/test/stream?size=2000&count=100000&interval=40&tag={tag}"
    )))
    .transport(Transport::Fetch)
    .max_event_size(1_024)
    .open()
    .unwrap();
    let err = final_error(&es).await;
    assert_eq!(err.kind(), ErrorKind::TooLarge, "{err}");
    wait_open_on_server(&tag, 0).await;
    drop(es);
}

#[wasm_bindgen_test]
async fn with_a_policy_a_failure_without_a_status_is_reported_as_it_is_and_not_probed() {
    // The status probe asks for the status the browser's `EventSource` hides. Fetch sees
    // every status: a probe would send a request without the source's headers
    // (`headers_with` unasked) and report the event past the bound as `Failed`.
    let key = unique("noprobe");
    let big = "x".repeat(2_000);
    let asked = Rc::new(Cell::new(0));
    let es = EventSource::builder(server_url(&format!(
        "/test/raw?key={key}&body=data:%20{big}%0A%0A"
    )))
    .headers_with({
        let asked = asked.clone();
        move || {
            asked.set(asked.get() + 1);
            vec![("Authorization".to_owned(), "Bearer t".to_owned())]
        }
    })
    .max_event_size(1_024)
    .reconnect(quick().max_retries(Some(1)))
    .open()
    .unwrap();
    let errors: Vec<_> = drain_to_end(&mut es.events(), "the source to end")
        .await
        .into_iter()
        .filter_map(|event| match event {
            Event::Error(err) => Some((err.kind(), err.is_final())),
            _ => None,
        })
        .collect();
    assert_eq!(
        errors,
        [
            (ErrorKind::TooLarge, false),
            (ErrorKind::RetriesExhausted, true)
        ]
    );
    assert_eq!(asked.get(), 2, "headers_with, once per request");
    assert_eq!(requests_on_server(&key).await, 2, "no request but the two");
}

#[wasm_bindgen_test]
async fn a_hundred_megabytes_without_a_newline_is_too_large_not_out_of_memory() {
    let before = common::heap_bytes();
    assert!(before > 0, "the heap is not counted");
    common::reset_heap_peak();
    let es = fetch_source(&server_url("/test/raw?body=x&repeat=100000000"));
    let err = final_error(&es).await;
    assert_eq!(err.kind(), ErrorKind::TooLarge, "{err}");
    let peak = common::heap_peak() - before;
    drop(es);
    let after = common::heap_bytes();
    web_sys::console::log_1(
        &format!("100 MB line: Rust heap peak +{peak} bytes, {before} -> {after} after").into(),
    );
    // The parser holds at most the bound (16 MiB) of the line, plus the 64 KiB slice it
    // is parsing; while its buffer grows (by doubling, capped at the bound), the old block
    // and the new one are counted together (a move holds both for a moment; a growth in
    // place is counted so too): under 2 × 16 MiB. Measured: 24 MiB on Chromium (8 + 16),
    // 28 MiB on Firefox (12 + 16: its chunks are larger). Never
    // anything like the stream (100 MB).
    const MIB: usize = 1024 * 1024;
    assert!(
        peak <= 2 * 16 * MIB + MIB,
        "the Rust heap peaked {peak} bytes above its start for a 16 MiB bound"
    );
    // And the source, once dropped, holds nothing (the error in hand holds a few bytes).
    assert!(
        after <= before + 1_024,
        "the Rust heap holds {} bytes more after the source is gone",
        after - before
    );
}

#[wasm_bindgen_test]
async fn a_closed_source_that_is_kept_holds_no_unfinished_event() {
    // 4 MB of data lines and no blank line, then the response stays open.
    let before = common::heap_bytes();
    let line = format!("data:%20{}%0A", "x".repeat(1_000));
    let es = fetch_source(&server_url(&format!(
        "/test/raw?body={line}&repeat=4000&then=hang"
    )));
    within_ms(20_000, "the unfinished event to be buffered", async {
        // The data buffer doubles to 4,100,096 bytes: waiting for 3 MB leaves room.
        while common::heap_bytes() < before + 3_000_000 {
            sleep(10).await;
        }
    })
    .await;
    es.close();
    // The handle is kept, as an app keeps a closed source in its state.
    let held = common::heap_bytes().saturating_sub(before);
    assert!(
        held < 100_000,
        "a closed source holds {held} bytes of an event it will never deliver"
    );
    assert_eq!(es.ready_state(), ReadyState::Closed);
}

#[wasm_bindgen_test]
async fn a_closed_source_keeps_its_last_event_id_but_not_the_chunk_it_came_in() {
    // One event of 60 kB whose id line starts its chunk of the body, read in one piece;
    // then the body stays open. The id, a slice of that chunk while the stream goes on,
    // must not keep it alive once the source is closed (its message is dropped: nothing
    // else holds it).
    let before = common::heap_bytes();
    next_fetch_body_is(vec![format!("id: 1\ndata: {}\n\n", "x".repeat(60_000))]);
    let es = fetch_source(&server_url("/test/stream"));
    common::assert_a_closed_source_keeps_only_its_id(
        &es,
        before,
        "a chunk of the body through its last event id",
    )
    .await;
}

#[wasm_bindgen_test]
async fn a_burst_of_small_events_leaves_no_queue_behind() {
    // 8,192 events of 8 bytes in one read of 64 KiB: the queue of the read's events grew
    // to 8,192 entries (32 bytes each, 256 KiB), and the attempt kept that capacity for
    // its life, while the stream went on and after its close.
    let before = common::heap_bytes();
    next_fetch_body_is(vec!["data:x\n\n".repeat(8_192)]);
    let es = fetch_source(&server_url("/test/stream"));
    let count = Rc::new(Cell::new(0));
    let _counting = es.on_message({
        let count = count.clone();
        move |_| count.set(count.get() + 1)
    });
    until("8,192 events", || count.get() == 8_192).await;
    // The read's text (64 KiB) stays while the stream goes on: the last event id is a
    // slice of it.
    let held = common::heap_bytes().saturating_sub(before);
    assert!(
        held < 64 * 1024 + 40_000,
        "an open source holds {held} bytes"
    );
    es.close();
    let held = common::heap_bytes().saturating_sub(before);
    assert!(held < 40_000, "a closed source holds {held} bytes");
}

#[wasm_bindgen_test]
async fn a_header_name_given_twice_is_sent_with_both_values() {
    let es = EventSource::builder(server_url("/test/echo"))
        .header("Authorization", "1")
        .header("authorization", "2")
        .open()
        .expect("both sent");
    let echoed = common::echoes(es, 1, 10_000, "the echo").await;
    assert_eq!(echoed[0].headers["authorization"], "1, 2");
}

#[wasm_bindgen_test]
async fn bad_bytes_are_replaced_and_a_nul_id_is_ignored() {
    // An invalid byte becomes U+FFFD; an id with a NUL is ignored, so the id stays "1".
    let es = fetch_source(&server_url(
        "/test/raw?body=id:%201%0Adata:%20a%FFb%0A%0Aid:%20x%00y%0Adata:%20c%0A%0A&then=hang",
    ));
    let got = take(&mut es.messages(), 2, "two events").await;
    assert_eq!(got[0].data(), "a\u{FFFD}b");
    assert_eq!(got[0].last_event_id(), "1");
    assert_eq!(got[1].data(), "c");
    assert_eq!(got[1].last_event_id(), "1");
    assert_eq!(es.last_event_id(), "1");
    es.close();
}

#[wasm_bindgen_test]
fn options_the_browser_refuses_are_typed_errors() {
    let url = server_url("/test/echo");
    let open = |builder: web_eventsource::Builder| builder.open().map(drop);
    let option_of = |result: Result<(), Error>| match result {
        Err(Error::InvalidOption { option, message }) => {
            assert!(!message.is_empty());
            option
        }
        other => panic!("expected InvalidOption, got {other:?}"),
    };
    let native_with_header = EventSource::builder(url.clone())
        .transport(Transport::Native)
        .header("Authorization", "Bearer t");
    assert_eq!(option_of(open(native_with_header)), "header");
    let header_then_native = EventSource::builder(url.clone())
        .header("Authorization", "Bearer t")
        .transport(Transport::Fetch)
        .transport(Transport::Native);
    assert_eq!(option_of(open(header_then_native)), "header");
    // A second `transport` call replaces the first, as a builder's setters do.
    let fetch_then_native = EventSource::builder(url.clone())
        .transport(Transport::Fetch)
        .transport(Transport::Native)
        .open()
        .expect("Native, with nothing that needs fetch");
    assert_eq!(fetch_then_native.transport(), Transport::Native);
    fetch_then_native.close();
    let bad_name = EventSource::builder(url.clone()).header("Bad Name", "v");
    assert_eq!(option_of(open(bad_name)), "header");
    // A header a page may not set, which the browser would drop without a word: refused,
    // not silently left out, whether fixed or returned for the first request.
    for name in [
        "Cookie",
        "origin",
        "Connection",
        "Sec-Fetch-Site",
        "Proxy-Authorization",
    ] {
        let fixed = EventSource::builder(url.clone()).header(name, "v");
        let message = match open(fixed) {
            Err(Error::InvalidOption { option, message }) => {
                assert_eq!(option, "header", "{name}");
                message
            }
            other => panic!("{name}: expected InvalidOption, got {other:?}"),
        };
        assert!(message.contains(name), "{name}: {message}");
        let returned = EventSource::builder(url.clone())
            .headers_with(move || vec![(name.to_owned(), "v".to_owned())]);
        assert_eq!(option_of(open(returned)), "header", "{name}");
    }
    // Forbidden by its value, after the same name with a value that is not: the name is
    // there already, but the second header would not be sent.
    let overridden = EventSource::builder(url.clone())
        .header("X-HTTP-Method-Override", "GET")
        .header("X-HTTP-Method-Override", "TRACE");
    assert_eq!(option_of(open(overridden)), "header");
    let get_with_body = EventSource::builder(url.clone()).body("x");
    assert_eq!(option_of(open(get_with_body)), "body");
    let forbidden = EventSource::builder(url.clone()).method("CONNECT");
    assert_eq!(option_of(open(forbidden)), "method");
    // Valid HTTP, but its answer has no body: the source would end as it opened, with no
    // error.
    let head = EventSource::builder(url.clone()).method("head");
    assert_eq!(option_of(open(head)), "method");
    // 0 is no bound to read as "none": every line of the stream would fail.
    let no_room = EventSource::builder(url.clone())
        .transport(Transport::Fetch)
        .max_event_size(0);
    assert_eq!(option_of(open(no_room)), "max_event_size");
    // The browser's own reason, as the native transport gives its own.
    let browser_says = web_sys::Url::new("http://[::1")
        .err()
        .and_then(|exception| exception.dyn_into::<js_sys::Error>().ok())
        .map(|error| String::from(error.message()));
    match EventSource::builder("http://[::1")
        .transport(Transport::Fetch)
        .open()
    {
        Err(Error::InvalidUrl { message, .. }) => assert_eq!(Some(message), browser_says),
        other => panic!("expected InvalidUrl, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn a_body_read_failing_with_a_value_that_is_not_an_error_is_a_lost_connection() {
    // A wrapped or mocked `fetch` (a test double, a library's wrapper) may fail a body
    // with any value. Such a value was read as a chunk that was neither data nor the end,
    // and read again, failing again: a loop of microtasks that froze the page.
    let reason = js_sys::Object::new();
    js_sys::Reflect::set(&reason, &"code".into(), &1.into()).unwrap();
    next_fetch_body_fails_with(&reason);
    assert_lost_then_resumed("the failed read").await;
}

#[wasm_bindgen_test]
async fn a_body_that_cannot_be_read_is_a_lost_connection() {
    // `getReader()` throws for a locked body. The throw left the source connecting for
    // good, with no error and no reconnection.
    next_fetch_body_is_locked();
    assert_lost_then_resumed("the locked body").await;
}

/// Opens a fetch source of one event whose first request the test's double spoils
/// (`what`), and asserts that it is a lost connection, reconnected 3 s later (no `retry:`
/// yet) through the browser's own `fetch`.
async fn assert_lost_then_resumed(what: &str) {
    let es = fetch_source(&server_url("/test/stream?count=1"));
    let mut events = es.events();
    let lost = within_ms(2_000, &format!("{what} to be a lost connection"), async {
        loop {
            match next(&mut events, "an event").await {
                Some(Event::Error(err)) => break err,
                Some(_) => {}
                None => panic!("the source ended"),
            }
        }
    })
    .await;
    assert_eq!(
        (lost.kind(), lost.will_reconnect(), es.ready_state()),
        (ErrorKind::Lost, true, ReadyState::Connecting)
    );
    let resumed = within_ms(6_000, "the reconnection", async {
        take(&mut es.messages(), 1, "id 1").await
    })
    .await;
    assert_eq!(resumed[0].last_event_id(), "1");
    es.close();
}

#[wasm_bindgen_test]
async fn a_url_fetch_cannot_load_is_refused_as_invalid() {
    // The browser's `EventSource` takes each (a user name), or fails it for good (another
    // scheme); `fetch` rejects every request for it: an error from `open()` rather than a
    // lost connection retried every 3 s without end.
    let http = server_url("/test/stream?count=1");
    for url in [
        http.replacen("http://", "http://user:secret@", 1),
        http.replacen("http://", "ws://", 1),
        http.replacen("http://", "wss://", 1),
        http.replacen("http://", "ftp://", 1),
        "file:///tmp/stream".to_owned(),
    ] {
        match fetch_source_result(&url) {
            Err(Error::InvalidUrl { url: given, .. }) => assert_eq!(given, url),
            other => panic!("{url}: expected InvalidUrl, got {other:?}"),
        }
        // Shared across tabs too: a follower sends no request, and would have opened.
        let shared = EventSource::builder(&url)
            .transport(Transport::Fetch)
            .share_across_tabs(true)
            .open();
        assert!(
            matches!(shared, Err(Error::InvalidUrl { .. })),
            "{url}: {shared:?}"
        );
    }
    // What fetch loads besides http(s) opens: a `data:` stream.
    let es = fetch_source("data:text/event-stream,data:%20inline%0A%0A");
    let message = take(&mut es.messages(), 1, "the data: URL's event").await;
    assert_eq!(message[0].data(), "inline");
    es.close();
}
