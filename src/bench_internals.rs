//! The parser, reached by the benchmark crate (`bench/`) and by nothing else: compiled only
//! with the `bench-internals` feature, hidden from the docs, and outside every promise of
//! stability.
//!
//! Why a feature-gated facade rather than the alternatives:
//! - Making `parser` public would make its types part of the API, which they must not be:
//!   the transport is the API, the parser an implementation detail that will change.
//! - Including the parser's source into the bench crate with `#[path]` would compile its
//!   `cfg(test)` modules (and their dev-dependencies) into the bench's test build, and warn
//!   about every item the bench leaves unused.
//! - Here the library without the feature is unchanged, and with it gains one hidden
//!   module whose items are unreachable from any wasm export: an app that enables it still
//!   links none of it unless it calls it (the size apps, built with it on, check that).
//!
//! The facade is thin on purpose: `feed` is generic over its callback, as the parser's own
//! `feed` is, so the benchmark's callback is inlined the way the fetch transport's is.

use std::ops::Range;

use crate::parser::{Item, Parser as Inner, Text};

/// The fetch transport's `text/event-stream` parser, for benchmarks.
#[derive(Debug)]
pub struct Parser(Inner);

/// One event's data, as a `Message` holds it: a slice of its chunk, or a string of its
/// own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Data(Text);

impl Data {
    /// The data as text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The data's length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the data is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// When the data is a slice of the chunk it arrived in: that chunk's text, and where
    /// the data lies in it, in bytes.
    pub fn chunk_slice(&self) -> Option<(&str, Range<usize>)> {
        self.0
            .in_chunk()
            .map(|(chunk, range)| (chunk.as_str(), range))
    }
}

/// One event's data outgrew `max_event_size`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge;

impl Parser {
    /// A parser for a new stream, bounding one event to `max_event_size` bytes.
    pub fn new(max_event_size: usize) -> Self {
        Self(Inner::new(max_event_size, ""))
    }

    /// Parses the next chunk (taken whole, as the fetch transport hands it over), handing
    /// each event's type and data to `on_event` (other
    /// items, `retry:` and id changes without an event, are dropped).
    ///
    /// # Errors
    ///
    /// [`TooLarge`] when an event outgrows the bound.
    pub fn feed(
        &mut self,
        chunk: Vec<u8>,
        mut on_event: impl FnMut(&str, Data),
    ) -> Result<(), TooLarge> {
        self.0
            .feed(chunk, |item| {
                if let Item::Event(event) = item {
                    let event_type = event.event_type.as_deref().unwrap_or("message");
                    on_event(event_type, Data(event.data));
                }
            })
            .map_err(|_| TooLarge)
    }
}
