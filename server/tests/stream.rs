//! `/test/stream` over real loopback HTTP: framing, resume, pacing, data
//! shaping, failure knobs and input validation.

mod common;

use std::time::{Duration, Instant};

use common::{assert_bad_request, bounded, get, header, open_stream, start, text, SseReader};

fn ids(frames: &[common::Frame]) -> Vec<u64> {
    frames.iter().map(common::Frame::id_u64).collect()
}

#[tokio::test]
async fn exact_format_and_ids_for_count() {
    let server = start().await;
    let response = get(&server.url("/test/stream?count=3"), &[]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("text/event-stream")
    );
    assert_eq!(
        header(&response, "cache-control").as_deref(),
        Some("no-store")
    );
    assert_eq!(
        header(&response, "x-accel-buffering").as_deref(),
        Some("no")
    );
    assert_eq!(
        header(&response, "x-content-type-options").as_deref(),
        Some("nosniff")
    );
    let expected = "id: 1\ndata: 1\n\nid: 2\ndata: 2\n\nid: 3\ndata: 3\n\n";
    let mut reader = SseReader::new(response);
    let raw = reader.raw_prefix(expected.len()).await;
    assert_eq!(&raw[..expected.len()], expected);
}

#[tokio::test]
async fn default_count_is_ten() {
    let server = start().await;
    let mut reader = open_stream(&server, "/test/stream", &[]).await;
    let events = reader.events(10).await;
    assert_eq!(ids(&events), (1..=10).collect::<Vec<_>>());
    // Then only keep-alives: the stream holds open.
    let next = reader.next_frame().await.expect("stream should stay open");
    assert_eq!(next.raw, ": keep-alive\n\n");
}

#[tokio::test]
async fn holds_open_with_keep_alives_after_last_id() {
    let server = start().await;
    let mut reader = open_stream(&server, "/test/stream?count=2&keepalive=50", &[]).await;
    assert_eq!(ids(&reader.events(2).await), [1, 2]);
    for _ in 0..3 {
        let frame = reader.next_frame().await.expect("stream should stay open");
        assert!(frame.is_comment(), "expected keep-alive, got {frame:?}");
        assert_eq!(frame.comments, ["keep-alive"]);
    }
}

#[tokio::test]
async fn resume_by_header_by_query_and_header_wins() {
    let server = start().await;

    let mut by_header =
        open_stream(&server, "/test/stream?count=6", &[("Last-Event-ID", "3")]).await;
    assert_eq!(ids(&by_header.events(3).await), [4, 5, 6]);

    let mut by_query = open_stream(&server, "/test/stream?count=6&lastEventId=4", &[]).await;
    assert_eq!(ids(&by_query.events(2).await), [5, 6]);

    let mut both = open_stream(
        &server,
        "/test/stream?count=6&lastEventId=1",
        &[("Last-Event-ID", "5")],
    )
    .await;
    assert_eq!(ids(&both.events(1).await), [6]);

    let mut garbage =
        open_stream(&server, "/test/stream?count=2", &[("Last-Event-ID", "abc")]).await;
    assert_eq!(ids(&garbage.events(2).await), [1, 2]);
}

#[tokio::test]
async fn exhausted_resume_answers_204() {
    let server = start().await;
    for (url, headers) in [
        ("/test/stream?count=3", &[("Last-Event-ID", "3")][..]),
        ("/test/stream?count=3", &[("Last-Event-ID", "9")]),
        ("/test/stream?count=3&lastEventId=3", &[]),
        ("/test/stream?count=0", &[]),
    ] {
        let response = get(&server.url(url), headers).await;
        assert_eq!(response.status(), 204, "{url} {headers:?}");
        assert_eq!(text(response).await, "");
    }
}

#[tokio::test]
async fn batch_writes_several_events_per_chunk() {
    let server = start().await;
    let mut response = get(&server.url("/test/stream?count=10&batch=5"), &[]).await;
    assert_eq!(response.status(), 200);
    let first = bounded("the first chunk", response.chunk())
        .await
        .expect("a readable body")
        .expect("a first chunk");
    let first = String::from_utf8(first.to_vec()).expect("UTF-8");
    assert!(
        first.starts_with("id: 1\n") && first.ends_with("id: 5\ndata: 5\n\n"),
        "{first:?}"
    );
    let second = bounded("the second chunk", response.chunk())
        .await
        .expect("a readable body")
        .expect("a second chunk");
    assert!(String::from_utf8_lossy(&second).starts_with("id: 6\n"));
}

#[tokio::test]
async fn interval_spaces_events() {
    // Generous margins: the first event is immediate, the next ones follow
    // 400 ms apart; only the ordering of those scales is asserted.
    let server = start().await;
    let mut reader = open_stream(&server, "/test/stream?count=3&interval=400", &[]).await;
    let started = Instant::now();
    let first = reader.next_event().await.expect("first event");
    let first_at = started.elapsed();
    let second = reader.next_event().await.expect("second event");
    let second_at = started.elapsed();
    let third = reader.next_event().await.expect("third event");
    let third_at = started.elapsed();
    assert_eq!(ids(&[first, second, third]), [1, 2, 3]);
    assert!(
        first_at < Duration::from_millis(300),
        "first event at {first_at:?}"
    );
    assert!(
        second_at >= Duration::from_millis(300),
        "second event at {second_at:?}"
    );
    assert!(
        third_at >= Duration::from_millis(700),
        "third event at {third_at:?}"
    );
    assert!(
        third_at < Duration::from_secs(5),
        "third event at {third_at:?}"
    );
}

#[tokio::test]
async fn event_name_and_data_template() {
    let server = start().await;
    let mut reader = open_stream(
        &server,
        "/test/stream?count=2&event=update&data=line%20one%20%7Bid%7D%0Atwo%3D%7Bid%7D%7Bid%7D",
        &[],
    )
    .await;
    let events = reader.events(2).await;
    assert_eq!(events[0].event.as_deref(), Some("update"));
    assert_eq!(events[0].data.as_deref(), Some("line one 1\ntwo=11"));
    assert_eq!(
        events[1].raw,
        "id: 2\nevent: update\ndata: line one 2\ndata: two=22\n\n"
    );

    let mut plain = open_stream(&server, "/test/stream?count=1", &[]).await;
    let event = plain.next_event().await.expect("event");
    assert_eq!(event.event, None);
    assert_eq!(event.data.as_deref(), Some("1"));
}

#[tokio::test]
async fn json_format_and_exact_sizes() {
    let server = start().await;

    let mut json = open_stream(
        &server,
        "/test/stream?count=2&format=json&data=hi%20%7Bid%7D",
        &[],
    )
    .await;
    for event in json.events(2).await {
        let value: serde_json::Value =
            serde_json::from_str(event.data.as_deref().expect("data")).expect("valid JSON");
        let id = event.id_u64();
        assert_eq!(
            value,
            serde_json::json!({ "id": id, "text": format!("hi {id}") })
        );
    }

    let mut sized_text = open_stream(&server, "/test/stream?count=3&size=100", &[]).await;
    for event in sized_text.events(3).await {
        let data = event.data.expect("data");
        assert_eq!(data.len(), 100);
        assert_eq!(
            data,
            format!("{}{}", event.id.as_deref().unwrap(), "x".repeat(99))
        );
    }

    let mut sized_json = open_stream(
        &server,
        "/test/stream?count=12&format=json&size=300&lastEventId=8",
        &[],
    )
    .await;
    for event in sized_json.events(4).await {
        let data = event.data.as_deref().expect("data");
        assert_eq!(data.len(), 300, "{data}");
        let value: serde_json::Value = serde_json::from_str(data).expect("valid JSON");
        assert_eq!(value["id"], event.id_u64());
    }

    // Never truncated when the data is already longer than `size`.
    let mut long = open_stream(&server, "/test/stream?count=1&size=2&data=abcdef", &[]).await;
    assert_eq!(
        long.next_event().await.unwrap().data.as_deref(),
        Some("abcdef")
    );
}

#[tokio::test]
async fn malformed_ids_carry_broken_json() {
    let server = start().await;
    let mut reader = open_stream(
        &server,
        "/test/stream?count=5&format=json&malformed=2,4",
        &[],
    )
    .await;
    for event in reader.events(5).await {
        let data = event.data.as_deref().expect("data");
        let parsed = serde_json::from_str::<serde_json::Value>(data);
        match event.id_u64() {
            2 | 4 => {
                assert_eq!(data, r#"{"id": broken"#);
                assert!(parsed.is_err());
            }
            _ => assert!(parsed.is_ok(), "{data}"),
        }
    }
}

#[tokio::test]
async fn end_after_closes_body_and_resume_continues() {
    let server = start().await;
    let mut reader = open_stream(&server, "/test/stream?count=7&end_after=3", &[]).await;
    assert_eq!(ids(&reader.events(3).await), [1, 2, 3]);
    assert_eq!(
        reader.next_frame().await,
        None,
        "body should end after 3 events"
    );

    let mut again = open_stream(
        &server,
        "/test/stream?count=7&end_after=3",
        &[("Last-Event-ID", "6")],
    )
    .await;
    assert_eq!(ids(&again.events(1).await), [7]);
    // Only one id was left, so `end_after` was not reached: the stream holds.
    let frame = again.next_frame().await.expect("stream should stay open");
    assert!(frame.is_comment());
}

/// Assert that nothing at all arrives for `quiet` while the body stays open.
async fn assert_silent_but_open(reader: &mut SseReader, quiet: Duration) {
    match tokio::time::timeout(quiet, reader.next_frame()).await {
        Err(_elapsed) => {}
        Ok(None) => panic!("the body ended; it should have stayed open"),
        Ok(Some(frame)) => panic!("expected silence, got {frame:?}"),
    }
}

#[tokio::test]
async fn stall_after_stops_events_but_holds_the_body_open() {
    let server = start().await;
    let mut reader = open_stream(
        &server,
        "/test/stream?count=10&stall_after=3&keepalive=0",
        &[],
    )
    .await;
    assert_eq!(ids(&reader.events(3).await), [1, 2, 3]);
    assert_silent_but_open(&mut reader, Duration::from_millis(500)).await;

    // With keep-alives on, only keep-alives follow the stall.
    let mut alive = open_stream(
        &server,
        "/test/stream?count=10&stall_after=2&keepalive=50",
        &[],
    )
    .await;
    assert_eq!(ids(&alive.events(2).await), [1, 2]);
    for _ in 0..4 {
        let frame = alive.next_frame().await.expect("stream should stay open");
        assert_eq!(frame.raw, ": keep-alive\n\n");
    }

    // It counts events of this response, after a resume too.
    let mut resumed = open_stream(
        &server,
        "/test/stream?count=10&stall_after=2&keepalive=0",
        &[("Last-Event-ID", "4")],
    )
    .await;
    assert_eq!(ids(&resumed.events(2).await), [5, 6]);
    assert_silent_but_open(&mut resumed, Duration::from_millis(300)).await;

    // `stall_after=0`: open, but not a single event.
    let mut mute = open_stream(
        &server,
        "/test/stream?count=10&stall_after=0&keepalive=0",
        &[],
    )
    .await;
    assert_silent_but_open(&mut mute, Duration::from_millis(300)).await;
}

#[tokio::test]
async fn stall_after_and_end_after_whichever_comes_first() {
    let server = start().await;

    let mut stalls = open_stream(
        &server,
        "/test/stream?count=10&end_after=5&stall_after=2&keepalive=0",
        &[],
    )
    .await;
    assert_eq!(ids(&stalls.events(2).await), [1, 2]);
    assert_silent_but_open(&mut stalls, Duration::from_millis(300)).await;

    let mut ends = open_stream(
        &server,
        "/test/stream?count=10&end_after=2&stall_after=5&keepalive=0",
        &[],
    )
    .await;
    assert_eq!(ids(&ends.events(2).await), [1, 2]);
    assert_eq!(ends.next_frame().await, None, "end_after=2 comes first");

    // A tie closes.
    let mut tie = open_stream(
        &server,
        "/test/stream?count=10&end_after=3&stall_after=3&keepalive=0",
        &[],
    )
    .await;
    assert_eq!(ids(&tie.events(3).await), [1, 2, 3]);
    assert_eq!(tie.next_frame().await, None, "a tie should close");
}

#[tokio::test]
async fn retry_line_comes_first() {
    let server = start().await;
    let mut reader = open_stream(&server, "/test/stream?count=1&retry=250", &[]).await;
    let expected = "retry: 250\nid: 1\ndata: 1\n\n";
    let raw = reader.raw_prefix(expected.len()).await;
    assert_eq!(&raw[..expected.len()], expected);
}

#[tokio::test]
async fn retry_requests_send_the_retry_line_only_on_those_requests() {
    let server = start().await;
    let path = "/test/stream?count=1&retry=250&retry_requests=1&key=retry-once";
    let mut first = open_stream(&server, path, &[]).await;
    let expected = "retry: 250\nid: 1\n";
    assert_eq!(
        &first.raw_prefix(expected.len()).await[..expected.len()],
        expected
    );
    let mut second = open_stream(&server, path, &[]).await;
    let expected = "id: 1\ndata: 1\n\n";
    assert_eq!(
        &second.raw_prefix(expected.len()).await[..expected.len()],
        expected
    );

    let response = get(&server.url("/test/stream?retry=250&retry_requests=1"), &[]).await;
    assert_eq!(response.status(), 400, "retry_requests needs a key");
}

#[tokio::test]
async fn status_and_content_type() {
    let server = start().await;

    let response = get(&server.url("/test/stream?status=500"), &[]).await;
    assert_eq!(response.status(), 500);
    assert!(header(&response, "content-type")
        .unwrap()
        .starts_with("text/plain"));
    assert!(!text(response).await.is_empty());

    let response = get(&server.url("/test/stream?status=200"), &[]).await;
    assert_eq!(response.status(), 200);
    assert!(header(&response, "content-type")
        .unwrap()
        .starts_with("text/plain"));

    let response = get(
        &server.url("/test/stream?count=1&content_type=text/plain"),
        &[],
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("text/plain")
    );
    let mut reader = SseReader::new(response);
    assert_eq!(reader.next_event().await.unwrap().raw, "id: 1\ndata: 1\n\n");
}

#[tokio::test]
async fn fail_first_by_status_then_recovers_per_key() {
    let server = start().await;
    let url = server.url("/test/stream?count=1&fail_first=2&key=status-a");
    for _ in 0..2 {
        let response = get(&url, &[]).await;
        assert_eq!(response.status(), 500);
        assert!(header(&response, "content-type")
            .unwrap()
            .starts_with("text/plain"));
    }
    let mut reader = SseReader::new(get(&url, &[]).await);
    assert_eq!(reader.next_event().await.unwrap().id_u64(), 1);

    // Another key has its own counter, and fail_status is honoured.
    let other = server.url("/test/stream?count=1&fail_first=1&key=status-b&fail_status=503");
    assert_eq!(get(&other, &[]).await.status(), 503);
    let response = get(&other, &[]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("text/event-stream")
    );
}

#[tokio::test]
async fn fail_first_by_content_type_then_recovers() {
    let server = start().await;
    let url = server.url("/test/stream?count=1&fail_first=2&key=ct&fail_content_type=text/html");
    for _ in 0..2 {
        let response = get(&url, &[]).await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            header(&response, "content-type").as_deref(),
            Some("text/html")
        );
        assert!(!text(response).await.contains("id: 1"));
    }
    let response = get(&url, &[]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("text/event-stream")
    );
    let mut reader = SseReader::new(response);
    assert_eq!(reader.next_event().await.unwrap().id_u64(), 1);
}

/// GET `path_and_query` and return (status, content type), reading the
/// body only when it is expected to end (a successful stream is dropped).
async fn attempt(server: &common::TestServer, path_and_query: &str) -> (u16, String) {
    let response = get(&server.url(path_and_query), &[]).await;
    let status = response.status().as_u16();
    let content_type = header(&response, "content-type").unwrap_or_default();
    if content_type != "text/event-stream" {
        let body = text(response).await;
        assert!(!body.contains("id: "), "{path_and_query}: {body}");
    }
    (status, content_type)
}

const STREAM: (u16, &str) = (200, "text/event-stream");

fn failed(status: u16) -> (u16, String) {
    (status, "text/plain; charset=utf-8".to_owned())
}

#[tokio::test]
async fn fail_requests_fails_exactly_the_listed_ordinals() {
    let server = start().await;
    let url = "/test/stream?count=1&fail_requests=2,3&key=fr";
    let mut outcomes = Vec::new();
    for _ in 0..5 {
        outcomes.push(attempt(&server, url).await);
    }
    let stream = (STREAM.0, STREAM.1.to_owned());
    assert_eq!(
        outcomes,
        [
            stream.clone(),
            failed(500),
            failed(500),
            stream.clone(),
            stream
        ]
    );

    // The same failure shapes as `fail_first`.
    let status = "/test/stream?count=1&fail_requests=1&key=fr-status&fail_status=503";
    assert_eq!(attempt(&server, status).await, failed(503));
    assert_eq!(attempt(&server, status).await.0, 200);

    let typed = "/test/stream?count=1&fail_requests=1&key=fr-type&fail_content_type=text/html";
    assert_eq!(attempt(&server, typed).await, (200, "text/html".to_owned()));
    assert_eq!(attempt(&server, typed).await.1, "text/event-stream");

    // A request that is not listed streams normally.
    let ok = "/test/stream?count=2&fail_requests=1&key=fr-ok";
    assert_eq!(attempt(&server, ok).await, failed(500));
    let mut reader = open_stream(&server, ok, &[]).await;
    assert_eq!(ids(&reader.events(2).await), [1, 2]);
}

#[tokio::test]
async fn fail_first_and_fail_requests_share_one_counter_per_key() {
    let server = start().await;
    let stream = (STREAM.0, STREAM.1.to_owned());
    // Request numbers of key `shared`, whichever knob each request uses.
    for (nth, query, expected) in [
        (1, "fail_first=1", failed(500)),
        (2, "fail_requests=3", stream.clone()),
        (3, "fail_requests=3", failed(500)),
        (4, "fail_first=1", stream.clone()),
        // A request with the key but neither knob is numbered too...
        (5, "count=1", stream.clone()),
        // ...and so is one answered by `status`.
        (6, "status=418", failed(418)),
        (7, "fail_requests=7&fail_status=502", failed(502)),
        (8, "fail_first=1&fail_requests=8", failed(500)),
        (9, "fail_first=1&fail_requests=8", stream.clone()),
    ] {
        let outcome = attempt(&server, &format!("/test/stream?count=1&key=shared&{query}")).await;
        assert_eq!(outcome, expected, "request {nth}: {query}");
    }

    // Other keys count on their own; a 400 is not counted.
    assert_eq!(
        attempt(&server, "/test/stream?count=abc&key=other&fail_requests=1")
            .await
            .0,
        400
    );
    assert_eq!(
        attempt(&server, "/test/stream?count=1&key=other&fail_requests=1").await,
        failed(500)
    );
}

#[tokio::test]
async fn hang_requests_get_no_answer_for_a_while() {
    let server = start().await;
    let url = server.url("/test/stream?count=1&hang_requests=1&key=hang");
    let silent = tokio::time::timeout(Duration::from_millis(500), get(&url, &[])).await;
    assert!(silent.is_err(), "no status line within 500 ms");
    // The next request of the key is answered as usual.
    let mut reader = open_stream(
        &server,
        "/test/stream?count=1&hang_requests=1&key=hang",
        &[],
    )
    .await;
    assert_eq!(ids(&reader.events(1).await), [1]);
}

#[tokio::test]
async fn noid_requests_send_one_event_without_an_id_then_end() {
    let server = start().await;
    let url = "/test/stream?count=3&noid_requests=2&key=noid";
    let mut first = open_stream(&server, url, &[]).await;
    assert_eq!(ids(&first.events(3).await), [1, 2, 3]);
    let response = get(&server.url(url), &[("Last-Event-ID", "1")]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("text/event-stream")
    );
    let body = bounded("the one-event body to end", text(response)).await;
    assert_eq!(body, "event: beat\ndata: an event without an id\n\n");
}

#[tokio::test]
async fn planned_failure_wins_over_the_exhausted_204() {
    let server = start().await;
    let url = "/test/stream?count=3&lastEventId=3&fail_requests=1&key=before-204";
    assert_eq!(attempt(&server, url).await, failed(500));
    let response = get(&server.url(url), &[]).await;
    assert_eq!(response.status(), 204);
}

#[tokio::test]
async fn bad_query_values_are_400_text() {
    let server = start().await;
    for query in [
        "count=abc",
        "count=-1",
        "count=",
        "interval=1.5",
        "keepalive=soon",
        "size=big",
        "size=18446744073709551615",
        "size=16777217",
        "batch=10001",
        "count=1000000000000&batch=1000000000000",
        "end_after=x",
        "retry=-5",
        "status=abc",
        "status=42",
        "status=600",
        "format=xml",
        "malformed=1,x",
        "fail_first=2",
        "fail_first=1&key=k&fail_status=abc",
        "fail_requests=2",
        "fail_requests=1,x&key=k",
        "fail_requests=0&key=k",
        "fail_requests=2&key=k&fail_content_type=a%0Ab",
        "hang_requests=1",
        "noid_requests=0&key=k",
        "stall_after=x",
        "stall_after=-1",
        "event=a%0Ab",
        "content_type=a%0Ab",
    ] {
        let response = get(&server.url(&format!("/test/stream?{query}")), &[]).await;
        assert_bad_request(response, query).await;
    }
    // The server is still fine afterwards.
    let mut reader = open_stream(&server, "/test/stream?count=1", &[]).await;
    assert_eq!(reader.next_event().await.unwrap().id_u64(), 1);
}

#[tokio::test]
async fn graceful_shutdown_ends_open_streams() {
    let mut server = start().await;
    let mut reader = open_stream(&server, "/test/stream?count=1", &[]).await;
    assert_eq!(reader.next_event().await.unwrap().id_u64(), 1);
    let started = Instant::now();
    let task = server.stop();
    let result = bounded("server shutdown", task).await;
    assert!(matches!(result, Ok(Ok(()))), "{result:?}");
    // Well inside the 5 s grace period: streams ended, nothing was waited out.
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    // The held-open stream was ended by the shutdown, not left hanging.
    while reader.next_frame().await.is_some() {}
}
