//! [`use_headers_with`]: a [`HeadersWith`] that a JavaScript exception cannot break.

use dioxus::prelude::use_callback;
use web_eventsource::__integrations::guarded;

use crate::HeadersWith;

/// Makes the [`HeadersWith`] callback of
/// [`UseEventSourceOptions::headers_with`](crate::UseEventSourceOptions::headers_with) from
/// `headers`, as `use_callback` does (the latest render's closure is the one called), and
/// safe from a JavaScript exception. It chooses the fetch transport, so it needs this
/// crate's `fetch` feature: without it, the hook's `error` names the feature.
///
/// Dioxus's `Callback::call` holds the callback's storage borrowed while it runs. A
/// closure given to `use_callback` that throws (`unwrap_throw` on a token not stored yet,
/// say) skips that release, and every later call, and the next render, panic. Here the
/// throw ends that call alone: its request goes out with no headers from it (the server's
/// `401` is then the handle's error, with its
/// [`status`](web_eventsource::ConnectionError::status)), and the next request calls
/// `headers` again.
///
/// The guard frees only the callback: a signal's guard held across the throw stays
/// borrowed, and that signal's next write panics. Copy a value out before anything that
/// may throw (`let Some(token) = token.peek().clone() else { return vec![] };`), never
/// `token.peek().as_ref().unwrap_throw()`.
///
/// # Examples
///
/// ```
/// use dioxus::prelude::*;
/// use web_eventsource_dioxus::{
///     use_event_source_with_options, use_headers_with, UseEventSourceOptions,
/// };
///
/// #[component]
/// fn Private(token: Signal<String>) -> Element {
///     // `peek`: a new token is for the next request, not a reason to render again.
///     let headers_with = use_headers_with(move || {
///         vec![("Authorization".into(), format!("Bearer {}", token.peek()))]
///     });
///     let es = use_event_source_with_options(
///         "/private/sse",
///         UseEventSourceOptions { headers_with: Some(headers_with), ..Default::default() },
///     );
///     rsx! { p { "{es.ready_state()}" } }
/// }
/// ```
pub fn use_headers_with(
    mut headers: impl FnMut() -> Vec<(String, String)> + 'static,
) -> HeadersWith {
    use_callback(move |()| {
        let mut given = Vec::new();
        guarded(|| given = headers());
        given
    })
}
