//! A query string decoded to bytes, not text.
//!
//! axum's `Query` decodes with `form_urlencoded`, which turns bytes that are
//! not UTF-8 into U+FFFD: `%FF` would arrive as `EF BF BD`. `/test/raw` must
//! send exactly the bytes a test asked for, invalid UTF-8 included, so it
//! reads the raw query and decodes it here, by the same rules (`&` between
//! pairs, the first `=` between name and value, `+` for a space, `%XX` for a
//! byte; a `%` not followed by two hex digits stays as it is).

use std::collections::HashMap;

use percent_encoding::percent_decode;

use crate::params::Params;

/// The pairs of a query string, values as bytes (the last value wins for a
/// repeated name).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct QueryBytes(HashMap<String, Vec<u8>>);

impl QueryBytes {
    /// Decode `query` (the part after `?`, still percent-encoded).
    pub fn parse(query: &str) -> Self {
        let pairs = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                let name = String::from_utf8_lossy(&decode(name)).into_owned();
                (name, decode(value))
            })
            .collect();
        Self(pairs)
    }

    /// The bytes of `name`, if present.
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.0.get(name).map(Vec::as_slice)
    }

    /// The same pairs as text (lossy), for the parameters that are numbers
    /// or names.
    pub fn to_params(&self) -> Params {
        Params::new(
            self.0
                .iter()
                .map(|(name, value)| (name.clone(), String::from_utf8_lossy(value).into_owned()))
                .collect(),
        )
    }
}

/// One name or value: `+` is a space, then `%XX` is a byte.
fn decode(encoded: &str) -> Vec<u8> {
    let spaced = encoded.replace('+', " ");
    percent_decode(spaced.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axums_query_would_lose_them() {
        use axum::extract::Query;
        let uri: axum::http::Uri = "/test/raw?body=a%FFb".parse().unwrap();
        let Query(query) = Query::<HashMap<String, String>>::try_from_uri(&uri).unwrap();
        assert_eq!(query["body"].as_bytes(), "a\u{fffd}b".as_bytes());
    }

    #[test]
    fn keeps_bytes_that_are_not_utf8() {
        let query = QueryBytes::parse("body=a%FFb%00c&x=1");
        assert_eq!(query.get("body"), Some(&b"a\xffb\x00c"[..]));
        assert_eq!(query.get("x"), Some(&b"1"[..]));
        assert_eq!(query.get("missing"), None);
    }

    #[test]
    fn form_rules() {
        let query = QueryBytes::parse("a=x+y%2Bz&&b&c=1=2&a%20b=%&d=%4&a=last");
        assert_eq!(query.get("a"), Some(&b"last"[..]), "the last value wins");
        assert_eq!(query.get("b"), Some(&b""[..]));
        assert_eq!(query.get("c"), Some(&b"1=2"[..]));
        assert_eq!(query.get("a b"), Some(&b"%"[..]));
        assert_eq!(query.get("d"), Some(&b"%4"[..]));
        let spaces = QueryBytes::parse("a=x+y%2Bz");
        assert_eq!(spaces.get("a"), Some(&b"x y+z"[..]));
        assert_eq!(QueryBytes::parse(""), QueryBytes::default());
    }

    #[test]
    fn text_view_is_lossy() {
        let params = QueryBytes::parse("n=5&bad=%FF").to_params();
        assert_eq!(params.get("n"), Some("5"));
        assert_eq!(params.get("bad"), Some("\u{fffd}"));
    }
}
