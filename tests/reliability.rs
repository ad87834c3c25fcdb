#![cfg(target_arch = "wasm32")]
//! Sequences that once broke the "no lost or duplicated events" promise or the state it
//! reports, in headless Chromium against sse-server. Each test failed before its fix.

#[macro_use]
mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use common::{
    body_url, browser_source, builder, drain_to_end, ms, next, next_fetch_drops_the_signal,
    open_on_server, open_with_policy as open, quick, requests_on_server, server_url, sleep, source,
    take, unique, until, wait_open_on_server, within_ms, Rejections,
};
use futures::StreamExt;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_eventsource::{
    ConnectionError, ErrorKind, Event, EventSource, Jitter, Message, ReadyState, Reconnect,
    Transport,
};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export function next_fetch_misbehaves(how) {
  const original = globalThis.fetch;
  let called = false;
  globalThis.fetch = () => {
    globalThis.fetch = original;
    called = true;
    if (how === "throws") throw new TypeError("a wrapper refused the request");
    return undefined;
  };
  return () => called;
}

export function next_probes_answer_late(second_ms) {
  const original = globalThis.fetch;
  let answerFirst;
  // The signal is not heeded, as a page's wrapper may not heed it.
  globalThis.fetch = () => {
    if (!answerFirst) {
      return new Promise((resolve) => {
        answerFirst = () => resolve(new Response(null, { status: 204 }));
      });
    }
    globalThis.fetch = original;
    setTimeout(answerFirst, 0);
    return new Promise((resolve) =>
      setTimeout(() => resolve(new Response(null, { status: 500 })), second_ms));
  };
}
"#)]
extern "C" {

    /// Makes the next `fetch` throw (`how` is `"throws"`) or return `undefined` rather
    /// than a promise, as a page's wrapper or a test double may; the one after is the
    /// browser's again. The function returned tells whether it was called.
    fn next_fetch_misbehaves(how: &str) -> js_sys::Function;

    /// Makes the next two fetches answer whatever their abort signal says: the first a
    /// 204, only once the second has been called; the second a 500, `second_ms` after
    /// its call. The one after is the browser's again.
    fn next_probes_answer_late(second_ms: u32);
}

/// Every error `es` reports from now on.
fn record_errors(
    es: &EventSource,
) -> (Rc<RefCell<Vec<ConnectionError>>>, web_eventsource::Listener) {
    let errors = Rc::new(RefCell::new(Vec::new()));
    let listener = es.on_error({
        let errors = errors.clone();
        move |err| errors.borrow_mut().push(err)
    });
    (errors, listener)
}

fn ids(messages: &[web_eventsource::Message]) -> Vec<u64> {
    messages
        .iter()
        .map(|m| m.last_event_id().parse().expect("numeric ids"))
        .collect()
}

on_each_transport! {
    async fn an_event_without_an_id_keeps_the_resume_point() {
        // Request 1 sends ids 1..5 and ends; the transport's own reconnect (2) gets a 500,
        // a fatal failure; on native the status probe follows (3); the policy's
        // replacement (4 on native, 3 on fetch), resuming after 5, gets one `beat` event
        // without an id and ends; the transport's reconnect gets a 500 again (5 or 4); on
        // native a probe; the next replacement must still resume after 5.
        let key = unique("noid");
        let noid = 2 + common::requests_per_failure();
        let second_failure = noid + 1;
        let es = open(
            &server_url(&format!(
                "/test/stream?count=10&end_after=5&retry=30&fail_requests=2,{second_failure}\
                 &noid_requests={noid}&key={key}"
            )),
            quick(),
        );
        let mut messages = es.messages();
        let mut beats = es.subscribe("beat");
        let first = take(&mut messages, 5, "ids 1..5").await;
        assert_eq!(ids(&first), [1, 2, 3, 4, 5]);
        let beat = next(&mut beats, "the beat without an id")
            .await
            .expect("a beat");
        assert_eq!(
            beat.last_event_id(),
            "5",
            "the beat's id is the resume point, not the new browser source's empty id"
        );
        assert_eq!(
            es.last_event_id(),
            "5",
            "the resume point survives the beat"
        );
        let rest = drain_to_end(&mut messages, "the rest, then the 204").await;
        assert_eq!(ids(&rest), [6, 7, 8, 9, 10], "no replay of 1..5");
        if let Some(raw) = browser_source(&es) {
            let url = raw.url();
            assert!(url.ends_with("lastEventId=5"), "the replacement resumed after 5: {url}");
        }
    }
}

on_each_transport! {
    async fn the_state_inside_the_final_error_is_closed() {
        for (label, policy) in [
            (
                "no retries",
                Some(Reconnect::default().max_retries(Some(0))),
            ),
            ("no policy", None),
        ] {
            let mut builder = builder(server_url("/test/stream?status=500"));
            if let Some(policy) = policy {
                builder = builder.reconnect(policy);
            }
            let es = builder.open().unwrap();
            let weak = es.downgrade();
            let seen = Rc::new(RefCell::new(Vec::new()));
            let _on_error = es.on_error({
                let seen = seen.clone();
                move |err| {
                    let state = weak.upgrade().map(|es| es.ready_state());
                    seen.borrow_mut().push((err.is_final(), state));
                }
            });
            let states: Vec<ReadyState> = drain_to_end(&mut es.state(), "the state stream").await;
            assert_eq!(
                *seen.borrow(),
                [(true, Some(ReadyState::Closed))],
                "{label}: read inside the final error"
            );
            assert_eq!(
                states,
                [ReadyState::Connecting, ReadyState::Closed],
                "{label}: the state stream ends after Closed"
            );
        }
    }
}

on_each_transport! {
    /// The failure that uses up `max_retries` is final at once, as the browser's is: the
    /// state goes to `Closed` with no `Connecting` for a retry that will not come, and no
    /// status probe is sent, whose answer could only rename the final error.
    async fn the_last_failure_allowed_is_final_at_once() {
        use ReadyState::{Closed, Connecting, Open};
        // Opened, then quiet past the idle timeout: the one failure allowed.
        let es = open(
            &silent_stream(),
            quick().idle_timeout(Some(ms(300))).max_retries(Some(0)),
        );
        let (errors, _on_error) = record_errors(&es);
        let states = drain_to_end(&mut es.state(), "the source to give up").await;
        assert_eq!(states, [Connecting, Open, Closed]);
        let kinds: Vec<_> = errors.borrow().iter().map(ConnectionError::kind).collect();
        assert_eq!(kinds, [ErrorKind::IdleTimeout]);

        // A first request that fails, with the status probe on (its default limit).
        let key = unique("lastfail");
        let es = open(
            &server_url(&format!("/test/stream?count=1&fail_requests=1&key={key}")),
            quick().status_probe(Some(ms(5_000))).max_retries(Some(0)),
        );
        let (errors, _on_error) = record_errors(&es);
        let states = drain_to_end(&mut es.state(), "the source to give up").await;
        assert_eq!(states, [Connecting, Closed]);
        let kinds: Vec<_> = errors.borrow().iter().map(ConnectionError::kind).collect();
        assert_eq!(kinds, [ErrorKind::Failed]);
        assert_eq!(requests_on_server(&key).await, 1, "no probe after the last failure");
    }
}

on_each_transport! {
    async fn the_state_inside_every_callback_agrees_with_its_event() {
        // 500, recovery, a dropped stream the browser reconnects, then the 204 at the end.
        let key = unique("agree");
        let es = open(
            &server_url(&format!(
                "/test/stream?count=4&end_after=2&retry=30&fail_requests=1&key={key}"
            )),
            quick(),
        );
        let seen = Rc::new(RefCell::new(Vec::new()));
        let weak = es.downgrade();
        let state_now = move || {
            weak.upgrade()
                .map_or(ReadyState::Closed, |es| es.ready_state())
        };
        let _on_open = es.on_open({
            let (seen, state_now) = (seen.clone(), state_now.clone());
            move || seen.borrow_mut().push(("open".to_owned(), state_now()))
        });
        let _on_error = es.on_error({
            let (seen, state_now) = (seen.clone(), state_now.clone());
            move |err| {
                seen.borrow_mut()
                    .push((format!("{:?}", err.kind()), state_now()))
            }
        });
        let ids: Vec<u64> = drain_to_end(&mut es.messages(), "the stream to end")
            .await
            .iter()
            .map(|m| m.last_event_id().parse().unwrap())
            .collect();
        assert_eq!(ids, [1, 2, 3, 4]);
        let seen = seen.borrow();
        for (event, state) in seen.iter() {
            let expected = match event.as_str() {
                "open" => ReadyState::Open,
                "NoContent" => ReadyState::Closed,
                _ => ReadyState::Connecting,
            };
            assert_eq!(*state, expected, "inside {event}: {seen:?}");
        }
        assert_eq!(
            seen.last().map(|(event, _)| event.as_str()),
            Some("NoContent")
        );
        // Each callback ran: the 500 first, and an open before each half of the stream.
        assert_eq!(seen.first().map(|(event, _)| event.as_str()), Some("Failed"));
        let opens = seen.iter().filter(|(event, _)| event == "open").count();
        assert_eq!(opens, 2, "{seen:?}");
    }
}

on_each_transport! {
    async fn a_huge_idle_timeout_never_fires_on_a_healthy_stream() {
        // 10,000,000 s is past what a browser timer can wait; unclamped, the watchdog's
        // ticks wrapped around to fire at once and every source was replaced.
        let es = open(
            &server_url("/test/stream?count=14&interval=150"),
            quick().idle_timeout(Some(Duration::from_secs(10_000_000))),
        );
        let (errors, _on_error) = record_errors(&es);
        let received = take(&mut es.messages(), 14, "14 events, 150 ms apart").await;
        assert_eq!(ids(&received), (1..=14).collect::<Vec<_>>());
        assert!(errors.borrow().is_empty(), "{:?}", errors.borrow());
        es.close();
    }
}

on_each_transport! {
    async fn a_huge_backoff_waits_instead_of_wrapping_around() {
        // A first delay of 3,000,000 s (with no cap) is clamped to 2^31 - 1 ms; unclamped it
        // wrapped around and the replacement came at once, again and again.
        let key = unique("huge");
        let es = open(
            &server_url(&format!("/test/stream?fail_first=1000&key={key}")),
            Reconnect::default()
                .initial_delay(Duration::from_secs(3_000_000))
                .max_delay(Duration::MAX)
                .jitter(Jitter::None),
        );
        let mut events = es.events();
        let first = match next(&mut events, "the first failure").await {
            Some(web_eventsource::Event::Error(err)) => err,
            other => panic!("expected an error, got {other:?}"),
        };
        assert_eq!(first.retry_delay(), Some(ms(2_147_483_647)), "{first}");
        let asked = requests_on_server(&key).await;
        assert_eq!(
            asked,
            common::requests_per_failure(),
            "the source's request (and, on native, the status probe)"
        );
        sleep(800).await;
        assert_eq!(requests_on_server(&key).await, asked, "no attempt yet");
        assert_eq!(es.ready_state(), ReadyState::Connecting);
        es.close();
    }
}

on_each_transport! {
    async fn a_callback_that_throws_ends_there_and_delivery_goes_on() {
        // `throw_str` (or `unwrap_throw`) unwinds through the frames that called the
        // callback without running the rest of them. It left the delivery loop marked as
        // running: every later event waited behind it for ever and streams never ended; on
        // fetch the body was read no further, and after an error callback threw, the
        // reconnect was never sent.
        let rejections = Rejections::watch();
        let es = source(&server_url("/test/stream?count=4&end_after=2&retry=50")).unwrap();
        let mut messages = es.messages();
        let seen = Rc::new(RefCell::new(Vec::new()));
        let _on_message = es.on_message({
            let seen = seen.clone();
            move |msg| {
                seen.borrow_mut().push(msg.last_event_id().to_owned());
                match msg.last_event_id().as_str() {
                    "1" => wasm_bindgen::throw_str("a bad event"),
                    "3" => panic!("a panicking callback"),
                    _ => {}
                }
            }
        });
        let errors = Rc::new(Cell::new(0));
        let _on_error = es.on_error({
            let errors = errors.clone();
            move |_| {
                errors.set(errors.get() + 1);
                if errors.get() == 1 {
                    wasm_bindgen::throw_str("a bad error");
                }
            }
        });
        let received = within_ms(8_000, "every event", take(&mut messages, 4, "the events")).await;
        assert_eq!(ids(&received), [1, 2, 3, 4]);
        assert_eq!(*seen.borrow(), ["1", "2", "3", "4"], "the callback too");
        assert!(errors.get() >= 1, "the lost connection was reported");
        es.close();
        drain_to_end(&mut messages, "the stream to end on close").await;
        // The panic's trap is the engine's `RuntimeError`, whose message each engine words
        // its own way.
        let reported = rejections.stop().await;
        assert_eq!(reported.len(), 3, "{reported:?}");
        assert_eq!(reported[0], "a bad event");
        assert!(
            reported.contains(&"a bad error".to_owned()),
            "{reported:?}"
        );
    }
}

/// A value whose drop throws, as user drop code may (an `unwrap_throw`, a panic's trap).
struct ThrowsOnDrop(&'static str);

impl Drop for ThrowsOnDrop {
    fn drop(&mut self) {
        wasm_bindgen::throw_str(self.0);
    }
}

on_each_transport! {
    async fn a_callback_whose_captures_throw_as_they_drop_ends_there_too() {
        // What a callback captures is dropped as the callback is released: during a
        // delivery, for one whose listener was dropped inside it, and as the source
        // closes. A throw there skipped the rest of the delivery loop (every later event
        // waited for ever), or of the close (the streams after it never ended).
        let rejections = Rejections::watch();
        let es = source(&server_url("/test/stream?count=3")).unwrap();
        let at_close = ThrowsOnDrop("dropped at close");
        let _kept = es.on_message(move |_| {
            let _captured = &at_close;
        });
        let slot: Rc<RefCell<Option<web_eventsource::Listener>>> = Rc::default();
        let in_delivery = ThrowsOnDrop("dropped in a delivery");
        let listener = es.on_message({
            let slot = slot.clone();
            move |_| {
                let _captured = &in_delivery;
                let itself = slot.borrow_mut().take();
                drop(itself);
            }
        });
        *slot.borrow_mut() = Some(listener);
        let mut messages = es.messages();
        let received = within_ms(8_000, "every event", take(&mut messages, 3, "the events")).await;
        assert_eq!(ids(&received), [1, 2, 3]);
        es.close();
        drain_to_end(&mut messages, "the stream to end on close").await;
        let reported = rejections.stop().await;
        assert_eq!(
            reported,
            ["dropped in a delivery", "dropped at close"],
            "each reported, once"
        );
    }
}

on_each_transport! {
    async fn a_thousand_throws_leave_nothing_behind() {
        // A throw skips what the frames it unwinds through had left to do. The guard must
        // catch it before it leaves a frame whose end matters beyond the callback: a
        // wasm-bindgen shim that lends a JS value to Rust (an executor taking the
        // promise's `resolve` as `&JsValue`, say) frees its slot of the shared externref
        // stack as it returns, and after about a thousand throws past one, every call of
        // such a shim trapped: each later callback here, and every DOM listener on the
        // page. (On native the DOM listener that delivered the event reset the stack, so
        // only fetch showed it.)
        const EVENTS: usize = 1_500;
        let rejections = Rejections::watch();
        let es = source(&server_url(&format!("/test/stream?count={EVENTS}&batch=100"))).unwrap();
        let _thrower = es.on_message(|_| wasm_bindgen::throw_str("thrown"));
        let mut messages = es.messages();
        let received =
            within_ms(20_000, "every event", take(&mut messages, EVENTS, "the events")).await;
        assert_eq!(received.len(), EVENTS);
        es.close();
        assert_eq!(rejections.stop().await.len(), EVENTS, "every throw was reported");
        // The browser's own source calls the crate's DOM listener with the event lent.
        let native = EventSource::new(&server_url("/test/stream?count=1")).unwrap();
        let after = next(&mut native.messages(), "a message from a DOM listener").await;
        assert_eq!(after.map(|msg| msg.last_event_id().to_string()).as_deref(), Some("1"));
        native.close();
    }
}

on_each_transport! {
    async fn a_fetch_that_throws_or_returns_no_promise_is_a_failed_request() {
        // The next `fetch` is, on native, the status probe after the first request fails;
        // on fetch, the first request itself. Either way the request failed, and the
        // source goes on: the exception unwound through the wasm that called it, leaving
        // the source connecting for good (or, on fetch, thrown from `open()`).
        for how in ["throws", "returns undefined"] {
            let key = unique("badfetch");
            let misbehaved = next_fetch_misbehaves(how);
            let es = open(
                &server_url(&format!("/test/stream?count=3&fail_requests=1&key={key}")),
                quick(),
            );
            let received = within_ms(8_000, how, take(&mut es.messages(), 3, how)).await;
            assert_eq!(ids(&received), [1, 2, 3], "{how}");
            assert_eq!(
                misbehaved.call0(&JsValue::NULL).unwrap().as_bool(),
                Some(true),
                "{how}: the misbehaving fetch was the one called"
            );
            es.close();
        }
    }
}

#[wasm_bindgen_test]
async fn a_probe_the_server_never_answers_gives_up_in_time() {
    // Request 1 fails; request 2, the status probe, is accepted but never answered. Also
    // through a page's `fetch` wrapper that sends the probe without its abort signal:
    // there the limit's abort reached nothing, and the policy waited for ever.
    for drops_the_signal in [false, true] {
        let key = unique("hang");
        if drops_the_signal {
            next_fetch_drops_the_signal();
        }
        // With the 300 ms limit, the events come within 4 s, before the default limit
        // (5 s) would have given up on the probe.
        let (es, errors) =
            errors_before_3_events(&key, "fail_requests=1&hang_requests=2", 300, 4_000).await;
        assert_eq!(
            errors,
            [(ErrorKind::Failed, Some(1))],
            "dropping the signal: {drops_the_signal}"
        );
        es.close();
    }
}

/// Opens `/test/stream` with 3 events, the `failures` asked of the server, and a status
/// probe given `limit_ms`; once the 3 events have arrived (within `within` ms), in order,
/// the source and the kind and attempt of each error reported meanwhile.
async fn errors_before_3_events(
    key: &str,
    failures: &str,
    limit_ms: u64,
    within: u32,
) -> (EventSource, Vec<(ErrorKind, Option<u32>)>) {
    let es = open(
        &server_url(&format!(
            "/test/stream?count=3&stall_after=3&{failures}&key={key}"
        )),
        quick().status_probe(Some(ms(limit_ms))),
    );
    let (errors, _on_error) = record_errors(&es);
    let received = within_ms(
        within,
        "the events after the probes",
        take(&mut es.messages(), 3, "the events after the probes"),
    )
    .await;
    assert_eq!(ids(&received), [1, 2, 3], "{failures}");
    let errors = errors
        .borrow()
        .iter()
        .map(|error| (error.kind(), error.attempt()))
        .collect();
    (es, errors)
}

#[wasm_bindgen_test]
async fn a_late_answer_of_a_probe_given_up_on_is_not_the_next_probes() {
    // Request 1 fails; probe A is given up on at its 600 ms limit, then request 2 fails
    // too, and probe B waits for its own answer, a 500 300 ms later. A's 204 comes just
    // after B was sent, whatever the machine's speed: it must not end the source as if
    // it were B's. The policy retries after B's answer, and request 3 streams.
    let key = unique("lateprobe");
    next_probes_answer_late(300);
    let (es, errors) = errors_before_3_events(&key, "fail_requests=1,2", 600, 5_000).await;
    assert_eq!(
        errors,
        [(ErrorKind::Failed, Some(1)), (ErrorKind::Failed, Some(2))]
    );
    assert_eq!(es.ready_state(), ReadyState::Open);
    es.close();
}

#[wasm_bindgen_test]
async fn without_the_probe_no_extra_request_is_made() {
    let key = unique("noprobe");
    let es = open(
        &server_url(&format!(
            "/test/stream?count=3&stall_after=3&fail_requests=1&key={key}"
        )),
        quick().status_probe(None),
    );
    let received = take(&mut es.messages(), 3, "the events after one failure").await;
    assert_eq!(ids(&received), [1, 2, 3]);
    assert_eq!(
        requests_on_server(&key).await,
        2,
        "the failed request and its replacement, no probe"
    );
    es.close();
}

on_each_transport! {
    async fn a_policys_replacement_resumes_by_query_keeping_every_other_byte_of_it() {
        // The echo (id 1) holds its body open in silence; the policy's idle timeout
        // replaces the attempt, and the replacement's URL is the one given with the resume
        // parameter added (the default name, or the policy's own). Fetch says the resume
        // point in `Last-Event-ID` too, for servers that read either.
        for name in [None, Some("since")] {
            let key = unique("resumequery");
            let query = format!("a=x%20y&flag&key={key}&hold=1&keepalive=0");
            let mut policy = quick().idle_timeout(Some(ms(300)));
            if let Some(name) = name {
                policy = policy.resume_param(Some(name));
            }
            let es = open(&server_url(&format!("/test/echo?{query}")), policy);
            let echoes = common::echoes(es, 2, 3_000, "the replacement").await;
            let replacement = &echoes[1];
            assert_eq!(replacement.request, 2);
            let name = name.unwrap_or("lastEventId");
            assert_eq!(replacement.query, format!("{query}&{name}=1"));
            let header = replacement.headers.get("last-event-id").map(String::as_str);
            match common::transport() {
                Transport::Fetch => assert_eq!(header, Some("1")),
                _ => assert_eq!(header, None, "a new browser source sends none"),
            }
        }
    }
}

on_each_transport! {
    async fn max_retries_ends_a_flapping_server() {
        // Every source opens, sends nothing and drops; every browser reconnect gets a 500.
        // An open alone no longer proves a connection, so the count keeps rising.
        let key = unique("flap");
        let failing: Vec<String> = (1..=40).map(|n| (2 * n).to_string()).collect();
        let es = open(
            &server_url(&format!(
                "/test/stream?count=5&end_after=0&retry=30&fail_requests={}&key={key}",
                failing.join(",")
            )),
            quick().status_probe(None).max_retries(Some(3)),
        );
        let (errors, _on_error) = record_errors(&es);
        let received = drain_to_end(&mut es.messages(), "the source to give up").await;
        assert!(received.is_empty());
        let attempts: Vec<_> = errors
            .borrow()
            .iter()
            .filter_map(ConnectionError::attempt)
            .collect();
        assert_eq!(attempts, [1, 2, 3, 4], "{:?}", errors.borrow());
        assert_eq!(
            errors.borrow().last().map(ConnectionError::kind),
            Some(ErrorKind::RetriesExhausted)
        );
    }
}

#[wasm_bindgen_test]
async fn uptime_before_a_transports_own_reconnect_still_proves_the_connection() {
    // Request 1 fails. Request 2 opens, and is open 700 ms (two events of a type nobody
    // listens to; 400 ms more than `min_uptime`, for a busy machine) before its body
    // ends: the browser reconnects by itself. Request 3
    // opens and ends at once; the browser's next reconnect, request 4, fails. Request 2's
    // open outlasted `min_uptime`, so that failure is the first again. Its open was
    // forgotten when request 3 opened: the failure was the second, past `max_retries`.
    // (The browser's object only: on fetch, any event proves the connection.)
    let key = unique("uptime-lost");
    let es = open(
        &server_url(&format!(
            "/test/stream?count=10&events=other&interval=700&end_after=2&retry=30\
             &fail_requests=1,4&noid_requests=3&key={key}"
        )),
        quick()
            .status_probe(None)
            .min_uptime(ms(300))
            .max_retries(Some(1)),
    );
    let (errors, _on_error) = record_errors(&es);
    until("the policy's second failure", || {
        errors
            .borrow()
            .iter()
            .filter(|e| e.attempt().is_some())
            .count()
            >= 2
    })
    .await;
    let failures: Vec<_> = errors
        .borrow()
        .iter()
        .filter_map(|e| Some((e.kind(), e.attempt()?, e.will_reconnect())))
        .collect();
    assert_eq!(
        failures,
        [(ErrorKind::Failed, 1, true), (ErrorKind::Failed, 1, true)],
        "{:?}",
        errors.borrow()
    );
    es.close();
}

#[wasm_bindgen_test]
async fn the_idle_timeout_counts_from_a_drop_not_through_the_browsers_wait() {
    // Event 1 at once; event 2 (a type nobody listens to: no activity) at 700 ms, then
    // the body ends, and the browser waits its 600 ms `retry:` before it reconnects. The
    // 1 s idle timeout, counted from event 1, ran out in that wait: the policy replaced the
    // browser's reconnect, as a failure (the last one allowed, here).
    let key = unique("idle-drop");
    let es = open(
        &server_url(&format!(
            "/test/stream?count=3&events=message,other&interval=700&end_after=2&retry=600\
             &key={key}"
        )),
        quick()
            .status_probe(None)
            .idle_timeout(Some(ms(1_000)))
            .max_retries(Some(0)),
    );
    let (errors, _on_error) = record_errors(&es);
    let received = take(&mut es.messages(), 2, "ids 1 and 3, across the reconnect").await;
    assert_eq!(ids(&received), [1, 3]);
    let kinds: Vec<_> = errors.borrow().iter().map(ConnectionError::kind).collect();
    assert_eq!(kinds, [ErrorKind::Lost], "{:?}", errors.borrow());
    es.close();
}

/// A stream that opens and then sends no event. The server sends its headers with the
/// first bytes of the body, and Firefox's `EventSource` opens only on those. On the
/// native transport those are keep-alive comments every 100 ms, which the browser hides.
/// Fetch counts any bytes as signs of life: there the first bytes are one `retry:` line,
/// and then the stream is silent.
fn silent_stream() -> String {
    let first_bytes = match common::transport() {
        Transport::Native => "keepalive=100",
        _ => "keepalive=0&retry=3000",
    };
    server_url(&format!("/test/stream?count=5&stall_after=0&{first_bytes}"))
}

on_each_transport! {
    async fn a_connection_open_past_min_uptime_counts_as_healthy() {
        // Each source opens and sends no event until the idle timeout replaces it (see
        // `silent_stream`). Open for
        // longer than `min_uptime`, each has proved itself: every failure is attempt 1, and
        // one retry allowed is enough.
        let es = open(
            &silent_stream(),
            quick()
                .idle_timeout(Some(ms(600)))
                .min_uptime(ms(300))
                .max_retries(Some(1)),
        );
        let (errors, _on_error) = record_errors(&es);
        until("three idle timeouts", || errors.borrow().len() >= 3).await;
        for err in errors.borrow().iter() {
            assert_eq!(
                (err.kind(), err.attempt()),
                (ErrorKind::IdleTimeout, Some(1)),
                "{err}"
            );
            assert!(err.will_reconnect(), "{err}");
        }
        es.close();

        // The same server with the default minimum (60 s): the second timeout is final.
        let es = open(
            &silent_stream(),
            quick().idle_timeout(Some(ms(600))).max_retries(Some(1)),
        );
        let (errors, _on_error) = record_errors(&es);
        drain_to_end(&mut es.state(), "the source to give up").await;
        let attempts: Vec<_> = errors
            .borrow()
            .iter()
            .map(|err| (err.kind(), err.attempt()))
            .collect();
        assert_eq!(
            attempts,
            [
                (ErrorKind::IdleTimeout, Some(1)),
                (ErrorKind::RetriesExhausted, Some(2))
            ]
        );
    }
}

on_each_transport! {
    async fn server_events_named_open_and_error_are_messages_and_the_connections_own_are_not() {
        let es = source(&body_url(
            "id: 3\ndata: x\n\nevent: error\ndata: boom\n\nevent: open\ndata: hi\n\n",
        ))
        .unwrap();
        let named = Rc::new(RefCell::new(Vec::new()));
        let record = |name: &'static str| {
            let named = named.clone();
            move |message: Message| named.borrow_mut().push((name, message.data().to_owned()))
        };
        let on_error_type = es.on("error", record("on error"));
        let on_open_type = es.on("open", record("on open"));
        assert_eq!(on_error_type.event_type(), Some("error"));
        assert_eq!(on_open_type.event_type(), Some("open"));
        let mut opens = es.subscribe("open");
        let mut messages = es.messages();
        let connection_opens = Rc::new(Cell::new(0));
        let _on_open = es.on_open({
            let connection_opens = connection_opens.clone();
            move || connection_opens.set(connection_opens.get() + 1)
        });
        let mut ends = es
            .events()
            .filter(|event| std::future::ready(matches!(event, web_eventsource::Event::Error(_))));
        let message = next(&mut messages, "the message").await.unwrap();
        assert_eq!(message.last_event_id(), "3");
        let open = next(&mut opens, "the server's event named open")
            .await
            .expect("a stream of the server's open events");
        assert_eq!((open.event_type(), open.data()), ("open", "hi"));
        next(&mut ends, "the end of the blob's body").await;
        assert_eq!(
            *named.borrow(),
            [("on error", "boom".to_owned()), ("on open", "hi".to_owned())],
            "each server event reaches its listener once, and the connection's own \
             open and error events reach none"
        );
        assert_eq!(connection_opens.get(), 1, "the server's open is not an opening");
        assert_eq!(
            es.last_event_id(),
            "3",
            "the browser's error event is not a message"
        );
        es.close();
    }
}

on_each_transport! {
    async fn an_empty_id_after_ids_resets_the_resume_point_after_a_carried_one() {
        // Resuming after 5 (as after a pause or a policy's replacement), the server sends
        // 6 and 7, then clears the id with an empty `id` field: the resume point is then
        // none, not the 5 carried over, from which a replacement would get 6 and 7 again.
        let body = "id: 6\ndata: a\n\nid: 7\ndata: b\n\nid\ndata: c\n\n";
        let es = builder(server_url(&format!(
            "/test/raw?body={}&then=hang",
            js_sys::encode_uri_component(body)
        )))
        .last_event_id("5")
        .open()
        .unwrap();
        let ids = Rc::new(RefCell::new(Vec::new()));
        let _on_message = es.on_message({
            let ids = ids.clone();
            move |msg| ids.borrow_mut().push(msg.last_event_id())
        });
        until("the three messages", || ids.borrow().len() >= 3).await;
        assert_eq!(*ids.borrow(), ["6", "7", ""]);
        assert_eq!(es.last_event_id(), "");
        es.close();
    }
}

on_each_transport! {
    async fn a_server_event_named_error_does_not_fail_the_connection() {
        let es = source(&body_url(
            "event: error\ndata: boom\n\nevent: open\ndata: hi\n\nid: 4\ndata: after\n\n",
        ))
        .unwrap();
        let (errors, _on_error) = record_errors(&es);
        let opens = Rc::new(Cell::new(0));
        let _on_open = es.on_open({
            let opens = opens.clone();
            move || opens.set(opens.get() + 1)
        });
        let message = next(&mut es.messages(), "the message after the named events")
            .await
            .expect("the source is still open");
        assert_eq!(message.data(), "after");
        assert!(errors.borrow().is_empty(), "{:?}", errors.borrow());
        assert_eq!(
            opens.get(),
            1,
            "the server's `open` event is not an opening"
        );
        es.close();
    }
}

#[wasm_bindgen_test]
async fn a_callback_holding_a_weak_handle_does_not_keep_the_connection_open() {
    let tag = unique("weak");
    let es = EventSource::new(&server_url(&format!(
        "/test/stream?count=100&interval=50&tag={tag}"
    )))
    .unwrap();
    let weak = es.downgrade();
    let resume_points = Rc::new(RefCell::new(Vec::new()));
    let listener = es.on_message({
        let (weak, resume_points) = (weak.clone(), resume_points.clone());
        move |_| {
            if let Some(es) = weak.upgrade() {
                resume_points.borrow_mut().push(es.last_event_id());
            }
        }
    });
    wait_open_on_server(&tag, 1).await;
    until("two messages", || resume_points.borrow().len() >= 2).await;
    assert_eq!(resume_points.borrow()[..2], ["1", "2"]);
    assert!(weak.upgrade().is_some());
    drop(es);
    assert!(
        weak.upgrade().is_some(),
        "the listener still holds the connection"
    );
    drop(listener);
    assert!(weak.upgrade().is_none(), "the last strong handle is gone");
    wait_open_on_server(&tag, 0).await;
    assert_eq!(
        open_on_server(&tag).await,
        0,
        "the server saw the client go"
    );
}

#[wasm_bindgen_test]
fn sources_compare_by_identity() {
    use std::collections::HashSet;
    let url = body_url("data: x\n\n");
    let a = EventSource::new(&url).unwrap();
    let b = EventSource::new(&url).unwrap();
    assert_eq!(a, a.clone());
    assert_ne!(a, b, "same URL, two connections");
    assert_eq!(a.downgrade(), a.clone().downgrade());
    assert_ne!(a.downgrade(), b.downgrade());
    // Hashed by identity, which never changes: clippy's interior-mutability worry does
    // not apply.
    #[allow(clippy::mutable_key_type)]
    let set: HashSet<EventSource> = [a.clone(), a.clone(), b.clone()].into_iter().collect();
    assert_eq!(set.len(), 2);
    a.close();
    b.close();
}

on_each_transport! {
    async fn a_close_inside_a_state_callback_keeps_the_order_for_later_subscribers() {
        // A closes the source when it sees `Open`; B, subscribed after A, must still see the
        // states in the order they happened, ending on `Closed`.
        let es = source(&body_url("data: x\n\n")).unwrap();
        let weak = es.downgrade();
        let seen_by_a = Rc::new(RefCell::new(Vec::new()));
        let _a = es.on_state_change({
            let seen_by_a = seen_by_a.clone();
            move |state| {
                seen_by_a.borrow_mut().push(state);
                if state == ReadyState::Open {
                    if let Some(es) = weak.upgrade() {
                        es.close();
                    }
                }
            }
        });
        let mut b = es.state();
        let seen_by_b = drain_to_end(&mut b, "B's state stream to end").await;
        use ReadyState::{Closed, Connecting, Open};
        assert_eq!(
            seen_by_b,
            [Connecting, Open, Closed],
            "B ends on the last state"
        );
        assert_eq!(
            *seen_by_a.borrow(),
            [Open, Closed],
            "A sees its own close too"
        );
    }
}

on_each_transport! {
    async fn a_close_inside_a_state_callback_is_the_last_the_other_listeners_hear() {
        // The open is delivered as its state change, then the `open` event. A closes on
        // the state change: the `open` event queued behind it must reach nobody, since
        // listeners are not called after close(), and one that were would read `Closed`
        // inside `on_open`.
        let es = source(&body_url("data: x\n\n")).unwrap();
        let weak = es.downgrade();
        let _a = es.on_state_change(move |state| {
            if state == ReadyState::Open {
                if let Some(es) = weak.upgrade() {
                    es.close();
                }
            }
        });
        let opened_in = Rc::new(RefCell::new(Vec::new()));
        let _b = es.on_open({
            let (opened_in, weak) = (opened_in.clone(), es.downgrade());
            move || {
                let state = weak.upgrade().map(|es| es.ready_state());
                opened_in.borrow_mut().push(state);
            }
        });
        let events = drain_to_end(&mut es.events(), "the events to end").await;
        assert_eq!(*opened_in.borrow(), [], "no on_open after the close");
        assert!(
            !events.iter().any(|event| matches!(event, Event::Open)),
            "{events:?}"
        );
        assert_eq!(es.ready_state(), ReadyState::Closed);
    }
}

on_each_transport! {
    async fn a_close_inside_an_error_callback_delivers_the_error_to_every_subscriber_first() {
        // The browser reconnects by itself after the body ends (`Lost`); A closes on that
        // error. B, subscribed after A, still gets the error, then the streams end.
        let es = source(&server_url("/test/stream?count=4&end_after=2&retry=30")).unwrap();
        let weak = es.downgrade();
        let _a = es.on_error(move |_| {
            if let Some(es) = weak.upgrade() {
                es.close();
            }
        });
        let (errors, _b) = record_errors(&es);
        let states = drain_to_end(&mut es.state(), "the source to close").await;
        assert_eq!(states.last(), Some(&ReadyState::Closed));
        let kinds: Vec<_> = errors.borrow().iter().map(ConnectionError::kind).collect();
        assert_eq!(kinds, [ErrorKind::Lost]);
    }
}

#[wasm_bindgen_test]
fn a_zero_idle_timeout_is_refused() {
    let opened = EventSource::builder(server_url("/test/stream?count=1"))
        .reconnect(quick().idle_timeout(Some(Duration::ZERO)))
        .open();
    match opened {
        Err(web_eventsource::Error::InvalidOption { option, .. }) => {
            assert_eq!(option, "idle_timeout")
        }
        other => panic!("expected InvalidOption for idle_timeout, got {other:?}"),
    }
}

/// The retry delay of [`idle_then_long_backoff`]: a retry timer armed then is still
/// pending at a test's check, and no other timer of the page waits that long.
const BACKOFF_MS: u32 = 60_000;

/// A source on a silent stream (see [`silent_stream`]) that the idle timeout of
/// `idle_ms` replaces, and whose policy then waits [`BACKOFF_MS`] to retry.
fn idle_then_long_backoff(idle_ms: u32) -> EventSource {
    open(
        &silent_stream(),
        quick()
            .initial_delay(ms(BACKOFF_MS.into()))
            .max_delay(ms(BACKOFF_MS.into()))
            .idle_timeout(Some(ms(idle_ms.into()))),
    )
}

on_each_transport! {
    async fn a_close_inside_a_state_callback_after_an_idle_expiry_leaves_no_timer() {
        // The idle timeout replaces a silent source; the state callback closes the source as
        // it sees `Connecting`. The policy must not arm its retry timer after that close.
        common::install_timer_counter();
        let es = idle_then_long_backoff(300);
        let weak = es.downgrade();
        let _on_state = es.on_state_change(move |state| {
            if state == ReadyState::Connecting {
                if let Some(es) = weak.upgrade() {
                    es.close();
                }
            }
        });
        let states = drain_to_end(&mut es.state(), "the close inside the callback").await;
        assert_eq!(
            common::live_timers_at_least(BACKOFF_MS),
            0,
            "a retry timer outlived close()"
        );
        assert_eq!(states.last(), Some(&ReadyState::Closed));
    }
}

on_each_transport! {
    async fn the_idle_watchdog_stops_when_its_timeout_replaces_the_source() {
        // Once the idle timeout has replaced the source, the watchdog has nothing to watch
        // until the replacement opens (a new one starts then): it ticked on through the
        // whole backoff.
        common::install_timer_counter();
        // A quarter of it, the watchdog's tick, is 111 ms: a delay no other timer of the
        // page has, so that what earlier tests left running is not counted.
        const IDLE_MS: u32 = 444;
        let es = idle_then_long_backoff(IDLE_MS);
        let mut states = es.state();
        let mut seen = Vec::new();
        while seen.iter().filter(|&&s| s == ReadyState::Connecting).count() < 2 {
            seen.push(next(&mut states, "the idle timeout's retry wait").await.unwrap());
        }
        assert_eq!(seen, [ReadyState::Connecting, ReadyState::Open, ReadyState::Connecting]);
        let tick = IDLE_MS / 4;
        let ticking = common::live_timers_at_least(tick) - common::live_timers_at_least(tick + 1);
        assert_eq!(ticking, 0, "the watchdog ticks while the source waits to retry");
        es.close();
    }
}
