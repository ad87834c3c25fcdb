//! Property tests: however a stream is cut into chunks, the parser gives what the standard's
//! algorithm, run plainly over the whole decoded stream, gives; and no input panics it.

use proptest::prelude::*;
use proptest::sample::{select, Index};

use super::test_support::{parse_bytewise, parse_chunks, Outcome, UNBOUNDED};
use super::{Item, ParsedEvent, Parser, Text};

/// The standard's algorithm, written for clarity over the whole stream: UTF-8 decode it,
/// strip one BOM, split it into lines, and interpret each line. The parser under test must
/// agree with it for every chunking.
fn reference(stream: &[u8], last_event_id: &str) -> Vec<Item> {
    let decoded = String::from_utf8_lossy(stream);
    let mut rest = decoded.strip_prefix('\u{FEFF}').unwrap_or(&decoded);
    let mut items = Vec::new();
    let mut data = String::new();
    let mut event_type = String::new();
    let mut id_buffer = last_event_id.to_owned();
    let mut last_id = last_event_id.to_owned();
    // The text after the last line end is an unfinished line, dropped with the event.
    while let Some(end) = rest.find(['\r', '\n']) {
        let line = &rest[..end];
        rest = rest[end..].strip_prefix("\r\n").unwrap_or(&rest[end + 1..]);
        if line.is_empty() {
            let changed = id_buffer != last_id;
            last_id.clone_from(&id_buffer);
            if data.is_empty() {
                event_type.clear();
                if changed {
                    items.push(Item::LastEventId(Text::shared(last_id.clone())));
                }
                continue;
            }
            data.pop();
            let event_type = std::mem::take(&mut event_type);
            items.push(Item::Event(ParsedEvent {
                event_type: (!event_type.is_empty() && event_type != "message")
                    .then(|| event_type.into_boxed_str()),
                data: std::mem::take(&mut data).into(),
                last_event_id: Text::shared(last_id.clone()),
            }));
            continue;
        }
        if line.starts_with(':') {
            continue;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "data" => {
                data.push_str(value);
                data.push('\n');
            }
            "event" => value.clone_into(&mut event_type),
            "id" if !value.contains('\0') => value.clone_into(&mut id_buffer),
            "retry" if !value.is_empty() && value.bytes().all(|byte| byte.is_ascii_digit()) => {
                // Only all-digit values get here, so the one failure is overflow.
                items.push(Item::Retry(value.parse().unwrap_or(u32::MAX)));
            }
            _ => {}
        }
    }
    items
}

/// Pieces that make streams likely to hit every rule: field names, separators, every line
/// end, BOMs, NUL, multi-byte characters and their fragments, and bad bytes.
const PIECES: &[&[u8]] = &[
    b"data",
    b"data:",
    b"data: ",
    b"event:",
    b"event: ping",
    b"message",
    b"id:",
    b"id: 7",
    b"id",
    b"retry:",
    b"retry: 15",
    b"12",
    b":",
    b": comment",
    b" ",
    b"x",
    b"\r",
    b"\n",
    b"\r\n",
    b"\n\n",
    b"\xEF\xBB\xBF",
    b"\xEF\xBB",
    b"\0",
    "\u{e9}".as_bytes(),
    "\u{20ac}".as_bytes(),
    "\u{1f600}".as_bytes(),
    b"\xF0\x9F",
    b"\xC3",
    b"\xFF",
    b"\x80",
    b"\xED\xA0\x80",
];

fn stream() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        8 => select(PIECES).prop_map(<[u8]>::to_vec),
        1 => any::<u8>().prop_map(|byte| vec![byte]),
    ];
    prop::collection::vec(piece, 0..64).prop_map(|pieces| pieces.concat())
}

/// Cuts `stream` at the chosen points.
fn cut<'a>(stream: &'a [u8], points: &[Index]) -> Vec<&'a [u8]> {
    let mut cuts: Vec<usize> = points
        .iter()
        .map(|point| point.index(stream.len() + 1))
        .collect();
    cuts.sort_unstable();
    let mut chunks = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0;
    for end in cuts {
        chunks.push(&stream[start..end]);
        start = end;
    }
    chunks.push(&stream[start..]);
    chunks
}

fn cut_points() -> impl Strategy<Value = Vec<Index>> {
    prop::collection::vec(any::<Index>(), 0..16)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn any_chunking_gives_what_the_standard_gives(
        stream in stream(),
        points in cut_points(),
        resumed in any::<bool>(),
    ) {
        let last_event_id = if resumed { "41" } else { "" };
        let expected = Outcome { items: reference(&stream, last_event_id), error: None };
        let chunks = cut(&stream, &points);
        prop_assert_eq!(&parse_chunks(chunks, UNBOUNDED, last_event_id), &expected);
        prop_assert_eq!(&parse_bytewise(&stream, UNBOUNDED, last_event_id), &expected);
    }

    #[test]
    fn any_chunking_fails_where_the_whole_stream_fails(
        stream in stream(),
        points in cut_points(),
        max_event_size in 0..48_usize,
    ) {
        let whole = parse_chunks([stream.as_slice()], max_event_size, "");
        prop_assert_eq!(&parse_chunks(cut(&stream, &points), max_event_size, ""), &whole);
        prop_assert_eq!(&parse_bytewise(&stream, max_event_size, ""), &whole);
    }

    #[test]
    fn arbitrary_bytes_never_panic_nor_outgrow_the_bound(
        stream in prop::collection::vec(any::<u8>(), 0..4096),
        points in cut_points(),
        max_event_size in prop_oneof![0..64_usize, Just(UNBOUNDED)],
    ) {
        let mut parser = Parser::new(max_event_size, "");
        for chunk in cut(&stream, &points) {
            let fed = parser.feed(chunk, |_| {});
            if max_event_size != UNBOUNDED {
                // The data and the line each stay within the bound (8 bytes being the least
                // a growing Vec<u8> allocates).
                prop_assert!(parser.buffered_capacity() <= 2 * max_event_size + 8);
            }
            if fed.is_err() {
                prop_assert!(parser.feed(b"data:x\n\n", |_| panic!("fed after failing")).is_err());
            }
        }
        parser.finish();
    }
}
