//! The [`use_event_source`] and [`use_event_source_with_options`] hooks.

use std::rc::Rc;

use dioxus::prelude::{use_drop, use_effect, use_hook, use_signal, ReadableExt, WritableExt};

use crate::hub::{Hub, Signals};
use crate::options::{open_plain, open_with_options, LatestHeadersWith, Open};
use crate::report::Report;
use crate::{browser, EventSourceUrl, UseEventSource, UseEventSourceOptions};

/// Opens a server-sent events source at `url` (absolute, or relative to the page) for as
/// long as the component is mounted, with the browser's defaults: see
/// [`use_event_source_with_options`].
///
/// # Examples
///
/// ```
/// use dioxus::prelude::*;
/// use web_eventsource_dioxus::{use_event_source, use_event_source_history};
///
/// #[component]
/// fn Feed() -> Element {
///     let es = use_event_source("/sse");
///     let messages = use_event_source_history(es, "message", 50);
///     rsx! {
///         p { "State: {es.ready_state()}" }
///         ul {
///             for message in messages.iter() {
///                 li { "{message.data()}" }
///             }
///         }
///     }
/// }
/// ```
pub fn use_event_source(url: impl Into<EventSourceUrl>) -> UseEventSource {
    use_event_source_opened_with(url.into(), UseEventSourceOptions::default(), open_plain)
}

/// Opens a server-sent events source at `url` with `options` for as long as the component
/// is mounted, and returns a [`UseEventSource`]: its state, last error, last event id and
/// latest message as signals, and `reopen()` / `close()`.
///
/// - The source opens in an effect (`use_effect`), after the first render, so after
///   hydration: a server render touches no browser API. On the server, and in any build
///   other than wasm32 with this crate's `web` feature, the hook is inert and its signals
///   keep their first values (`Connecting`, or `Closed` at an empty URL; no error, no
///   message).
/// - The signals change as the source does; a component re-renders only for those it
///   reads. For every event, not only the latest, use
///   [`use_event_source_listener`](crate::use_event_source_listener) or
///   [`use_event_source_history`](crate::use_event_source_history).
/// - `url` may be a signal (see [`EventSourceUrl`]). A change of URL or of `options`
///   closes the source and opens a new one (the listener and history hooks carry over):
///   afresh for a new URL or another request (a new `method` or `body`), resuming after
///   the last event id for other new options at the same URL (a new token, say).
///   Unmounting closes it (`use_drop`), so the server sees the client go, and removes
///   every JS listener.
/// - A URL the browser refuses, or an option the core refuses (a zero idle timeout, a
///   fetch-only option with `Transport::Native`), is no panic: the state is `Closed` and
///   [`error`](UseEventSource::error) says why.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use dioxus::prelude::*;
/// use web_eventsource::Reconnect;
/// use web_eventsource_dioxus::{use_event_source_with_options, UseEventSourceOptions};
///
/// #[component]
/// fn Resilient() -> Element {
///     let es = use_event_source_with_options(
///         "/sse",
///         UseEventSourceOptions {
///             reconnect: Some(Reconnect::default().max_delay(Duration::from_secs(10))),
///             ..Default::default()
///         },
///     );
///     rsx! { p { "{es.ready_state()}" } }
/// }
/// ```
pub fn use_event_source_with_options(
    url: impl Into<EventSourceUrl>,
    options: UseEventSourceOptions,
) -> UseEventSource {
    use_event_source_opened_with(url.into(), options, open_with_options)
}

/// The hook itself, with the function that opens the source.
fn use_event_source_opened_with(
    url: EventSourceUrl,
    options: UseEventSourceOptions,
    open: Open,
) -> UseEventSource {
    let latest_headers_with = use_hook(LatestHeadersWith::default);
    latest_headers_with.set(options.headers_with);
    let (handle, hub) = use_hook(|| {
        let report = Report::new(&url.peek());
        let hub = Rc::new(Hub::new(Signals::new(
            report.clone(),
            open,
            latest_headers_with.clone(),
        )));
        (UseEventSource::new(&report, Rc::clone(&hub)), hub)
    });

    // What to open, in a signal the effect reads: written only when it changes, as
    // `use_reactive` does, so that the effect re-runs for a new URL or new options only.
    let mut target = use_signal(|| (url.clone(), options.clone()));
    let changed = {
        let (open_url, open_options) = &*target.peek();
        *open_url != url || !open_options.opens_like(&options)
    };
    if changed {
        target.set((url, options));
    }

    use_effect({
        let hub = Rc::clone(&hub);
        move || {
            let (url, options) = target.read().clone();
            // Read here, so that a URL signal's changes re-run the effect.
            let url = url.read();
            browser::mount(&hub, &url, &options);
        }
    });
    use_drop(move || hub.unmount());
    handle
}
