//! The resume URL: the stream's URL with the last event id in one query parameter.
//!
//! Pure string work, so it is tested natively. The URL is edited, not rebuilt: a URL
//! parser would re-serialise the whole query (`a=x%20y&flag` becomes `a=x+y&flag=`), which
//! breaks signed URLs and servers that tell `flag` from `flag=`.

/// `url` with the query parameter `name` set to `value`: the first pair named `name` is
/// replaced in place and any later ones removed, or the pair is appended. Every other
/// byte of the URL, the fragment included, stays as it was.
// Closure patterns rather than `char`s: a `char` pattern compiles to a memchr-based
// searcher, 0.2 KB more of gzipped wasm in every app that resumes.
#[allow(clippy::manual_pattern_char_comparison)]
pub(crate) fn with_query_parameter(url: &str, name: &str, value: &str) -> String {
    // Split with `split_once`, and joined by hand: slicing at an index that `find`
    // returned, `format!` and `join` each bring a panic or formatting path, and slicing's
    // panic message links Debug formatting and Unicode tables into every app that resumes.
    let (before_fragment, fragment) = match url.split_once(|c| c == '#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (url, None),
    };
    let (path, query) = before_fragment
        .split_once(|c| c == '?')
        .unwrap_or((before_fragment, ""));
    let mut pair = encode_component(name);
    pair.push('=');
    pair.push_str(&encode_component(value));
    let existing_pairs = query.split(|c| c == '&').filter(|_| !query.is_empty());
    let mut pairs: Vec<&str> = Vec::new();
    let mut placed = false;
    for existing in existing_pairs {
        let key = existing.split(|c| c == '=').next().unwrap_or_default();
        if decode_component(key) == name.as_bytes() {
            if !placed {
                pairs.push(&pair);
                placed = true;
            }
        } else {
            pairs.push(existing);
        }
    }
    if !placed {
        pairs.push(&pair);
    }
    let mut resumed = String::with_capacity(url.len() + pair.len() + 1);
    resumed.push_str(path);
    for (index, pair) in pairs.into_iter().enumerate() {
        resumed.push(if index == 0 { '?' } else { '&' });
        resumed.push_str(pair);
    }
    if let Some(fragment) = fragment {
        resumed.push('#');
        resumed.push_str(fragment);
    }
    resumed
}

/// Percent-encodes everything but the unreserved characters of RFC 3986, as
/// `encodeURIComponent` does (bar `!'()*`, which it leaves and this encodes).
fn encode_component(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push('%');
            encoded.push(char::from(HEX[usize::from(byte >> 4)]));
            encoded.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
    }
    encoded
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Decodes a query key the way a form decoder would (`+` is a space, `%XX` a byte), so
/// that an encoded spelling of the resume parameter is recognised too. The bytes are
/// compared with the name as they are: a key whose escapes are not UTF-8 is not the name
/// (turning them into U+FFFD first, as a form decoder does, linked 0.7 KB of gzipped
/// UTF-8 repair code into every app that resumes, for a name nobody would choose).
fn decode_component(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => decoded.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                    (Some(high), Some(low)) => {
                        decoded.push(high << 4 | low);
                        i += 2;
                    }
                    _ => decoded.push(b'%'),
                }
            }
            byte => decoded.push(byte),
        }
        i += 1;
    }
    decoded
}

fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|value| u8::try_from(value).ok())
}

#[cfg(test)]
mod tests {
    use super::with_query_parameter;

    fn resume(url: &str) -> String {
        with_query_parameter(url, "lastEventId", "42")
    }

    #[test]
    fn appends_to_a_url_without_a_query() {
        assert_eq!(resume("http://h/sse"), "http://h/sse?lastEventId=42");
        assert_eq!(resume("http://h/sse?"), "http://h/sse?lastEventId=42");
    }

    #[test]
    fn leaves_every_other_byte_of_the_query_as_it_was() {
        assert_eq!(
            resume("http://h/sse?a=x%20y&flag&b=1+2&sig=AbC%2F%3D"),
            "http://h/sse?a=x%20y&flag&b=1+2&sig=AbC%2F%3D&lastEventId=42"
        );
        assert_eq!(
            resume("http://h/sse?a&&b="),
            "http://h/sse?a&&b=&lastEventId=42"
        );
    }

    #[test]
    fn replaces_the_parameter_in_place_and_drops_repeats() {
        assert_eq!(
            resume("http://h/sse?lastEventId=7&a=1&lastEventId=8"),
            "http://h/sse?lastEventId=42&a=1"
        );
        assert_eq!(
            resume("http://h/sse?a=1&last%45ventId=7"),
            "http://h/sse?a=1&lastEventId=42"
        );
    }

    #[test]
    fn keeps_the_fragment_after_the_query() {
        assert_eq!(
            resume("http://h/sse?a=1#top"),
            "http://h/sse?a=1&lastEventId=42#top"
        );
        assert_eq!(
            resume("http://h/sse#a?b"),
            "http://h/sse?lastEventId=42#a?b"
        );
    }

    #[test]
    fn encodes_the_id_and_the_name() {
        assert_eq!(
            with_query_parameter("http://h/s", "since id", "a b&c=d/é"),
            "http://h/s?since%20id=a%20b%26c%3Dd%2F%C3%A9"
        );
        assert_eq!(
            with_query_parameter("http://h/s?since+id=1", "since id", "2"),
            "http://h/s?since%20id=2"
        );
    }

    #[test]
    fn a_key_whose_escapes_are_not_utf8_is_another_key() {
        assert_eq!(
            with_query_parameter("http://h/s?%FF=1", "\u{FFFD}", "2"),
            "http://h/s?%FF=1&%EF%BF%BD=2"
        );
    }

    #[test]
    fn a_lone_percent_is_not_decoded() {
        assert_eq!(
            with_query_parameter("http://h/s?a%=1&%4", "a%", "2"),
            "http://h/s?a%25=2&%4"
        );
    }
}
