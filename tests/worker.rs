#![cfg(target_arch = "wasm32")]
//! The crate in a dedicated Web Worker, where `EventSource` exists but `window` and
//! `document` do not: events, the reconnect policy (its timers and status probe), and
//! `pause_when_hidden`, which is inert there.

#[macro_use]
mod common;

use std::time::Duration;

use common::{body_url, builder, drain_to_end, quick, server_url, source, take, unique};
use wasm_bindgen_test::*;
use web_eventsource::{ErrorKind, Event, ReadyState};

wasm_bindgen_test_configure!(run_in_dedicated_worker);

#[wasm_bindgen_test]
fn this_really_is_a_worker() {
    assert!(
        web_sys::window().is_none(),
        "no window in a dedicated worker"
    );
}

on_each_transport! {
    async fn events_arrive_in_a_worker() {
        let es = source(&body_url("id: 1\ndata: one\n\nid: 2\ndata: two\n\n")).unwrap();
        let data: Vec<String> = take(&mut es.messages(), 2, "two messages")
            .await
            .iter()
            .map(|m| m.data().to_owned())
            .collect();
        assert_eq!(data, ["one", "two"]);
        assert_eq!(es.last_event_id(), "2");
        es.close();
    }
}

on_each_transport! {
    async fn the_policy_recovers_and_stops_in_a_worker() {
        let key = unique("worker");
        let es = builder(server_url(&format!(
            "/test/stream?count=4&end_after=4&fail_first=2&key={key}"
        )))
        .reconnect(quick())
        .pause_when_hidden(Duration::ZERO)
        .open()
        .unwrap();
        let mut states = es.state();
        let events = drain_to_end(&mut es.events(), "the source to end").await;
        let ids: Vec<String> = events
            .iter()
            .filter_map(|event| match event {
                Event::Message(m) => Some(m.last_event_id()),
                _ => None,
            })
            .collect();
        assert_eq!(ids, ["1", "2", "3", "4"]);
        match events.last() {
            Some(Event::Error(err)) => assert_eq!(err.kind(), ErrorKind::NoContent, "{err}"),
            other => panic!("expected the final 204, got {other:?}"),
        }
        let states = drain_to_end(&mut states, "the states").await;
        assert!(
            !states.contains(&ReadyState::Paused),
            "pause_when_hidden is inert in a worker: {states:?}"
        );
    }
}

on_each_transport! {
    async fn a_source_resumes_after_a_given_id_in_a_worker() {
        let url = server_url("/test/stream?count=4&end_after=4");
        let es = builder(url.as_str())
            .last_event_id("2")
            .open()
            .unwrap();
        assert_eq!(es.url(), url);
        let ids: Vec<String> = take(&mut es.messages(), 2, "ids after 2")
            .await
            .iter()
            .map(|m| m.last_event_id())
            .collect();
        assert_eq!(ids, ["3", "4"]);
        es.close();
    }
}
