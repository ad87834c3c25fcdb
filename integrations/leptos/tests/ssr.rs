#![cfg(not(target_arch = "wasm32"))]
//! Server-side rendering: a component using every hook renders to HTML natively. Any
//! browser API touched here would panic (web-sys has no browser off wasm32), so the render
//! itself proves the hooks inert; the HTML shows the signals' initial values. Rendering
//! to HTML needs Leptos' server renderer, which the crate's native dev-dependency turns
//! on; scripts/lib/test_integration.sh also runs this file with the crate's own `ssr` feature.

mod hydration;

use leptos::prelude::*;
use web_eventsource_leptos::use_event_source;

#[derive(Debug, Clone, serde::Deserialize)]
struct Ping {
    time: String,
}

#[component]
fn Feed() -> impl IntoView {
    use web_eventsource_leptos::{
        use_event_source_json_with_options, use_event_source_with_options, Transport,
        UseEventSourceOptions,
    };

    let plain = use_event_source("http://127.0.0.1:9/sse");
    let named = use_event_source_with_options(
        RwSignal::new("/sse".to_owned()),
        UseEventSourceOptions::default()
            .named_events(["ping"])
            .history(10)
            .on_event(|msg| panic!("no event on the server: {msg:?}")),
    );
    let pings = use_event_source_json_with_options::<Ping>(
        "/sse",
        UseEventSourceOptions::default()
            .event_types(["ping"])
            .history(10)
            .transport(Transport::Fetch)
            .headers([("Authorization", "Bearer t")])
            .headers_with(|| panic!("no request on the server"))
            .method("POST")
            .body("{}")
            .max_event_size(1 << 20)
            .share_across_tabs(true),
    );
    // Called during the render, as a component might: both do nothing on the server.
    (plain.open)();
    (named.close)();
    view! {
        <p id="state">{move || plain.ready_state.get().to_string()}</p>
        <p id="last-id">"[" {move || plain.last_event_id.get()} "]"</p>
        <p id="latest">{move || plain.message.get().map(|msg| msg.data).unwrap_or_else(|| "none".to_owned())}</p>
        <p id="error">{move || named.error.get().map(|err| err.to_string()).unwrap_or_else(|| "no error".to_owned())}</p>
        <ul id="named">
            <For each=move || named.history.get() key=|msg| msg.seq let:msg>
                <li>{msg.data}</li>
            </For>
        </ul>
        <ul id="pings">
            <For each=move || pings.history.get() key=|msg| msg.seq let:msg>
                <li>{msg.data.time}</li>
            </For>
        </ul>
    }
}

#[test]
fn a_component_using_the_hooks_renders_on_the_server_with_initial_values() {
    let owner = Owner::new();
    let html = owner.with(|| view! { <Feed/> }.to_html());
    for expected in ["<ul id=\"named\">", "<ul id=\"pings\">"] {
        assert!(html.contains(expected), "{expected:?} missing from {html}");
    }
    assert_eq!(paragraph(&html, "state"), "closed");
    // An empty dynamic text renders as a space between markers.
    assert_eq!(
        paragraph(&html, "last-id").replace(char::is_whitespace, ""),
        "[]",
        "no last event id"
    );
    assert_eq!(paragraph(&html, "latest"), "none");
    assert_eq!(paragraph(&html, "error"), "no error");
    assert!(!html.contains("<li"), "no event rendered: {html}");
    owner.cleanup();
}

#[test]
fn the_signals_keep_their_initial_values_and_open_opens_nothing() {
    let owner = Owner::new();
    owner.with(|| {
        let source = use_event_source("/sse");
        (source.open)();
        assert_eq!(source.ready_state.get_untracked().to_string(), "closed");
        assert_eq!(source.message.get_untracked(), None);
        assert_eq!(source.history.get_untracked(), vec![]);
        assert_eq!(source.error.get_untracked(), None);
        assert_eq!(source.last_event_id.get_untracked(), "");
        (source.close)();
    });
    owner.cleanup();
}

#[test]
fn the_hydration_tests_page_renders_as_its_server_html() {
    let owner = Owner::new();
    let html = owner.with(|| {
        view! { <hydration::Page waiting="/sse".to_owned() refused="http://[::1".to_owned()/> }
            .to_html()
    });
    owner.cleanup();
    assert_eq!(
        html,
        hydration::SERVER_HTML,
        "tests/hydration/mod.rs must hold what the server renders"
    );
}

/// The text of `<p id="{id}">` in `html`, without the markers Leptos puts around
/// dynamic text (`<!>` and comments).
fn paragraph(html: &str, id: &str) -> String {
    let open = format!("<p id=\"{id}\">");
    let start = html
        .find(&open)
        .unwrap_or_else(|| panic!("{open} missing from {html}"))
        + open.len();
    let inner = &html[start..];
    let inner = &inner[..inner.find("</p>").expect("a closed paragraph")];
    let mut text = String::new();
    let mut rest = inner;
    while let Some(comment) = rest.find("<!--") {
        text.push_str(&rest[..comment]);
        rest = rest[comment..]
            .split_once("-->")
            .map_or("", |(_, after)| after);
    }
    text.push_str(rest);
    text.replace("<!>", "")
}
