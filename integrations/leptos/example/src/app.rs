//! The page: the state, the controls and the list.

use leptos::prelude::*;
use web_eventsource_leptos::{
    use_event_source_with_options, ReadyState, UseEventSourceMessage, UseEventSourceOptions,
};

/// How many events the list keeps (the oldest go first).
const KEPT: usize = 500;

#[derive(serde::Deserialize)]
struct Ping {
    time: String,
}

/// The stream to show: `?url=` if given (e.g. `/test/stream?count=5&interval=500`),
/// else the demo stream.
fn initial_url() -> String {
    web_sys::window()
        .and_then(|window| window.location().search().ok())
        .and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok())
        .and_then(|params| params.get("url"))
        .filter(|url| !url.is_empty())
        .unwrap_or_else(|| "/sse".to_owned())
}

/// The text of one item, as in MDN's example. Data only ever goes in as text.
fn describe(msg: &UseEventSourceMessage) -> String {
    match msg.event_type.as_str() {
        "ping" => match msg.json::<Ping>() {
            Ok(ping) => format!("ping at {}", ping.time),
            Err(err) => err.to_string(),
        },
        _ => format!("message: {}", msg.data),
    }
}

#[component]
pub(crate) fn App() -> impl IntoView {
    let url = RwSignal::new(initial_url());
    let source = use_event_source_with_options(
        url,
        UseEventSourceOptions::default()
            .named_events(["ping"])
            .history(KEPT),
    );
    let (open, close) = (source.open.clone(), source.close.clone());
    let state = move || source.ready_state.get();
    let state_class = move || match state() {
        ReadyState::Open => "open",
        ReadyState::Closed => "closed",
        _ => "connecting",
    };
    view! {
        <header>
            <h1>"web-eventsource + Leptos"</h1>
            <p>
                "Server-sent events received by a Leptos component through "
                <code>"use_event_source"</code> ": one item per event, as in MDN's example."
            </p>
        </header>
        <p id="status">
            "State: " <strong id="state" class=state_class>{move || state().to_string()}</strong>
            " · last id " <span id="last-id">{move || source.last_event_id.get()}</span>
            " · " <span id="url">{move || url.get()}</span>
            <span id="error" class="error">{move || source.error.get().map(|err| err.to_string())}</span>
        </p>
        <p id="controls">
            <button id="close" on:click=move |_| close()>"Close"</button>
            <button id="reconnect" on:click=move |_| open()>"Reconnect"</button>
        </p>
        <ul id="events">
            <For each=move || source.history.get() key=|msg| msg.seq let:msg>
                <li data-id=msg.last_event_id.clone()>
                    <span class="id">"#" {msg.last_event_id.clone()}</span> " " {describe(&msg)}
                </li>
            </For>
        </ul>
    }
}
