//! Per-key request counters for `key` on `/test/stream`, `/test/echo` and
//! `/test/raw`.
//!
//! One counter per key drives both failure knobs (`fail_first`,
//! `fail_requests`) and `/test/connections?key=K`, so "the n-th request of
//! this key" means the same request everywhere. That is what lets a test say
//! "requests 2 and 3 fail, then it works" and afterwards check exactly how
//! many times the client came back.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// How many requests have been seen for each key.
#[derive(Debug, Default)]
pub struct RequestCounters {
    seen: Mutex<HashMap<String, u64>>,
}

impl RequestCounters {
    /// Record one more request for `key` and return its 1-based number.
    pub fn record(&self, key: &str) -> u64 {
        let mut seen = self.lock();
        let n = seen.entry(key.to_owned()).or_insert(0);
        *n = n.saturating_add(1);
        *n
    }

    /// How many requests have been recorded for `key` (0 if none).
    pub fn count(&self, key: &str) -> u64 {
        self.lock().get(key).copied().unwrap_or(0)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, u64>> {
        // A plain map of counters stays consistent even if a holder
        // panicked: recover it.
        self.seen.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_key() {
        let counters = RequestCounters::default();
        assert_eq!(counters.count("a"), 0);
        assert_eq!(counters.record("a"), 1);
        assert_eq!(counters.record("a"), 2);
        assert_eq!(counters.record("b"), 1);
        assert_eq!(counters.record("a"), 3);
        assert_eq!(counters.count("a"), 3);
        assert_eq!(counters.count("b"), 1);
    }
}
