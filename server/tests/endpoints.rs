//! CORS, connection counting, cookie echo, the demo stream and static files.

mod common;

use std::time::Duration;

use common::{
    assert_bad_request, bounded, counts, get, header, key_requests, open_stream, raw_get, send,
    start, start_with_www, text, wait_for_counts, TempDir,
};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

const ORIGIN: &str = "http://localhost:9999";

fn assert_cors(response: &reqwest::Response) {
    common::assert_cors(response, ORIGIN);
}

fn assert_no_cors(response: &reqwest::Response) {
    assert_eq!(header(response, "access-control-allow-origin"), None);
    assert_eq!(header(response, "access-control-allow-credentials"), None);
}

#[tokio::test]
async fn cors_mirrors_the_origin_on_every_response() {
    let root = TempDir::new("cors");
    std::fs::write(root.0.join("page.html"), "<p>hi</p>").unwrap();
    let server = start_with_www(&root.0).await;
    let origin = [("Origin", ORIGIN)];

    let stream = get(&server.url("/test/stream?count=1"), &origin).await;
    assert_eq!(stream.status(), 200);
    assert_cors(&stream);

    let error = get(&server.url("/test/stream?count=abc"), &origin).await;
    assert_eq!(error.status(), 400);
    assert_cors(&error);

    // A refused token must reach the page with its status, so it needs CORS too.
    let unauthorized = get(&server.url("/test/stream?auth=t"), &origin).await;
    assert_eq!(unauthorized.status(), 401);
    assert_cors(&unauthorized);

    let echo = send(
        reqwest::Method::POST,
        &server.url("/test/echo"),
        &[("Origin", ORIGIN), ("Content-Type", "application/json")],
        "{}",
    )
    .await;
    assert_eq!(echo.status(), 200);
    assert_cors(&echo);

    let not_found = get(&server.url("/no/such/file.txt"), &origin).await;
    assert_eq!(not_found.status(), 404);
    assert_cors(&not_found);

    let file = get(&server.url("/page.html"), &origin).await;
    assert_eq!(file.status(), 200);
    assert_cors(&file);
    assert_eq!(text(file).await, "<p>hi</p>");

    let json = get(&server.url("/test/connections?tag=x"), &origin).await;
    assert_cors(&json);

    let without = get(&server.url("/test/stream?count=1"), &[]).await;
    assert_eq!(without.status(), 200);
    assert_no_cors(&without);
    let without_error = get(&server.url("/test/stream?count=abc"), &[]).await;
    assert_no_cors(&without_error);

    // A server that does not allow the page's origin, for the tests of a refusal.
    let refused = get(&server.url("/test/stream?count=1&cors=refuse"), &origin).await;
    assert_eq!(refused.status(), 200);
    assert_no_cors(&refused);
}

/// The names in a comma-separated header list, lower-cased.
fn listed(response: &reqwest::Response, name: &str) -> Vec<String> {
    header(response, name)
        .unwrap_or_default()
        .split(',')
        .map(|item| item.trim().to_ascii_lowercase())
        .collect()
}

#[tokio::test]
async fn cors_preflight_allows_what_the_fetch_transport_sends() {
    let server = start().await;
    // A bearer token, a POST body's type and a reconnect's Last-Event-ID, to a
    // stream and to a path that does not exist: the layer answers both.
    for path in ["/test/echo?key=p", "/no/such/path"] {
        let response = bounded(
            "preflight",
            common::client()
                .request(reqwest::Method::OPTIONS, server.url(path))
                .header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header(
                    "Access-Control-Request-Headers",
                    "authorization,content-type,last-event-id",
                )
                .send(),
        )
        .await
        .expect("preflight");
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        assert_cors(&response);
        let methods = listed(&response, "access-control-allow-methods");
        for method in ["get", "post", "put", "delete"] {
            assert!(methods.iter().any(|m| m == method), "{path}: {methods:?}");
        }
        let headers = listed(&response, "access-control-allow-headers");
        for name in ["authorization", "content-type", "last-event-id", "accept"] {
            assert!(headers.iter().any(|h| h == name), "{path}: {headers:?}");
        }
    }
    // The preflight was not a request to the echo.
    assert_eq!(key_requests(&server, "p").await, 0);
}

#[tokio::test]
async fn tag_counts_open_streams_until_the_client_drops() {
    let server = start().await;
    assert_eq!(counts(&server, "unknown").await, (0, 0));
    let missing = get(&server.url("/test/connections"), &[]).await;
    assert_eq!(missing.status(), 400);

    let mut reader = open_stream(&server, "/test/stream?count=1&tag=t1&keepalive=50", &[]).await;
    assert_eq!(reader.next_event().await.unwrap().id_u64(), 1);
    assert_eq!(counts(&server, "t1").await, (1, 1));

    let mut second = open_stream(&server, "/test/stream?count=1&tag=t1&keepalive=50", &[]).await;
    assert_eq!(second.next_event().await.unwrap().id_u64(), 1);
    assert_eq!(counts(&server, "t1").await, (2, 2));

    drop(reader);
    wait_for_counts(&server, "t1", (1, 2)).await;
    drop(second);
    wait_for_counts(&server, "t1", (0, 2)).await;

    // A stream that ends by itself also uncounts.
    let mut ending = open_stream(&server, "/test/stream?count=2&end_after=1&tag=t2", &[]).await;
    assert_eq!(ending.next_event().await.unwrap().id_u64(), 1);
    assert_eq!(ending.next_frame().await, None);
    wait_for_counts(&server, "t2", (0, 1)).await;
}

#[tokio::test]
async fn the_demo_stream_counts_under_its_tag() {
    let server = start().await;
    let mut reader = open_stream(&server, "/sse?tag=demo-t", &[]).await;
    assert_eq!(reader.next_event().await.unwrap().id.as_deref(), Some("1"));
    assert_eq!(counts(&server, "demo-t").await, (1, 1));
    drop(reader);
    wait_for_counts(&server, "demo-t", (0, 1)).await;
}

#[tokio::test]
async fn key_counts_stream_requests() {
    let server = start().await;
    assert_eq!(key_requests(&server, "k1").await, 0);

    let stream = get(&server.url("/test/stream?count=1&key=k1"), &[]).await;
    assert_eq!(stream.status(), 200);
    assert_eq!(key_requests(&server, "k1").await, 1);
    let failing = get(&server.url("/test/stream?fail_first=1&key=k1"), &[]).await;
    assert_eq!(failing.status(), 200, "request 2 is past fail_first=1");
    let failing = get(&server.url("/test/stream?fail_requests=3&key=k1"), &[]).await;
    assert_eq!(failing.status(), 500);
    let status = get(&server.url("/test/stream?status=503&key=k1"), &[]).await;
    assert_eq!(status.status(), 503);
    let done = get(
        &server.url("/test/stream?count=1&lastEventId=1&key=k1"),
        &[],
    )
    .await;
    assert_eq!(done.status(), 204);
    assert_eq!(key_requests(&server, "k1").await, 5);

    // Not counted: invalid requests, other keys, other endpoints.
    let bad = get(&server.url("/test/stream?count=x&key=k1"), &[]).await;
    assert_eq!(bad.status(), 400);
    get(&server.url("/test/stream?count=1&key=k2"), &[]).await;
    get(&server.url("/test/echo-cookie?key=k1"), &[]).await;
    assert_eq!(key_requests(&server, "k1").await, 5);
    assert_eq!(key_requests(&server, "k2").await, 1);
    drop(stream);
}

#[tokio::test]
async fn connections_needs_exactly_one_of_tag_and_key() {
    let server = start().await;
    for query in ["", "?tag=a&key=b", "?other=1", "?key=b&tag="] {
        let response = get(&server.url(&format!("/test/connections{query}")), &[]).await;
        assert_bad_request(response, query).await;
    }
    // Each form alone still works; an empty value is a value.
    assert_eq!(counts(&server, "a").await, (0, 0));
    assert_eq!(key_requests(&server, "").await, 0);
}

#[tokio::test]
async fn echo_cookie() {
    let server = start().await;
    let mut with = open_stream(
        &server,
        "/test/echo-cookie",
        &[("Cookie", "a=1; session=xyz")],
    )
    .await;
    let event = with.next_event().await.unwrap();
    assert_eq!(event.id.as_deref(), Some("1"));
    assert_eq!(event.data.as_deref(), Some("a=1; session=xyz"));

    let mut without = open_stream(&server, "/test/echo-cookie?keepalive=50", &[]).await;
    let event = without.next_event().await.unwrap();
    assert_eq!(event.raw, "id: 1\ndata: \n\n");
    assert!(
        without.next_frame().await.unwrap().is_comment(),
        "then holds with keep-alives"
    );
}

#[tokio::test]
async fn raw_serves_the_body_verbatim_then_ends() {
    let server = start().await;
    // CR and CRLF line ends and an event cut off mid-way arrive exactly as given.
    let body = "id: 1\rdata: a\r\n\r\ndata: cut";
    let response = get(
        &server.url("/test/raw?body=id%3A%201%0Ddata%3A%20a%0D%0A%0D%0Adata%3A%20cut"),
        &[],
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("text/event-stream")
    );
    assert_eq!(text(response).await, body, "the body, then its end");

    let empty = get(&server.url("/test/raw"), &[]).await;
    assert_eq!(empty.status(), 200);
    assert_eq!(text(empty).await, "");
}

fn parse_ping(frame: &common::Frame) -> OffsetDateTime {
    assert_eq!(frame.event.as_deref(), Some("ping"), "{frame:?}");
    let value: serde_json::Value =
        serde_json::from_str(frame.data.as_deref().expect("data")).expect("ping JSON");
    let time = value["time"].as_str().expect("time string");
    // `YYYY-MM-DDTHH:MM:SSZ`
    assert_eq!(time.len(), 20, "{time}");
    assert!(time.ends_with('Z') && time.as_bytes()[10] == b'T', "{time}");
    OffsetDateTime::parse(time, &Rfc3339).expect("ISO 8601 time")
}

#[tokio::test]
async fn demo_pings_with_iso_time_and_ids() {
    let server = start().await;
    let mut reader = open_stream(&server, "/sse", &[]).await;
    let first = bounded("first ping", reader.next_event()).await.unwrap();
    assert_eq!(first.id.as_deref(), Some("1"));
    let time = parse_ping(&first);
    let age = (OffsetDateTime::now_utc() - time).abs();
    assert!(
        age < time::Duration::seconds(5),
        "ping time {time} is off by {age}"
    );
}

#[tokio::test]
async fn demo_ids_continue_after_last_event_id() {
    let server = start().await;
    let mut reader = open_stream(&server, "/sse", &[("Last-Event-ID", "41")]).await;
    let events = reader.events(2).await;
    assert_eq!(events[0].id.as_deref(), Some("42"));
    parse_ping(&events[0]);
    assert_eq!(events[1].id.as_deref(), Some("43"));
    // The second is either the next ping or a random message.
    if events[1].event.is_some() {
        parse_ping(&events[1]);
    } else {
        assert!(events[1]
            .data
            .as_deref()
            .unwrap()
            .starts_with("This is a message at time "));
    }

    let mut by_query = open_stream(&server, "/sse?lastEventId=7", &[]).await;
    assert_eq!(
        by_query.next_event().await.unwrap().id.as_deref(),
        Some("8")
    );

    // The largest id: the ids stay there rather than overflow (a debug server panicked).
    let max = u64::MAX.to_string();
    let mut at_the_end = open_stream(&server, "/sse", &[("Last-Event-ID", &max)]).await;
    let events = at_the_end.events(2).await;
    assert_eq!(events[0].id.as_deref(), Some(max.as_str()));
    assert_eq!(events[1].id.as_deref(), Some(max.as_str()));
}

/// POSTs a fault for a demo client; returns the status.
async fn inject(server: &common::TestServer, query: &str) -> u16 {
    let url = server.url(&format!("/demo/fault?{query}"));
    bounded("POST /demo/fault", common::client().post(&url).send())
        .await
        .unwrap_or_else(|err| panic!("POST {url}: {err}"))
        .status()
        .as_u16()
}

#[tokio::test]
async fn demo_faults_end_fail_and_silence_a_clients_streams() {
    let server = start().await;
    // End: the open stream ends; the next one resumes after the last id.
    let mut reader = open_stream(&server, "/sse?client=c1", &[]).await;
    let first = reader.next_event().await.unwrap();
    assert_eq!(inject(&server, "client=c1&kind=end").await, 204);
    while reader.next_event().await.is_some() {}
    let last = first.id.clone().unwrap();
    let mut resumed = open_stream(&server, "/sse?client=c1", &[("Last-Event-ID", &last)]).await;
    let next = resumed.next_event().await.unwrap();
    assert_eq!(next.id_u64(), first.id_u64() + 1);

    // Fail: the open stream ends, the next two requests of that client get a 500, the
    // third streams; another client is not affected.
    assert_eq!(inject(&server, "client=c1&kind=fail&count=2").await, 204);
    while resumed.next_event().await.is_some() {}
    for _ in 0..2 {
        let response = get(&server.url("/sse?client=c1"), &[]).await;
        assert_eq!(response.status(), 500);
    }
    assert_eq!(get(&server.url("/sse?client=c2"), &[]).await.status(), 200);
    let mut again = open_stream(&server, "/sse?client=c1", &[]).await;
    assert!(again.next_event().await.is_some());

    // Silent: the open stream stops sending but stays open; a new one streams.
    assert_eq!(inject(&server, "client=c1&kind=silent").await, 204);
    let quiet = tokio::time::timeout(Duration::from_millis(1500), again.next_event()).await;
    assert!(
        quiet.is_err(),
        "nothing sent for 1.5 s, and the body did not end"
    );
    let mut fresh = open_stream(&server, "/sse?client=c1", &[]).await;
    assert!(
        fresh.next_event().await.is_some(),
        "a new stream is not silent"
    );

    // A silent stream still hears the next fault: End ends it (it waited for ever).
    assert_eq!(inject(&server, "client=c1&kind=end").await, 204);
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        while again.next_event().await.is_some() {}
    })
    .await;
    assert!(ended.is_ok(), "the silent stream ended on End");
}

#[tokio::test]
async fn demo_fault_requests_are_checked() {
    let server = start().await;
    assert_eq!(inject(&server, "kind=end").await, 400, "no client");
    assert_eq!(inject(&server, "client=c&kind=explode").await, 400);
    assert_eq!(inject(&server, "client=c").await, 400, "no kind");
    assert_eq!(inject(&server, "client=c&kind=fail&count=x").await, 400);
    // Without `client`, the demo stream is the plain one.
    let mut plain = open_stream(&server, "/sse", &[]).await;
    assert!(plain.next_event().await.is_some());
}

#[tokio::test]
async fn static_files_and_content_types() {
    let root = TempDir::new("static");
    let www = root.0.join("www");
    std::fs::create_dir_all(www.join("pkg")).unwrap();
    std::fs::write(www.join("index.html"), "<!doctype html><title>demo</title>").unwrap();
    std::fs::write(www.join("pkg/app.js"), "export const x = 1;").unwrap();
    std::fs::write(www.join("pkg/app_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let server = start_with_www(&www).await;

    let index = get(&server.url("/"), &[]).await;
    assert_eq!(index.status(), 200);
    assert!(header(&index, "content-type")
        .unwrap()
        .starts_with("text/html"));
    assert_eq!(text(index).await, "<!doctype html><title>demo</title>");

    let js = get(&server.url("/pkg/app.js"), &[]).await;
    assert_eq!(js.status(), 200);
    assert_eq!(
        header(&js, "content-type").as_deref(),
        Some("text/javascript")
    );

    let wasm = get(&server.url("/pkg/app_bg.wasm"), &[]).await;
    assert_eq!(wasm.status(), 200);
    assert_eq!(
        header(&wasm, "content-type").as_deref(),
        Some("application/wasm")
    );
    assert_eq!(
        bounded("wasm body", wasm.bytes()).await.unwrap().as_ref(),
        b"\0asm\x01\0\0\0"
    );

    assert_eq!(get(&server.url("/missing.js"), &[]).await.status(), 404);
}

#[tokio::test]
async fn static_files_refuse_path_traversal() {
    let root = TempDir::new("traversal");
    let www = root.0.join("www");
    std::fs::create_dir_all(&www).unwrap();
    std::fs::write(www.join("index.html"), "inside").unwrap();
    let secret = "SECRET-OUTSIDE-THE-ROOT";
    std::fs::write(root.0.join("outside.txt"), secret).unwrap();
    let server = start_with_www(&www).await;

    // Sanity: a raw request for a file inside the root works.
    let (status, response) = raw_get(&server, "/index.html").await;
    assert_eq!(status, 200);
    assert!(response.ends_with("inside"));

    for target in [
        "/../outside.txt",
        "/%2e%2e/outside.txt",
        "/%2E%2E/outside.txt",
        "/..%2foutside.txt",
        "/..%2Foutside.txt",
        "/www/../../outside.txt",
        "/./../outside.txt",
        "/%2e%2e%2foutside.txt",
        "/..%5coutside.txt",
    ] {
        let (status, response) = raw_get(&server, target).await;
        assert!(status == 400 || status == 404, "{target}: status {status}");
        assert!(!response.contains(secret), "{target} leaked the file");
    }
}

#[tokio::test]
async fn missing_www_serves_nothing() {
    let server = start().await;
    assert_eq!(get(&server.url("/"), &[]).await.status(), 404);
    assert_eq!(get(&server.url("/index.html"), &[]).await.status(), 404);
}
