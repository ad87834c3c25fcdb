//! Per-key request counters behind `fail_first`.
//!
//! Lets a test say "the first N connections fail, then it works", which is
//! how reconnection and error reporting are exercised deterministically.

use std::collections::HashMap;
use std::sync::Mutex;

/// How many requests have been seen for each key.
#[derive(Debug, Default)]
pub struct FailCounters {
    seen: Mutex<HashMap<String, u64>>,
}

impl FailCounters {
    /// Record one more request for `key` and return its 1-based number.
    pub fn record(&self, key: &str) -> u64 {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        let n = seen.entry(key.to_owned()).or_insert(0);
        *n = n.saturating_add(1);
        *n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_key() {
        let counters = FailCounters::default();
        assert_eq!(counters.record("a"), 1);
        assert_eq!(counters.record("a"), 2);
        assert_eq!(counters.record("b"), 1);
        assert_eq!(counters.record("a"), 3);
    }
}
