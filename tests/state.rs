#![cfg(target_arch = "wasm32")]
//! The current state for late subscribers (`state()`, `on_state_change`) and ordered
//! delivery across event types (`subscribe_many`), in headless Chromium.

#[macro_use]
mod common;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use common::{
    body_url, browser_source, builder, drain_to_end, js_listeners, next, quick, server_url, source,
    take,
};
use futures::StreamExt;
use wasm_bindgen_test::*;
use web_eventsource::ReadyState;

wasm_bindgen_test_configure!(run_in_browser);

on_each_transport! {
    async fn a_state_stream_made_late_starts_with_the_current_state() {
        let es = source(&server_url("/test/stream?count=3&stall_after=3")).unwrap();
        let mut early = es.state();
        assert_eq!(
            next(&mut early, "the current state").await,
            Some(ReadyState::Connecting)
        );
        assert_eq!(
            next(&mut early, "the opening").await,
            Some(ReadyState::Open)
        );
        // Made after the source opened: an `on_open` made now is never called for that
        // opening, but the state stream starts with it.
        let mut late = es.state();
        assert_eq!(
            next(&mut late, "the current state").await,
            Some(ReadyState::Open)
        );
        es.close();
        assert_eq!(next(&mut late, "the close").await, Some(ReadyState::Closed));
        assert_eq!(
            next(&mut late, "the end").await,
            None,
            "it ends after Closed"
        );
        assert_eq!(
            drain_to_end(&mut early, "the early stream").await,
            [ReadyState::Closed]
        );
        // Made from a closed source: Closed, then the end.
        assert_eq!(
            drain_to_end(&mut es.state(), "a stream made after close").await,
            [ReadyState::Closed]
        );
    }
}

on_each_transport! {
    async fn an_on_open_made_inside_the_state_callback_for_an_opening_is_called_for_it() {
        // The state change and the opening are delivered as one (`on_open`'s doc).
        let es = source(&server_url("/test/stream?count=3&stall_after=3")).unwrap();
        let opens = Rc::new(RefCell::new(0));
        let kept = Rc::new(RefCell::new(Vec::new()));
        let weak = es.downgrade();
        let _states = es.on_state_change({
            let (opens, kept) = (opens.clone(), kept.clone());
            move |state| {
                if let (ReadyState::Open, Some(es)) = (state, weak.upgrade()) {
                    let opens = opens.clone();
                    kept.borrow_mut().push(es.on_open(move || *opens.borrow_mut() += 1));
                }
            }
        });
        let mut states = es.state();
        while next(&mut states, "the opening").await != Some(ReadyState::Open) {}
        assert_eq!(*opens.borrow(), 1);
        es.close();
    }
}

on_each_transport! {
    async fn an_on_error_made_inside_the_state_callback_for_a_failure_is_called_for_it() {
        // `Closed` and the final error that caused it are delivered as one too: a hook that
        // subscribes for errors when it sees `Closed` hears why. It was refused, the source
        // being closed, and never heard.
        let es = source(&server_url("/test/stream?status=500")).unwrap();
        let errors = Rc::new(RefCell::new(Vec::new()));
        let kept = Rc::new(RefCell::new(Vec::new()));
        let streams = Rc::new(RefCell::new(Vec::new()));
        let weak = es.downgrade();
        let _states = es.on_state_change({
            let (errors, kept, streams) = (errors.clone(), kept.clone(), streams.clone());
            move |state| {
                if let (ReadyState::Closed, Some(es)) = (state, weak.upgrade()) {
                    let errors = errors.clone();
                    kept.borrow_mut()
                        .push(es.on_error(move |err| errors.borrow_mut().push(err.is_final())));
                    streams.borrow_mut().push(es.events());
                }
            }
        });
        drain_to_end(&mut es.state(), "the failure").await;
        assert_eq!(*errors.borrow(), [true], "the final error, once");
        let mut events = streams.borrow_mut().pop().expect("made when told of Closed");
        match next(&mut events, "the final error").await {
            Some(web_eventsource::Event::Error(err)) => assert!(err.is_final(), "{err}"),
            other => panic!("expected the final error, got {other:?}"),
        }
        assert!(next(&mut events, "the end").await.is_none());
    }
}

on_each_transport! {
    async fn on_state_change_sees_every_change_through_the_browsers_reconnects() {
        // Ids 1..2, the server ends the body, the browser reconnects (Last-Event-ID: 2) for
        // 3..4, ends again, and its last reconnect gets a 204: failed for good.
        let es = source(&server_url("/test/stream?count=4&end_after=2&retry=30")).unwrap();
        let changes = Rc::new(RefCell::new(Vec::new()));
        let _on_state = es.on_state_change({
            let changes = changes.clone();
            move |state| changes.borrow_mut().push(state)
        });
        let ids: Vec<String> = drain_to_end(&mut es.messages(), "the source to end")
            .await
            .iter()
            .map(|m| m.last_event_id())
            .collect();
        assert_eq!(ids, ["1", "2", "3", "4"]);
        use ReadyState::{Closed, Connecting, Open};
        assert_eq!(
            *changes.borrow(),
            [Open, Connecting, Open, Connecting, Closed]
        );
    }
}

on_each_transport! {
    async fn the_state_stream_follows_a_policy_through_its_wait() {
        // Each source sends one event and goes silent; the idle timeout makes the policy
        // replace it (resuming after the last id), which counts as connecting.
        let es = builder(server_url("/test/stream?count=2&stall_after=1&keepalive=0"))
            .reconnect(quick().idle_timeout(Some(Duration::from_millis(400))))
            .open()
            .unwrap();
        let mut states = es.state();
        let mut messages = es.messages();
        let ids: Vec<String> = take(&mut messages, 2, "ids 1..2")
            .await
            .iter()
            .map(|m| m.last_event_id())
            .collect();
        assert_eq!(ids, ["1", "2"]);
        es.close();
        use ReadyState::{Closed, Connecting, Open};
        assert_eq!(
            drain_to_end(&mut states, "every state").await,
            [Connecting, Open, Connecting, Open, Closed]
        );
    }
}

on_each_transport! {
    async fn subscribe_many_keeps_the_servers_order_across_types() {
        common::install_listener_counter();
        let body = "event: a\ndata: 1\n\nevent: b\ndata: 2\n\ndata: 3\n\nevent: c\ndata: skipped\n\nevent: a\ndata: 4\n\nevent: b\ndata: 5\n\n";
        let es = source(&body_url(body)).unwrap();
        // Owned strings, as types read from a configuration are (an array of `&str` below).
        let mut many = es.subscribe_many(["a", "b", "message", "a"].map(String::from));
        let got: Vec<(String, String)> = take(&mut many, 5, "five events of three types")
            .await
            .iter()
            .map(|m| (m.event_type().to_owned(), m.data().to_owned()))
            .collect();
        let expected = [
            ("a", "1"),
            ("b", "2"),
            ("message", "3"),
            ("a", "4"),
            ("b", "5"),
        ]
        .map(|(t, d)| (t.to_owned(), d.to_owned()));
        assert_eq!(got, expected);
        let raw = browser_source(&es);
        if let Some(raw) = &raw {
            for event_type in ["a", "b", "message"] {
                assert_eq!(
                    js_listeners(raw, Some(event_type)),
                    1,
                    "{event_type}: once, though named twice"
                );
            }
            assert_eq!(js_listeners(raw, Some("c")), 0);
        }
        drop(many);
        if let Some(raw) = &raw {
            assert_eq!(js_listeners(raw, None), 2, "only open and error remain");
        }
        es.close();
        let mut after_close = es.subscribe_many(["a", "b"]);
        assert!(
            next(&mut after_close, "a stream made from a closed source")
                .await
                .is_none(),
            "made from a closed source, it ends at once"
        );
    }
}

on_each_transport! {
    async fn subscribe_many_of_no_type_ends_only_when_the_source_closes() {
        // Types from a configuration may be none: the stream still ends when the source
        // closes, and not before, as every stream does. It ended at once, which reads as a
        // closed source.
        let es = source(&server_url("/test/stream?count=3&interval=20")).unwrap();
        let mut none = es.subscribe_many(Vec::<String>::new());
        common::sleep(200).await;
        assert!(
            futures::FutureExt::now_or_never(none.next()).is_none(),
            "still pending while the source is open"
        );
        es.close();
        let end = common::within_ms(1_000, "the end", none.next()).await;
        assert!(end.is_none(), "it ends with the source");
    }
}
