#![cfg(target_arch = "wasm32")]
//! Browser tests against `sse-server` (cross-origin: the test page has its own port).
//! `scripts/test` starts the server and passes its URL at compile time as `SSE_SERVER_URL`.

#[macro_use]
mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use common::{
    browser_source, builder, drain_to_end, engine, js_listeners, next, server_url, sleep, source,
    take, unique, until, wait_open_on_server, within_ms, Engine,
};
use futures::{FutureExt, StreamExt};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_eventsource::{Error, ErrorKind, Event, Message, ReadyState};

wasm_bindgen_test_configure!(run_in_browser);

fn ids(messages: &[Message]) -> Vec<u64> {
    messages
        .iter()
        .map(|m| m.last_event_id().parse().expect("a numeric id"))
        .collect()
}

on_each_transport! {
    async fn on_open_fires_and_the_state_is_open() {
        let es = source(&server_url("/test/stream?count=1")).unwrap();
        assert_eq!(es.ready_state(), ReadyState::Connecting);
        let opened = Rc::new(Cell::new(0));
        let _on_open = es.on_open({
            let opened = opened.clone();
            move || opened.set(opened.get() + 1)
        });
        let mut events = es.events();
        assert!(matches!(next(&mut events, "open").await, Some(Event::Open)));
        assert_eq!(opened.get(), 1);
        assert_eq!(es.ready_state(), ReadyState::Open);
    }
}

on_each_transport! {
    async fn events_arrive_in_order() {
        let es = source(&server_url("/test/stream?count=200")).unwrap();
        let mut messages = es.messages();
        let got = take(&mut messages, 200, "200 messages").await;
        assert_eq!(ids(&got), (1..=200).collect::<Vec<_>>());
        assert!(got
            .iter()
            .enumerate()
            .all(|(i, m)| m.data() == (i + 1).to_string()));
        let origin = js_sys::Reflect::get(&js_sys::global(), &"location".into()).unwrap();
        let page_origin = js_sys::Reflect::get(&origin, &"origin".into())
            .unwrap()
            .as_string()
            .unwrap();
        assert_ne!(got[0].origin(), page_origin, "the server is cross-origin");
        assert!(
            common::server().starts_with(&got[0].origin()),
            "{}",
            got[0].origin()
        );
        assert_eq!(es.last_event_id(), "200");
    }
}

on_each_transport! {
    async fn named_events_reach_their_subscribers_and_not_messages() {
        common::install_listener_counter();
        let es = source(&server_url("/test/stream?count=5&event=ping")).unwrap();
        let calls = Rc::new(Cell::new(0));
        let callbacks: Vec<_> = (0..2)
            .map(|_| {
                let calls = calls.clone();
                es.on("ping", move |m| {
                    assert_eq!(m.event_type(), "ping");
                    calls.set(calls.get() + 1);
                })
            })
            .collect();
        let mut pings = es.subscribe("ping");
        let mut messages = es.messages();
        if let Some(raw) = browser_source(&es) {
            assert_eq!(js_listeners(&raw, Some("ping")), 1);
        }
        let got = take(&mut pings, 5, "pings").await;
        assert_eq!(ids(&got), [1, 2, 3, 4, 5]);
        assert_eq!(calls.get(), 10, "both callbacks saw every ping");
        assert!(
            messages.next().now_or_never().is_none(),
            "messages() got a named event"
        );
        drop(callbacks);
    }
}

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Item {
    id: u64,
    text: String,
}

on_each_transport! {
    async fn subscribe_json_decodes_and_survives_a_malformed_item() {
        let url = server_url("/test/stream?count=5&format=json&malformed=3&event=item&data=hi%20{id}");
        let es = source(&url).unwrap();
        let mut items = es.subscribe_json::<Item>("item");
        let got = take(&mut items, 5, "items").await;
        for (i, item) in got.iter().enumerate() {
            let id = i as u64 + 1;
            if id == 3 {
                assert!(
                    matches!(item, Err(Error::Decode { event_type, .. }) if event_type == "item"),
                    "{item:?}"
                );
            } else {
                assert_eq!(
                    item,
                    &Ok(Item {
                        id,
                        text: format!("hi {id}")
                    })
                );
            }
        }
    }
}

/// A failure the browser will not retry: one final error, then every stream ends. Its
/// `status()` is the response's on fetch (`status`), and `None` on the native transport,
/// whose browser object hides it.
async fn assert_fails_for_good(query: &str, status: u16) {
    let es = source(&server_url(&format!("/test/stream?{query}"))).unwrap();
    let mut events = es.events();
    let mut messages = es.messages();
    let mut json = es.subscribe_json::<Item>("item");
    // Each error, and the source's own state inside its callback.
    let errors = Rc::new(RefCell::new(Vec::new()));
    let _on_error = es.on_error({
        let errors = errors.clone();
        let weak = es.downgrade();
        move |err| {
            let state = weak.upgrade().map(|es| es.ready_state());
            errors.borrow_mut().push((err.will_reconnect(), state));
        }
    });
    match next(&mut events, "the error").await {
        Some(Event::Error(err)) => {
            assert!(err.is_final(), "{query}: {err}");
            let expected = match common::transport() {
                web_eventsource::Transport::Fetch => Some(status),
                _ => None,
            };
            assert_eq!(err.status(), expected, "{query}: {err}");
        }
        other => panic!("{query}: expected a final error, got {other:?}"),
    }
    assert!(next(&mut events, "the end of events()").await.is_none());
    assert!(drain_to_end(&mut messages, "messages() to end")
        .await
        .is_empty());
    assert!(drain_to_end(&mut json, "subscribe_json() to end")
        .await
        .is_empty());
    assert_eq!(
        *errors.borrow(),
        [(false, Some(ReadyState::Closed))],
        "{query}: one final error, the source closed as it is reported"
    );
    assert_eq!(es.ready_state(), ReadyState::Closed, "{query}");
    assert!(next(&mut es.messages(), "a stream made after the failure")
        .await
        .is_none());
}

on_each_transport! {
    async fn a_bad_response_ends_every_stream_after_a_final_error() {
        // Without a policy, on every engine and transport: an error status, the server's
        // 204 ("stop reconnecting"), and a 200 of another type than `text/event-stream`.
        for (query, status) in [
            ("status=500", 500),
            ("status=404", 404),
            ("status=204", 204),
            ("content_type=text/plain", 200),
            ("content_type=application/json", 200),
        ] {
            assert_fails_for_good(query, status).await;
        }
    }
}

on_each_transport! {
    async fn a_request_that_cors_refuses_fails_natively_and_is_retried_on_fetch() {
        // The server's answer has no `Access-Control-Allow-Origin`, and the browser refuses
        // it to this cross-origin page. Its `EventSource` fails the connection. To `fetch`
        // the refusal is a network failure (a page may not learn the cause): the
        // transport reports it lost and reconnects after the retry time (here 3 s), as
        // the standard says for a network error. The README says both.
        let key = unique("cors");
        let es = source(&server_url(&format!(
            "/test/stream?count=3&cors=refuse&key={key}"
        )))
        .unwrap();
        let raw = browser_source(&es);
        let mut events = es.events();
        let err = match within_ms(2_000, "the refusal", next(&mut events, "an event")).await {
            Some(Event::Error(err)) => err,
            other => panic!("expected the refusal, got {other:?}"),
        };
        assert_eq!(err.status(), None, "{err}");
        match common::transport() {
            web_eventsource::Transport::Fetch => {
                assert_eq!((err.kind(), err.will_reconnect()), (ErrorKind::Lost, true));
                assert_eq!(es.ready_state(), ReadyState::Connecting);
                common::wait_requests_on_server(&key, 2).await;
                es.close();
            }
            _ => {
                assert_eq!((err.kind(), err.is_final()), (ErrorKind::Failed, true));
                assert!(next(&mut events, "the end of events()").await.is_none());
                assert_eq!(es.ready_state(), ReadyState::Closed);
                // No retry can come: the browser's own source has given up too (its
                // retry would come only after its reconnection time, seconds away).
                let raw = raw.expect("the browser's source");
                assert_eq!(raw.ready_state(), web_sys::EventSource::CLOSED, "no retry");
                assert_eq!(common::requests_on_server(&key).await, 1, "no retry");
            }
        }
    }
}

on_each_transport! {
    /// When the opening comes: on the response's headers in Chromium and WebKit, and only
    /// on the first bytes of its body (an event or a comment) in Firefox, whose `fetch`
    /// resolves then too. So a server that answers and then says nothing is `Open`,
    /// except in Firefox, where it is `Connecting` until it writes. The README's
    /// "Browser engines" says the same.
    async fn the_opening_comes_with_the_headers_or_with_the_first_bytes() {
        let tag = unique("silent");
        let silent = source(&server_url(&format!(
            "/test/stream?count=1&stall_after=0&keepalive=0&tag={tag}"
        )))
        .unwrap();
        // The server has answered; how soon the page hears it depends on the machine's
        // load, so the opening is waited for, and its absence checked after a while.
        wait_open_on_server(&tag, 1).await;
        match engine() {
            Engine::Firefox => {
                sleep(500).await;
                assert_eq!(
                    silent.ready_state(),
                    ReadyState::Connecting,
                    "headers only, after 500 ms"
                );
            }
            Engine::Chromium | Engine::WebKit => {
                until("the opening on the headers alone", || silent.ready_state() == ReadyState::Open).await;
            }
        }
        silent.close();

        // A keep-alive comment is enough for every engine.
        let commenting = source(&server_url(
            "/test/stream?count=1&stall_after=0&keepalive=100",
        ))
        .unwrap();
        assert!(matches!(
            next(&mut commenting.events(), "the opening").await,
            Some(Event::Open)
        ));
        assert_eq!(commenting.ready_state(), ReadyState::Open);
    }
}

on_each_transport! {
    async fn a_source_can_resume_after_a_given_id_from_its_first_request() {
        let path = "/test/stream?a=x%20y&count=5&end_after=5";
        let es = builder(server_url(path))
            .last_event_id("2")
            .open()
            .unwrap();
        assert_eq!(es.last_event_id(), "2", "the resume point before any event");
        assert_eq!(es.url(), server_url(path), "url() is the URL as given");
        if let Some(raw) = browser_source(&es) {
            assert_eq!(raw.url(), format!("{}&lastEventId=2", server_url(path)));
        }
        assert_eq!(
            ids(&take(&mut es.messages(), 3, "ids after 2").await),
            [3, 4, 5]
        );
        es.close();

        // A relative URL resolves as the browser resolves it; a policy's own parameter name
        // carries the id.
        let relative = builder("relative/stream?count=1")
            .reconnect(web_eventsource::Reconnect::default().resume_param(Some("since")))
            .last_event_id("a b")
            .open()
            .unwrap();
        let page = web_sys::window().unwrap().location().href().unwrap();
        let base = &page[..page.rfind('/').unwrap() + 1];
        assert_eq!(relative.url(), format!("{base}relative/stream?count=1"));
        if let Some(raw) = browser_source(&relative) {
            assert_eq!(raw.url(), format!("{base}relative/stream?count=1&since=a%20b"));
        }
        relative.close();

        // An empty URL, or one that is only a fragment, is the page's, query included:
        // the resume parameter joins that query.
        let _page_again = common::PageUrlBack::to(&page);
        common::set_page_url("?room=5");
        for given in ["", "#top"] {
            let on_fetch = common::transport() == web_eventsource::Transport::Fetch;
            let requested = on_fetch.then(common::next_fetch_url);
            let same_page = builder(given).last_event_id("7").open().unwrap();
            let asked = match (browser_source(&same_page), requested) {
                (Some(raw), _) => raw.url(),
                (None, Some(requested)) => {
                    requested.call0(&JsValue::NULL).unwrap().as_string().unwrap()
                }
                (None, None) => panic!("a fetch source on the native transport"),
            };
            same_page.close();
            assert!(
                asked.starts_with(&format!("{base}?room=5&lastEventId=7")),
                "{given:?}: asked for {asked}"
            );
        }
    }
}

on_each_transport! {
    async fn an_id_no_stream_can_send_is_refused_as_the_resume_point() {
        for id in ["a\nb", "a\rb", "a\0b"] {
            match builder(server_url("/test/stream?count=1")).last_event_id(id).open() {
                Err(Error::InvalidOption { option, message }) => {
                    assert_eq!(option, "last_event_id", "{id:?}");
                    assert!(message.contains("NUL, CR or LF"), "{message}");
                }
                Ok(es) => {
                    es.close();
                    panic!("{id:?} was taken as the resume point");
                }
                Err(other) => panic!("{id:?}: expected InvalidOption, got {other:?}"),
            }
        }
    }
}

on_each_transport! {
    async fn a_resume_point_goes_only_where_it_can_be_sent() {
        // An empty parameter name: `?=2` is a pair no server reads as the id.
        match builder(server_url("/test/stream?count=1"))
            .reconnect(web_eventsource::Reconnect::default().resume_param(Some("")))
            .open()
        {
            Err(Error::InvalidOption { option, message }) => {
                assert_eq!(option, "resume_param", "{message}");
            }
            other => panic!("expected InvalidOption, got {other:?}"),
        }
        // No parameter at all: the browser's `EventSource` takes no header, so the
        // native transport cannot send the id, and starts from the beginning, saying so;
        // fetch sends it as `Last-Event-ID`.
        let no_param = builder(server_url("/test/stream?count=5"))
            .reconnect(web_eventsource::Reconnect::default().resume_param(None))
            .last_event_id("2")
            .open()
            .unwrap();
        let resumes = common::transport() == web_eventsource::Transport::Fetch;
        assert_eq!(no_param.last_event_id(), if resumes { "2" } else { "" });
        let first = take(&mut no_param.messages(), 1, "the first event").await;
        assert_eq!(ids(&first), [if resumes { 3 } else { 1 }]);
        no_param.close();
        // A URL that does not parse is refused as given, without the resume parameter.
        match builder("http://[::1").last_event_id("2").open() {
            Err(Error::InvalidUrl { url, .. }) => assert_eq!(url, "http://[::1"),
            other => panic!("expected InvalidUrl, got {other:?}"),
        }
    }
}

on_each_transport! {
    async fn close_ends_every_stream() {
        let tag = unique("close");
        let es = source(&server_url(&format!(
            "/test/stream?count=100000&interval=20&tag={tag}"
        )))
        .unwrap();
        let mut messages = es.messages();
        let mut events = es.events();
        let mut pings = es.subscribe("ping");
        let mut json = es.subscribe_json::<Item>("message");
        take(&mut messages, 2, "first messages").await;
        es.close();
        assert_eq!(es.ready_state(), ReadyState::Closed);
        drain_to_end(&mut messages, "messages() to end").await;
        drain_to_end(&mut events, "events() to end").await;
        drain_to_end(&mut pings, "subscribe() to end").await;
        drain_to_end(&mut json, "subscribe_json() to end").await;
        // And the server sees the connection end.
        wait_open_on_server(&tag, 0).await;
    }
}

on_each_transport! {
    async fn a_stream_kept_after_the_handle_is_dropped_keeps_receiving() {
        let mut messages = source(&server_url("/test/stream?count=5&interval=30"))
            .unwrap()
            .messages(); // the EventSource is a temporary, dropped here
        let got = take(&mut messages, 5, "messages after the handle is gone").await;
        assert_eq!(ids(&got), [1, 2, 3, 4, 5]);
    }
}

on_each_transport! {
    async fn dropping_every_handle_closes_the_connection() {
        common::install_listener_counter();
        let tag = unique("drop");
        let es = source(&server_url(&format!(
            "/test/stream?count=1000000&interval=100&keepalive=100&tag={tag}"
        )))
        .unwrap();
        let raw = browser_source(&es);
        let listener = es.on_message(|_| {});
        let mut stream = es.messages();
        take(&mut stream, 1, "a first message").await;
        wait_open_on_server(&tag, 1).await;

        drop((es, stream));
        sleep(500).await;
        assert_eq!(
            common::open_on_server(&tag).await,
            1,
            "the listener keeps it open"
        );
        if let Some(raw) = &raw {
            assert_eq!(raw.ready_state(), web_sys::EventSource::OPEN);
        }

        drop(listener);
        if let Some(raw) = &raw {
            assert_eq!(raw.ready_state(), web_sys::EventSource::CLOSED);
            assert_eq!(js_listeners(raw, None), 0, "no JS listener left behind");
        }
        wait_open_on_server(&tag, 0).await;
    }
}

fn set_cookie(cookie: &str) {
    let document: web_sys::HtmlDocument = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .unchecked_into();
    document.set_cookie(cookie).unwrap();
}

on_each_transport! {
    async fn with_credentials_sends_cookies_cross_origin() {
        // Cookies are per host, not per port: one set by the test page goes to the server too,
        // but only when the cross-origin request is made with credentials.
        let value = unique("c");
        set_cookie(&format!("wes_test={value}; path=/"));
        let url = server_url("/test/echo-cookie");

        let with = builder(url.clone())
            .with_credentials(true)
            .open()
            .unwrap();
        assert!(with.with_credentials());
        let cookie = take(&mut with.messages(), 1, "the echoed cookie").await;
        assert!(
            cookie[0].data().contains(&format!("wes_test={value}")),
            "{:?}",
            cookie[0].data()
        );

        let without = source(&url).unwrap();
        let cookie = take(&mut without.messages(), 1, "the echoed cookie").await;
        assert!(
            !cookie[0].data().contains("wes_test"),
            "{:?}",
            cookie[0].data()
        );
        set_cookie("wes_test=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/");
    }
}

on_each_transport! {
    /// A closed source is often kept (in an app's state, say): it keeps its last event id,
    /// but not its last event. (The native transport kept that message, to read the id
    /// from, and with it the 60 kB of data read from it.)
    async fn a_closed_source_keeps_its_last_event_id_but_not_its_last_event() {
        let before = common::heap_bytes();
        let es = source(&server_url("/test/stream?count=2&size=60000&stall_after=1")).unwrap();
        common::assert_a_closed_source_keeps_only_its_id(&es, before, "its last event").await;
    }
}
