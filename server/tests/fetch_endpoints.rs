//! What the fetch transport's browser tests rely on, over real loopback
//! HTTP: `auth` on `/sse` and `/test/stream`, `/test/echo` and `/test/raw`.

mod common;

use std::time::Duration;

use common::{
    assert_bad_request, bounded, counts, get, header, key_requests, open_stream, send, start, text,
    wait_for_counts, SseReader, TestServer,
};
use futures_util::StreamExt;
use reqwest::Method;

/// The demo stream and the test stream, each with `auth=s3cret`.
const AUTH_STREAMS: [&str; 2] = ["/sse?auth=s3cret", "/test/stream?count=1&auth=s3cret"];

/// Asserts a `401` text/plain whose body contains `why`.
async fn assert_unauthorized(response: reqwest::Response, why: &str) {
    assert_eq!(response.status(), 401, "{why}");
    assert!(
        header(&response, "content-type")
            .unwrap_or_default()
            .starts_with("text/plain"),
        "{why}"
    );
    assert_eq!(
        header(&response, "www-authenticate").as_deref(),
        Some("Bearer")
    );
    let body = text(response).await;
    assert!(
        body.starts_with("unauthorized: ") && body.contains(why),
        "{body}"
    );
}

#[tokio::test]
async fn auth_refuses_a_missing_or_wrong_token_and_streams_for_the_right_one() {
    let server = start().await;
    for path in AUTH_STREAMS {
        let url = server.url(path);
        assert_unauthorized(get(&url, &[]).await, "none was sent").await;
        let wrong = [("Authorization", "Bearer s3cre")];
        assert_unauthorized(get(&url, &wrong).await, "token is wrong").await;
        let basic = [("Authorization", "Basic s3cret")];
        assert_unauthorized(get(&url, &basic).await, "`Basic` scheme").await;

        let mut reader = open_stream(&server, path, &[("Authorization", "Bearer s3cret")]).await;
        let first = reader.next_event().await.expect("an event");
        assert_eq!(first.id.as_deref(), Some("1"), "{path}");

        let empty = path.replace("s3cret", "");
        assert_bad_request(get(&server.url(&empty), &[]).await, &empty).await;
    }
}

#[tokio::test]
async fn a_refused_test_stream_request_still_counts_under_its_key() {
    let server = start().await;
    let url = server.url("/test/stream?count=1&auth=t&key=auth-k");
    assert_eq!(get(&url, &[]).await.status(), 401);
    assert_eq!(
        get(&url, &[("Authorization", "Bearer x")]).await.status(),
        401
    );
    assert_eq!(key_requests(&server, "auth-k").await, 2);
    let admitted = get(&url, &[("Authorization", "Bearer t")]).await;
    assert_eq!(admitted.status(), 200);
    assert_eq!(key_requests(&server, "auth-k").await, 3);
    // `auth` wins over `status`.
    let status = server.url("/test/stream?auth=t&status=503");
    assert_eq!(get(&status, &[]).await.status(), 401);
    assert_eq!(
        get(&status, &[("Authorization", "Bearer t")])
            .await
            .status(),
        503
    );
}

/// The one event of an echo, its JSON parsed; checks the event's id is the
/// request number.
async fn echo_of(response: reqwest::Response) -> (SseReader, serde_json::Value) {
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("text/event-stream")
    );
    let mut reader = SseReader::new(response);
    let event = reader.next_event().await.expect("the echo event");
    let data = event.data.as_deref().expect("data");
    assert!(!data.contains('\n'), "one data line: {data:?}");
    let value: serde_json::Value = serde_json::from_str(data).expect("JSON");
    assert_eq!(Some(event.id_u64()), value["request"].as_u64(), "{value}");
    (reader, value)
}

#[tokio::test]
async fn echo_reports_method_headers_and_body() {
    let server = start().await;
    let url = server.url("/test/echo");
    let cases: [(Method, &[u8]); 4] = [
        (Method::GET, b""),
        (Method::POST, "{\"q\":\"héllo\nworld\"}".as_bytes()),
        (Method::PUT, b"put body"),
        (Method::DELETE, b"bad \xff byte"),
    ];
    for (method, body) in cases {
        let headers = [
            ("Authorization", "Bearer abc"),
            ("Last-Event-ID", "41"),
            ("X-Twice", "one"),
            ("X-Twice", "two"),
            ("Content-Type", "application/json"),
        ];
        let response = send(method.clone(), &url, &headers, body.to_vec()).await;
        let (mut reader, echo) = echo_of(response).await;
        assert_eq!(echo["method"], method.as_str());
        assert_eq!(echo["query"], "", "no query string");
        assert_eq!(echo["request"], 1, "without a key");
        assert_eq!(
            echo["body"],
            String::from_utf8_lossy(body).as_ref(),
            "{method}"
        );
        let sent = &echo["headers"];
        assert_eq!(sent["authorization"], "Bearer abc");
        assert_eq!(sent["last-event-id"], "41");
        assert_eq!(sent["x-twice"], "one, two");
        assert_eq!(sent["content-type"], "application/json");
        assert!(sent["host"].as_str().is_some(), "{sent}");
        assert_eq!(
            reader.next_frame().await,
            None,
            "the body ends after the echo"
        );
    }
}

#[tokio::test]
async fn echo_numbers_requests_under_a_key_and_sends_retry_first() {
    let server = start().await;
    let url = server.url("/test/echo?key=echo-k&retry=1500");
    for n in 1..=3 {
        let response = send(Method::POST, &url, &[], "b").await;
        let mut reader = SseReader::new(response);
        let retry = reader.next_frame().await.expect("a block");
        let expected_prefix = format!(
            "retry: 1500\nid: {n}\ndata: {{\"method\":\"POST\",\"query\":\"key=echo-k&retry=1500\""
        );
        assert!(retry.raw.starts_with(&expected_prefix), "{:?}", retry.raw);
    }
    assert_eq!(key_requests(&server, "echo-k").await, 3);
    // The key is the one counter `/test/stream` uses too.
    let stream = get(
        &server.url("/test/stream?count=1&key=echo-k&end_after=1"),
        &[],
    )
    .await;
    assert_eq!(stream.status(), 200);
    let (_, echo) =
        echo_of(get(&server.url("/test/echo?key=echo-k&lastEventId=a%20b"), &[]).await).await;
    assert_eq!(echo["request"], 5);
    assert_eq!(echo["query"], "key=echo-k&lastEventId=a%20b", "as received");

    for query in ["hold=2", "retry=x", "keepalive=-1"] {
        let response = get(&server.url(&format!("/test/echo?key=bad&{query}")), &[]).await;
        assert_bad_request(response, query).await;
    }
    assert_eq!(
        key_requests(&server, "bad").await,
        0,
        "invalid requests are not counted"
    );
}

#[tokio::test]
async fn echo_linger_ends_the_body_that_long_after_the_event() {
    let server = start().await;
    let started = std::time::Instant::now();
    let (mut reader, echo) = echo_of(get(&server.url("/test/echo?linger=300"), &[]).await).await;
    assert_eq!(echo["request"], 1);
    assert_eq!(reader.next_frame().await, None, "the body ends");
    let took = started.elapsed();
    assert!(
        took >= std::time::Duration::from_millis(300),
        "ended after {took:?}"
    );
}

#[tokio::test]
async fn echo_hold_stays_open_counted_under_its_tag() {
    let server = start().await;
    let url = server.url("/test/echo?hold=1&tag=echo-t&keepalive=50");
    let (mut reader, echo) = echo_of(get(&url, &[]).await).await;
    assert_eq!(echo["method"], "GET");
    assert!(
        reader.next_frame().await.unwrap().is_comment(),
        "keep-alives"
    );
    assert_eq!(counts(&server, "echo-t").await, (1, 1));
    drop(reader);
    wait_for_counts(&server, "echo-t", (0, 1)).await;
}

/// The whole body of a `/test/raw` answer, as bytes; checks the status.
async fn raw_body(server: &TestServer, method: Method, query: &str, status: u16) -> Vec<u8> {
    let response = send(method, &server.url(&format!("/test/raw?{query}")), &[], "").await;
    assert_eq!(response.status(), status, "{query}");
    bounded("raw body", response.bytes())
        .await
        .expect("raw body")
        .to_vec()
}

#[tokio::test]
async fn raw_sends_exactly_the_bytes_asked_for() {
    let server = start().await;
    for method in [Method::GET, Method::POST] {
        let response = send(
            method.clone(),
            &server.url("/test/raw?body=id%3A+a%00b%0Adata%3A%20%FF%FE%0D%0A%0Ad"),
            &[],
            "ignored",
        )
        .await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            header(&response, "content-type").as_deref(),
            Some("text/event-stream")
        );
        let bytes = bounded("raw body", response.bytes()).await.unwrap();
        assert_eq!(&bytes[..], b"id: a\0b\ndata: \xff\xfe\r\n\nd", "{method}");
    }
    assert!(raw_body(&server, Method::GET, "", 200).await.is_empty());
    let repeated = raw_body(&server, Method::GET, "body=%00%FF&repeat=3", 200).await;
    assert_eq!(repeated, b"\0\xff\0\xff\0\xff");
}

#[tokio::test]
async fn raw_repeat_streams_ten_megabytes() {
    let server = start().await;
    const LEN: usize = 10 * 1024 * 1024;
    let response = get(&server.url(&format!("/test/raw?body=x&repeat={LEN}")), &[]).await;
    assert_eq!(response.status(), 200);
    // Count as it arrives rather than hold it all.
    let mut body = response.bytes_stream();
    let (mut len, mut frames, mut only_x) = (0, 0, true);
    bounded("10 MB of x", async {
        while let Some(chunk) = body.next().await {
            let chunk = chunk.expect("chunk");
            only_x &= chunk.iter().all(|&byte| byte == b'x');
            len += chunk.len();
            frames += 1;
        }
    })
    .await;
    assert_eq!(len, LEN);
    assert!(only_x, "nothing but x");
    assert!(frames > 1, "streamed, not one piece");
}

#[tokio::test]
async fn raw_status_and_content_type() {
    let server = start().await;
    let html = "<html><body>Server error</body></html>";
    let query = "status=500&content_type=text/html;+charset=utf-8&body=%3Chtml%3E%3Cbody%3EServer+error%3C%2Fbody%3E%3C%2Fhtml%3E";
    let response = get(&server.url(&format!("/test/raw?{query}")), &[]).await;
    assert_eq!(response.status(), 500);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(text(response).await, html);

    let untyped = get(
        &server.url("/test/raw?content_type=&body=data%3A+1%0A%0A"),
        &[],
    )
    .await;
    assert_eq!(untyped.status(), 200);
    assert_eq!(header(&untyped, "content-type"), None);
    assert_eq!(text(untyped).await, "data: 1\n\n");

    for query in ["status=42", "repeat=x", "then=never", "content_type=a%0Ab"] {
        let response = get(&server.url(&format!("/test/raw?key=raw-bad&{query}")), &[]).await;
        assert_bad_request(response, query).await;
    }
    assert_eq!(key_requests(&server, "raw-bad").await, 0);
}

#[tokio::test]
async fn raw_then_hang_holds_the_body_silently_until_the_client_goes() {
    let server = start().await;
    let response = get(
        &server.url("/test/raw?body=data%3A+cut&then=hang&tag=raw-t&key=raw-k"),
        &[],
    )
    .await;
    assert_eq!(response.status(), 200);
    let mut body = response.bytes_stream();
    let mut received = Vec::new();
    while received.len() < b"data: cut".len() {
        let chunk = bounded("the bytes", body.next()).await;
        received.extend_from_slice(&chunk.expect("not ended").expect("chunk"));
    }
    assert_eq!(received, b"data: cut");
    let quiet = tokio::time::timeout(Duration::from_millis(1500), body.next()).await;
    assert!(
        quiet.is_err(),
        "nothing more for 1.5 s, and the body did not end"
    );
    assert_eq!(counts(&server, "raw-t").await, (1, 1));
    assert_eq!(key_requests(&server, "raw-k").await, 1);
    drop(body);
    wait_for_counts(&server, "raw-t", (0, 1)).await;

    // `then=end` (the default) ends the body, and the tag counts it while it lived.
    let ended = raw_body(&server, Method::POST, "body=x&tag=raw-e&then=end", 200).await;
    assert_eq!(ended, b"x");
    wait_for_counts(&server, "raw-e", (0, 1)).await;
}
