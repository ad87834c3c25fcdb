//! [`App`]: the page's one component.

use std::time::Duration;

use web_eventsource::{Message, ReadyState, Reconnect};
use web_eventsource_yew::{
    use_event_source_listener, use_event_source_with_options, UseEventSourceOptions,
};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::item::{Item, Items};
use crate::page;

/// The stream's items, its state and last error, and the controls: a URL box, Reconnect
/// (the same URL resumes after the last event id; another one switches to it) and Close.
#[component]
pub fn App() -> Html {
    let url = use_state(page::stream_url);
    let input = use_node_ref();
    // Survive a server restart: the policy replaces a failed connection, resuming after
    // the last event id.
    let options = UseEventSourceOptions {
        reconnect: Some(Reconnect::default().max_delay(Duration::from_secs(10))),
        ..Default::default()
    };
    let es = use_event_source_with_options(&url, options);
    let items = use_reducer(Items::default);
    // One listener per type, both appending to one list: the hub delivers each event as
    // it arrives, so the list keeps the server's order across the two types.
    let append = {
        let items = items.dispatcher();
        Callback::from(move |msg: Message| items.dispatch(Item::from_message(&msg)))
    };
    use_event_source_listener(&es, "message", append.clone());
    use_event_source_listener(&es, "ping", append);

    let reconnect = {
        let (es, url, input) = (es.clone(), url.clone(), input.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let wanted = input
                .cast::<HtmlInputElement>()
                .map(|input| input.value())
                .unwrap_or_default();
            if wanted == *url {
                es.reopen();
            } else {
                url.set(wanted);
            }
        })
    };
    let close = {
        let es = es.clone();
        Callback::from(move |_| es.close())
    };
    let state = es.ready_state();
    html! {
        <>
            <form id="controls" onsubmit={reconnect}>
                <label for="url">{ "Stream URL" }</label>
                <input id="url" type="text" spellcheck="false" ref={input} value={(*url).clone()} />
                <button id="reconnect" type="submit">{ "Reconnect" }</button>
                <button id="close" type="button" onclick={close}>{ "Close" }</button>
            </form>
            <p id="status">
                { "State: " }
                <strong id="state" class={state.to_string()}>{ title(state) }</strong>
                <span id="error" class="error">
                    { es.error().map(ToString::to_string).unwrap_or_default() }
                </span>
            </p>
            <ul id="events">
                { for items.0.iter().map(|item| html! {
                    <li>
                        <span class="id">{ format!("#{}", item.id) }</span>
                        { " " }
                        <span class="text">{ &item.text }</span>
                    </li>
                }) }
            </ul>
        </>
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
