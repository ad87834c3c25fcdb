//! The page of the hydration test, compiled on both sides: tests/ssr.rs renders it with
//! Leptos' server renderer and checks that it gives [`SERVER_HTML`]; tests/browser.rs
//! puts [`SERVER_HTML`] in the page and hydrates it in the browser.

use leptos::prelude::*;
use web_eventsource_leptos::use_event_source;

/// What the server renders for [`Page`] (any URLs: nothing is opened there).
pub const SERVER_HTML: &str = "<p class=\"state\">closed</p>\
     <p class=\"refused\">closed</p>\
     <p class=\"error\"><!></p>";

/// Two hooks: one on a URL whose request the server leaves unanswered (the state stays
/// `Connecting` once it opens), one on a URL the browser refuses (an open error).
#[component]
pub fn Page(waiting: String, refused: String) -> impl IntoView {
    let waiting = use_event_source(waiting);
    let refused = use_event_source(refused);
    view! {
        <p class="state">{move || waiting.ready_state.get().to_string()}</p>
        <p class="refused">{move || refused.ready_state.get().to_string()}</p>
        <p class="error">{move || refused.error.get().map(|err| err.to_string())}</p>
    }
}
