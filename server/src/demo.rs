//! `GET /sse`: the demo stream, modelled on MDN's PHP server-sent events
//! example. A `ping` event with the current time every second, plus a plain
//! message at random 1-10 s intervals; ids continue across reconnects.
//!
//! With `?client=ID` the stream obeys the faults `/demo/fault` injects for
//! that client (see [`demo_faults`](crate::demo_faults)).
//!
//! With `?tag=T` the stream counts in `/test/connections?tag=T` while it
//! lives (the cross-tab sharing test counts the streams of 8 tabs).
//!
//! With `?auth=TOKEN` it answers `401` text/plain (saying why) unless the
//! request carries `Authorization: Bearer TOKEN` (see [`auth`]):
//! the demo page's fetch transport sends it, a plain `EventSource` cannot.
//! The check comes first, so a refused request uses up no injected fault.

use std::collections::HashMap;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, StreamExt};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use tokio::time::{sleep_until, Instant};

use crate::auth;
use crate::body::streaming_body;
use crate::demo_faults::{Admission, Command};
use crate::params::{resume_id, Params};
use crate::sse::{self, Event};
use crate::AppState;

/// Time between `ping` events.
const PING_EVERY: Duration = Duration::from_secs(1);

/// The current UTC time as ISO 8601 with whole seconds, e.g.
/// `2026-11-21T12:00:00Z`.
pub fn iso_now() -> String {
    let now = OffsetDateTime::now_utc();
    // Whole seconds keep the text short; RFC 3339 then omits the fraction.
    let now = now.replace_nanosecond(0).unwrap_or(now);
    now.format(&Rfc3339).unwrap_or_default()
}

/// A random delay before the next plain message, in whole seconds as in the
/// MDN example.
fn message_delay() -> Duration {
    Duration::from_secs(fastrand::u64(1..=10))
}

/// Per-connection schedule.
struct Demo {
    next_id: u64,
    next_ping: Instant,
    next_message: Instant,
}

impl Demo {
    /// Wait for whichever event is due first and produce it. Pings win ties
    /// so the steady beat is never delayed.
    async fn next_chunk(&mut self) -> axum::body::Bytes {
        let due = self.next_ping.min(self.next_message);
        sleep_until(due).await;
        let time = iso_now();
        let id = self.next_id;
        // A client may resume after any id, the largest too.
        self.next_id = self.next_id.saturating_add(1);
        if self.next_ping <= self.next_message {
            // Keep the beat, but never burst to catch up after a stall.
            self.next_ping = (self.next_ping + PING_EVERY).max(Instant::now());
            let data = serde_json::json!({ "time": time }).to_string();
            Event {
                id: Some(id),
                name: Some("ping"),
                data: &data,
            }
            .to_bytes()
        } else {
            self.next_message = Instant::now() + message_delay();
            let data = format!("This is a message at time {time}");
            Event {
                id: Some(id),
                name: None,
                data: &data,
            }
            .to_bytes()
        }
    }
}

/// The next chunk of `demo`, unless `commands` say to end (`None`) or to go
/// silent (returns only once a later command ends the stream). Without commands,
/// always the next chunk.
async fn next_obeying(
    demo: &mut Demo,
    commands: &mut Option<tokio::sync::watch::Receiver<Command>>,
) -> Option<axum::body::Bytes> {
    loop {
        let Some(receiver) = commands.as_mut() else {
            return Some(demo.next_chunk().await);
        };
        let command = *receiver.borrow_and_update();
        match command {
            Command::End => return None,
            Command::Silent => {
                // Sends nothing more, but hears the next command: an end ends it.
                if receiver.changed().await.is_err() {
                    std::future::pending::<()>().await;
                }
                continue;
            }
            Command::Stream => {}
        }
        // `next_chunk` only sleeps before it changes anything, so losing the race
        // to a command costs nothing.
        tokio::select! {
            chunk = demo.next_chunk() => return Some(chunk),
            changed = receiver.changed() => {
                if changed.is_err() {
                    // Nobody can command this stream any more: just stream.
                    *commands = None;
                }
            }
        }
    }
}

/// Stream pings and messages; the first ping goes out at once so a page
/// fills immediately.
pub async fn handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let params = Params::new(query);
    if let Some(refused) = auth::refusal(&params, &headers) {
        return refused;
    }
    let commands = match params.get("client").filter(|client| !client.is_empty()) {
        None => None,
        Some(client) => match state.demo_faults.admit(client) {
            Admission::Fail => {
                let body = format!("a 500 injected for demo client `{client}`\n");
                return (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                    body,
                )
                    .into_response();
            }
            Admission::Stream(commands) => Some(commands),
        },
    };
    let now = Instant::now();
    let demo = Demo {
        next_id: resume_id(&headers, &params).saturating_add(1),
        next_ping: now,
        next_message: now + message_delay(),
    };
    let chunks = stream::unfold((demo, commands), |(mut demo, mut commands)| async move {
        let chunk = next_obeying(&mut demo, &mut commands).await?;
        Some((chunk, (demo, commands)))
    })
    .boxed();
    // A ping every second already exposes a vanished client; no separate
    // keep-alive comments needed.
    let guard = params.get("tag").map(|tag| state.connections.open(tag));
    let body = streaming_body(chunks, None, state.shutdown.clone(), guard);
    sse::response(body, HeaderValue::from_static(sse::EVENT_STREAM))
}
