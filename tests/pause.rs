#![cfg(target_arch = "wasm32")]
//! `Builder::pause_when_hidden`, driven by overriding `document.hidden` and dispatching
//! `visibilitychange`, in each browser engine against sse-server.

#[macro_use]
mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::{
    browser_source, builder, ms, next, server_url, sleep, take, unique, until, wait_open_on_server,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_eventsource::{
    ConnectionError, ErrorKind, Event, EventSource, Jitter, Message, ReadyState, Reconnect,
    Transport,
};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export function set_hidden(hidden) {
  Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
  Object.defineProperty(document, "visibilityState", {
    configurable: true,
    get: () => (hidden ? "hidden" : "visible"),
  });
  document.dispatchEvent(new Event("visibilitychange"));
}

export function next_fetch_on_abort(then) {
  const original = globalThis.fetch;
  let called = false;
  globalThis.fetch = (url, init) => {
    globalThis.fetch = original;
    called = true;
    init.signal.addEventListener("abort", () => then());
    return original(url, init);
  };
  return () => called;
}
"#)]
extern "C" {
    /// Makes the page look hidden (or visible again) and tells it so.
    fn set_hidden(hidden: bool);

    /// Makes the next `fetch` a wrapper that calls `then` when the request's signal
    /// aborts, as a page's wrapper may act on it; the one after is the browser's again.
    /// Returns a function that tells whether the wrapper was called.
    fn next_fetch_on_abort(then: &js_sys::Function) -> js_sys::Function;
}

fn ids(messages: &[Message]) -> Vec<u64> {
    messages
        .iter()
        .map(|m| m.last_event_id().parse().expect("numeric ids"))
        .collect()
}

/// Hides the page until the source pauses, checks the pause, keeps it paused `paused_ms`
/// more, and shows the page again.
async fn hide_until_paused(es: &EventSource, tag: &str, paused_ms: u32) {
    set_hidden(true);
    until("the pause", || es.ready_state() == ReadyState::Paused).await;
    wait_open_on_server(tag, 0).await;
    sleep(paused_ms).await;
    set_hidden(false);
}

async fn pause_and_resume_delivers_every_event_once(policy: Option<Reconnect>) {
    let tag = unique("pause");
    // Each response stops sending after 6 events (its body stays open), so the pause
    // always interrupts a stream with events left, however late it comes: on a loaded
    // machine the whole stream could otherwise arrive before it, and the resume be
    // answered 204.
    let mut builder = builder(server_url(&format!(
        "/test/stream?count=100&interval=1&stall_after=6&tag={tag}"
    )))
    .pause_when_hidden(ms(100));
    if let Some(policy) = policy {
        builder = builder.reconnect(policy);
    }
    let es = builder.open().unwrap();
    let errors: Rc<RefCell<Vec<ConnectionError>>> = Rc::default();
    let _on_error = es.on_error({
        let errors = errors.clone();
        move |err| errors.borrow_mut().push(err)
    });
    let mut states = es.state();
    let mut messages = es.messages();
    let mut received = take(&mut messages, 3, "ids before the pause").await;
    // What the server would send meanwhile is not lost: it is not sending.
    hide_until_paused(&es, &tag, 300).await;
    // The pause came after 3 to 6 events; the resumed response sends 6 more.
    received.extend(take(&mut messages, 9 - received.len(), "the rest after resuming").await);
    assert_eq!(
        ids(&received),
        (1..=9).collect::<Vec<_>>(),
        "no gap, no repeat"
    );
    if let Some(raw) = browser_source(&es) {
        assert!(
            raw.url().contains("lastEventId="),
            "the reopened source resumed: {}",
            raw.url()
        );
    }
    assert!(
        errors.borrow().is_empty(),
        "a pause is not an error: {:?}",
        errors.borrow()
    );
    es.close();
    let states = common::drain_to_end(&mut states, "every state").await;
    use ReadyState::{Closed, Connecting, Open, Paused};
    assert_eq!(states, [Connecting, Open, Paused, Connecting, Open, Closed]);
}

on_each_transport! {
    async fn a_hidden_page_pauses_and_a_visible_one_resumes_without_a_policy() {
        pause_and_resume_delivers_every_event_once(None).await;
    }
}

on_each_transport! {
    async fn a_hidden_page_pauses_and_a_visible_one_resumes_with_a_policy() {
        pause_and_resume_delivers_every_event_once(Some(
            Reconnect::default()
                .initial_delay(ms(50))
                .jitter(Jitter::None),
        ))
        .await;
    }
}

on_each_transport! {
    async fn a_page_hidden_for_less_than_the_grace_period_stays_connected() {
        let key = unique("brief");
        let es = builder(server_url(&format!(
            "/test/stream?count=100&interval=50&key={key}"
        )))
        .pause_when_hidden(ms(600))
        .open()
        .unwrap();
        let mut states = es.state();
        let mut messages = es.messages();
        next(&mut messages, "the first event").await;
        set_hidden(true);
        sleep(200).await;
        set_hidden(false);
        sleep(700).await;
        assert_eq!(es.ready_state(), ReadyState::Open);
        // A pause at once on `hidden` would have reopened on `visible`, open again by now:
        // only the count of requests, and the states, show that it never paused.
        assert_eq!(common::requests_on_server(&key).await, 1, "never dropped");
        es.close();
        let states = common::drain_to_end(&mut states, "every state").await;
        use ReadyState::{Closed, Connecting, Open};
        assert_eq!(states, [Connecting, Open, Closed], "never paused");
    }
}

#[wasm_bindgen_test]
async fn a_post_is_never_paused_so_its_body_is_sent_once() {
    // The echo answers the POST and holds its body open. Hidden past the grace period, a
    // GET source would pause and send its request again on `visible`; a POST would send
    // its body again, so it stays connected.
    let key = unique("postpause");
    let es = EventSource::builder(server_url(&format!("/test/echo?key={key}&hold=1")))
        .method("POST")
        .body("once")
        .pause_when_hidden(ms(50))
        .open()
        .unwrap();
    let mut states = es.state();
    let echo = common::echo(&next(&mut es.messages(), "the echo").await.unwrap());
    assert_eq!((echo.method.as_str(), echo.body.as_str()), ("POST", "once"));
    set_hidden(true);
    sleep(300).await;
    assert_eq!(
        es.ready_state(),
        ReadyState::Open,
        "not paused while hidden"
    );
    set_hidden(false);
    sleep(300).await;
    assert_eq!(
        common::requests_on_server(&key).await,
        1,
        "the body was sent once"
    );
    es.close();
    let states = common::drain_to_end(&mut states, "every state").await;
    use ReadyState::{Closed, Connecting, Open};
    assert_eq!(states, [Connecting, Open, Closed]);
}

/// The resume point a fetch source's request after a pause sends, with or without a
/// policy: its `Last-Event-ID` header and its `lastEventId` query parameter.
async fn resume_point_after_a_pause(policy: Option<Reconnect>) -> (Option<String>, Option<String>) {
    // The echo (id 1) holds its body open, so only the pause makes a second request.
    let tag = unique("pausequery");
    let mut builder = EventSource::builder(server_url(&format!("/test/echo?hold=1&tag={tag}")))
        .transport(Transport::Fetch)
        .pause_when_hidden(ms(50));
    if let Some(policy) = policy {
        builder = builder.reconnect(policy);
    }
    let es = builder.open().unwrap();
    let mut messages = es.messages();
    next(&mut messages, "the first echo").await.unwrap();
    hide_until_paused(&es, &tag, 50).await;
    let echo = common::echo(
        &next(&mut messages, "the echo after the pause")
            .await
            .unwrap(),
    );
    es.close();
    echo.resume_point()
}

#[wasm_bindgen_test]
async fn a_fetch_source_resumes_after_a_pause_in_the_query_only_with_a_policy() {
    // The header carries the resume point. Without a policy the URL stays as given, as on
    // the transport's own reconnects: a signed URL, or a server that refuses unknown
    // parameters, would refuse it. It was given `lastEventId` on every resume.
    let some = |id: &str| Some(id.to_owned());
    assert_eq!(resume_point_after_a_pause(None).await, (some("1"), None));
    let policy = Reconnect::default().initial_delay(ms(50));
    assert_eq!(
        resume_point_after_a_pause(Some(policy)).await,
        (some("1"), some("1"))
    );
}

/// A source whose first request fails (the server's 500), then streams ids 1 to 3 and
/// stays open, with a policy that waits `delay_ms` before its retry, paused 50 ms after
/// its page is hidden: returned once that failure is reported, with the request count's
/// key and when it was reported (`Date.now()`).
async fn failed_once_then_waiting(prefix: &str, delay_ms: u64) -> (EventSource, String, f64) {
    let key = unique(prefix);
    let es = builder(server_url(&format!(
        "/test/stream?count=3&stall_after=3&fail_first=1&key={key}"
    )))
    .reconnect(
        Reconnect::default()
            .initial_delay(ms(delay_ms))
            .jitter(Jitter::None),
    )
    .pause_when_hidden(ms(50))
    .open()
    .unwrap();
    match next(&mut es.events(), "the first failure").await {
        Some(Event::Error(err)) => assert_eq!(err.attempt(), Some(1), "{err}"),
        other => panic!("expected an error, got {other:?}"),
    }
    (es, key, js_sys::Date::now())
}

on_each_transport! {
    async fn a_pause_cancels_the_policys_pending_attempt() {
        let (es, key, _) = failed_once_then_waiting("pausewait", 1_500).await;
        // Hidden at once, so that the pause comes well inside the policy's 1.5 s wait; the
        // count is read once paused, since nothing is asked for after that.
        set_hidden(true);
        until("the pause", || es.ready_state() == ReadyState::Paused).await;
        let asked = common::requests_on_server(&key).await;
        sleep(1_800).await;
        assert_eq!(
            common::requests_on_server(&key).await,
            asked,
            "the attempt the policy was waiting to make is not made while paused"
        );
        set_hidden(false);
        let mut messages = es.messages();
        assert_eq!(
            ids(&take(&mut messages, 3, "the events after resuming").await),
            [1, 2, 3]
        );
        es.close();
    }
}

on_each_transport! {
    /// A page shown again before the policy's backoff ran out waits for what was left of
    /// it: a user switching tabs while the server is down does not cost the server an
    /// attempt at each switch, nor run the policy's retries out in seconds.
    async fn a_pause_keeps_what_was_left_of_the_policys_backoff() {
        let (es, key, failed_at) = failed_once_then_waiting("pauseleft", 3_000).await;
        let asked = common::requests_on_server(&key).await;
        set_hidden(true);
        until("the pause", || es.ready_state() == ReadyState::Paused).await;
        sleep(300).await;
        set_hidden(false);
        assert_eq!(es.ready_state(), ReadyState::Connecting, "waiting again");
        // Well inside the 3 s backoff.
        let checked_by = failed_at + 2_000.0;
        sleep((checked_by - js_sys::Date::now()).max(0.0) as u32).await;
        assert_eq!(
            common::requests_on_server(&key).await,
            asked,
            "no attempt before the backoff ran out"
        );
        let mut messages = es.messages();
        assert_eq!(
            ids(&take(&mut messages, 3, "the events after the backoff").await),
            [1, 2, 3]
        );
        assert!(
            js_sys::Date::now() - failed_at >= 2_900.0,
            "the retry came after the backoff"
        );
        es.close();
    }
}

on_each_transport! {
    /// Time paused is not uptime: a connection that opened, delivered nothing and was
    /// paused longer than `min_uptime` has not proved itself, so the failure after the
    /// resume is the next in the count, not attempt 1 again.
    async fn time_paused_is_not_uptime() {
        let key = unique("pauseup");
        let tag = unique("pauseup");
        // Requests 1 and 2 fail; 3 opens and sends nothing; every later one fails.
        let es = builder(server_url(&format!(
            "/test/stream?stall_after=0&fail_requests=1,2,4,5,6,7&key={key}&tag={tag}"
        )))
        .reconnect(
            Reconnect::default()
                .initial_delay(ms(50))
                .jitter(Jitter::None)
                .max_retries(Some(2))
                .min_uptime(ms(3_000))
                .status_probe(None),
        )
        .pause_when_hidden(ms(50))
        .open()
        .unwrap();
        let mut events = es.events();
        until("the third request to open", || es.ready_state() == ReadyState::Open).await;
        // Open for the 50 ms grace period (and the test's polling), well under the 3 s
        // that would prove it, even on a loaded machine whose timers run late; then paused
        // for over 3.5 s, well over them.
        hide_until_paused(&es, &tag, 3_500).await;
        let ending = common::drain_to_end(&mut events, "the source to end").await;
        // Every failure in one count: paused time taken for uptime would start it again
        // after the resume (1, 2, then 1, 2, 3).
        let attempts: Vec<u32> = ending
            .iter()
            .filter_map(|event| match event {
                web_eventsource::Event::Error(err) => err.attempt(),
                _ => None,
            })
            .collect();
        assert_eq!(attempts, [1, 2, 3], "{ending:?}");
        match ending.last() {
            Some(web_eventsource::Event::Error(err)) => {
                assert_eq!(err.kind(), web_eventsource::ErrorKind::RetriesExhausted, "{err}");
                assert_eq!(err.attempt(), Some(3), "{err}");
            }
            other => panic!("expected the final error, got {other:?}"),
        }
        assert_eq!(
            common::requests_on_server(&key).await,
            4,
            "the failure after the resume was the third"
        );
    }
}

/// A page's `fetch` wrapper that closes the source when the status probe's signal aborts,
/// as the pause aborts it: the source closes, and stays closed when the page is shown
/// again. (The pause held the probe's cell while it aborted, so the close from inside the
/// abort panicked: the source's state stream never heard `Closed`, nor ended.)
#[wasm_bindgen_test]
async fn a_close_when_the_pause_aborts_the_status_probe_closes() {
    let key = unique("pauseprobe");
    // Request 1 fails; request 2, the status probe, is accepted but never answered.
    let es = EventSource::builder(server_url(&format!(
        "/test/stream?count=3&fail_requests=1&hang_requests=2&key={key}"
    )))
    .reconnect(
        Reconnect::default()
            .jitter(Jitter::None)
            .status_probe(Some(ms(30_000))),
    )
    .pause_when_hidden(ms(50))
    .open()
    .unwrap();
    let close = Closure::<dyn FnMut()>::new({
        let es = es.clone();
        move || es.close()
    });
    let mut states = es.state();
    let probe_sent = next_fetch_on_abort(close.as_ref().unchecked_ref());
    until("the status probe", || {
        probe_sent.call0(&JsValue::NULL).unwrap().as_bool() == Some(true)
    })
    .await;
    set_hidden(true);
    until("the close", || es.ready_state() == ReadyState::Closed).await;
    set_hidden(false);
    sleep(200).await;
    assert_eq!(
        es.ready_state(),
        ReadyState::Closed,
        "shown again, still closed"
    );
    // The close ran whole: its state reached the stream, which ended.
    let states = common::drain_to_end(&mut states, "every state").await;
    assert_eq!(states.last(), Some(&ReadyState::Closed), "{states:?}");
}

/// A page shown again after a pause that cut a status probe short waits for the backoff
/// that probe would have led to: the pause counted the failure, and reopening at once
/// would be an attempt without a backoff at each tab switch.
#[wasm_bindgen_test]
async fn a_pause_that_cut_a_probe_short_keeps_its_backoff() {
    let key = unique("pauseprobe");
    // Request 1 fails; request 2, its status probe, is never answered; request 3, the
    // replacement after the pause, streams.
    let es = EventSource::builder(server_url(&format!(
        "/test/stream?count=3&stall_after=3&fail_requests=1&hang_requests=2&key={key}"
    )))
    .reconnect(
        Reconnect::default()
            .initial_delay(ms(3_000))
            .jitter(Jitter::None)
            .status_probe(Some(ms(30_000))),
    )
    .pause_when_hidden(ms(50))
    .open()
    .unwrap();
    let mut messages = es.messages();
    common::wait_requests_on_server(&key, 2).await;
    set_hidden(true);
    until("the pause", || es.ready_state() == ReadyState::Paused).await;
    let paused_at = js_sys::Date::now();
    set_hidden(false);
    assert_eq!(es.ready_state(), ReadyState::Connecting, "waiting again");
    sleep(2_000).await;
    assert_eq!(
        common::requests_on_server(&key).await,
        2,
        "no attempt before the backoff ran out"
    );
    assert_eq!(
        ids(&take(&mut messages, 3, "the events after the backoff").await),
        [1, 2, 3]
    );
    assert!(
        js_sys::Date::now() - paused_at >= 2_900.0,
        "the replacement came after the backoff"
    );
    es.close();
}

/// A failure whose status probe a pause cut short counts, as one decided before the
/// pause does: the policy gives up after `max_retries` failures however the pauses fall.
/// (It was counted only once the probe answered, which the pause's abort prevented: the
/// failure after the pause was the first again, and each such pause gave one more try.)
#[wasm_bindgen_test]
async fn a_failure_whose_probe_a_pause_cut_short_still_counts() {
    let key = unique("pausecount");
    // Request 1 fails; request 2, its status probe, is never answered; request 3, the
    // reopen after the pause, fails.
    let es = EventSource::builder(server_url(&format!(
        "/test/stream?count=3&fail_requests=1,3&hang_requests=2&key={key}"
    )))
    .reconnect(
        Reconnect::default()
            .jitter(Jitter::None)
            .status_probe(Some(ms(30_000)))
            .max_retries(Some(1)),
    )
    .pause_when_hidden(ms(50))
    .open()
    .unwrap();
    let mut events = es.events();
    common::wait_requests_on_server(&key, 2).await;
    set_hidden(true);
    until("the pause", || es.ready_state() == ReadyState::Paused).await;
    set_hidden(false);
    match next(&mut events, "the failure after the pause").await {
        Some(Event::Error(err)) => {
            assert!(err.is_final(), "{err}");
            assert_eq!(
                (err.kind(), err.attempt()),
                (ErrorKind::RetriesExhausted, Some(2)),
                "{err}"
            );
        }
        other => panic!("expected the policy to give up, got {other:?}"),
    }
}
