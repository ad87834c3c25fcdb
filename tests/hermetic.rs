#![cfg(target_arch = "wasm32")]
//! Browser tests of the parsing and delivery path on fixed bodies, end to end in each
//! engine: sse-server's `/test/raw` serves every body verbatim ([`body_url`]), since
//! Firefox's `EventSource` reads only `http(s)` URLs. Which engines read `blob:` and
//! `data:` URLs is pinned by its own test.

#[macro_use]
mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use common::{
    body_url, browser_source, builder, drain_to_end, engine, js_listeners, next, sleep, source,
    take, until, Engine,
};
use futures::channel::mpsc;
use futures::StreamExt;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_eventsource::{Error, Event, EventSource, Message, ReadyState, Transport, WeakEventSource};

wasm_bindgen_test_configure!(run_in_browser);

/// The data of the first `n` "message" events of a stream with `body`.
async fn messages_of(body: &str, n: usize) -> Vec<Message> {
    let es = source(&body_url(body)).expect("a blob URL opens");
    let mut messages = es.messages();
    take(&mut messages, n, "messages").await
}

fn data(messages: &[Message]) -> Vec<&str> {
    messages.iter().map(Message::data).collect()
}

on_each_transport! {
    async fn data_only_events() {
        let got = messages_of("data: hello\n\ndata: world\n\n", 2).await;
        assert_eq!(data(&got), ["hello", "world"]);
        assert!(got.iter().all(|m| m.event_type() == "message"));
    }
}

on_each_transport! {
    async fn multi_line_data_is_joined_with_newlines() {
        let got = messages_of("data: first\ndata:second\ndata:  third\n\n", 1).await;
        // One leading space is stripped after the colon, no more.
        assert_eq!(data(&got), ["first\nsecond\n third"]);
    }
}

on_each_transport! {
    async fn named_events_reach_their_subscribers_only() {
        let body =
            "event: ping\ndata: p1\n\ndata: m1\n\nevent: pong\ndata: q1\n\nevent: ping\ndata: p2\n\n";
        let es = source(&body_url(body)).unwrap();
        let mut pings = es.subscribe("ping");
        let mut pongs = es.subscribe("pong");
        let mut messages = es.messages();
        let pings = take(&mut pings, 2, "pings").await;
        assert_eq!(data(&pings), ["p1", "p2"]);
        assert!(pings.iter().all(|m| m.event_type() == "ping"));
        assert_eq!(data(&take(&mut pongs, 1, "pongs").await), ["q1"]);
        // Every event was dispatched by now; "message" subscribers saw only the plain one.
        assert_eq!(data(&take(&mut messages, 1, "messages").await), ["m1"]);
        assert!(futures::FutureExt::now_or_never(messages.next()).is_none());
    }
}

on_each_transport! {
    async fn ids_set_last_event_id_and_persist_until_changed() {
        let body =
            "id: 1\ndata: a\n\ndata: b\n\nid: 7\ndata: c\n\nid\ndata: d\n\nid: x\u{1F600}\ndata: e\n\n";
        let es = source(&body_url(body)).unwrap();
        assert_eq!(es.last_event_id(), "", "no id before the first event");
        let mut messages = es.messages();
        let got = take(&mut messages, 5, "messages").await;
        let ids: Vec<String> = got.iter().map(Message::last_event_id).collect();
        // An event without `id:` keeps the previous id; a bare `id` resets it.
        assert_eq!(ids, ["1", "1", "7", "", "x\u{1F600}"]);
        assert_eq!(es.last_event_id(), "x\u{1F600}");
    }
}

on_each_transport! {
    async fn comments_and_unknown_fields_are_ignored() {
        let body = ": a comment\ndata: x\n: another\nbogus: field\n\n:only a comment\n\ndata: y\n\n";
        let got = messages_of(body, 2).await;
        assert_eq!(data(&got), ["x", "y"]);
    }
}

on_each_transport! {
    async fn crlf_line_endings() {
        let got = messages_of("data: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n", 2).await;
        assert_eq!(data(&got), ["a\nb", "c"]);
    }
}

on_each_transport! {
    async fn cr_line_endings() {
        let got = messages_of("data: a\rdata: b\r\rdata: c\r\r", 2).await;
        assert_eq!(data(&got), ["a\nb", "c"]);
    }
}

on_each_transport! {
    async fn cjk_and_emoji_survive_intact() {
        let text = "你好，世界 — こんにちは 🎉👍🏽 👨‍👩‍👧";
        let got = messages_of(&format!("data: {text}\n\n"), 1).await;
        assert_eq!(data(&got), [text]);
    }
}

on_each_transport! {
    /// `data_js` and `last_event_id_js` are `data` and `last_event_id` as JavaScript
    /// strings. On fetch they are slices of one string per chunk, at UTF-16 offsets: the
    /// long first event puts the later ones past several 1 KiB blocks of two-byte
    /// characters, and the emoji are two UTF-16 units each.
    async fn data_js_and_last_event_id_js_are_data_and_last_event_id() {
        let long = "é".repeat(1_500);
        let body = format!(
            "id: 1\ndata: {long}\n\nid: ü2\ndata: 😀x€\n\ndata: no id of its own\n\n\
             data: two\ndata: lines\n\nid: 😀\ndata: ascii\n\n"
        );
        let got = messages_of(&body, 5).await;
        let as_js: Vec<(String, String)> = got
            .iter()
            .map(|m| (String::from(m.data_js()), String::from(m.last_event_id_js())))
            .collect();
        let as_rust: Vec<(String, String)> = got
            .iter()
            .map(|m| (m.data().to_owned(), m.last_event_id()))
            .collect();
        assert_eq!(as_js, as_rust);
        assert_eq!(as_rust[0], (long, "1".to_owned()));
        assert_eq!(as_rust[1], ("😀x€".to_owned(), "ü2".to_owned()));
        assert_eq!(as_rust[2].1, "ü2", "an event without an id carries the last one");
        assert_eq!(as_rust[3].0, "two\nlines");
        assert_eq!(as_rust[4], ("ascii".to_owned(), "😀".to_owned()));
    }
}

on_each_transport! {
    /// The same across reads: each copy of the body is written on its own, so each event's
    /// blank line begins a read, and its data and id lie in the read before (the id the
    /// same, event after event). The copies before the last dispatch one event each.
    async fn data_js_and_last_event_id_js_hold_across_reads() {
        let copy = "%0Adata:%20%C3%A9%F0%9F%98%80%20x%0Aid:%20%C3%BC1%0A";
        let es = source(&common::server_url(&format!(
            "/test/raw?body={copy}&repeat=4&pause_ms=30&then=hang"
        )))
        .unwrap();
        let got = take(&mut es.messages(), 3, "three events").await;
        for message in &got {
            assert_eq!(String::from(message.data_js()), "é😀 x");
            assert_eq!(String::from(message.last_event_id_js()), "ü1");
            assert_eq!(message.data(), "é😀 x");
        }
    }
}

on_each_transport! {
    async fn empty_data_is_an_event_with_empty_data() {
        // `data` alone and `data:` both append an empty line: the event has "" as data. A
        // block with no data field dispatches nothing. Its `id:` sets the last event id
        // (the spec, Chromium, WebKit and the fetch transport's parser), except in
        // Firefox's own `EventSource`, which applies an id only with an event it
        // dispatches. The README's "Browser engines" says the same.
        let got = messages_of("data\n\nid: 3\n\ndata:\n\ndata: x\n\n", 3).await;
        assert_eq!(data(&got), ["", "", "x"]);
        let id_of_a_block_without_data = match (common::transport(), engine()) {
            (Transport::Native, Engine::Firefox) => "",
            _ => "3",
        };
        assert_eq!(got[1].last_event_id(), id_of_a_block_without_data);
    }
}

on_each_transport! {
    /// Which non-HTTP URLs a source reads: the browser's `EventSource` reads `blob:` and
    /// `data:` URLs in Chromium, `blob:` only in WebKit, neither in Firefox (`http(s)`
    /// only); `fetch` reads both everywhere. Where one is refused, the source fails for
    /// good at once with a final error: it never hangs, and opening does not fail. The
    /// README's "Browser engines" says the same.
    async fn blob_and_data_urls_work_where_the_engine_reads_them() {
        let (reads_blob, reads_data) = match (common::transport(), engine()) {
            (Transport::Native, Engine::WebKit) => (true, false),
            (Transport::Native, Engine::Firefox) => (false, false),
            _ => (true, true),
        };
        let cases = [
            (common::blob_url("data: from a blob URL\n\n"), reads_blob),
            (
                "data:text/event-stream,data%3A%20from%20a%20data%20URL%0A%0A".to_owned(),
                reads_data,
            ),
        ];
        for (url, reads) in cases {
            let es = source(&url).expect("opening accepts it");
            let mut events = es.events();
            if reads {
                let got = take(&mut events, 2, "the opening and the message").await;
                assert!(
                    matches!(&got[..], [Event::Open, Event::Message(m)] if m.data().starts_with("from a")),
                    "{url}: {got:?}"
                );
                es.close();
            } else {
                match next(&mut events, "the refusal").await {
                    Some(Event::Error(err)) => {
                        assert!(err.is_final(), "{url}: {err}");
                        assert_eq!(err.ready_state(), ReadyState::Closed, "{url}");
                    }
                    other => panic!("{url}: expected a final error, got {other:?}"),
                }
                assert!(next(&mut events, "the end").await.is_none(), "{url}");
            }
        }
    }
}

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Reading {
    n: u32,
    label: String,
}

on_each_transport! {
    async fn json_items_decode_and_bad_ones_do_not_end_the_stream() {
        let body = "data: {\"n\":1,\"label\":\"one\"}\n\ndata: {\"n\":\n\ndata: {\"n\":2}\n\ndata: {\"n\":3,\"label\":\"三\"}\n\n";
        let es = source(&body_url(body)).unwrap();
        let mut readings = es.subscribe_json::<Reading>("message");
        let got = take(&mut readings, 4, "readings").await;
        assert_eq!(
            got[0],
            Ok(Reading {
                n: 1,
                label: "one".into()
            })
        );
        match &got[1] {
            Err(Error::Decode {
                event_type,
                message,
            }) => {
                assert_eq!(event_type, "message");
                assert!(message.contains("EOF"), "serde's message: {message}");
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
        match &got[2] {
            Err(Error::Decode { message, .. }) => assert!(message.contains("label"), "{message}"),
            other => panic!("a missing field is a decode error, got {other:?}"),
        }
        assert_eq!(
            got[3],
            Ok(Reading {
                n: 3,
                label: "三".into()
            })
        );
    }
}

on_each_transport! {
async fn invalid_url_is_a_typed_error_with_the_browsers_message() {
    match source("http://[::1") {
        Err(Error::InvalidUrl { url, message }) => {
            assert_eq!(url, "http://[::1");
            // The browser's own words, as the constructor the transport calls says them
            // here: its `EventSource`'s, or (fetch) its `URL`'s.
            let thrown = match common::transport() {
                Transport::Native => web_sys::EventSource::new("http://[::1").err(),
                _ => web_sys::Url::new("http://[::1").err(),
            };
            let browsers = thrown
                .and_then(|thrown| thrown.dyn_into::<js_sys::Error>().ok())
                .map(|error| String::from(error.message()));
            assert_eq!(Some(message), browsers);
        }
        other => panic!("expected InvalidUrl, got {other:?}"),
    }
    let err = builder("https://example.com:99999/")
        .with_credentials(true)
        .open()
        .unwrap_err();
    assert!(matches!(err, Error::InvalidUrl { .. }), "{err}");
    assert!(err.to_string().contains("example.com:99999"), "{err}");
}
}

#[wasm_bindgen_test]
fn url_and_credentials_are_reported() {
    let es = EventSource::new("data:text/event-stream,").unwrap();
    assert_eq!(es.url(), "data:text/event-stream,");
    assert!(!es.with_credentials());
    let es = EventSource::builder("/relative/sse")
        .with_credentials(true)
        .open()
        .unwrap();
    assert!(es.with_credentials());
    // What the browser's own object was given, not only what the handle keeps.
    assert_eq!(es.raw().map(|raw| raw.with_credentials()), Some(true));
    assert!(
        es.url().starts_with("http") && es.url().ends_with("/relative/sse"),
        "{}",
        es.url()
    );
    es.close();
}

on_each_transport! {
    async fn a_closed_source_can_be_used_without_panics() {
        common::install_listener_counter();
        let es = source(&body_url("data: never read\n\n")).unwrap();
        let mut before = es.messages();
        // Subscribed before the close: it must not be called after it.
        let calls = Rc::new(Cell::new(0));
        let _before_close = es.on_message({
            let calls = calls.clone();
            move |_| calls.set(calls.get() + 1)
        });
        es.close();
        es.close();
        assert_eq!(es.ready_state(), ReadyState::Closed);
        // Closed before any await: nothing could be delivered.
        assert!(drain_to_end(&mut before, "the stream made before close")
            .await
            .is_empty());
        let mut after = es.messages();
        assert!(next(&mut after, "a stream made after close")
            .await
            .is_none());
        assert!(next(&mut es.events(), "events after close").await.is_none());
        assert!(next(&mut es.subscribe_json::<u32>("n"), "json after close")
            .await
            .is_none());
        let listener = es.on_message({
            let calls = calls.clone();
            move |_| calls.set(calls.get() + 1)
        });
        assert_eq!(listener.event_type(), None, "a closed source subscribes nothing");
        let _ = (
            es.on_open(|| {}),
            es.on_error(|_| {}),
            es.last_event_id(),
            es.url(),
        );
        if let Some(raw) = browser_source(&es) {
            assert_eq!(js_listeners(&raw, None), 0, "closing removes every JS listener");
        }
        // Long enough for the body's event to have been delivered, had the source read it.
        sleep(200).await;
        assert_eq!(calls.get(), 0, "a closed source calls nobody");
    }
}

#[wasm_bindgen_test]
async fn one_js_listener_per_type_however_many_subscribers() {
    common::install_listener_counter();
    let es = EventSource::new(&body_url("data: 1\n\ndata: 2\n\n")).unwrap();
    let raw = es.raw().expect("a browser source");
    assert_eq!(
        js_listeners(&raw, Some("message")),
        0,
        "none before the first subscriber"
    );
    let seen = Rc::new(RefCell::new(Vec::new()));
    let callbacks: Vec<_> = (0..3)
        .map(|i| {
            let seen = seen.clone();
            es.on_message(move |m| seen.borrow_mut().push(format!("{i}:{}", m.data())))
        })
        .collect();
    let mut stream = es.messages();
    assert_eq!(js_listeners(&raw, Some("message")), 1);
    let mut events = es.events();
    assert_eq!(
        js_listeners(&raw, Some("message")),
        1,
        "events() shares it too"
    );
    assert_eq!(data(&take(&mut stream, 2, "messages").await), ["1", "2"]);
    assert_eq!(*seen.borrow(), ["0:1", "1:1", "2:1", "0:2", "1:2", "2:2"]);
    assert!(matches!(next(&mut events, "open").await, Some(Event::Open)));

    drop(callbacks);
    assert_eq!(
        js_listeners(&raw, Some("message")),
        1,
        "the stream still subscribes"
    );
    drop((stream, events));
    assert_eq!(
        js_listeners(&raw, Some("message")),
        0,
        "the last one removes it"
    );
    assert_eq!(
        js_listeners(&raw, None),
        2,
        "open and error stay while the source lives"
    );
    drop(es);
    assert_eq!(
        js_listeners(&raw, None),
        0,
        "dropping the last handle removes all"
    );
    assert_eq!(
        raw.ready_state(),
        web_sys::EventSource::CLOSED,
        "and closes the source"
    );
}

on_each_transport! {
    async fn dropping_a_listener_mid_stream_stops_its_callback() {
        let es = source(&body_url("data: 1\n\ndata: 2\n\ndata: 3\n\n")).unwrap();
        let seen = Rc::new(RefCell::new(Vec::new()));
        let victim = Rc::new(RefCell::new(None));
        let _killer = es.on_message({
            let (seen, victim) = (seen.clone(), victim.clone());
            move |m| {
                seen.borrow_mut().push(format!("killer {}", m.data()));
                if m.data() == "1" {
                    drop(victim.borrow_mut().take()); // unsubscribes the victim
                }
            }
        });
        *victim.borrow_mut() = Some(es.on_message({
            let seen = seen.clone();
            move |m| seen.borrow_mut().push(format!("victim {}", m.data()))
        }));
        let mut stream = es.messages();
        take(&mut stream, 3, "messages").await;
        assert_eq!(*seen.borrow(), ["killer 1", "killer 2", "killer 3"]);
    }
}

on_each_transport! {
    async fn dropping_every_handle_inside_a_callback_ends_delivery() {
        // As a component's cleanup does: the callback drops the app's source and its own
        // listener, the last handles, while the events after it wait in the same chunk
        // (fetch) or are queued (native).
        let es = source(&body_url("data: 1\n\ndata: 2\n\ndata: 3\n\n")).unwrap();
        let weak = es.downgrade();
        let slot = Rc::new(RefCell::new(None));
        let seen = Rc::new(RefCell::new(Vec::new()));
        let on_message = es.on_message({
            let (seen, slot) = (seen.clone(), slot.clone());
            move |m| {
                seen.borrow_mut().push(m.data().to_owned());
                drop(slot.borrow_mut().take());
            }
        });
        *slot.borrow_mut() = Some((es, on_message));
        until("the first message", || !seen.borrow().is_empty()).await;
        sleep(200).await;
        assert_eq!(*seen.borrow(), ["1"], "nothing after the last handle went");
        assert!(weak.upgrade().is_none(), "the source is gone");
        // The crate is left in order: the next source delivers.
        let next_source = source(&body_url("data: after\n\n")).unwrap();
        let after = next(&mut next_source.messages(), "a message from a new source").await;
        assert_eq!(after.map(|m| m.data().to_owned()).as_deref(), Some("after"));
    }
}

on_each_transport! {
    async fn close_from_inside_a_callback_ends_the_streams() {
        let es = source(&body_url("data: 1\n\ndata: 2\n\ndata: 3\n\n")).unwrap();
        let _closer = es.on_message({
            let es = es.clone(); // a cycle, broken by close()
            move |m| {
                if m.data() == "2" {
                    es.close();
                }
            }
        });
        let mut stream = es.messages();
        let got = drain_to_end(&mut stream, "the stream to end").await;
        assert_eq!(data(&got), ["1", "2"], "nothing after close");
        assert_eq!(es.ready_state(), ReadyState::Closed);
    }
}

on_each_transport! {
    async fn end_of_body_is_an_error_that_will_reconnect() {
        // A blob ends like a server closing the response: the browser reconnects.
        let es = source(&body_url("retry: 60000\ndata: only\n\n")).unwrap();
        let mut events = es.events();
        assert!(matches!(next(&mut events, "open").await, Some(Event::Open)));
        assert!(
            matches!(next(&mut events, "message").await, Some(Event::Message(m)) if m.data() == "only")
        );
        match next(&mut events, "error").await {
            Some(Event::Error(err)) => {
                assert!(err.will_reconnect() && !err.is_final(), "{err}");
                assert_eq!(err.ready_state(), ReadyState::Connecting);
            }
            other => panic!("expected a reconnecting error, got {other:?}"),
        }
        assert_eq!(es.ready_state(), ReadyState::Connecting);
    }
}

/// What a `#[wasm_bindgen(start)]` function does: open, subscribe, forget the listener,
/// return. Only a weak handle leaves the function.
fn start_listening(url: &str, seen: mpsc::UnboundedSender<String>) -> WeakEventSource {
    let es = source(url).expect("a blob URL opens");
    es.on_message(move |msg| {
        let _ = seen.unbounded_send(msg.data().to_owned());
    })
    .forget();
    es.downgrade()
}

on_each_transport! {
    async fn a_forgotten_listener_outlives_the_function_that_made_it() {
        common::install_listener_counter();
        let (seen, mut received) = mpsc::unbounded();
        let weak = start_listening(&body_url("retry: 60000\ndata: 1\n\ndata: 2\n\n"), seen);
        let got = take(&mut received, 2, "messages after the function returned").await;
        assert_eq!(got, ["1", "2"]);

        let es = weak
            .upgrade()
            .expect("the forgotten listener keeps the source");
        let raw = browser_source(&es);
        es.close();
        drop(es);
        assert!(
            weak.upgrade().is_none(),
            "closing frees the connection the forgotten listener kept"
        );
        assert!(
            drain_to_end(&mut received, "the callback to be dropped")
                .await
                .is_empty(),
            "closing drops the forgotten callback (and its sender)"
        );
        if let Some(raw) = raw {
            assert_eq!(js_listeners(&raw, None), 0, "and removes every JS listener");
        }
    }
}

on_each_transport! {
    async fn a_forgotten_listener_is_freed_when_its_source_closes_itself() {
        let (seen, mut received) = mpsc::unbounded();
        let es = source(&body_url("data: 1\n\ndata: bye\n\ndata: 3\n\n")).unwrap();
        let weak = es.downgrade();
        es.on_message(move |msg| {
            let _ = seen.unbounded_send(msg.data().to_owned());
            if msg.data() == "bye" {
                if let Some(es) = weak.upgrade() {
                    es.close();
                }
            }
        })
        .forget();
        let weak = es.downgrade();
        drop(es);
        let got = drain_to_end(&mut received, "the callback to close its source").await;
        assert_eq!(got, ["1", "bye"], "nothing after close");
        assert!(weak.upgrade().is_none(), "the closed source is freed");
    }
}

on_each_transport! {
    async fn a_body_ended_mid_event_drops_the_partial_event() {
        // The spec discards the event a body ends inside of, its `id:` line included: the
        // transport reconnects, and the resume point stays the last whole event's id.
        let body = "retry: 60000\nid: 1\ndata: whole\n\nid: 2\ndata: cut off";
        let es = source(&body_url(body)).unwrap();
        let mut events = es.events();
        let got = take(&mut events, 3, "the opening, the whole event, the error").await;
        match &got[..] {
            [Event::Open, Event::Message(m), Event::Error(err)] => {
                assert_eq!((m.data(), m.last_event_id().as_str()), ("whole", "1"));
                assert!(err.will_reconnect() && !err.is_final(), "{err}");
                assert_eq!(err.ready_state(), ReadyState::Connecting);
            }
            other => panic!("expected open, message, error: {other:?}"),
        }
        assert_eq!(es.last_event_id(), "1", "the cut event's id is not applied");
        common::sleep(200).await;
        assert!(
            futures::FutureExt::now_or_never(events.next()).is_none(),
            "the cut event is never delivered"
        );
    }
}
