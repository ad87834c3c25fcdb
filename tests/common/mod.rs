//! Helpers of the library's browser tests: the shared ones (`web-eventsource-testing`:
//! bounded waits, the test server, blob URLs, the JS listener count) and a quick policy.
#![allow(dead_code)] // each test file uses its own subset

use std::time::Duration;

use web_eventsource::{EventSource, Jitter, Reconnect};
pub use web_eventsource_testing::*;

pub fn ms(ms: u64) -> Duration {
    Duration::from_millis(ms)
}

/// A quick, predictable policy: 50 ms, 100 ms, 200 ms, 400 ms, ...
pub fn quick() -> Reconnect {
    Reconnect::default()
        .initial_delay(ms(50))
        .max_delay(ms(400))
        .jitter(Jitter::None)
}

/// A source at `url` with `policy`.
pub fn open_with_policy(url: &str, policy: Reconnect) -> EventSource {
    EventSource::builder(url)
        .reconnect(policy)
        .open()
        .expect("the URL opens")
}
