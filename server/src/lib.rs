//! `sse-server`: the native server-sent events server used to test and demo
//! the `web-eventsource` wasm library.
//!
//! * `GET /test/stream` — a stream scripted by query parameters, `auth`
//!   included (see [`test_stream`]).
//! * `/test/echo`, any method — one event echoing the method, headers and
//!   body received (see [`echo`]).
//! * `GET`/`POST /test/raw` — exactly the bytes, status and content type
//!   asked for, for bad-input tests (see [`raw`]).
//! * `GET /test/connections?tag=T` — open/total stream counts per tag;
//!   `?key=K` — how many `/test/stream`, `/test/echo` and `/test/raw`
//!   requests carried that key.
//! * `GET /test/late-listener?delay=MS` — a free port that refuses
//!   connections until `delay` ms later, then serves this same application
//!   (see [`late_listener`]).
//! * `GET /test/echo-cookie` — echoes the `Cookie` header as an event.
//! * `GET /sse` — the MDN-style demo stream; `?client=ID` lets
//!   `POST /demo/fault?client=ID&kind=end|fail|silent` inject faults into it
//!   (see [`demo_faults`]); `?auth=TOKEN` requires `Authorization: Bearer
//!   TOKEN` (see [`demo`], [`auth`]); `?tag=T` counts it as `/test/stream`'s
//!   `tag` does.
//! * everything else — static files from the `--www` directory.
//!
//! Every response to a request with an `Origin` carries CORS headers
//! mirroring it, with credentials allowed; preflights for the methods and
//! headers the fetch transport uses are answered (see [`cors`]).
//! State (tag counts, per-key request numbers) is shared by every listener
//! of one application.

pub mod auth;
pub mod body;
pub mod config;
pub mod connections;
pub mod cors;
pub mod demo;
pub mod demo_faults;
pub mod echo;
pub mod echo_cookie;
pub mod failures;
pub mod late_listener;
pub mod params;
pub mod query_bytes;
pub mod raw;
pub mod requests;
pub mod shutdown;
pub mod sse;
pub mod static_files;
pub mod test_stream;

use std::future::{Future, IntoFuture};
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::routing::{any, get, post};
use axum::Router;
use tokio::net::TcpListener;

pub use config::{parse_args, Command, Config};
pub use shutdown::Shutdown;

/// How long open connections get to finish after a shutdown signal before
/// the server stops waiting for them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// State shared by all handlers (and by every listener of one app).
#[derive(Clone, Debug)]
pub struct AppState {
    /// Where the app listens and what it serves.
    pub config: Arc<Config>,
    /// Per-tag stream counters (`tag`, `/test/connections?tag=`).
    pub connections: Arc<connections::Connections>,
    /// Per-key request counters (`key` on `/test/stream`, `/test/echo` and
    /// `/test/raw`, `fail_first`, `fail_requests`, `/test/connections?key=`).
    pub requests: Arc<requests::RequestCounters>,
    /// Faults injected into the demo stream, per demo client.
    pub demo_faults: Arc<demo_faults::DemoFaults>,
    /// Listeners started by `/test/late-listener`.
    pub late_listeners: Arc<late_listener::LateListeners>,
    /// Ends every streaming body (and late listener) when the server stops.
    pub shutdown: Shutdown,
}

impl AppState {
    /// Fresh, empty state for one application.
    pub fn new(config: &Config, shutdown: Shutdown) -> Self {
        Self {
            config: Arc::new(config.clone()),
            connections: Arc::default(),
            requests: Arc::default(),
            demo_faults: Arc::default(),
            late_listeners: Arc::default(),
            shutdown,
        }
    }
}

/// The full application with a shutdown signal that never fires.
pub fn app(config: Config) -> Router {
    app_with_shutdown(&config, Shutdown::new())
}

/// The full application; every SSE body ends when `shutdown` fires.
pub fn app_with_shutdown(config: &Config, shutdown: Shutdown) -> Router {
    router(AppState::new(config, shutdown))
}

/// The full application over existing `state`; a late listener serves
/// another router over the same state.
pub fn router(state: AppState) -> Router {
    let www = state.config.www.clone();
    Router::new()
        .route("/test/stream", get(test_stream::handler))
        .route("/test/connections", get(connections::handler))
        .route("/test/late-listener", get(late_listener::handler))
        .route("/test/echo", any(echo::handler))
        .route("/test/raw", get(raw::handler).post(raw::handler))
        .route("/test/echo-cookie", get(echo_cookie::handler))
        .route("/sse", get(demo::handler))
        .route("/demo/fault", post(demo_faults::handler))
        .with_state(state)
        .fallback_service(static_files::router(&www))
        .layer(cors::layer())
}

/// Bind the listening socket described by `config` (port 0 = any free port).
pub async fn bind(config: &Config) -> io::Result<TcpListener> {
    TcpListener::bind(SocketAddr::new(config.bind, config.port)).await
}

/// Serve the application on `listener` until `signal` resolves, then end
/// all streams, stop any late listeners and shut down gracefully (waiting at
/// most a few seconds for connections to drain).
pub async fn serve<F>(listener: TcpListener, config: Config, signal: F) -> io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    let shutdown = Shutdown::new();
    let state = AppState::new(&config, shutdown.clone());
    let late_listeners = Arc::clone(&state.late_listeners);
    let app = router(state).into_make_service_with_connect_info::<late_listener::LocalAddr>();
    let trigger = shutdown.clone();
    let server = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            signal.await;
            trigger.trigger();
        })
        .into_future();
    let everything = async {
        let result = server.await;
        // However the main server ended, its late listeners end with it.
        shutdown.trigger();
        late_listeners.wait().await;
        result
    };
    let deadline = async {
        shutdown.wait().await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    let result = tokio::select! {
        result = everything => result,
        () = deadline => Ok(()),
    };
    // Normally all gone already; after the grace period, close them anyway.
    late_listeners.abort_all();
    result
}
