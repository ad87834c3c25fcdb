//! Shared helpers for the integration tests: an in-process server on
//! 127.0.0.1:0, an HTTP client, a tiny SSE frame reader and raw HTTP.
//!
//! Every wait is bounded so a broken server fails a test instead of hanging.

#![allow(dead_code)] // each test binary uses a different subset

use std::future::Future;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::stream::{BoxStream, StreamExt};
use sse_server::Config;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Upper bound for any single wait in the tests.
pub const WAIT: Duration = Duration::from_secs(10);

/// Run `future` with the [`WAIT`] bound, panicking with `what` on timeout.
pub async fn bounded<T>(what: &str, future: impl Future<Output = T>) -> T {
    match tokio::time::timeout(WAIT, future).await {
        Ok(value) => value,
        Err(_) => panic!("timed out after {WAIT:?}: {what}"),
    }
}

/// A server running inside the test process.
pub struct TestServer {
    pub base: String,
    stop: Option<oneshot::Sender<()>>,
    pub task: Option<JoinHandle<std::io::Result<()>>>,
}

impl TestServer {
    /// `base` + `path_and_query`.
    pub fn url(&self, path_and_query: &str) -> String {
        format!("{}{}", self.base, path_and_query)
    }

    /// The `host:port` the server listens on.
    pub fn authority(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// Send the shutdown signal and return the server task.
    pub fn stop(&mut self) -> JoinHandle<std::io::Result<()>> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task.take().expect("server already stopped")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

/// Start the app on 127.0.0.1 with an OS-chosen port, serving `www`.
pub async fn start_with_www(www: &Path) -> TestServer {
    start_with_config(www, None).await
}

/// Start the app listening on 127.0.0.1 (OS-chosen port) while its config
/// claims `bind`, as if `--bind` had named another address.
pub async fn start_claiming_bind(bind: IpAddr) -> TestServer {
    start_with_config(Path::new("/nonexistent/sse-server-test-www"), Some(bind)).await
}

async fn start_with_config(www: &Path, claimed_bind: Option<IpAddr>) -> TestServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local addr");
    let config = Config {
        bind: claimed_bind.unwrap_or(addr.ip()),
        port: addr.port(),
        www: www.to_path_buf(),
    };
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(sse_server::serve(listener, config, async move {
        let _ = stopped.await;
    }));
    TestServer {
        base: format!("http://{addr}"),
        stop: Some(stop),
        task: Some(task),
    }
}

/// Start the app with a static root that does not exist.
pub async fn start() -> TestServer {
    start_with_www(Path::new("/nonexistent/sse-server-test-www")).await
}

/// A client that talks straight to loopback (no proxies from the
/// environment).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("build client")
}

/// GET `url` with extra headers; bounded.
pub async fn get(url: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = client().get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    bounded(&format!("GET {url}"), request.send())
        .await
        .unwrap_or_else(|err| panic!("GET {url}: {err}"))
}

/// Send `method` to `url` with extra headers and a body; bounded.
pub async fn send(
    method: reqwest::Method,
    url: &str,
    headers: &[(&str, &str)],
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    let mut request = client().request(method.clone(), url).body(body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    bounded(&format!("{method} {url}"), request.send())
        .await
        .unwrap_or_else(|err| panic!("{method} {url}: {err}"))
}

/// The whole body of a response that is expected to end; bounded.
pub async fn text(response: reqwest::Response) -> String {
    bounded("reading body", response.text())
        .await
        .expect("read body")
}

/// Asserts the CORS headers of an answer to a request from `origin`: the origin echoed,
/// credentials allowed, and `Vary: Origin`.
pub fn assert_cors(response: &reqwest::Response, origin: &str) {
    assert_eq!(
        header(response, "access-control-allow-origin").as_deref(),
        Some(origin)
    );
    assert_eq!(
        header(response, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    // Header names are case-insensitive, in `Vary` too.
    let vary: Vec<_> = response.headers().get_all("vary").iter().collect();
    assert!(
        vary.iter()
            .flat_map(|value| value.to_str().unwrap().split(','))
            .any(|name| name.trim().eq_ignore_ascii_case("origin")),
        "vary: {vary:?}"
    );
}

/// Asserts the answer to a request with a bad value: a `400` with a text/plain body
/// that starts `bad request: `. `what` names the request in failure messages.
pub async fn assert_bad_request(response: reqwest::Response, what: &str) {
    assert_eq!(response.status(), 400, "{what}");
    let content_type = header(&response, "content-type").unwrap_or_default();
    assert!(
        content_type.starts_with("text/plain"),
        "{what}: {content_type}"
    );
    let body = text(response).await;
    assert!(body.starts_with("bad request: "), "{what}: {body}");
}

/// `(open, total)` of `/test/connections?tag=TAG`.
pub async fn counts(server: &TestServer, tag: &str) -> (u64, u64) {
    let response = get(&server.url(&format!("/test/connections?tag={tag}")), &[]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("application/json")
    );
    let value: serde_json::Value = serde_json::from_str(&text(response).await).expect("JSON");
    assert_eq!(value["tag"], tag);
    (
        value["open"].as_u64().expect("open"),
        value["total"].as_u64().expect("total"),
    )
}

/// Poll until the counts for `tag` equal `expected` (bounded).
pub async fn wait_for_counts(server: &TestServer, tag: &str, expected: (u64, u64)) {
    bounded(&format!("counts for {tag} to become {expected:?}"), async {
        loop {
            if counts(server, tag).await == expected {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    })
    .await;
}

/// How many requests `/test/connections?key=KEY` reports.
pub async fn key_requests(server: &TestServer, key: &str) -> u64 {
    let response = get(&server.url(&format!("/test/connections?key={key}")), &[]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("application/json")
    );
    let value: serde_json::Value = serde_json::from_str(&text(response).await).expect("JSON");
    assert_eq!(value.as_object().map(|o| o.len()), Some(2), "{value}");
    assert_eq!(value["key"], key);
    value["requests"].as_u64().expect("requests")
}

/// One parsed SSE block (everything up to a blank line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frame {
    /// The block exactly as received, including its final blank line.
    pub raw: String,
    pub id: Option<String>,
    pub event: Option<String>,
    /// `data:` lines joined with `\n`, as a browser would.
    pub data: Option<String>,
    pub retry: Option<String>,
    pub comments: Vec<String>,
}

impl Frame {
    fn parse(raw: String) -> Self {
        let mut frame = Frame::default();
        for line in raw.split('\n').filter(|line| !line.is_empty()) {
            if let Some(comment) = line.strip_prefix(':') {
                frame.comments.push(comment.trim_start().to_owned());
                continue;
            }
            let (field, value) = line.split_once(':').unwrap_or((line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value).to_owned();
            match field {
                "id" => frame.id = Some(value),
                "event" => frame.event = Some(value),
                "retry" => frame.retry = Some(value),
                "data" => {
                    frame.data = Some(match frame.data.take() {
                        Some(before) => format!("{before}\n{value}"),
                        None => value,
                    })
                }
                other => panic!("unexpected field {other:?} in {raw:?}"),
            }
        }
        frame.raw = raw;
        frame
    }

    /// Whether this block is only comments (a keep-alive).
    pub fn is_comment(&self) -> bool {
        self.id.is_none() && self.data.is_none() && self.retry.is_none() && self.event.is_none()
    }

    pub fn id_u64(&self) -> u64 {
        self.id
            .as_deref()
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("frame without numeric id: {self:?}"))
    }
}

/// Reads an SSE body block by block.
pub struct SseReader {
    body: BoxStream<'static, reqwest::Result<axum::body::Bytes>>,
    buffer: Vec<u8>,
    ended: bool,
}

impl SseReader {
    pub fn new(response: reqwest::Response) -> Self {
        Self {
            body: response.bytes_stream().boxed(),
            buffer: Vec::new(),
            ended: false,
        }
    }

    /// The next complete block, or `None` once the body has ended. Panics
    /// after [`WAIT`].
    pub async fn next_frame(&mut self) -> Option<Frame> {
        bounded("waiting for an SSE block", self.next_frame_unbounded()).await
    }

    async fn next_frame_unbounded(&mut self) -> Option<Frame> {
        loop {
            if let Some(end) = find(&self.buffer, b"\n\n") {
                let block: Vec<u8> = self.buffer.drain(..end + 2).collect();
                let raw = String::from_utf8(block).expect("UTF-8 block");
                return Some(Frame::parse(raw));
            }
            if self.ended {
                assert!(
                    self.buffer.is_empty(),
                    "body ended inside a block: {:?}",
                    String::from_utf8_lossy(&self.buffer)
                );
                return None;
            }
            match self.body.next().await {
                Some(Ok(chunk)) => self.buffer.extend_from_slice(&chunk),
                Some(Err(err)) => panic!("body error: {err}"),
                None => self.ended = true,
            }
        }
    }

    /// The next block that is not a keep-alive comment.
    pub async fn next_event(&mut self) -> Option<Frame> {
        loop {
            match self.next_frame().await {
                Some(frame) if frame.is_comment() => continue,
                other => return other,
            }
        }
    }

    /// Exactly `n` events (panics if the body ends first).
    pub async fn events(&mut self, n: usize) -> Vec<Frame> {
        let mut events = Vec::with_capacity(n);
        while events.len() < n {
            match self.next_event().await {
                Some(event) => events.push(event),
                None => panic!(
                    "body ended after {} of {n} events: {events:?}",
                    events.len()
                ),
            }
        }
        events
    }

    /// Read at least `len` raw bytes (for exact-format checks).
    pub async fn raw_prefix(&mut self, len: usize) -> String {
        bounded("reading raw bytes", async {
            while self.buffer.len() < len && !self.ended {
                match self.body.next().await {
                    Some(Ok(chunk)) => self.buffer.extend_from_slice(&chunk),
                    Some(Err(err)) => panic!("body error: {err}"),
                    None => self.ended = true,
                }
            }
        })
        .await;
        String::from_utf8_lossy(&self.buffer).into_owned()
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Open an SSE stream at `path_and_query`, checking status and content type.
pub async fn open_stream(
    server: &TestServer,
    path_and_query: &str,
    headers: &[(&str, &str)],
) -> SseReader {
    let response = get(&server.url(path_and_query), headers).await;
    assert_eq!(response.status(), 200, "GET {path_and_query}");
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("text/event-stream"),
        "GET {path_and_query}"
    );
    SseReader::new(response)
}

/// A response header as a string.
pub fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .map(|value| value.to_str().expect("ASCII header").to_owned())
}

/// Send one raw HTTP/1.1 request line as written (no client-side URL
/// normalisation) and return (status, whole response text).
pub async fn raw_get(server: &TestServer, target: &str) -> (u16, String) {
    bounded(&format!("raw GET {target}"), async {
        let mut stream = TcpStream::connect(server.authority())
            .await
            .expect("connect");
        let request = format!(
            "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.authority()
        );
        stream.write_all(request.as_bytes()).await.expect("write");
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await.expect("read");
        let response = String::from_utf8_lossy(&response).into_owned();
        let status = response
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("no status line in {response:?}"));
        (status, response)
    })
    .await
}

/// A fresh, empty directory under the system temp dir; removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(label: &str) -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!(
            "sse-server-{label}-{}-{}-{nanos}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
