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

#[test]
fn the_unfinished_character_at_a_chunk_end_is_found_before_the_chunk_is_checked() {
    use super::unfinished_tail;
    for (bytes, tail) in [
        (&b""[..], 0),
        (b"a", 0),
        (b"a\xC3\xA9", 0),
        (b"a\xC3", 1),
        (b"a\xE2\x82", 2),
        (b"a\xF0\x9F\x98", 3),
        (b"a\xF0\x9F\x98\x80", 0),
        // Not a character's start: left for the check, which finds the chunk bad.
        (b"a\x80", 0),
        (b"\x80\x80\x80\x80", 0),
        // Looks like one, though no character goes on so: split off all the same, and
        // decoded (as U+FFFD) with the bytes that follow.
        (b"a\xE0\x80", 2),
    ] {
        assert_eq!(unfinished_tail(bytes), tail, "{bytes:?}");
    }
}

#[test]
fn bytes_split_off_as_a_character_that_is_none_decode_as_unsplit_and_the_rest_is_shared() {
    // The first chunk ends in `E0 80`, which starts no character: split off, its head is
    // valid, so the event before is a slice of it (a chunk checked whole was found bad,
    // and none of it was shared).
    let got = events(&[b"data: a\n\ndata: \xC3\xA9 \xE0\x80", b"\xC3\xA9\n\n"]);
    let texts: Vec<&str> = got.iter().map(|event| event.data.as_str()).collect();
    assert_eq!(texts, ["a", "\u{E9} \u{FFFD}\u{FFFD}\u{E9}"]);
    assert!(chunk_of(&got[0].data).is_some(), "the head is shared");
}
