//! The fetch transport's parser alone, fed by the page: `bench.js` slices one buffer into
//! chunks and hands each to [`ParserBench::feed`], as the transport hands it the body's
//! chunks. Like the transport, each chunk is copied out of JavaScript into wasm memory (by
//! the `&[u8]` argument's glue, where the transport calls `copy_to`).
//!
//! Where each event's data ends decides what is measured ([`Delivery`]):
//! - `Rust`: it stays in Rust as the `String` the parser made, which is what a Rust
//!   consumer of the fetch transport holds (`Message::data`);
//! - `EachEvent`: it crosses into JavaScript one event at a time, as a `&str` argument
//!   (wasm-bindgen's glue decodes it into a JS string) pushed to a JS array: what a
//!   JavaScript consumer pays when each event is handed over as it is parsed;
//! - `PerChunk`: a chunk's events cross at once, as a JavaScript consumer of slices would
//!   take them: the chunk's text, which the glue decodes once (as eventsource-parser's
//!   caller decodes each chunk), and where each event's data lies in it, which the page
//!   slices into one string per event. The data of an event that is not a slice of the
//!   chunk (it spans chunks, or joins lines) crosses in a second, small string.

use js_sys::JsString;
use wasm_bindgen::prelude::*;
use web_eventsource::__bench::{Data, Parser};

#[wasm_bindgen]
extern "C" {
    /// A JS array that collects each event's data.
    pub type DataSink;

    /// `Array.prototype.push` of one string, decoded by the glue from wasm memory.
    #[wasm_bindgen(method, js_name = push)]
    fn push_data(this: &DataSink, data: &str) -> u32;

    /// Pushes to `sink` one string per pair of `ranges` (UTF-16 offsets): a slice of
    /// `text`, or of `extra` for offsets from `EXTRA` on (`bench.js`).
    #[wasm_bindgen(js_name = benchTakeChunk)]
    fn take_chunk(sink: &DataSink, text: &JsString, extra: &str, ranges: &[u32]);
}

/// Where the parsed events' data goes (see the module's documentation).
#[wasm_bindgen]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    Rust = "rust",
    EachEvent = "each_event",
    PerChunk = "per_chunk",
}

/// A parser and where its events' data goes.
#[wasm_bindgen]
pub struct ParserBench {
    parser: Parser,
    delivery: Delivery,
    sink: DataSink,
    /// Events parsed, and bytes of their data, for the page to check.
    events: u32,
    data_bytes: usize,
    /// `Rust`: every event's data as a `Message` holds it (a slice of its chunk, or a
    /// `String`), held as a JS consumer holds its strings, and freed with the bench.
    kept: Vec<Data>,
    /// `PerChunk`, reused from chunk to chunk: one event whose data is a slice of the
    /// chunk (through which the chunk's text is reached), where each event's data lies
    /// (start and end, in bytes of the chunk, or from `EXTRA` on in UTF-16 code units of
    /// `extra`), and the data that is not a slice of the chunk, end to end.
    anchor: Option<Data>,
    ranges: Vec<u32>,
    extra: String,
}

/// Offsets from this one on are into the chunk's `extra` string (a chunk is at most
/// 64 KiB).
const EXTRA: u32 = 1 << 31;

#[wasm_bindgen]
impl ParserBench {
    /// A parser bounding one event to `max_event_size` bytes, whose events' data goes as
    /// `delivery` says: to the JS array `sink`, or kept in Rust.
    #[wasm_bindgen(constructor)]
    pub fn new(max_event_size: usize, delivery: Delivery, sink: DataSink) -> Self {
        Self {
            parser: Parser::new(max_event_size),
            delivery,
            sink,
            events: 0,
            data_bytes: 0,
            kept: Vec::new(),
            anchor: None,
            ranges: Vec::new(),
            extra: String::new(),
        }
    }

    /// Parses one chunk of the stream and delivers its events' data.
    ///
    /// # Errors
    ///
    /// When an event outgrows the bound.
    pub fn feed(&mut self, chunk: Vec<u8>) -> Result<(), JsValue> {
        let Self {
            parser,
            delivery,
            sink,
            events,
            data_bytes,
            kept,
            anchor,
            ranges,
            extra,
        } = self;
        // The parser keeps the chunk's buffer as its text: the data sliced from this chunk
        // points into it.
        let chunk_at = chunk.as_ptr();
        let parsed = parser.feed(chunk, |_event_type, data| {
            *events += 1;
            *data_bytes += data.len();
            match delivery {
                Delivery::Rust => kept.push(data),
                Delivery::EachEvent => {
                    sink.push_data(data.as_str());
                }
                Delivery::PerChunk => match data.chunk_slice() {
                    Some((text, range)) if text.as_ptr() == chunk_at => {
                        ranges.push(offset(range.start));
                        ranges.push(offset(range.end));
                        if anchor.is_none() {
                            *anchor = Some(data);
                        }
                    }
                    _ => {
                        let start = utf16_len(extra);
                        extra.push_str(data.as_str());
                        ranges.extend([EXTRA + start, EXTRA + utf16_len(extra)]);
                    }
                },
                Delivery::__Invalid => {}
            }
        });
        if !ranges.is_empty() {
            let text = anchor
                .as_ref()
                .and_then(Data::chunk_slice)
                .map_or("", |(text, _)| text);
            // As `Message::data_js` does (`js_text.rs` in the core): the decoded chunk is
            // ASCII when it is as long as its bytes, and then the byte offsets are its UTF-16
            // offsets.
            let decoded = JsString::from(text);
            if decoded.length() as usize != text.len() {
                to_utf16_offsets(text, ranges);
            }
            take_chunk(sink, &decoded, extra, ranges);
            *anchor = None;
            ranges.clear();
            extra.clear();
        }
        parsed.map_err(|_| JsValue::from_str("an event outgrew max_event_size"))
    }

    /// Events parsed so far.
    pub fn events(&self) -> u32 {
        self.events
    }

    /// Bytes of data (UTF-8) parsed so far.
    pub fn data_bytes(&self) -> f64 {
        self.data_bytes as f64
    }
}

/// A byte offset in a chunk (at most 64 KiB) as a `u32`.
fn offset(bytes: usize) -> u32 {
    u32::try_from(bytes).unwrap_or(EXTRA - 1)
}

/// Turns the byte offsets into `text` among `ranges` (increasing, as events come in
/// order) into UTF-16 offsets, in one pass over `text`.
fn to_utf16_offsets(text: &str, ranges: &mut [u32]) {
    let (mut byte, mut unit) = (0_usize, 0_u32);
    for offset in ranges.iter_mut().filter(|offset| **offset < EXTRA) {
        let target = *offset as usize;
        unit += utf16_len(text.get(byte..target).unwrap_or_default());
        byte = target;
        *offset = unit;
    }
}

/// The length of `text` in UTF-16 code units, which is its length in bytes when ASCII.
fn utf16_len(text: &str) -> u32 {
    let len = if text.is_ascii() {
        text.len()
    } else {
        text.encode_utf16().count()
    };
    u32::try_from(len).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::{to_utf16_offsets, EXTRA};

    #[test]
    fn byte_offsets_become_utf16_offsets_and_extra_offsets_stay() {
        // "é" is 2 bytes and 1 unit, "😀" 4 bytes and 2 units.
        let text = "aé😀b\u{e9}";
        let b = text.find('b').expect("b");
        let mut ranges = [
            0,
            1,
            1,
            3,
            EXTRA + 4,
            EXTRA + 9,
            3,
            7,
            b as u32,
            text.len() as u32,
        ];
        to_utf16_offsets(text, &mut ranges);
        assert_eq!(ranges, [0, 1, 1, 2, EXTRA + 4, EXTRA + 9, 2, 4, 4, 6]);
    }
}
