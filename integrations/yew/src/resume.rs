//! The URL [`reopen`](crate::UseEventSourceHandle::reopen) opens: the hook's URL with the
//! last event id in the `lastEventId` query parameter, the name the core crate's
//! [`Reconnect`](web_eventsource::Reconnect) policy and `pause_when_hidden` use by default.
//! A new browser `EventSource` cannot send the `Last-Event-ID` header, so the query is the
//! only way to resume.

/// The resume parameter's name.
const PARAMETER: &str = "lastEventId";

/// `url` with `lastEventId=<id>` in its query, replacing any `lastEventId` pair already
/// there; the rest of the URL, fragment included, is kept byte for byte.
pub(crate) fn with_last_event_id(url: &str, id: &str) -> String {
    let (url, fragment) = url.split_at(url.find('#').unwrap_or(url.len()));
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some(PARAMETER))
        .map(str::to_owned)
        .collect();
    pairs.push(format!("{PARAMETER}={}", percent_encode(id)));
    format!("{path}?{}{fragment}", pairs.join("&"))
}

/// Encodes every byte but RFC 3986's unreserved ones: an id may hold any text.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(byte).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::with_last_event_id;

    #[test]
    fn appends_to_a_url_without_a_query() {
        assert_eq!(with_last_event_id("/sse", "7"), "/sse?lastEventId=7");
    }

    #[test]
    fn keeps_the_other_pairs_and_the_fragment() {
        assert_eq!(
            with_last_event_id("https://h/s?a=x%20y&flag#top", "7"),
            "https://h/s?a=x%20y&flag&lastEventId=7#top"
        );
    }

    #[test]
    fn replaces_an_earlier_resume_point() {
        assert_eq!(
            with_last_event_id("/s?lastEventId=3&count=9&lastEventId=4", "12"),
            "/s?count=9&lastEventId=12"
        );
    }

    #[test]
    fn encodes_the_id() {
        assert_eq!(
            with_last_event_id("/s", "a b&c=ü"),
            "/s?lastEventId=a%20b%26c%3D%C3%BC"
        );
    }
}
