//! Per-tag counts of open and total test streams, and `GET /test/connections`.
//!
//! Browser tests use `?tag=` to prove that closing or dropping an
//! EventSource really closes the HTTP connection (no leaked streams), and
//! `?key=` to count how often a reconnect policy came back (the per-key
//! request numbers of [`crate::requests`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::params::{BadRequest, Params};
use crate::AppState;

/// Counters for one tag.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Streams whose body is still alive.
    pub open: u64,
    /// Streams ever started.
    pub total: u64,
}

/// Shared per-tag counters.
#[derive(Debug, Default)]
pub struct Connections {
    tags: Mutex<HashMap<String, Counts>>,
}

impl Connections {
    /// Current counts for `tag` (zeros if never seen).
    pub fn counts(&self, tag: &str) -> Counts {
        self.lock().get(tag).copied().unwrap_or_default()
    }

    /// Count a new stream under `tag`; the returned guard uncounts it from
    /// `open` when dropped.
    pub fn open(self: &Arc<Self>, tag: &str) -> ConnectionGuard {
        {
            let mut tags = self.lock();
            let counts = tags.entry(tag.to_owned()).or_default();
            counts.open += 1;
            counts.total += 1;
        }
        ConnectionGuard {
            registry: Arc::clone(self),
            tag: tag.to_owned(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Counts>> {
        // The map stays consistent even if a holder panicked: recover it.
        self.tags
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Keeps one stream counted as open; lives inside the response body.
#[derive(Debug)]
pub struct ConnectionGuard {
    registry: Arc<Connections>,
    tag: String,
}

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        if let Some(counts) = self.registry.lock().get_mut(&self.tag) {
            counts.open = counts.open.saturating_sub(1);
        }
    }
}

#[derive(Serialize)]
struct TagReport<'a> {
    tag: &'a str,
    open: u64,
    total: u64,
}

#[derive(Serialize)]
struct KeyReport<'a> {
    key: &'a str,
    requests: u64,
}

/// `GET /test/connections?tag=T` → `{"tag":"T","open":N,"total":M}`;
/// `GET /test/connections?key=K` → `{"key":"K","requests":N}`.
/// Exactly one of `tag` and `key` must be given.
pub async fn handler(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let params = Params::new(query);
    let json = match (params.get("tag"), params.get("key")) {
        (Some(tag), None) => {
            let counts = state.connections.counts(tag);
            serde_json::to_string(&TagReport {
                tag,
                open: counts.open,
                total: counts.total,
            })
        }
        (None, Some(key)) => serde_json::to_string(&KeyReport {
            key,
            requests: state.requests.count(key),
        }),
        _ => return BadRequest("give exactly one of tag and key".into()).into_response(),
    };
    match json {
        Ok(json) => ([(header::CONTENT_TYPE, "application/json")], json).into_response(),
        Err(err) => BadRequest(format!("cannot encode report: {err}")).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_tracks_open_and_total() {
        let registry = Arc::new(Connections::default());
        assert_eq!(registry.counts("a"), Counts::default());
        let first = registry.open("a");
        let second = registry.open("a");
        assert_eq!(registry.counts("a"), Counts { open: 2, total: 2 });
        drop(first);
        assert_eq!(registry.counts("a"), Counts { open: 1, total: 2 });
        drop(second);
        assert_eq!(registry.counts("a"), Counts { open: 0, total: 2 });
        assert_eq!(registry.counts("b"), Counts::default());
    }
}
