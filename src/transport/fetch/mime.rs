//! Whether a response's `Content-Type` is `text/event-stream`: a pure function of the
//! header's value, kept apart from the request so that it is tested natively.

/// Whether a `Content-Type` value's essence is `text/event-stream`, as Fetch's "extract a
/// MIME type" reads it: of the values (a header sent twice arrives joined by commas; a
/// comma inside a quoted string does not split), the last one that is a MIME type counts
/// (`*/*` does not), and its essence is its `type/subtype`, both tokens, in any case.
///
/// Read as bytes, with no `str` splitting: `rsplit` and `trim_matches` cost the fetch
/// transport about 1.8 KB of code (before wasm-opt) in every app that uses it. Sliced
/// with `get`, as the parser is (see there), so that no bounds panic is linked.
pub(super) fn is_event_stream(content_type: &str) -> bool {
    let mut verdict = false;
    let mut rest = content_type.as_bytes();
    loop {
        let (value, after) = first_value(rest);
        if let Some(essence) = essence(value).filter(|essence| *essence != b"*/*") {
            verdict = essence.eq_ignore_ascii_case(b"text/event-stream");
        }
        match after {
            Some(after) => rest = after,
            None => return verdict,
        }
    }
}

/// The first of a header's comma-separated values, and what follows its comma (`None`:
/// it was the last). A comma inside a quoted string (where `\` escapes the next byte)
/// does not split, as in Fetch's "get, decode, and split".
fn first_value(bytes: &[u8]) -> (&[u8], Option<&[u8]>) {
    let mut quoted = false;
    let mut escaped = false;
    for (index, &byte) in bytes.iter().enumerate() {
        if escaped {
            escaped = false;
        } else if quoted {
            match byte {
                b'\\' => escaped = true,
                b'"' => quoted = false,
                _ => {}
            }
        } else if byte == b'"' {
            quoted = true;
        } else if byte == b',' {
            return (
                bytes.get(..index).unwrap_or_default(),
                bytes.get(index + 1..),
            );
        }
    }
    (bytes, None)
}

/// The essence (`type/subtype`) of a value that parses as a MIME type: what comes before
/// any `;`, without HTTP whitespace around it, split by its first `/` into two tokens.
/// The parameters after the `;` cannot make the value fail to parse.
fn essence(value: &[u8]) -> Option<&[u8]> {
    let end = value
        .iter()
        .position(|&byte| byte == b';')
        .unwrap_or(value.len());
    let essence = trim_http_whitespace(value.get(..end)?);
    let slash = essence.iter().position(|&byte| byte == b'/')?;
    let kind = essence.get(..slash)?;
    let subtype = essence.get(slash + 1..)?;
    (is_token(kind) && is_token(subtype)).then_some(essence)
}

/// `bytes` without the HTTP whitespace (tab, space, CR, LF) at either end.
fn trim_http_whitespace(mut bytes: &[u8]) -> &[u8] {
    let is_space = |byte: &u8| matches!(byte, b'\t' | b' ' | b'\r' | b'\n');
    while let Some((_, rest)) = bytes.split_first().filter(|(first, _)| is_space(first)) {
        bytes = rest;
    }
    while let Some((_, rest)) = bytes.split_last().filter(|(last, _)| is_space(last)) {
        bytes = rest;
    }
    bytes
}

/// Whether `bytes` is an HTTP token: one or more of the token characters.
fn is_token(bytes: &[u8]) -> bool {
    !bytes.is_empty()
        && bytes.iter().all(|&byte| {
            TOKEN_BYTES
                .get(usize::from(byte >> 3))
                .is_some_and(|bits| bits >> (byte & 7) & 1 == 1)
        })
}

/// The token characters, a bit each by code: the ASCII letters and digits and
/// ``!#$%&'*+-.^_`|~``. A table rather than a `match`, which compiles to a tree of
/// comparisons.
const TOKEN_BYTES: [u8; 16] = {
    let mut table = [0; 16];
    let mut byte: u8 = 0;
    while byte < 128 {
        let token = byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'!' | b'#'..=b'\'' | b'*' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~'
            );
        if token {
            table[(byte >> 3) as usize] |= 1 << (byte & 7);
        }
        byte += 1;
    }
    table
};

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
            // A comma in a quoted string splits nothing; a value that is not a MIME type
            // (a space in its subtype, an empty type or subtype) is passed over.
            "text/event-stream; x=\"a,b/c\"",
            "text/event-stream; q=\"\\\",x/y\"",
            "text/event-stream, foo/ba r",
            "text/event-stream, /plain, text/",
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
            "text/plain; x=\"a, text/event-stream\"",
            "text /event-stream",
            "\"text/event-stream\"",
            // A form feed is not HTTP whitespace.
            "text/event-stream\u{c}",
        ] {
            assert!(!is_event_stream(fails), "{fails:?} fails");
        }
    }

    /// Fetch's "extract a MIME type" of a `Content-Type` value as the standard spells it,
    /// step by step on code points: "get, decode, and split", then "parse a MIME type" of
    /// each value. What `is_event_stream` must agree with.
    #[cfg(not(target_arch = "wasm32"))]
    fn as_the_standard_reads_it(header: &str) -> bool {
        let input: Vec<char> = header.chars().collect();
        let mut values = Vec::new();
        let mut position = 0;
        let mut value = String::new();
        loop {
            while position < input.len() && !matches!(input[position], '"' | ',') {
                value.push(input[position]);
                position += 1;
            }
            if position < input.len() && input[position] == '"' {
                // Collect an HTTP quoted string, quotes and backslashes kept.
                let start = position;
                position += 1;
                loop {
                    while position < input.len() && !matches!(input[position], '"' | '\\') {
                        position += 1;
                    }
                    if position >= input.len() {
                        break;
                    }
                    let quote_or_backslash = input[position];
                    position += 1;
                    if quote_or_backslash == '\\' {
                        if position >= input.len() {
                            break;
                        }
                        position += 1;
                    } else {
                        break;
                    }
                }
                value.extend(&input[start..position]);
                if position < input.len() {
                    continue;
                }
            }
            values.push(value.trim_matches(['\t', ' ']).to_owned());
            value.clear();
            if position >= input.len() {
                break;
            }
            position += 1; // the comma
        }
        let mut essence = None;
        for value in values {
            match parsed_essence(&value) {
                Some(parsed) if parsed != "*/*" => essence = Some(parsed),
                _ => {}
            }
        }
        essence.is_some_and(|essence| essence == "text/event-stream")
    }

    /// "Parse a MIME type", as far as its essence.
    #[cfg(not(target_arch = "wasm32"))]
    fn parsed_essence(input: &str) -> Option<String> {
        let http_whitespace = ['\t', '\n', '\r', ' '];
        let token = |text: &str| {
            !text.is_empty()
                && text
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c))
        };
        let input = input.trim_matches(http_whitespace);
        let (kind, rest) = input.split_once('/')?;
        let subtype = rest.split(';').next()?.trim_end_matches(http_whitespace);
        (token(kind) && token(subtype)).then(|| format!("{kind}/{subtype}").to_ascii_lowercase())
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn the_oracle_reads_the_fixed_cases_alike() {
        for (value, opens) in [
            ("text/event-stream; x=\"a,b/c\"", true),
            ("text/event-stream, foo/ba r", true),
            ("text/plain; x=\"a, text/event-stream\"", false),
            ("text/event-stream\u{c}", false),
        ] {
            assert_eq!(as_the_standard_reads_it(value), opens, "{value:?}");
        }
    }

    // proptest runs natively only (a dev-dependency for the host).
    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(4096))]
        #[test]
        fn reads_any_value_as_the_standard_does(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "text/event-stream", "Text/Event-Stream", "text/plain", "*/*", "text",
                    "event-stream", "/", ",", ";", "\"", "\\", " ", "\t", "\r\n", "\u{c}",
                    "x=\"a,b\"", "\"a,text/event-stream\"", "\"a,text/plain",
                    "\"\\\",text/event-stream", "é", "(",
                ]),
                0..10,
            )
        ) {
            let value = pieces.concat();
            proptest::prop_assert_eq!(is_event_stream(&value), as_the_standard_reads_it(&value));
        }
    }
}
