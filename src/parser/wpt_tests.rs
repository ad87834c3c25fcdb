//! The web-platform-tests `eventsource/format-*` cases (and `event-data`), ported as data.
//!
//! Each case is the body the WPT server sends (`resources/message.py` serves `message`, then
//! `\n\n` unless `newline=none`, then `\n`; `last-event-id.py`, `last-event-id2.py` and
//! `message2.py` serve fixed bodies) and the items its assertions imply. The MIME-type cases
//! test the transport, not the parser, and are not here.

use super::test_support::{event, message, Case};
use super::Item;

/// The body `resources/message.py` serves for `message`.
fn served(message: &str) -> Vec<u8> {
    format!("{message}\n\n\n").into_bytes()
}

/// The body `resources/message.py` serves for `message` with `newline=none`.
fn served_without_newline(message: &str) -> Vec<u8> {
    format!("{message}\n").into_bytes()
}

fn wpt_cases() -> Vec<Case> {
    let long_comment = "x".repeat(2 * 1024);
    let mut cases = vec![
        Case::new(
            "format-bom.any.js: only the first BOM is stripped",
            served("\u{FEFF}data:1\n\n\u{FEFF}data:2\n\ndata:3"),
            vec![message("1"), message("3")],
        ),
        Case::new(
            "format-bom-2.any.js: a second BOM is part of the first field name",
            served("\u{FEFF}\u{FEFF}data:1\n\ndata:2\n\ndata:3"),
            vec![message("2"), message("3")],
        ),
        Case::new(
            "format-comments.any.js",
            served_without_newline(&format!(
                "data:1\r:\0\n:\r\ndata:2\n:{long_comment}\rdata:3\n:data:fail\r:{long_comment}\ndata:4\n"
            )),
            vec![message("1\n2\n3\n4")],
        ),
        Case::new(
            "format-data-before-final-empty-line.any.js: the unfinished event is dropped",
            served_without_newline("retry:1000\ndata:test1\n\nid:test\ndata:test2"),
            vec![Item::Retry(1000), message("test1")],
        ),
        Case::new(
            "format-field-data.any.js",
            served("data:\n\ndata\ndata\n\ndata:test"),
            vec![message(""), message("\n"), message("test")],
        ),
        Case::new(
            "format-field-event-empty.any.js",
            served("event: \ndata:data"),
            vec![message("data")],
        ),
        Case::new(
            "format-field-event.any.js",
            served("event:test\ndata:x\n\ndata:x"),
            vec![event("test", "x", ""), message("x")],
        ),
        Case::new(
            "format-field-id.any.js and format-field-id-2.any.js: last-event-id.py, first request",
            "id: \u{2026}\nretry: 200\ndata: hello\n\n".into(),
            vec![Item::Retry(200), event("message", "hello", "\u{2026}")],
        ),
        Case::new(
            "format-field-id.any.js and format-field-id-2.any.js: the reconnection, sent \
             Last-Event-ID, whose events carry that id",
            "data: \u{2026}\n\n".into(),
            vec![event("message", "\u{2026}", "\u{2026}")],
        )
        .resuming_after("\u{2026}"),
        Case::new(
            "format-field-id-3.window.js: persists",
            "id: 1\ndata: 1\n\ndata:2\n\n".into(),
            vec![event("message", "1", "1"), event("message", "2", "1")],
        ),
        Case::new(
            "format-field-id-3.window.js: changes and persists",
            "id: 1\ndata: 1\n\nid: 2\ndata:2\n\ndata:3\n\n".into(),
            vec![
                event("message", "1", "1"),
                event("message", "2", "2"),
                event("message", "3", "2"),
            ],
        ),
        Case::new(
            "format-field-id-3.window.js: resets",
            "id: 1\ndata: 1\n\nid:\ndata:2\n\ndata:3\n\n".into(),
            vec![event("message", "1", "1"), message("2"), message("3")],
        ),
        Case::new(
            "format-field-parsing.any.js",
            served_without_newline(
                "data:\0\ndata:  2\rData:1\ndata\0:2\ndata:1\r\0data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n data:32\ndata:4\n",
            ),
            vec![message("\0\n 2\n1\n3\n\n4")],
        ),
        Case::new(
            "format-field-retry-bogus.any.js: a bogus retry keeps the time before",
            served("retry:3000\nretry:1000x\ndata:x"),
            vec![Item::Retry(3000), message("x")],
        ),
        Case::new(
            "format-field-retry-empty.any.js",
            served("retry\ndata:test"),
            vec![message("test")],
        ),
        Case::new(
            "format-field-retry.any.js: leading zeros, base ten",
            served("retry:03000\ndata:x"),
            vec![Item::Retry(3000), message("x")],
        ),
        Case::new(
            "format-field-unknown.any.js",
            served("data:test\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:test"),
            vec![message("test\n\ntest")],
        ),
        Case::new(
            "format-leading-space.any.js",
            served("data:\ttest\rdata: \ndata:test"),
            vec![message("\ttest\n\ntest")],
        ),
        Case::new(
            "format-newlines.any.js",
            served_without_newline("data:test\r\ndata\ndata:test\r\n\r"),
            vec![message("test\n\ntest")],
        ),
        Case::new(
            "format-null-character.any.js",
            served("data:\0\n\n"),
            vec![message("\0")],
        ),
        Case::new(
            "format-utf-8.any.js: always UTF-8",
            b"data:ok\xE2\x80\xA6\n\n\n".to_vec(),
            vec![message("ok\u{2026}")],
        ),
        Case::new(
            "event-data.any.js: message2.py",
            "data:msg\ndata: msg\n\n:\nfalsefield:msg\n\nfalsefield:msg\nData:data\n\ndata\n\ndata:end\n\n"
                .into(),
            vec![message("msg\nmsg"), message(""), message("end")],
        ),
    ];
    // format-field-id-null.window.js: last-event-id.py?idvalue=... An id containing U+0000
    // is ignored, so the event keeps the empty id. (An older .htm revision of the test
    // predates that rule of the standard and expected the NULs.)
    for id in ["\0\0", "x\0", "\0x", "x\0x", " \0"] {
        cases.push(Case::new(
            "format-field-id-null.window.js",
            format!("id: {id}\nretry: 200\ndata: hello\n\n").into_bytes(),
            vec![Item::Retry(200), message("hello")],
        ));
    }
    cases
}

#[test]
fn wpt_format_cases_give_the_events_the_browser_tests_expect() {
    for case in wpt_cases() {
        case.check();
    }
}
