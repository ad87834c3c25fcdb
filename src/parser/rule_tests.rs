//! The rules of WHATWG HTML §9.2.6 that the WPT cases do not pin down, as the same kind of
//! table, and the parser's life across streams.

use super::test_support::{event, message, Case, UNBOUNDED};
use super::{Item, Parser, Text};

fn rule_cases() -> Vec<Case> {
    vec![
        // Line ends.
        Case::new(
            "CR, LF and CRLF each end one line (a CRLF cut between chunks too)",
            b"data:a\rdata:b\ndata:c\r\ndata:d\r\n\r\n".to_vec(),
            vec![message("a\nb\nc\nd")],
        ),
        Case::new(
            "CR CR is a line and a blank line",
            b"data:x\r\rdata:y\n\n".to_vec(),
            vec![message("x"), message("y")],
        ),
        Case::new(
            "LF CR is a line and a blank line",
            b"data:x\n\rdata:y\n\n".to_vec(),
            vec![message("x"), message("y")],
        ),
        // The BOM.
        Case::new(
            "a BOM, whole or cut anywhere, is stripped at the start",
            b"\xEF\xBB\xBFdata:x\n\n".to_vec(),
            vec![message("x")],
        ),
        Case::new(
            "a BOM's first two bytes alone start the first line as U+FFFD",
            b"\xEF\xBBdata:x\n\ndata:y\n\n".to_vec(),
            vec![message("y")],
        ),
        Case::new(
            "a BOM alone on the first line makes it a blank line",
            b"\xEF\xBB\xBF\ndata:x\n\n".to_vec(),
            vec![message("x")],
        ),
        Case::new(
            "a BOM inside a value is kept",
            "data:a\u{FEFF}b\n\n".into(),
            vec![message("a\u{FEFF}b")],
        ),
        // UTF-8.
        Case::new(
            "multi-byte characters, cut anywhere, stay whole",
            "data:\u{e9}\u{20ac}\u{1d11e}\u{1f600}\n\n".into(),
            vec![message("\u{e9}\u{20ac}\u{1d11e}\u{1f600}")],
        ),
        Case::new(
            "bad bytes become U+FFFD by maximal subparts, as TextDecoder does",
            b"data:a\xFFb\xC3\n\
              data:\xF0\x9F\x98\n\
              data:\xC0\xAF|\xED\xA0\x80|\xF4\x90\x80\x80\n\n"
                .to_vec(),
            vec![message(
                "a\u{FFFD}b\u{FFFD}\n\u{FFFD}\n\u{FFFD}\u{FFFD}|\u{FFFD}\u{FFFD}\u{FFFD}|\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}",
            )],
        ),
        Case::new(
            "a bad byte in a field name makes it unknown",
            b"d\xFFata:x\ndata\xC3:y\n\n".to_vec(),
            vec![],
        ),
        Case::new(
            "bad bytes in the type and the id become U+FFFD",
            b"event:\xFF\nid:\xFE\ndata:x\n\n".to_vec(),
            vec![event("\u{FFFD}", "x", "\u{FFFD}")],
        ),
        // Fields.
        Case::new(
            "field names are case-sensitive",
            b"DATA:x\nEvent:y\nID:z\nRetry:1\ndata:a\n\n".to_vec(),
            vec![message("a")],
        ),
        Case::new(
            "only the first colon splits, and one space is stripped",
            b"data:a:b\ndata:  c\nid: d:e\ndata\n\n".to_vec(),
            vec![event("message", "a:b\n c\n", "d:e")],
        ),
        Case::new(
            "event: message is the default type",
            b"event: message\ndata:x\n\n".to_vec(),
            vec![message("x")],
        ),
        Case::new(
            "a blank line without data resets the type",
            b"event:foo\n\ndata:x\n\n".to_vec(),
            vec![message("x")],
        ),
        Case::new(
            "the type applies to one event",
            b"event:foo\ndata:x\n\ndata:y\n\n".to_vec(),
            vec![event("foo", "x", ""), message("y")],
        ),
        // The last event id.
        Case::new(
            "a blank line sets the last event id even without data, once per change",
            b"id:7\n\nid:7\n\ndata:x\n\nid\n\n".to_vec(),
            vec![
                Item::LastEventId(Text::shared("7".to_owned())),
                event("message", "x", "7"),
                Item::LastEventId(Text::shared(String::new())),
            ],
        ),
        Case::new(
            "an id with NUL keeps the id before",
            b"id:1\nid:2\0\ndata:x\n\n".to_vec(),
            vec![event("message", "x", "1")],
        ),
        Case::new(
            "an id set in an unfinished event is not the last event id",
            b"id:1\ndata:x\n\nid:2\ndata:y\n".to_vec(),
            vec![event("message", "x", "1")],
        ),
        Case::new(
            "a reconnection's events carry the id it resumed from until an id line",
            b"data:x\n\nid\ndata:y\n\n".to_vec(),
            vec![event("message", "x", "5"), message("y")],
        )
        .resuming_after("5"),
        // retry.
        Case::new(
            "retry counts at its line, before the event is finished",
            b"retry: 5\ndata:x".to_vec(),
            vec![Item::Retry(5)],
        ),
        Case::new(
            "retry counts only when all ASCII digits",
            "retry:  5\nretry:-1\nretry:1.5\nretry:1e3\nretry:+2\nretry:\u{663}\nretry:\n\n".into(),
            vec![],
        ),
        Case::new(
            "a retry too large for u32 saturates",
            b"retry:99999999999999999999999\nretry:4294967296\nretry:4294967295\n".to_vec(),
            vec![Item::Retry(u32::MAX), Item::Retry(u32::MAX), Item::Retry(u32::MAX)],
        ),
        // The end.
        Case::new(
            "an unfinished line and event at the end are dropped",
            b"data:x\n\ndata:y\ndata:z".to_vec(),
            vec![message("x")],
        ),
        Case::new(
            "an empty stream gives nothing",
            Vec::new(),
            vec![],
        ),
    ]
}

#[test]
fn stream_rules_hold_however_the_stream_is_cut() {
    for case in rule_cases() {
        case.check();
    }
}

#[test]
fn finish_drops_the_unfinished_event_and_readies_the_next_stream() {
    let mut parser = Parser::new(UNBOUNDED, "");
    let mut items = Vec::new();
    let fed = parser.feed(b"id: 1\ndata:a\n\nid: 2\nevent:t\ndata:b", |item| {
        items.push(item)
    });
    assert_eq!(fed, Ok(()));
    assert_eq!(items, vec![event("message", "a", "1")]);
    assert!(
        parser.holds_unfinished_event(),
        "an unfinished event is dropped"
    );
    parser.finish();
    assert!(!parser.holds_unfinished_event());
    assert_eq!(parser.last_event_id().as_str(), "1");

    // The next stream strips its own BOM, and neither the dropped id nor type leaks into it.
    items.clear();
    let fed = parser.feed(b"\xEF\xBB\xBFdata:c\n\n", |item| items.push(item));
    assert_eq!(fed, Ok(()));
    assert_eq!(items, vec![event("message", "c", "1")]);
    assert!(
        !parser.holds_unfinished_event(),
        "nothing was left unfinished"
    );
}

#[test]
fn an_unfinished_line_or_id_but_not_comment_is_held_until_finish_drops_it() {
    for (stream, dropped) in [
        (&b"data:x\n\n"[..], false),
        // A comment would be skipped anyway: the body's end drops nothing, and the
        // console says nothing (a server may close with `: bye` and no line end).
        (b"data:x\n\n:comment", false),
        (b"data:x\n\nda", true),
        (b"id:3\n", true),
        (b"retry:3\n", false),
        (b"\xEF\xBB", true),
    ] {
        let mut parser = Parser::new(UNBOUNDED, "");
        assert_eq!(parser.feed(stream, |_| {}), Ok(()));
        assert_eq!(parser.holds_unfinished_event(), dropped, "{stream:?}");
        parser.finish();
        assert!(!parser.holds_unfinished_event(), "{stream:?}");
    }
}
