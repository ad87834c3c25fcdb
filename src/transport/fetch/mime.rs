//! Whether a response's `Content-Type` is `text/event-stream`: a pure function of the
//! header's value, kept apart from the request so that it is tested natively.

/// Whether a `Content-Type` value's essence is `text/event-stream`, as Fetch's "extract a
/// MIME type" reads it: of the values (a header sent twice arrives joined by commas), the
/// last one that is a MIME type counts, and its essence is what comes before any `;`,
/// without surrounding whitespace, in any case.
///
/// Read as bytes from the end, with no `str` splitting: `rsplit` and `trim_matches` cost
/// the fetch transport about 1.8 KB of code (before wasm-opt) in every app that uses it.
/// Sliced with `get`, as the parser is (see there), so that no bounds panic is linked.
// `contains(&b'/')` would link `memchr` (about 300 bytes before wasm-opt) for a search of
// a few bytes.
#[allow(clippy::manual_contains)]
pub(super) fn is_event_stream(content_type: &str) -> bool {
    let mut values = content_type.as_bytes();
    loop {
        let comma = values.iter().rposition(|&byte| byte == b',');
        let value = comma.map_or(values, |comma| values.get(comma + 1..).unwrap_or_default());
        let essence = match value.iter().position(|&byte| byte == b';') {
            Some(semicolon) => value.get(..semicolon).unwrap_or_default(),
            None => value,
        }
        .trim_ascii();
        if essence.iter().any(|&byte| byte == b'/') && essence != b"*/*" {
            return essence.eq_ignore_ascii_case(b"text/event-stream");
        }
        match comma {
            Some(comma) => values = values.get(..comma).unwrap_or_default(),
            None => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_event_stream;

    #[test]
    fn the_last_mime_type_among_the_values_decides() {
        for opens in [
            "text/event-stream",
            "Text/Event-Stream; charset=utf-8",
            " \ttext/event-stream ;x=y",
            "text/event-stream, text/event-stream",
            "text/plain, text/event-stream",
            "text/event-stream, */*",
            "text/event-stream, nonsense",
            "text/event-stream,",
        ] {
            assert!(is_event_stream(opens), "{opens:?} opens");
        }
        for fails in [
            "",
            ",",
            "text/plain",
            "text/event-stream, text/plain",
            "text/event-streams",
            "text/event-stream\u{0}",
            "event-stream",
            "*/*",
            "text/event-stream;, text/html",
        ] {
            assert!(!is_event_stream(fails), "{fails:?} fails");
        }
    }

    /// The reading as `str` splitting spells it, which this module's function replaced.
    #[cfg(not(target_arch = "wasm32"))]
    fn split_and_trimmed(value: &str) -> bool {
        value
            .split(',')
            .rev()
            .map(|part| {
                part.split(';')
                    .next()
                    .unwrap_or_default()
                    .trim_matches(|c: char| c.is_ascii_whitespace())
            })
            .find(|essence| essence.contains('/') && *essence != "*/*")
            .is_some_and(|essence| essence.eq_ignore_ascii_case("text/event-stream"))
    }

    // proptest runs natively only (a dev-dependency for the host).
    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn reads_any_value_as_str_splitting_does(
            value in "((text|TEXT|\\*)?/?(event-stream|plain|\\*)?[ \t\r\n\u{c};,=x]{0,3}é?){0,5}"
        ) {
            proptest::prop_assert_eq!(is_event_stream(&value), split_and_trimmed(&value));
        }
    }
}
