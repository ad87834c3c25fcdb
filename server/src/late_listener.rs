//! `GET /test/late-listener?delay=MS`: a port that refuses connections at
//! first and serves this same application `delay` ms later.
//!
//! A reconnect policy must survive "the server is not up yet": the
//! connection is refused, so the browser reports an error without any HTTP
//! response. The answer names a free port at once (`{"port":P,"url":U}`);
//! only after the delay is that port bound, with the same shared state
//! (per-key request numbers, tag counts) and the same CORS as the main
//! server, until the main server shuts down.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::extract::connect_info::{ConnectInfo, Connected};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::serve::IncomingStream;
use axum::Extension;
use serde::Serialize;
use tokio::net::TcpListener;
use tokio::task::JoinSet;

use crate::params::{BadRequest, Params};
use crate::AppState;

/// The longest `delay` accepted, in milliseconds.
pub const MAX_DELAY_MS: u64 = 60_000;

/// The local address a connection arrived on, recorded per connection by
/// [`crate::serve`] so the late port is reserved on the address the client
/// can actually reach (not `0.0.0.0` when the server binds every address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalAddr(pub Option<SocketAddr>);

impl Connected<IncomingStream<'_, TcpListener>> for LocalAddr {
    fn connect_info(stream: IncomingStream<'_, TcpListener>) -> Self {
        Self(stream.io().local_addr().ok())
    }
}

/// The late listeners one application has started, so that shutdown can
/// wait for them: they must not outlive the main server.
#[derive(Debug, Default)]
pub struct LateListeners {
    tasks: Mutex<JoinSet<()>>,
}

impl LateListeners {
    fn spawn<F>(&self, task: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        self.lock().spawn(task);
    }

    /// Stop every late listener still running at once (the grace period
    /// for a graceful stop is over).
    pub fn abort_all(&self) {
        self.lock().abort_all();
    }

    /// Resolve once every late listener has stopped. They stop when the
    /// shutdown signal fires, so call this after triggering it.
    pub async fn wait(&self) {
        loop {
            // Take the set out so the lock is not held across an await; a
            // listener started meanwhile lands in the fresh set and is
            // picked up by the next round.
            let mut tasks = std::mem::take(&mut *self.lock());
            if tasks.is_empty() {
                return;
            }
            while tasks.join_next().await.is_some() {}
        }
    }

    fn lock(&self) -> MutexGuard<'_, JoinSet<()>> {
        self.tasks.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[derive(Serialize)]
struct Answer {
    port: u16,
    url: String,
}

/// The handler: reserve a port, answer with it, bind it after `delay`.
pub async fn handler(
    State(state): State<AppState>,
    local: Option<Extension<ConnectInfo<LocalAddr>>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let delay = match parse_delay(&Params::new(query)) {
        Ok(delay) => delay,
        Err(bad) => return bad.into_response(),
    };
    // Served without connection info (`app()` under a plain `axum::serve`),
    // fall back to the configured bind address.
    let ip = local
        .and_then(|Extension(ConnectInfo(LocalAddr(addr)))| addr)
        .map_or(state.config.bind, |addr| addr.ip())
        .to_canonical();
    let addr = match reserve(ip).await {
        Ok(addr) => addr,
        Err(err) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                format!("cannot reserve a port on {ip}: {err}\n"),
            )
                .into_response()
        }
    };
    let answer = Answer {
        port: addr.port(),
        url: format!("http://{addr}"),
    };
    let late = Arc::clone(&state.late_listeners);
    late.spawn(serve_later(state, addr, delay));
    match serde_json::to_string(&answer) {
        Ok(json) => ([(header::CONTENT_TYPE, "application/json")], json).into_response(),
        Err(err) => BadRequest(format!("cannot encode answer: {err}")).into_response(),
    }
}

fn parse_delay(params: &Params) -> Result<Duration, BadRequest> {
    match params.parse::<u64>("delay")? {
        None => Err(BadRequest("missing delay".into())),
        Some(ms @ 0..=MAX_DELAY_MS) => Ok(Duration::from_millis(ms)),
        Some(ms) => Err(BadRequest(format!(
            "invalid delay `{ms}` (expected 0-{MAX_DELAY_MS})"
        ))),
    }
}

/// Find a free port on `ip`. The listener is dropped at once: nothing was
/// accepted on it, so the port can be bound again later, and until then a
/// connection to it is refused.
async fn reserve(ip: IpAddr) -> io::Result<SocketAddr> {
    TcpListener::bind(SocketAddr::new(ip, 0))
        .await?
        .local_addr()
}

/// After `delay`, serve the application on `addr` until shutdown. Gives up
/// (with a line on stderr) if the port was taken in the meantime.
async fn serve_later(state: AppState, addr: SocketAddr, delay: Duration) {
    let shutdown = state.shutdown.clone();
    tokio::select! {
        () = shutdown.wait() => return,
        () = tokio::time::sleep(delay) => {}
    }
    let listener = match TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("sse-server: late listener cannot bind {addr}: {err}");
            return;
        }
    };
    let app = crate::router(state).into_make_service_with_connect_info::<LocalAddr>();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(async move { shutdown.wait().await })
        .await;
    if let Err(err) = served {
        eprintln!("sse-server: late listener on {addr}: {err}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delay(pairs: &[(&str, &str)]) -> Result<Duration, BadRequest> {
        parse_delay(&Params::from_pairs(pairs))
    }

    #[test]
    fn delay_is_required_and_bounded() {
        assert_eq!(delay(&[("delay", "0")]), Ok(Duration::ZERO));
        assert_eq!(
            delay(&[("delay", "60000")]),
            Ok(Duration::from_millis(60_000))
        );
        for pairs in [
            &[][..],
            &[("delay", "")],
            &[("delay", "-1")],
            &[("delay", "1.5")],
            &[("delay", "60001")],
        ] {
            assert!(delay(pairs).is_err(), "{pairs:?} should be rejected");
        }
    }
}
