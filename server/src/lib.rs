//! `sse-server`: the native server-sent events server used to test and demo
//! the `web-eventsource` wasm library.
//!
//! * `GET /test/stream` — a stream scripted by query parameters
//!   (see [`test_stream`]).
//! * `GET /test/connections?tag=T` — open/total stream counts per tag.
//! * `GET /test/echo-cookie` — echoes the `Cookie` header as an event.
//! * `GET /sse` — the MDN-style demo stream.
//! * everything else — static files from the `--www` directory.
//!
//! Every response carries CORS headers echoing the request's `Origin`.

pub mod body;
pub mod config;
pub mod connections;
pub mod cors;
pub mod demo;
pub mod echo_cookie;
pub mod fail_first;
pub mod params;
pub mod shutdown;
pub mod sse;
pub mod static_files;
pub mod test_stream;

use std::future::{Future, IntoFuture};
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::routing::get;
use axum::{middleware, Router};
use tokio::net::TcpListener;

pub use config::{parse_args, Command, Config};
pub use shutdown::Shutdown;

/// How long open connections get to finish after a shutdown signal before
/// the server stops waiting for them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// State shared by all handlers.
#[derive(Clone, Debug)]
pub struct AppState {
    /// Per-tag stream counters (`tag`, `/test/connections`).
    pub connections: Arc<connections::Connections>,
    /// Per-key request counters (`fail_first`).
    pub failures: Arc<fail_first::FailCounters>,
    /// Ends every streaming body when the server stops.
    pub shutdown: Shutdown,
}

/// The full application with a shutdown signal that never fires.
pub fn app(config: Config) -> Router {
    app_with_shutdown(&config, Shutdown::new())
}

/// The full application; every SSE body ends when `shutdown` fires.
pub fn app_with_shutdown(config: &Config, shutdown: Shutdown) -> Router {
    let state = AppState {
        connections: Arc::default(),
        failures: Arc::default(),
        shutdown,
    };
    Router::new()
        .route("/test/stream", get(test_stream::handler))
        .route("/test/connections", get(connections::handler))
        .route("/test/echo-cookie", get(echo_cookie::handler))
        .route("/sse", get(demo::handler))
        .with_state(state)
        .fallback_service(static_files::router(&config.www))
        .layer(middleware::from_fn(cors::cors))
}

/// Bind the listening socket described by `config` (port 0 = any free port).
pub async fn bind(config: &Config) -> io::Result<TcpListener> {
    TcpListener::bind(SocketAddr::new(config.bind, config.port)).await
}

/// Serve the application on `listener` until `signal` resolves, then end
/// all streams and shut down gracefully (waiting at most a few seconds for
/// connections to drain).
pub async fn serve<F>(listener: TcpListener, config: Config, signal: F) -> io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    let shutdown = Shutdown::new();
    let app = app_with_shutdown(&config, shutdown.clone());
    let trigger = shutdown.clone();
    let server = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            signal.await;
            trigger.trigger();
        })
        .into_future();
    let deadline = async {
        shutdown.wait().await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        result = server => result,
        () = deadline => Ok(()),
    }
}
