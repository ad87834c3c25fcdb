//! The `text/event-stream` parser of the fetch transport: bytes in, events out.
//!
//! A pure state machine (no web-sys, no JS) that follows WHATWG HTML §9.2.6, "Parsing an
//! event stream", for a body that arrives in chunks of any size:
//! - The bytes are UTF-8, with U+FFFD for bad bytes (the maximal-subpart rule of
//!   `TextDecoder` and [`String::from_utf8_lossy`]). One leading BOM is stripped, and only
//!   at the start of the stream.
//! - CR, LF and CRLF each end a line, also when the CR ends one chunk and the LF starts the
//!   next.
//!
//! Lines are split on the raw bytes, and each complete line is decoded on its own. That is
//! the same as decoding the whole stream first: CR, LF and `:` are ASCII bytes, which are
//! never part of a multi-byte character and which the decoder reads as themselves even right
//! after bad bytes. So a line decodes alike wherever the chunks were cut, and a character
//! split across chunks stays whole.
//!
//! Linear in the input: a chunk is searched for line ends once; only the unfinished line at
//! its end is copied aside, and the search resumes in the next chunk, never over the copy.
//!
//! Copy-free where it can be: a chunk that is valid UTF-8 (but for a character the next
//! chunk completes) is kept whole as text, and each value that lies in it is handed out as
//! a slice of it ([`Text`]), shared by the events parsed from it. Only a value that spans
//! chunks, joins several `data:` lines, or needs U+FFFD is copied into a string of its own.
//!
//! No indexing that can panic: slices are taken with `get`, which the bounds the code
//! keeps make always succeed. An index's bounds check would link core's formatting of the
//! panic, which with the `Content-Type` check's cost the fetch transport 0.5 KB gzipped.

mod fields;
mod line_end;
mod text;

use std::rc::Rc;

use fields::Fields;
pub(crate) use text::Text;

/// One thing the stream said, in stream order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item {
    /// A blank line dispatched an event.
    Event(ParsedEvent),
    /// A `retry:` line set the reconnection time, in milliseconds (saturating at
    /// `u32::MAX`, past the longest delay a browser's timer takes: a `u64` would make the
    /// item 8 bytes larger, see [`Text`]).
    Retry(u32),
    /// A blank line changed the last event id without dispatching an event (its data was
    /// empty). When an event is dispatched, its `last_event_id` carries the change instead.
    LastEventId(Text),
}

/// An event ready to be delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedEvent {
    /// The event type, `None` for `message` (the default, or `event: message`), so that the
    /// common case allocates nothing.
    pub(crate) event_type: Option<Box<str>>,
    /// The `data:` lines joined by LF.
    pub(crate) data: Text,
    /// The last event id when the event was dispatched: it persists across events until an
    /// `id:` line changes it. Shared, not copied, by the events that carry the same id.
    pub(crate) last_event_id: Text,
}

// Moved from the parser to the transport once per event: a larger event compiles, and
// costs a `memory.copy` call per move (see `Text`). Caught here, in the builds that
// enable the benchmarks' feature (`scripts/test`'s clippy for wasm32 does), and not in
// users' builds: the layout is the compiler's to change, and a new compiler must not
// break them.
#[cfg(all(target_arch = "wasm32", feature = "bench-internals"))]
const _: () = assert!(std::mem::size_of::<ParsedEvent>() <= 32);

impl ParsedEvent {
    /// The event type as a listener is registered for it.
    pub(crate) fn event_type(&self) -> &str {
        self.event_type.as_deref().unwrap_or("message")
    }
}

/// The event being assembled, with the line that is being read, outgrew the parser's
/// `max_event_size`. The parser has freed its buffers and refuses further input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooLarge {
    /// The bound that was exceeded, in bytes.
    pub(crate) limit: usize,
}

/// How a stream is being parsed: buffers that persist across chunks.
#[derive(Debug)]
pub(crate) struct Parser {
    /// The bytes of the current line that arrived in earlier chunks; at the stream's start,
    /// the bytes of a BOM seen so far.
    line: Vec<u8>,
    /// The last chunk ended with CR: an LF at the start of the next one ends no line.
    after_cr: bool,
    /// Nothing but (part of) a BOM has arrived yet.
    at_start: bool,
    /// The event type, data and id buffers.
    fields: Fields,
    /// The bound on one event's data plus the line being read, in bytes.
    max_event_size: usize,
    /// The bound was exceeded: every later chunk is refused.
    failed: bool,
    /// Bytes examined so far, for the test that the parser is linear.
    #[cfg(test)]
    examined: usize,
}

/// A line or data buffer that grew past this (a long line, a large event) is given back
/// instead of kept for the next.
const KEPT_CAPACITY: usize = 64 * 1024;

impl Parser {
    /// A parser for a new stream, whose events carry `last_event_id` until an `id:` line
    /// changes it: the id of the stream before, as a browser keeps it across reconnections.
    ///
    /// `max_event_size` bounds, in bytes, one event's buffered data (counting an LF per
    /// `data:` line) plus the line being read; any line longer than it is refused too.
    pub(crate) fn new(max_event_size: usize, last_event_id: &str) -> Self {
        Self {
            line: Vec::new(),
            after_cr: false,
            at_start: true,
            fields: Fields::new(last_event_id),
            max_event_size,
            failed: false,
            #[cfg(test)]
            examined: 0,
        }
    }

    /// The last event id set by a dispatched event (or given to [`Parser::new`]): the one
    /// to send as `Last-Event-ID` when reconnecting.
    pub(crate) fn last_event_id(&self) -> &Text {
        self.fields.last_event_id()
    }

    /// Parses the next chunk of the body, handing each item to `emit` as soon as its line
    /// is complete. The chunk is taken whole: when it is valid UTF-8 (but for a character
    /// that the next chunk completes), the values in it are handed out as slices of it.
    ///
    /// # Errors
    ///
    /// [`TooLarge`] when an event's data and the line being read exceed `max_event_size`:
    /// the items before that line have been emitted, the buffers are freed, and every later
    /// call fails the same way until [`Parser::finish`].
    pub(crate) fn feed(
        &mut self,
        chunk: impl Into<Vec<u8>>,
        mut emit: impl FnMut(Item),
    ) -> Result<(), TooLarge> {
        let result = self.feed_owned(chunk.into(), &mut emit);
        if result.is_err() {
            self.fail();
        }
        result
    }

    fn feed_owned(&mut self, chunk: Vec<u8>, emit: &mut impl FnMut(Item)) -> Result<(), TooLarge> {
        let (text, rest) = split_text(chunk);
        if let Some(text) = &text {
            self.feed_chunk(text.as_bytes(), Some(text), emit)?;
        }
        if rest.is_empty() {
            Ok(())
        } else {
            self.feed_chunk(&rest, None, emit)
        }
    }

    /// Whether an unfinished line or event is held: what [`finish`](Self::finish) would drop.
    /// An unfinished comment is not: dropped or not, it would have been skipped.
    pub(crate) fn holds_unfinished_event(&self) -> bool {
        self.line.first().is_some_and(|&first| first != b':') || self.fields.has_pending_event()
    }

    /// Ends the stream: an unfinished line and event are dropped, as the standard says, and
    /// the parser is ready for the next stream (a reconnection), keeping the last event id.
    /// [`holds_unfinished_event`](Self::holds_unfinished_event) tells beforehand whether
    /// anything will be dropped.
    pub(crate) fn finish(&mut self) {
        self.reset_line();
        self.after_cr = false;
        self.at_start = true;
        self.failed = false;
        self.fields.end_stream();
    }

    /// Gives back every buffer: the stream will not go on (its source closed). The
    /// unfinished line and event are dropped; the last event id stays, as a string of its
    /// own (a slice would keep its chunk of the body, up to 64 KiB).
    pub(crate) fn release(&mut self) {
        self.finish();
        self.line = Vec::new();
        self.fields.free();
        self.fields.detach_last_event_id();
    }

    /// Parses `bytes`, which are `text`'s when the chunk is shared as text.
    fn feed_chunk(
        &mut self,
        mut bytes: &[u8],
        text: Option<&Rc<String>>,
        emit: &mut impl FnMut(Item),
    ) -> Result<(), TooLarge> {
        if self.failed {
            return Err(self.too_large());
        }
        if self.at_start {
            bytes = self.strip_bom(bytes);
        }
        if bytes.is_empty() {
            return Ok(());
        }
        if self.after_cr {
            self.after_cr = false;
            if let Some(rest) = bytes.strip_prefix(b"\n") {
                bytes = rest;
            }
        }
        while let Some((&first, after_first)) = bytes.split_first() {
            // A line begun in an earlier chunk, kept aside: only the new bytes are searched
            // for its end.
            let spans_chunks = !self.line.is_empty();
            if first == b'\n' && !spans_chunks {
                // A blank line, which ends almost every event: dispatched without the
                // search and the field rules (a CR may start a CRLF, so it takes the
                // general way).
                self.count_examined(1);
                self.fields.dispatch(emit);
                bytes = after_first;
                continue;
            }
            let Some(end) = self.find_line_end(bytes) else {
                return self.keep_line_part(bytes);
            };
            let (line, place) = if spans_chunks {
                self.keep_line_part(bytes.get(..end).unwrap_or_default())?;
                self.count_examined(self.line.len());
                (&self.line[..], None)
            } else {
                self.check_size(end)?;
                self.count_examined(end);
                // `bytes` is always what is left of the chunk: the line starts that far
                // from its end.
                let place = text.map(|text| (text, text.len() - bytes.len()));
                (bytes.get(..end).unwrap_or_default(), place)
            };
            // The one call of the field rules, inlined into this loop (a second call
            // would copy them).
            let result = self
                .fields
                .take_line(line, place, self.max_event_size, emit);
            if spans_chunks {
                self.reset_line();
            }
            result?;
            bytes = self.after_line_end(bytes, end);
        }
        Ok(())
    }

    /// Strips the BOM at the stream's start, which may arrive split across chunks.
    fn strip_bom<'a>(&mut self, bytes: &'a [u8]) -> &'a [u8] {
        const BOM: &[u8] = b"\xEF\xBB\xBF";
        let missing = BOM.get(self.line.len()..).unwrap_or_default();
        let seen = missing.len().min(bytes.len());
        if bytes.get(..seen) != missing.get(..seen) {
            // No BOM: the bytes kept so far start the first line.
            self.at_start = false;
            return bytes;
        }
        if seen == missing.len() {
            self.line.clear();
            self.at_start = false;
            return bytes.get(seen..).unwrap_or_default();
        }
        self.line.extend_from_slice(bytes);
        &[]
    }

    fn find_line_end(&mut self, bytes: &[u8]) -> Option<usize> {
        let end = line_end::find(bytes);
        self.count_examined(end.map_or(bytes.len(), |end| end + 1));
        end
    }

    /// The rest of the chunk after the line ending at `end` (a CR or an LF).
    #[inline(always)]
    fn after_line_end<'a>(&mut self, bytes: &'a [u8], end: usize) -> &'a [u8] {
        let rest = bytes.get(end + 1..).unwrap_or_default();
        if bytes.get(end) != Some(&b'\r') {
            return rest;
        }
        match rest.first() {
            Some(b'\n') => rest.get(1..).unwrap_or_default(),
            Some(_) => rest,
            None => {
                self.after_cr = true;
                rest
            }
        }
    }

    /// Adds bytes to the line kept across chunks, within the bound.
    fn keep_line_part(&mut self, bytes: &[u8]) -> Result<(), TooLarge> {
        let len = self.line.len() + bytes.len();
        self.check_size(len)?;
        let target = bounded_capacity(self.line.capacity(), len, self.max_event_size);
        self.line.reserve_exact(target - self.line.len());
        self.line.extend_from_slice(bytes);
        Ok(())
    }

    /// Refuses a line of `line_len` bytes when, with the event's data, it exceeds the bound.
    #[inline(always)]
    fn check_size(&self, line_len: usize) -> Result<(), TooLarge> {
        if self.fields.data_len().saturating_add(line_len) > self.max_event_size {
            Err(self.too_large())
        } else {
            Ok(())
        }
    }

    fn too_large(&self) -> TooLarge {
        TooLarge {
            limit: self.max_event_size,
        }
    }

    fn fail(&mut self) {
        self.failed = true;
        self.line = Vec::new();
        self.fields.free();
    }

    fn reset_line(&mut self) {
        if self.line.capacity() > KEPT_CAPACITY {
            self.line = Vec::new();
        } else {
            self.line.clear();
        }
    }

    /// The capacity of the buffers that grow with the input: the line, the data and the
    /// event type.
    #[cfg(test)]
    fn buffered_capacity(&self) -> usize {
        self.line.capacity() + self.fields.buffered_capacity()
    }

    #[cfg(test)]
    fn count_examined(&mut self, bytes: usize) {
        self.examined += bytes;
    }

    #[cfg(not(test))]
    fn count_examined(&mut self, _bytes: usize) {}
}

/// A chunk as text to share, when it is valid UTF-8 but for an unfinished character at
/// its end, and the bytes to parse without sharing: that unfinished character, or the
/// whole chunk when it holds a bad byte (decoded line by line, with U+FFFD).
///
/// The unfinished character is split off before the chunk is checked, so that a chunk is
/// read once: checked whole, one cut inside a character (most chunks of a non-ASCII
/// stream) would have its valid part checked again to make it a `String`. Bytes split
/// off that are not a character's start after all take the unshared way, which decodes
/// them as it would have.
fn split_text(mut chunk: Vec<u8>) -> (Option<Rc<String>>, Vec<u8>) {
    let head_len = chunk.len() - unfinished_tail(&chunk);
    let tail = chunk
        .get(head_len..)
        .map(<[u8]>::to_vec)
        .unwrap_or_default();
    // Not `split_off`, whose bounds assertion would link the panic's formatting.
    chunk.truncate(head_len);
    match String::from_utf8(chunk) {
        Ok(text) => (Some(Rc::new(text)), tail),
        Err(error) => {
            let mut bytes = error.into_bytes();
            bytes.extend_from_slice(&tail);
            (None, bytes)
        }
    }
}

/// How many bytes at the end of `bytes` start a character they do not finish: a lead
/// byte and fewer continuation bytes than it announces (at most three bytes).
fn unfinished_tail(bytes: &[u8]) -> usize {
    let mut len = 0;
    for &byte in bytes.iter().rev().take(4) {
        len += 1;
        if byte & 0xC0 != 0x80 {
            let announced = match byte {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xFF => 4,
                _ => 1,
            };
            return if announced > len { len } else { 0 };
        }
    }
    0
}

/// The capacity to give a buffer that must hold `needed` bytes: doubling (so that a long
/// line costs amortised constant time per byte) but never past `limit` unless `needed` is.
fn bounded_capacity(capacity: usize, needed: usize, limit: usize) -> usize {
    if needed <= capacity {
        capacity
    } else {
        capacity.saturating_mul(2).min(limit).max(needed)
    }
}

#[cfg(test)]
mod bound_tests;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod chunking_tests;
#[cfg(test)]
mod rule_tests;
#[cfg(test)]
mod sharing_tests;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod wpt_tests;
