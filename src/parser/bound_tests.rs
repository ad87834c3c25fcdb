//! The parser's costs: memory bounded by `max_event_size`, work linear in the input, and
//! (ignored by default, for `--release`) its throughput.

use super::test_support::{message, UNBOUNDED};
use super::{Item, Parser, TooLarge};

const MIB: usize = 1024 * 1024;

#[test]
fn a_hundred_megabytes_without_a_line_end_fail_without_outgrowing_the_bound() {
    const LIMIT: usize = 16 * MIB;
    let chunk = vec![b'x'; 64 * 1024];
    let mut parser = Parser::new(LIMIT, "");
    let mut first_failure = None;
    for fed in 1..=100 * MIB / chunk.len() {
        let result = parser.feed(chunk.as_slice(), |item| {
            panic!("no line ended, yet {item:?}")
        });
        assert!(
            parser.buffered_capacity() <= LIMIT + chunk.len(),
            "{} bytes buffered after {fed} chunks",
            parser.buffered_capacity()
        );
        match (result, first_failure) {
            (Ok(()), None) => {}
            (Err(error), None) => {
                assert_eq!(error, TooLarge { limit: LIMIT });
                first_failure = Some(fed);
            }
            (Err(_), Some(_)) => assert_eq!(parser.buffered_capacity(), 0),
            (Ok(()), Some(_)) => panic!("chunk {fed} accepted after the failure"),
        }
    }
    // 256 chunks of 64 KiB make exactly 16 MiB, which is still within the bound.
    assert_eq!(first_failure, Some(257));

    // The next stream starts afresh.
    parser.finish();
    let mut items = Vec::new();
    assert_eq!(parser.feed(b"data:ok\n\n", |item| items.push(item)), Ok(()));
    assert_eq!(items, vec![message("ok")]);
}

#[test]
fn an_event_of_many_data_lines_keeps_no_more_than_its_size() {
    // 600 lines of 10 KiB: the buffer doubles as it grows, to 10 MiB for 6 MiB.
    let line = format!("data: {}\n", "x".repeat(10 * 1024));
    let mut parser = Parser::new(UNBOUNDED, "");
    let mut items = Vec::new();
    let stream = line.repeat(600) + "\n";
    assert_eq!(
        parser.feed(stream.as_bytes(), |item| items.push(item)),
        Ok(())
    );
    let [Item::Event(event)] = items.as_slice() else {
        panic!("one event, not {items:?}");
    };
    let len = event.data.len();
    assert_eq!(len, 600 * 10 * 1024 + 599);
    assert!(
        event.data.held_capacity() <= len + 4 * 1024,
        "{} bytes held for {len}",
        event.data.held_capacity()
    );
}

#[test]
fn data_lines_adding_up_past_the_bound_fail_before_the_event_is_dispatched() {
    let line = format!("data: {}\n", "x".repeat(100));
    let mut parser = Parser::new(1000, "");
    let mut items = Vec::new();
    // Nine lines buffer 909 bytes of data; the tenth (106 bytes) would pass 1000.
    assert_eq!(
        parser.feed(line.repeat(9).as_bytes(), |item| items.push(item)),
        Ok(())
    );
    assert_eq!(
        parser.feed(line.as_bytes(), |item| items.push(item)),
        Err(TooLarge { limit: 1000 })
    );
    assert_eq!(
        parser.feed(b"\n", |item| items.push(item)),
        Err(TooLarge { limit: 1000 }),
        "the partial event is not dispatched after the failure"
    );
    assert_eq!(items, vec![]);
}

#[test]
fn the_bound_counts_the_data_and_the_whole_line() {
    let stream = b"data:0123456789\n\n";
    let line_len = 15;
    for (limit, fits) in [(line_len, true), (line_len - 1, false)] {
        let mut items = Vec::new();
        let result = Parser::new(limit, "").feed(stream, |item| items.push(item));
        assert_eq!(result.is_ok(), fits, "limit {limit}");
        assert_eq!(items.len(), usize::from(fits), "limit {limit}");
    }
    // Any line counts, comments too: nothing unbounded is ever held.
    let comment = format!(":{}\n", "x".repeat(20));
    assert!(Parser::new(20, "")
        .feed(comment.as_bytes(), |_| {})
        .is_err());
}

#[test]
fn the_bound_counts_the_data_as_decoded() {
    // Nine bytes of line, but four bad bytes decode to twelve bytes of U+FFFD.
    let mut parser = Parser::new(10, "");
    assert_eq!(
        parser.feed(b"data:\xFF\xFF\xFF\xFF\n", |_| {}),
        Err(TooLarge { limit: 10 })
    );
}

#[test]
fn a_line_spread_over_many_chunks_is_examined_once() {
    let mut stream = b"data:".to_vec();
    stream.resize(stream.len() + 8 * MIB, b'x');
    stream.extend_from_slice(b"\n\n");
    let mut parser = Parser::new(UNBOUNDED, "");
    let mut items = Vec::new();
    for chunk in stream.chunks(stream.len().div_ceil(1024)) {
        assert_eq!(parser.feed(chunk, |item| items.push(item)), Ok(()));
    }
    assert!(matches!(&items[..], [Item::Event(event)] if event.data.len() == 8 * MIB));
    // Each byte is searched for a line end once, and the completed line read once more.
    // Searching the buffered line again at every chunk would count ~500 times as much.
    assert!(
        parser.examined <= 2 * stream.len(),
        "{} bytes examined for a stream of {}",
        parser.examined,
        stream.len()
    );
}

#[test]
fn a_large_unfinished_event_is_given_back_when_its_stream_ends_and_all_on_release() {
    // A megabyte of data lines, a long line begun, and no blank line.
    let data = format!(
        "id: 7\n\n{}",
        format!("data: {}\n", "x".repeat(1_000)).repeat(1_000)
    );
    let mut parser = Parser::new(UNBOUNDED, "");
    let mut items = Vec::new();
    assert_eq!(
        parser.feed(data.as_bytes(), |item| items.push(item)),
        Ok(())
    );
    assert_eq!(
        parser.feed(vec![b'x'; 100_000], |item| items.push(item)),
        Ok(())
    );
    assert!(
        parser.buffered_capacity() > MIB,
        "{}",
        parser.buffered_capacity()
    );

    // The next stream (a reconnection) would keep a buffer of at most 64 KiB each.
    assert!(
        parser.holds_unfinished_event(),
        "an unfinished event is dropped"
    );
    parser.finish();
    assert!(
        parser.buffered_capacity() <= 2 * 64 * 1024,
        "{} bytes kept for the next stream",
        parser.buffered_capacity()
    );

    // Released (the source closed): nothing is kept, but the last event id.
    assert_eq!(
        parser.feed(data.as_bytes(), |item| items.push(item)),
        Ok(())
    );
    assert!(
        parser.last_event_id().in_chunk().is_some(),
        "the id is a slice of its chunk while the stream goes on"
    );
    parser.release();
    assert_eq!(parser.buffered_capacity(), 0);
    assert_eq!(parser.last_event_id().as_str(), "7");
    assert!(
        parser.last_event_id().in_chunk().is_none(),
        "released, the id keeps no chunk alive"
    );
    assert_eq!(
        items.len(),
        1,
        "only the id change of the first blank line: {items:?}"
    );
}

#[test]
fn a_long_event_type_is_not_kept_after_its_event() {
    // One `event:` line may be as long as the bound; the next events need no such buffer.
    let event_type = "t".repeat(MIB);
    let mut parser = Parser::new(16 * MIB, "");
    let mut items = Vec::new();
    let stream = format!("event: {event_type}\ndata: x\n\nevent: {event_type}\n\n");
    assert_eq!(
        parser.feed(stream.as_bytes(), |item| items.push(item)),
        Ok(())
    );
    let [Item::Event(event)] = &items[..] else {
        panic!("one event: {items:?}")
    };
    assert_eq!(event.event_type(), event_type);
    assert!(
        parser.buffered_capacity() <= 2 * 64 * 1024,
        "{} bytes kept after the events",
        parser.buffered_capacity()
    );
    // An unfinished event's type is given back with it when the stream ends.
    assert_eq!(
        parser.feed(format!("event: {event_type}\n").into_bytes(), |item| items
            .push(item)),
        Ok(())
    );
    parser.finish();
    assert!(
        parser.buffered_capacity() <= 2 * 64 * 1024,
        "{} bytes kept for the next stream",
        parser.buffered_capacity()
    );
}

/// `cargo test --release -p web-eventsource --lib parser::bound_tests -- --ignored --nocapture`
#[test]
#[ignore = "a measurement: run it in release with --nocapture"]
fn measure_throughput() {
    use std::time::Instant;

    // 200,000 events of 64 bytes each (12.8 MB), fed in 64 KiB chunks.
    let frame = format!("data: {}\n\n", "x".repeat(56));
    assert_eq!(frame.len(), 64);
    let stream = frame.repeat(200_000);
    let rounds = 10;
    let mut events = 0_usize;
    let start = Instant::now();
    for _ in 0..rounds {
        let mut parser = Parser::new(UNBOUNDED, "");
        for chunk in stream.as_bytes().chunks(64 * 1024) {
            let fed = parser.feed(chunk, |item| {
                if let Item::Event(event) = item {
                    events += std::hint::black_box(event.data).len() / 56;
                }
            });
            assert_eq!(fed, Ok(()));
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    assert_eq!(events, rounds * 200_000);
    println!(
        "64-byte events in 64 KiB chunks: {:.0} MB/s, {:.2} M events/s, {:.0} ns/event",
        (rounds * stream.len()) as f64 / seconds / 1e6,
        events as f64 / seconds / 1e6,
        seconds * 1e9 / events as f64
    );

    // One 8 MiB line in 1,024 chunks.
    let mut line = b"data:".to_vec();
    line.resize(line.len() + 8 * MIB, b'x');
    line.extend_from_slice(b"\n\n");
    let start = Instant::now();
    let mut parser = Parser::new(UNBOUNDED, "");
    for chunk in line.chunks(line.len().div_ceil(1024)) {
        assert_eq!(parser.feed(chunk, |_| {}), Ok(()));
    }
    println!(
        "one 8 MiB line in 1,024 chunks: {:.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
}
