//! What a hook does with its options' fetch fields: with its crate's `fetch` feature, it
//! hands them to the builder ([`apply_fetch_options`]); without it, it refuses them by
//! name ([`FetchFields`]).
//!
//! Yew's and Dioxus' options are structs with public fields, set in a struct literal: no
//! code of the crate's runs when a field is set, so the code that reads the fields at run
//! time links the fetch transport (about 9 KB gzipped) into every app that uses options,
//! fetch or not. Leptos' options are set by methods, which link it only when called. So
//! the Yew and Dioxus crates read the fetch fields only with their `fetch` feature, and
//! without it refuse them by name here, rather than open a native source that silently
//! drops the header.

use web_eventsource::{Builder, Error, Transport};

/// Puts `headers` in the order in which a hook compares two options' headers: by name,
/// ignoring ASCII case, and the headers of one name in the order given (the order in which
/// a request joins their values). Sorted, two lists that differ only in the order of their
/// names, which HTTP gives no meaning, compare equal: a list collected from a `HashMap`
/// comes in a new order on each render, and compared as given, it would reopen the source
/// on every render, the reopen rendering again. The source is opened with the sorted list,
/// which sends the same request.
///
/// # Examples
///
/// ```
/// use web_eventsource_hooks_core::sort_headers;
///
/// let mut headers = vec![
///     ("x-b".to_owned(), "1".to_owned()),
///     ("X-A".to_owned(), "2".to_owned()),
///     ("X-B".to_owned(), "3".to_owned()),
/// ];
/// sort_headers(&mut headers);
/// let names: Vec<&str> = headers.iter().map(|(name, _)| name.as_str()).collect();
/// assert_eq!(names, ["X-A", "x-b", "X-B"]);
/// ```
pub fn sort_headers(headers: &mut [(String, String)]) {
    // `sort_by` is stable: the headers of one name keep their order.
    fn lower(name: &str) -> impl Iterator<Item = u8> + '_ {
        name.bytes().map(|byte| byte.to_ascii_lowercase())
    }
    headers.sort_by(|(a, _), (b, _)| lower(a).cmp(lower(b)));
}

/// `builder` with the fetch fields of a hook's options struct: `transport` when set, each
/// of `headers` in turn, then `headers_with`, `method` and `body` when set. With
/// `Transport::Native`, the builder's `open` refuses the first fetch-only option, naming it.
///
/// A hook calls this only with its crate's `fetch` feature: calling it links the fetch
/// transport.
pub fn apply_fetch_options(
    mut builder: Builder,
    transport: Option<Transport>,
    headers: &[(String, String)],
    headers_with: Option<impl Fn() -> Vec<(String, String)> + 'static>,
    method: Option<&str>,
    body: Option<&str>,
) -> Builder {
    if let Some(transport) = transport {
        builder = builder.transport(transport);
    }
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    if let Some(headers_with) = headers_with {
        builder = builder.headers_with(headers_with);
    }
    if let Some(method) = method {
        builder = builder.method(method);
    }
    if let Some(body) = body {
        builder = builder.body(body);
    }
    builder
}

/// Which of the fetch transport's options a hook's options struct sets.
#[derive(Debug, Clone, Copy, Default)]
pub struct FetchFields {
    /// `transport`, when set.
    pub transport: Option<Transport>,
    /// Whether `headers` is not empty.
    pub headers: bool,
    /// Whether a `headers_with` callback is set.
    pub headers_with: bool,
    /// Whether `method` is set.
    pub method: bool,
    /// Whether `body` is set.
    pub body: bool,
}

impl FetchFields {
    /// The first field that needs the fetch transport, in the order of the struct, named
    /// as the core's builder names its option (`"header"` for `headers`, as the core's
    /// refusal of a header with `Transport::Native` names it); `None` when the native
    /// transport serves (`transport` unset or `Native`, and no other fetch field set).
    pub fn first_needing_fetch(self) -> Option<&'static str> {
        // Any transport but the native one needs fetch (`Transport` may gain more).
        Some(
            if matches!(self.transport, Some(transport) if transport != Transport::Native) {
                "transport"
            } else if self.headers {
                "header"
            } else if self.headers_with {
                "headers_with"
            } else if self.method {
                "method"
            } else if self.body {
                "body"
            } else {
                return None;
            },
        )
    }

    /// `Ok` when the native transport serves these fields; else the error of a hook whose
    /// crate was built without its `fetch` feature, naming the first field that needs it,
    /// with `message` ([`fetch_feature_message!`](crate::fetch_feature_message), a
    /// constant: formatting one at run time would cost every app that uses options).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] naming that field, with `message`.
    pub fn refuse_without_fetch(self, message: &'static str) -> Result<(), Error> {
        match self.first_needing_fetch() {
            None => Ok(()),
            Some(option) => Err(Error::InvalidOption {
                option,
                message: message.to_owned(),
            }),
        }
    }
}

/// What [`FetchFields::refuse_without_fetch`] says, naming the crate that expands it.
#[macro_export]
macro_rules! fetch_feature_message {
    () => {
        concat!(
            "needs the fetch transport, which ",
            env!("CARGO_PKG_NAME"),
            " links only with its `fetch` feature: add `features = [\"fetch\"]` to its line \
             in Cargo.toml"
        )
    };
}

#[cfg(test)]
mod tests {
    use super::FetchFields;
    use web_eventsource::{Error, Transport};

    #[test]
    fn the_native_transport_serves_no_fetch_field_or_an_explicit_native() {
        assert_eq!(FetchFields::default().first_needing_fetch(), None);
        let native = FetchFields {
            transport: Some(Transport::Native),
            ..FetchFields::default()
        };
        assert_eq!(native.first_needing_fetch(), None);
        assert!(native
            .refuse_without_fetch(fetch_feature_message!())
            .is_ok());
    }

    #[test]
    fn each_fetch_field_is_refused_by_name_with_the_feature_to_enable() {
        let cases = [
            (
                FetchFields {
                    transport: Some(Transport::Fetch),
                    ..FetchFields::default()
                },
                "transport",
            ),
            (
                FetchFields {
                    headers: true,
                    ..FetchFields::default()
                },
                "header",
            ),
            (
                FetchFields {
                    headers_with: true,
                    ..FetchFields::default()
                },
                "headers_with",
            ),
            (
                FetchFields {
                    method: true,
                    ..FetchFields::default()
                },
                "method",
            ),
            (
                FetchFields {
                    body: true,
                    method: true,
                    ..FetchFields::default()
                },
                "method",
            ),
        ];
        for (fields, expected) in cases {
            match fields.refuse_without_fetch(fetch_feature_message!()) {
                Err(Error::InvalidOption { option, message }) => {
                    assert_eq!(option, expected);
                    assert_eq!(
                        message,
                        "needs the fetch transport, which web-eventsource-hooks-core links \
                         only with its `fetch` feature: add `features = [\"fetch\"]` to its \
                         line in Cargo.toml"
                    );
                }
                other => panic!("{expected}: expected InvalidOption, got {other:?}"),
            }
        }
    }
}
