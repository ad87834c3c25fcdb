//! [`App`]: the page's one component.

use std::time::Duration;

use dioxus::prelude::*;
use web_eventsource::{Message, ReadyState, Reconnect};
use web_eventsource_dioxus::{
    use_event_source_listener, use_event_source_with_options, UseEventSourceOptions,
};

use crate::item::Item;
use crate::page;

/// How many items the page keeps: an open tab should not grow without bound.
const KEEP: usize = 500;

/// The stream's items, its state and last error, and the controls: a URL box, Reconnect
/// (the same URL resumes after the last event id; another one switches to it) and Close.
#[component]
pub fn App() -> Element {
    // The URL opened, a signal the hook follows; the text in the box until submitted.
    let mut url = use_signal(page::stream_url);
    let mut typed = use_signal(|| url.peek().clone());
    let es = use_event_source_with_options(
        url,
        // Survive a server restart: the policy replaces a failed connection, resuming
        // after the last event id.
        UseEventSourceOptions {
            reconnect: Some(Reconnect::default().max_delay(Duration::from_secs(10))),
            ..Default::default()
        },
    );
    // One listener per type, both appending to one list: each event is delivered as it
    // arrives, so the list keeps the server's order across the two types.
    let mut items = use_signal(Vec::<Item>::new);
    let append = move |message: Message| {
        let mut items = items.write();
        if items.len() == KEEP {
            items.remove(0);
        }
        items.push(Item::from_message(&message));
    };
    use_event_source_listener(es, "message", append);
    use_event_source_listener(es, "ping", append);

    let state = es.ready_state()();
    rsx! {
        form {
            id: "controls",
            onsubmit: move |event| {
                event.prevent_default();
                let wanted = typed.peek().clone();
                if wanted == *url.peek() {
                    es.reopen();
                } else {
                    url.set(wanted);
                }
            },
            label { r#for: "url", "Stream URL" }
            input {
                id: "url",
                r#type: "text",
                spellcheck: "false",
                value: "{typed}",
                oninput: move |event| typed.set(event.value()),
            }
            button { id: "reconnect", r#type: "submit", "Reconnect" }
            button { id: "close", r#type: "button", onclick: move |_| es.close(), "Close" }
        }
        p { id: "status",
            "State: "
            strong { id: "state", class: "{state}", {title(state)} }
            span { id: "error", class: "error",
                {es.error().cloned().map(|err| err.to_string())}
            }
        }
        ul { id: "events",
            for item in items.iter() {
                li {
                    span { class: "id", "#{item.id}" }
                    " "
                    span { class: "text", "{item.text}" }
                }
            }
        }
    }
}

/// The state as a heading word: `Open`, `Connecting`, …
fn title(state: ReadyState) -> &'static str {
    match state {
        ReadyState::Connecting => "Connecting",
        ReadyState::Open => "Open",
        ReadyState::Paused => "Paused",
        ReadyState::Closed => "Closed",
    }
}
