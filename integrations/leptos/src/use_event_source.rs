//! The hooks: [`use_event_source`] and its variants.

use leptos::prelude::*;
use serde::de::DeserializeOwned;
use web_eventsource::ReadyState;

use crate::message::Decode;
use crate::{UseEventSourceMessage, UseEventSourceOptions, UseEventSourceReturn};

/// Opens an [`EventSource`](web_eventsource::EventSource) at `url` for the life of the
/// calling component, with the default options: `"message"` events, the default
/// [`Reconnect`](crate::Reconnect) policy. Returns its state, latest message, latest
/// error and last event id as signals, and `open` / `close`.
///
/// The connection opens in an effect, once the component is created (and, on a page
/// rendered on the server, hydrated): until then the signals hold what the server
/// rendered. `url` may be a signal: a change closes the connection and opens one at the
/// new URL; an empty URL just closes it, and the URL before it, set again, resumes after
/// the last event id, unless `close()` closed that stream or it was a request other than
/// a GET whose answer had ended (then `open()` opens it). The connection closes when the
/// owner is cleaned
/// up (`on_cleanup`). On the server (the `ssr` feature, or any target other than wasm32)
/// the hook is inert: nothing opens, no browser API is touched, the signals keep their
/// initial values (`Closed`, `None`, empty) and `open` / `close` do nothing.
///
/// # Examples
///
/// ```no_run
/// use leptos::prelude::*;
/// use web_eventsource_leptos::use_event_source;
///
/// #[component]
/// fn Latest() -> impl IntoView {
///     let source = use_event_source("/sse");
///     view! {
///         <p>"State: " {move || source.ready_state.get().to_string()}</p>
///         <p>"Latest: " {move || source.message.get().map(|msg| msg.data)}</p>
///     }
/// }
/// ```
pub fn use_event_source(
    url: impl Into<Signal<String>>,
) -> UseEventSourceReturn<
    String,
    impl Fn() + Clone + Send + Sync + 'static,
    impl Fn() + Clone + Send + Sync + 'static,
> {
    use_event_source_with_options(url, UseEventSourceOptions::default())
}

/// [`use_event_source`] with options: which event types, a history for lists, a
/// callback for every event, the reconnect policy, credentials, pausing when hidden, the
/// fetch transport, sharing one connection across tabs.
///
/// # Examples
///
/// ```no_run
/// use leptos::prelude::*;
/// use web_eventsource_leptos::{use_event_source_with_options, UseEventSourceOptions};
///
/// #[component]
/// fn Events() -> impl IntoView {
///     let (url, set_url) = signal("/sse".to_owned());
///     let events = use_event_source_with_options(
///         url,
///         UseEventSourceOptions::default().named_events(["ping"]).history(20),
///     );
///     view! {
///         <button on:click=move |_| set_url.set("/test/stream?count=5".to_owned())>"Switch"</button>
///         <ul>
///             <For each=move || events.history.get() key=|msg| msg.seq let:msg>
///                 <li>{msg.event_type} ": " {msg.data}</li>
///             </For>
///         </ul>
///     }
/// }
/// ```
pub fn use_event_source_with_options(
    url: impl Into<Signal<String>>,
    options: UseEventSourceOptions,
) -> UseEventSourceReturn<
    String,
    impl Fn() + Clone + Send + Sync + 'static,
    impl Fn() + Clone + Send + Sync + 'static,
> {
    hook(url.into(), options, |msg| Ok(msg.data.clone()))
}

/// [`use_event_source`] with each event's data decoded from JSON into `T` (serde).
///
/// An event whose data does not decode is not delivered: the `error` signal becomes
/// [`UseEventSourceError::Decode`](crate::UseEventSourceError::Decode) and the events
/// after it arrive as usual.
///
/// # Examples
///
/// ```no_run
/// use leptos::prelude::*;
/// use web_eventsource_leptos::use_event_source_json;
///
/// #[derive(Clone, serde::Deserialize)]
/// struct Price {
///     symbol: String,
///     cents: u64,
/// }
///
/// #[component]
/// fn Ticker() -> impl IntoView {
///     let prices = use_event_source_json::<Price>("/prices");
///     view! {
///         <p>{move || prices.message.get().map(|msg| format!("{}: {}", msg.data.symbol, msg.data.cents))}</p>
///     }
/// }
/// ```
pub fn use_event_source_json<T>(
    url: impl Into<Signal<String>>,
) -> UseEventSourceReturn<
    T,
    impl Fn() + Clone + Send + Sync + 'static,
    impl Fn() + Clone + Send + Sync + 'static,
>
where
    T: DeserializeOwned + Clone + Send + Sync + 'static,
{
    use_event_source_json_with_options(url, UseEventSourceOptions::default())
}

/// [`use_event_source_json`] with options. `message` and `history` hold decoded values;
/// `on_event` sees every event's text, including one that fails to decode.
///
/// # Examples
///
/// ```no_run
/// use leptos::prelude::*;
/// use web_eventsource_leptos::{use_event_source_json_with_options, UseEventSourceOptions};
///
/// #[derive(Clone, serde::Deserialize)]
/// struct Ping {
///     time: String,
/// }
///
/// #[component]
/// fn Pings() -> impl IntoView {
///     let pings = use_event_source_json_with_options::<Ping>(
///         "/sse",
///         UseEventSourceOptions::default().event_types(["ping"]).history(10),
///     );
///     view! {
///         <ul>
///             <For each=move || pings.history.get() key=|msg| msg.seq let:msg>
///                 <li>{msg.data.time}</li>
///             </For>
///         </ul>
///     }
/// }
/// ```
pub fn use_event_source_json_with_options<T>(
    url: impl Into<Signal<String>>,
    options: UseEventSourceOptions,
) -> UseEventSourceReturn<
    T,
    impl Fn() + Clone + Send + Sync + 'static,
    impl Fn() + Clone + Send + Sync + 'static,
>
where
    T: DeserializeOwned + Clone + Send + Sync + 'static,
{
    hook(url.into(), options, UseEventSourceMessage::json::<T>)
}

/// The one implementation behind every hook: the signals, then the browser side or,
/// on the server, nothing.
fn hook<T>(
    url: Signal<String>,
    options: UseEventSourceOptions,
    decode: Decode<T>,
) -> UseEventSourceReturn<
    T,
    impl Fn() + Clone + Send + Sync + 'static,
    impl Fn() + Clone + Send + Sync + 'static,
>
where
    T: Clone + Send + Sync + 'static,
{
    let (ready_state, set_ready_state) = signal(ReadyState::Closed);
    let (message, set_message) = signal(None::<UseEventSourceMessage<T>>);
    let (history, set_history) = signal(Vec::<UseEventSourceMessage<T>>::new());
    let (error, set_error) = signal(None);
    let (last_event_id, set_last_event_id) = signal(String::new());
    #[cfg(all(target_arch = "wasm32", not(feature = "ssr")))]
    let (open, close) = {
        let setters = crate::client::Setters {
            ready_state: set_ready_state,
            message: set_message,
            history: set_history,
            error: set_error,
            last_event_id: set_last_event_id,
        };
        crate::client::start(url, options, decode, setters, last_event_id)
    };

    // On the server: no EventSource, no timer, no effect; the signals keep their
    // initial values.
    #[cfg(not(all(target_arch = "wasm32", not(feature = "ssr"))))]
    let (open, close) = {
        let _ = (url, options, decode);
        let _ = (
            set_ready_state,
            set_message,
            set_history,
            set_error,
            set_last_event_id,
        );
        (|| {}, || {})
    };

    UseEventSourceReturn {
        ready_state: ready_state.into(),
        message: message.into(),
        history: history.into(),
        error: error.into(),
        last_event_id: last_event_id.into(),
        open,
        close,
    }
}
