#![cfg(not(target_arch = "wasm32"))]
//! Server-side rendering, natively: a component that uses every hook renders to HTML with
//! dioxus-ssr, after its effects have run. Natively any call into a browser API panics
//! (wasm-bindgen's imports exist only in a browser), so a render that completes with the
//! expected HTML proves the hooks touch none, even where Dioxus runs effects on the server.
//! scripts/lib/test_integration.sh runs it with the default features and without `web`.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use dioxus::prelude::*;
use web_eventsource::{Error, Message, Reconnect, ShareAcrossTabs, Transport};
use web_eventsource_dioxus::{
    use_event_source, use_event_source_history, use_event_source_json_history,
    use_event_source_json_listener, use_event_source_listener, use_event_source_with_options,
    UseEventSourceOptions,
};

#[derive(Debug, serde::Deserialize)]
struct Ping {
    time: String,
}

/// Counts the effects that ran: the render after them must still be the server's.
#[derive(Clone, Default)]
struct EffectsRun(Rc<Cell<u32>>);

#[component]
fn Everything() -> Element {
    let effects_run = use_context::<EffectsRun>();
    let url = use_signal(|| "/other".to_owned());
    let headers_with = use_callback(|()| vec![("Authorization".into(), "Bearer t".into())]);
    let es = use_event_source("/sse");
    // A URL not known yet (a signed-out user's): it opens nothing.
    let signed_out = use_event_source("");
    let with_options = use_event_source_with_options(
        url,
        UseEventSourceOptions {
            with_credentials: true,
            reconnect: Some(Reconnect::default()),
            pause_when_hidden: Some(Duration::from_secs(30)),
            transport: Some(Transport::Fetch),
            headers: vec![("X-Client".into(), "ssr".into())],
            headers_with: Some(headers_with),
            method: Some("POST".into()),
            body: Some("{}".into()),
            max_event_size: Some(1 << 20),
            share_across_tabs: ShareAcrossTabs::ON,
        },
    );
    use_event_source_listener(es, "message", |message: Message| {
        panic!("no event on the server: {message:?}")
    });
    use_event_source_json_listener(with_options, "ping", |ping: Result<Ping, Error>| {
        panic!("no event on the server: {ping:?}")
    });
    let history = use_event_source_history(with_options, "message", 10);
    let pings = use_event_source_json_history::<Ping>(es, "ping", 10);
    // Every control is harmless on the server, in a render and in an effect: nothing is
    // open to act on, and nothing opens.
    es.close();
    es.reopen();
    use_effect(move || {
        with_options.reopen();
        with_options.close();
        effects_run.0.set(effects_run.0.get() + 1);
    });
    rsx! {
        main {
            p { id: "state", "{es.ready_state()}" }
            p { id: "other", "{with_options.ready_state()}" }
            p { id: "signed-out", "{signed_out.ready_state()}" }
            p { id: "error", {es.error().cloned().map(|err| err.to_string())} }
            p { id: "message", {es.message().cloned().map(|m| m.data().to_owned())} }
            p { id: "source", "{es.source().is_some()}" }
            p { id: "last-id", "[{es.last_event_id()}]" }
            ul {
                for message in history.iter() {
                    li { "{message.data()}" }
                }
                for ping in pings.iter() {
                    li { {ping.as_ref().map(|p| p.time.clone()).unwrap_or_default()} }
                }
            }
        }
    }
}

#[test]
fn every_hook_renders_on_the_server_without_a_browser_even_after_its_effects() {
    let effects_run = EffectsRun::default();
    let mut dom = VirtualDom::new(Everything).with_root_context(effects_run.clone());
    dom.rebuild_in_place();
    // Runs the queued effects (and re-renders whatever they changed), as a server that
    // drives the virtual DOM further than one render would.
    dom.render_immediate_to_vec();
    assert_eq!(effects_run.0.get(), 1, "the effects ran");
    let html = dioxus_ssr::render(&dom);
    assert_eq!(
        html,
        "<main>\
         <p id=\"state\">connecting</p>\
         <p id=\"other\">connecting</p>\
         <p id=\"signed-out\">closed</p>\
         <p id=\"error\"></p>\
         <p id=\"message\"></p>\
         <p id=\"source\">false</p>\
         <p id=\"last-id\">[]</p>\
         <ul></ul>\
         </main>"
    );
    // Dropping the app runs every hook's `use_drop`: closing nothing is harmless too.
    drop(dom);
}
