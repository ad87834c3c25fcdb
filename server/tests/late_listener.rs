//! `/test/late-listener` over real loopback HTTP: the port refuses
//! connections until the delay has passed, then serves the same application
//! (shared state, CORS), and stops with the main server.

mod common;

use std::io::ErrorKind;
use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use common::{
    assert_bad_request, assert_cors, bounded, get, header, start, text, SseReader, TestServer,
};
use tokio::net::TcpStream;

const ORIGIN: &str = "http://localhost:9999";

/// Ask for a late listener; returns its port after checking the answer.
async fn late_listener(server: &TestServer, delay_ms: u64) -> u16 {
    let response = get(
        &server.url(&format!("/test/late-listener?delay={delay_ms}")),
        &[("Origin", ORIGIN)],
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("application/json")
    );
    assert_cors(&response, ORIGIN);
    let value: serde_json::Value = serde_json::from_str(&text(response).await).expect("JSON");
    let port = value["port"].as_u64().expect("port");
    let port = u16::try_from(port).expect("port fits u16");
    assert_ne!(port, 0);
    assert_ne!(server.authority(), format!("127.0.0.1:{port}"));
    assert_eq!(value["url"], format!("http://127.0.0.1:{port}"));
    port
}

/// Whether a TCP connection to `port` is refused right now.
async fn refused(port: u16) -> bool {
    match bounded("connect", TcpStream::connect(("127.0.0.1", port))).await {
        Ok(_) => false,
        Err(err) if err.kind() == ErrorKind::ConnectionRefused => true,
        Err(err) => panic!("connect to {port}: {err}"),
    }
}

/// Poll until `port` accepts connections (bounded).
async fn wait_until_listening(port: u16) {
    bounded(&format!("port {port} to start listening"), async {
        while refused(port).await {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
}

#[tokio::test]
async fn refuses_until_the_delay_then_serves_the_same_app() {
    let server = start().await;
    let delay = Duration::from_millis(1000);
    let asked = Instant::now();
    let port = late_listener(&server, 1000).await;
    assert!(
        refused(port).await,
        "port {port} must refuse before the delay"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(refused(port).await, "port {port} must still refuse");

    wait_until_listening(port).await;
    let up_after = asked.elapsed();
    assert!(up_after >= delay, "listening after only {up_after:?}");

    // The same application, with CORS...
    let late = format!("http://127.0.0.1:{port}");
    let response = get(
        &format!("{late}/test/stream?count=2&key=late&tag=late-tag&keepalive=50"),
        &[("Origin", ORIGIN)],
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("text/event-stream")
    );
    assert_cors(&response, ORIGIN);
    let mut reader = SseReader::new(response);
    let events = reader.events(2).await;
    assert_eq!(events[0].id.as_deref(), Some("1"));
    assert_eq!(events[1].id.as_deref(), Some("2"));

    // ...over the same state: the main server sees the late request and
    // stream, and per-key numbering continues across both ports.
    let counted = get(&server.url("/test/connections?key=late"), &[]).await;
    assert_eq!(text(counted).await, r#"{"key":"late","requests":1}"#);
    let tagged = get(&server.url("/test/connections?tag=late-tag"), &[]).await;
    assert_eq!(
        text(tagged).await,
        r#"{"tag":"late-tag","open":1,"total":1}"#
    );
    let second = get(&server.url("/test/stream?fail_requests=2&key=late"), &[]).await;
    assert_eq!(
        second.status(),
        500,
        "request 2 of `late`, on the main port"
    );

    // And the late port answers a preflight like the main one.
    let preflight = bounded(
        "preflight",
        common::client()
            .request(reqwest::Method::OPTIONS, format!("{late}/test/stream"))
            .header("Origin", ORIGIN)
            .header("Access-Control-Request-Method", "GET")
            .send(),
    )
    .await
    .expect("preflight");
    assert!(preflight.status().is_success(), "{}", preflight.status());
    assert_eq!(
        header(&preflight, "access-control-allow-origin").as_deref(),
        Some(ORIGIN)
    );
}

#[tokio::test]
async fn port_is_reserved_where_the_request_arrived() {
    // Configured for every address but reached on 127.0.0.1: the late port
    // must be on 127.0.0.1 too, not on `0.0.0.0`.
    let server = common::start_claiming_bind(Ipv4Addr::UNSPECIFIED.into()).await;
    let port = late_listener(&server, 0).await;
    wait_until_listening(port).await;
}

#[tokio::test]
async fn late_listener_stops_with_the_main_server() {
    let mut server = start().await;
    let port = late_listener(&server, 0).await;
    wait_until_listening(port).await;
    let response = get(&format!("http://127.0.0.1:{port}/test/stream?count=1"), &[]).await;
    let mut reader = SseReader::new(response);
    assert_eq!(reader.next_event().await.unwrap().id.as_deref(), Some("1"));

    let started = Instant::now();
    let result = bounded("server shutdown", server.stop()).await;
    assert!(matches!(result, Ok(Ok(()))), "{result:?}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    // By the time `serve` returns the late port is closed again, and the
    // late stream was ended.
    assert!(refused(port).await, "port {port} outlived the server");
    while reader.next_frame().await.is_some() {}
}

#[tokio::test]
async fn shutdown_cancels_a_pending_late_listener() {
    let mut server = start().await;
    let port = late_listener(&server, 60_000).await;
    let started = Instant::now();
    let result = bounded("server shutdown", server.stop()).await;
    assert!(matches!(result, Ok(Ok(()))), "{result:?}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(refused(port).await);
}

#[tokio::test]
async fn bad_delays_are_400_text() {
    let server = start().await;
    for query in [
        "",
        "?delay=",
        "?delay=abc",
        "?delay=-1",
        "?delay=1.5",
        "?delay=60001",
    ] {
        let response = get(&server.url(&format!("/test/late-listener{query}")), &[]).await;
        assert_bad_request(response, query).await;
    }
}
