//! The app of `size_yew_hooks` written on the core crate directly, with the effect and
//! its cleanup by hand: the state and the last 100 messages of `/sse` as a list.
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_eventsource::{EventSource, Message, ReadyState};
use yew::prelude::*;

#[derive(Clone)]
struct Messages(Vec<Message>);

impl Reducible for Messages {
    type Action = Message;

    fn reduce(self: Rc<Self>, message: Message) -> Rc<Self> {
        let mut messages = Rc::unwrap_or_clone(self).0;
        if messages.len() == 100 {
            messages.remove(0);
        }
        messages.push(message);
        Rc::new(Self(messages))
    }
}

#[component]
fn App() -> Html {
    let state = use_state(|| ReadyState::Connecting);
    let messages = use_reducer(|| Messages(Vec::new()));
    {
        let (state, messages) = (state.setter(), messages.dispatcher());
        use_effect_with((), move |_| {
            let opened = EventSource::new("/sse").ok().map(|es| {
                let on_state = es.on_state_change(move |s| state.set(s));
                let on_message = es.on_message(move |m| messages.dispatch(m));
                (es, on_state, on_message)
            });
            move || {
                if let Some((es, on_state, on_message)) = opened {
                    drop((on_state, on_message));
                    es.close();
                }
            }
        });
    }
    html! {
        <>
            <p>{ state.to_string() }</p>
            <ul>{ for messages.0.iter().map(|m| html! { <li>{ m.data() }</li> }) }</ul>
        </>
    }
}

#[wasm_bindgen(start)]
pub fn start() {
    yew::Renderer::<App>::new().render();
}
