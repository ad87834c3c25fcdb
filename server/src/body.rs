//! The streaming body shared by every SSE endpoint.
//!
//! It interleaves idle keep-alive comments with the endpoint's own chunks,
//! ends when the server shuts down, and owns an optional guard so that
//! per-connection bookkeeping is undone exactly when hyper drops the body
//! (client gone, or stream finished).

use std::convert::Infallible;
use std::time::Duration;

use axum::body::{Body, Bytes};
use futures_util::stream::{self, BoxStream, StreamExt};

use crate::shutdown::Shutdown;
use crate::sse::KEEP_ALIVE;

/// Everything the body stream carries between polls.
struct State<G> {
    chunks: BoxStream<'static, Bytes>,
    keepalive: Option<Duration>,
    shutdown: Shutdown,
    /// Held only for its `Drop`.
    _guard: G,
}

/// Build a streaming body from `chunks`.
///
/// * Each chunk becomes its own body frame, flushed as soon as it is ready.
/// * If `keepalive` is set, a [`KEEP_ALIVE`] comment is sent whenever no
///   chunk was produced for that long.
/// * The body ends when `chunks` ends or `shutdown` fires. A stream that
///   should stay open must therefore never end (chain `stream::pending()`).
/// * `guard` is dropped together with the body.
pub fn streaming_body<G>(
    chunks: BoxStream<'static, Bytes>,
    keepalive: Option<Duration>,
    shutdown: Shutdown,
    guard: G,
) -> Body
where
    G: Send + 'static,
{
    let state = State {
        chunks,
        keepalive,
        shutdown,
        _guard: guard,
    };
    let frames = stream::unfold(state, |mut state| async move {
        let chunk = tokio::select! {
            // Shutdown first, then real data, then the idle timer: a ready
            // chunk must never lose against a keep-alive.
            biased;
            () = state.shutdown.wait() => None,
            chunk = state.chunks.next() => chunk,
            () = idle(state.keepalive) => Some(Bytes::from_static(KEEP_ALIVE)),
        };
        chunk.map(|chunk| (Ok::<_, Infallible>(chunk), state))
    });
    Body::from_stream(frames)
}

/// Sleep for the keep-alive period, or forever when keep-alives are off.
async fn idle(period: Option<Duration>) {
    match period {
        Some(period) => tokio::time::sleep(period).await,
        None => std::future::pending().await,
    }
}
