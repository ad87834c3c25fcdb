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
//! - `PerChunk`: the data of a chunk's events crosses at once, as one string that the glue
//!   decodes once and the page slices into one string per event: the same strings in JS,
//!   for one decode per chunk instead of one per event.

use wasm_bindgen::prelude::*;
use web_eventsource::__bench::Parser;

#[wasm_bindgen]
extern "C" {
    /// A JS array that collects each event's data.
    pub type DataSink;

    /// `Array.prototype.push` of one string, decoded by the glue from wasm memory.
    #[wasm_bindgen(method, js_name = push)]
    fn push_data(this: &DataSink, data: &str) -> u32;

    /// Pushes to `sink` the slices of `text` that end at each of `ends` (UTF-16 offsets),
    /// each starting where the one before ended (`bench.js`).
    #[wasm_bindgen(js_name = benchTakeBatch)]
    fn take_batch(sink: &DataSink, text: &str, ends: &[u32]);
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
    /// `Rust`: every event's `String`, held as a JS consumer holds its strings, and freed
    /// with the bench.
    kept: Vec<String>,
    /// `PerChunk`: the chunk's events' data end to end, and where each ends in UTF-16
    /// code units (how a JS string is sliced). Reused from chunk to chunk.
    batch: String,
    ends: Vec<u32>,
}

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
            batch: String::new(),
            ends: Vec::new(),
        }
    }

    /// Parses one chunk of the stream and delivers its events' data.
    ///
    /// # Errors
    ///
    /// When an event outgrows the bound.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), JsValue> {
        let Self {
            parser,
            delivery,
            sink,
            events,
            data_bytes,
            kept,
            batch,
            ends,
        } = self;
        let parsed = parser.feed(chunk, |_event_type, data| {
            *events += 1;
            *data_bytes += data.len();
            match delivery {
                Delivery::Rust => kept.push(data),
                Delivery::EachEvent => {
                    sink.push_data(&data);
                }
                Delivery::PerChunk => {
                    let end = ends.last().copied().unwrap_or(0) + utf16_len(&data);
                    batch.push_str(&data);
                    ends.push(end);
                }
                Delivery::__Invalid => {}
            }
        });
        if !ends.is_empty() {
            take_batch(sink, batch, ends);
            batch.clear();
            ends.clear();
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

/// The length of `text` in UTF-16 code units, which is its length in bytes when ASCII.
fn utf16_len(text: &str) -> u32 {
    let len = if text.is_ascii() {
        text.len()
    } else {
        text.encode_utf16().count()
    };
    u32::try_from(len).unwrap_or(u32::MAX)
}
