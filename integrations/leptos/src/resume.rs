//! Resuming on `open()`: a source reopened at the same URL carries the last event id in
//! the policy's query parameter, as the policy's own replacements do, so that a Close /
//! Reconnect pair repeats nothing. Pure string work, tested natively.

use web_eventsource::Reconnect;

/// The name [`Reconnect::default`] gives its resume parameter.
const DEFAULT_PARAMETER: &str = "lastEventId";

/// The query parameter a reopened source should carry its last event id in: the
/// policy's, when it is the default `lastEventId`. `None` without a policy, with resume
/// turned off, or with a renamed parameter: `Reconnect` has no getter for the name, only
/// equality, so only the default can be recognised.
pub(crate) fn resume_parameter(policy: Option<&Reconnect>) -> Option<&'static str> {
    let policy = policy?;
    (policy.clone().resume_param(Some(DEFAULT_PARAMETER)) == *policy).then_some(DEFAULT_PARAMETER)
}

/// `url` with the query pair `name=id` (percent-encoded): an existing pair of that name
/// is replaced, else the pair is appended before any fragment. The rest of the URL stays
/// as it was.
pub(crate) fn with_last_event_id(url: &str, name: &str, id: &str) -> String {
    let (before_fragment, fragment) = url.split_at(url.find('#').unwrap_or(url.len()));
    let (path, query) = match before_fragment.split_once('?') {
        Some((path, query)) => (path, query),
        None => (before_fragment, ""),
    };
    let pair = format!("{name}={}", encode(id));
    let mut pairs: Vec<&str> = query
        .split('&')
        .filter(|existing| !existing.is_empty() && existing.split('=').next() != Some(name))
        .collect();
    pairs.push(&pair);
    format!("{path}?{}{fragment}", pairs.join("&"))
}

/// Percent-encodes all but RFC 3986's unreserved characters.
fn encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_default_parameter_is_recognised() {
        assert_eq!(
            resume_parameter(Some(&Reconnect::default())),
            Some("lastEventId")
        );
        let quick = Reconnect::default().max_retries(Some(3));
        assert_eq!(resume_parameter(Some(&quick)), Some("lastEventId"));
        assert_eq!(
            resume_parameter(Some(&Reconnect::default().resume_param(None))),
            None
        );
        let renamed = Reconnect::default().resume_param(Some("since"));
        assert_eq!(resume_parameter(Some(&renamed)), None);
        assert_eq!(resume_parameter(None), None);
    }

    #[test]
    fn the_pair_is_appended_or_replaced_and_the_rest_kept() {
        assert_eq!(
            with_last_event_id("/sse", "lastEventId", "7"),
            "/sse?lastEventId=7"
        );
        assert_eq!(
            with_last_event_id("/sse?a=x%20y&flag", "lastEventId", "7"),
            "/sse?a=x%20y&flag&lastEventId=7"
        );
        assert_eq!(
            with_last_event_id("/sse?lastEventId=3&b=1#top", "lastEventId", "a b/é"),
            "/sse?b=1&lastEventId=a%20b%2F%C3%A9#top"
        );
        assert_eq!(
            with_last_event_id("/sse?", "lastEventId", "1"),
            "/sse?lastEventId=1"
        );
    }
}
