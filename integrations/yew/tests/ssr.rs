#![cfg(all(feature = "ssr", not(target_arch = "wasm32")))]
//! Server-side rendering, natively: a component that uses every hook renders to HTML with
//! `yew::ServerRenderer`. Natively any call into a browser API panics (wasm-bindgen's
//! imports exist only in a browser), so a render that completes with the expected HTML
//! proves the hooks touch none while rendering.

use web_eventsource::{Error, Message, Reconnect, ShareAcrossTabs, Transport};
use web_eventsource_yew::{
    use_event_source, use_event_source_history, use_event_source_json_listener,
    use_event_source_listener, use_event_source_with_options, UseEventSourceOptions,
};
use yew::prelude::*;
use yew::ServerRenderer;

#[derive(serde::Deserialize)]
struct Ping {
    time: String,
}

#[component]
fn Everything() -> Html {
    let es = use_event_source("/sse");
    // A URL not known yet (a signed-out user's): it opens nothing.
    let signed_out = use_event_source("");
    let with_options = use_event_source_with_options(
        "/other",
        UseEventSourceOptions {
            with_credentials: true,
            reconnect: Some(Reconnect::default()),
            pause_when_hidden: Some(std::time::Duration::from_secs(30)),
            transport: Some(Transport::Fetch),
            headers: vec![("Authorization".into(), "Bearer t".into())],
            headers_with: Some(Callback::from(|()| -> Vec<(String, String)> {
                panic!("no request on the server")
            })),
            method: Some("POST".into()),
            body: Some("{}".into()),
            max_event_size: Some(1 << 20),
            share_across_tabs: ShareAcrossTabs::ON,
        },
    );
    use_event_source_listener(&es, "message", Callback::from(|_: Message| {}));
    use_event_source_json_listener(
        &es,
        "ping",
        Callback::from(|ping: Result<Ping, Error>| drop(ping.map(|p| p.time))),
    );
    let history = use_event_source_history(&with_options, "message", 10);
    // Every control is harmless on the server: nothing is open to act on.
    es.close();
    es.reopen();
    html! {
        <main>
            <p id="state">{ es.ready_state().to_string() }</p>
            <p id="other">{ with_options.ready_state().to_string() }</p>
            <p id="signed-out">{ signed_out.ready_state().to_string() }</p>
            <p id="error">{ es.error().map(ToString::to_string).unwrap_or_default() }</p>
            <p id="source">{ es.source().is_some() }</p>
            <p id="last-id">{ format!("[{}]", es.last_event_id()) }</p>
            <p id="received">{ history.received() }</p>
            <ul>{ for history.iter().map(|m| html! { <li>{ m.data() }</li> }) }</ul>
        </main>
    }
}

#[tokio::test]
async fn every_hook_renders_on_the_server_without_a_browser() {
    let html = ServerRenderer::<Everything>::new()
        .hydratable(false)
        .render()
        .await;
    assert_eq!(
        html,
        "<main>\
         <p id=\"state\">connecting</p>\
         <p id=\"other\">connecting</p>\
         <p id=\"signed-out\">closed</p>\
         <p id=\"error\"></p>\
         <p id=\"source\">false</p>\
         <p id=\"last-id\">[]</p>\
         <p id=\"received\">0</p>\
         <ul></ul>\
         </main>"
    );
}
