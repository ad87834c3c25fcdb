//! Which values are slices of their chunk of the stream (no copy, no allocation) and
//! which have a chunk of their own: what the parser's speed rests on, beyond the results
//! the other tests check.

use std::rc::Rc;

use super::test_support::UNBOUNDED;
use super::{Item, ParsedEvent, Parser, Text};

/// The events of `chunks` fed in order.
fn events(chunks: &[&[u8]]) -> Vec<ParsedEvent> {
    let mut parser = Parser::new(UNBOUNDED, "");
    let mut events = Vec::new();
    for chunk in chunks {
        let fed = parser.feed(*chunk, |item| {
            if let Item::Event(event) = item {
                events.push(event);
            }
        });
        assert_eq!(fed, Ok(()));
    }
    events
}

/// The chunk of the stream `text` is a slice of, if it is one (not a chunk of its own).
fn chunk_of(text: &Text) -> Option<&Rc<String>> {
    text.in_chunk().map(|(chunk, _)| chunk)
}

#[test]
fn the_data_and_ids_of_one_chunk_are_slices_of_it() {
    let got = events(&[b"id: 1\ndata: one\n\nid: 2\ndata: two\n\n"]);
    let chunk = chunk_of(&got[0].data).expect("the first data is a slice");
    for event in &got {
        for text in [&event.data, &event.last_event_id] {
            let shared = chunk_of(text).expect("a slice");
            assert!(
                Rc::ptr_eq(shared, chunk),
                "{text:?} is a slice of another chunk"
            );
        }
    }
    assert_eq!(got[1].data.as_str(), "two");
    assert_eq!(got[1].last_event_id.as_str(), "2");
}

#[test]
fn joined_lines_split_values_and_bad_bytes_have_chunks_of_their_own() {
    let got = events(&[b"data: a\ndata: b\n\ndata: sp", b"lit\n\ndata: \xFF\n\n"]);
    let texts: Vec<&str> = got.iter().map(|event| event.data.as_str()).collect();
    assert_eq!(texts, ["a\nb", "split", "\u{FFFD}"]);
    for event in &got {
        assert!(
            chunk_of(&event.data).is_none(),
            "{:?} is a slice",
            event.data
        );
    }
}

#[test]
fn a_chunk_cut_inside_a_character_shares_all_before_the_cut() {
    let got = events(&[b"data: \xC3\xA9\n\ndata: \xC3", b"\xA9\n\n"]);
    let texts: Vec<&str> = got.iter().map(|event| event.data.as_str()).collect();
    assert_eq!(texts, ["é", "é"]);
    assert!(chunk_of(&got[0].data).is_some(), "the head is shared");
    assert!(
        chunk_of(&got[1].data).is_none(),
        "the split value has a chunk of its own"
    );
}
