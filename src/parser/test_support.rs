//! Helpers shared by the parser's tests.

use super::{Item, ParsedEvent, Parser, Text, TooLarge};

/// A bound no test stream reaches.
pub(super) const UNBOUNDED: usize = usize::MAX;

/// What a stream gave: its items, and the error that stopped it, if any.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Outcome {
    pub(super) items: Vec<Item>,
    pub(super) error: Option<TooLarge>,
}

/// Feeds `chunks` in order to a new parser, stopping at the first error, then ends the
/// stream.
pub(super) fn parse_chunks<'a>(
    chunks: impl IntoIterator<Item = &'a [u8]>,
    max_event_size: usize,
    last_event_id: &str,
) -> Outcome {
    let mut parser = Parser::new(max_event_size, last_event_id);
    let mut items = Vec::new();
    let mut error = None;
    for chunk in chunks {
        if let Err(too_large) = parser.feed(chunk, |item| items.push(item)) {
            error = Some(too_large);
            break;
        }
    }
    parser.finish();
    Outcome { items, error }
}

/// The stream one byte at a time.
pub(super) fn parse_bytewise(stream: &[u8], max_event_size: usize, last_event_id: &str) -> Outcome {
    parse_chunks(stream.chunks(1), max_event_size, last_event_id)
}

/// An event as the parser reports it; `"message"` is reported as no type.
pub(super) fn event(event_type: &str, data: &str, last_event_id: &str) -> Item {
    Item::Event(ParsedEvent {
        event_type: (event_type != "message").then(|| event_type.into()),
        data: data.to_owned().into(),
        last_event_id: Text::shared(last_event_id.to_owned()),
    })
}

/// A `message` event dispatched with no last event id.
pub(super) fn message(data: &str) -> Item {
    event("message", data, "")
}

/// A stream and the items it must give however it is cut into chunks.
#[derive(Debug)]
pub(super) struct Case {
    name: String,
    stream: Vec<u8>,
    last_event_id: String,
    expected: Vec<Item>,
}

impl Case {
    pub(super) fn new(name: &str, stream: Vec<u8>, expected: Vec<Item>) -> Self {
        Self {
            name: name.to_owned(),
            stream,
            last_event_id: String::new(),
            expected,
        }
    }

    /// The stream is a reconnection after a stream whose last event id was `id`.
    pub(super) fn resuming_after(mut self, id: &str) -> Self {
        self.last_event_id = id.to_owned();
        self
    }

    /// Parses the stream whole, one byte at a time, and cut in two at every point.
    pub(super) fn check(&self) {
        let expected = Outcome {
            items: self.expected.clone(),
            error: None,
        };
        let id = self.last_event_id.as_str();
        let whole = parse_chunks([self.stream.as_slice()], UNBOUNDED, id);
        assert_eq!(whole, expected, "{}: in one chunk", self.name);
        let bytewise = parse_bytewise(&self.stream, UNBOUNDED, id);
        assert_eq!(bytewise, expected, "{}: byte by byte", self.name);
        for cut in 1..self.stream.len() {
            let (head, tail) = self.stream.split_at(cut);
            let halves = parse_chunks([head, tail], UNBOUNDED, id);
            assert_eq!(halves, expected, "{}: cut after byte {cut}", self.name);
        }
    }
}
