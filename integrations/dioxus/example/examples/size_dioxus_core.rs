//! The app of `size_dioxus_hooks` written on the core crate directly, with the effect and
//! its cleanup by hand: the state and the last 100 messages of `/sse` as a list.
use std::cell::RefCell;
use std::rc::Rc;

use dioxus::prelude::*;
use wasm_bindgen::prelude::*;
use web_eventsource::{EventSource, Listener, Message, ReadyState};

#[component]
fn App() -> Element {
    let mut state = use_signal(|| ReadyState::Connecting);
    let mut messages = use_signal(Vec::<Message>::new);
    let opened = use_hook(|| Rc::new(RefCell::new(None::<(EventSource, [Listener; 2])>)));
    use_effect({
        let opened = opened.clone();
        move || {
            let source = EventSource::new("/sse").ok().map(|es| {
                let on_state = es.on_state_change(move |s| state.set(s));
                let on_message = es.on_message(move |m| {
                    let mut list = messages.write();
                    if list.len() == 100 {
                        list.remove(0);
                    }
                    list.push(m);
                });
                (es, [on_state, on_message])
            });
            opened.replace(source);
        }
    });
    use_drop(move || {
        if let Some((es, listeners)) = opened.take() {
            drop(listeners);
            es.close();
        }
    });
    rsx! {
        p { "{state}" }
        ul {
            for message in messages.iter() {
                li { "{message.data()}" }
            }
        }
    }
}

#[wasm_bindgen(start)]
pub fn start() {
    dioxus_web::launch::launch_cfg(App, dioxus_web::Config::new());
}
