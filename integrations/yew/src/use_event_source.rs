//! The [`use_event_source`] and [`use_event_source_with_options`] hooks.

use std::rc::Rc;

use yew::{hook, use_effect_with, use_reducer, use_state};

use crate::hub::{Hub, Reducer};
use crate::latest_headers::LatestHeadersWith;
use crate::options::{open_plain, Open};
use crate::status::Status;
use crate::{UseEventSourceHandle, UseEventSourceOptions};

/// Opens a server-sent events source at `url` (absolute, or relative to the page) for as
/// long as the component is mounted, with the browser's defaults: see
/// [`use_event_source_with_options`].
///
/// # Examples
///
/// ```
/// use web_eventsource_yew::{use_event_source, use_event_source_history};
/// use yew::prelude::*;
///
/// #[component]
/// fn Feed() -> Html {
///     let es = use_event_source("/sse");
///     let messages = use_event_source_history(&es, "message", 50);
///     html! {
///         <>
///             <p>{ format!("State: {}", es.ready_state()) }</p>
///             <ul>{ for messages.iter().map(|m| html! { <li>{ m.data() }</li> }) }</ul>
///         </>
///     }
/// }
/// ```
#[hook]
pub fn use_event_source(url: &str) -> UseEventSourceHandle {
    use_event_source_opened_with(url, UseEventSourceOptions::default(), open_plain)
}

/// Opens a server-sent events source at `url` with `options` for as long as the component
/// is mounted, and returns a handle with its state, its last error and controls.
///
/// - The source opens in an effect, after the first render: never on the server, where
///   the hook is inert and renders `Connecting` (`Closed` at an empty URL).
/// - The component re-renders when the state or the error changes, not on every message:
///   use [`use_event_source_listener`](crate::use_event_source_listener) or
///   [`use_event_source_history`](crate::use_event_source_history) for the events.
/// - A change of `url` or `options` closes the source and opens a new one (the listener
///   and history hooks carry over): afresh for a new URL or another request (a new
///   `method` or `body`), resuming after the last event id for other new options at the
///   same URL (a new token, say). Unmounting closes it, so the server sees the client go,
///   and removes every JS listener.
/// - A URL the browser refuses, or an option the core refuses (a zero idle timeout, a
///   fetch-only option with `Transport::Native`), is no panic: the state is `Closed` and
///   [`error`](UseEventSourceHandle::error) says why.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use web_eventsource::Reconnect;
/// use web_eventsource_yew::{use_event_source_with_options, UseEventSourceOptions};
/// use yew::prelude::*;
///
/// #[component]
/// fn Resilient() -> Html {
///     let es = use_event_source_with_options(
///         "/sse",
///         UseEventSourceOptions {
///             reconnect: Some(Reconnect::default().max_delay(Duration::from_secs(10))),
///             ..Default::default()
///         },
///     );
///     html! { <p>{ es.ready_state().to_string() }</p> }
/// }
/// ```
#[hook]
pub fn use_event_source_with_options(
    url: &str,
    options: UseEventSourceOptions,
) -> UseEventSourceHandle {
    use_event_source_opened_with(url, options, UseEventSourceOptions::open)
}

/// The hook itself, with the function that opens the source.
#[hook]
fn use_event_source_opened_with(
    url: &str,
    options: UseEventSourceOptions,
    open: Open,
) -> UseEventSourceHandle {
    let status = use_reducer(|| Status::initial(url));
    let hub = use_state({
        let report = status.dispatcher();
        move || Rc::new(Hub::new(Reducer::new(report, open)))
    });
    let hub = Rc::clone(&hub);
    let headers_with = use_state(LatestHeadersWith::new);
    let mut options = headers_with.stand_in_for(options);
    // The same headers in another order (collected from a `HashMap`, say) are no change.
    web_eventsource_hooks_core::sort_headers(&mut options.headers);
    // Two effects: a new URL or new options replace the source without unmounting
    // first, so that the hub sees the same URL and resumes; the source closes when the
    // component unmounts.
    use_effect_with((url.to_owned(), options), {
        let hub = hub.clone();
        move |(url, options)| hub.mount(url, options)
    });
    use_effect_with((), {
        let hub = hub.clone();
        move |_| move || hub.unmount()
    });
    UseEventSourceHandle { hub, status }
}
