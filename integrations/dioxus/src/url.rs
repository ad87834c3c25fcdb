//! [`EventSourceUrl`]: the URL a hook opens, fixed or reactive.

use std::fmt;

use dioxus::prelude::{Memo, ReadSignal, ReadableExt, Signal};

/// The URL of a [`use_event_source`](crate::use_event_source) hook: a string, or a signal
/// whose changes the hook follows (it closes the old source and opens one at the new
/// URL). Made with `into()` from `&str`, `String`, `&String`, [`Signal<String>`],
/// [`ReadSignal<String>`] and [`Memo<String>`]; the hooks take `impl Into<EventSourceUrl>`.
///
/// A string is compared with the last render's, as
/// [`use_reactive`](fn@dioxus::prelude::use_reactive) does, so a URL computed from props
/// works too. A signal is read inside the hook's effect: the component need not
/// re-render for the new URL to open.
///
/// # Examples
///
/// ```
/// use dioxus::prelude::*;
/// use web_eventsource_dioxus::{use_event_source, EventSourceUrl};
///
/// #[component]
/// fn Room(name: String) -> Element {
///     // Follows the memo: a click opens the lobby's stream in place of the room's.
///     let mut room = use_signal(|| name.clone());
///     let url = use_memo(move || format!("/rooms/{room}/sse"));
///     let es = use_event_source(url);
///     rsx! {
///         p { "{es.ready_state()}" }
///         button { onclick: move |_| room.set("lobby".into()), "Lobby" }
///     }
/// }
///
/// assert_eq!(EventSourceUrl::from("/sse"), EventSourceUrl::from(String::from("/sse")));
/// ```
#[derive(Clone, PartialEq)]
pub struct EventSourceUrl(Given);

/// What the hook was given. Signals are kept as they are, not boxed into a `ReadSignal`:
/// boxing allocates in the component's scope, on every render.
#[derive(Clone, PartialEq)]
enum Given {
    Text(String),
    Signal(Signal<String>),
    ReadSignal(ReadSignal<String>),
    Memo(Memo<String>),
}

impl EventSourceUrl {
    /// The URL now. Reading a signal inside an effect subscribes the effect to it.
    pub(crate) fn read(&self) -> String {
        match &self.0 {
            Given::Text(text) => text.clone(),
            Given::Signal(signal) => signal.cloned(),
            Given::ReadSignal(signal) => signal.cloned(),
            Given::Memo(memo) => memo.cloned(),
        }
    }

    /// The URL now, read without subscribing anything to it.
    pub(crate) fn peek(&self) -> String {
        match &self.0 {
            Given::Text(text) => text.clone(),
            Given::Signal(signal) => signal.peek().clone(),
            Given::ReadSignal(signal) => signal.peek().clone(),
            Given::Memo(memo) => memo.peek().clone(),
        }
    }
}

impl From<&str> for EventSourceUrl {
    fn from(url: &str) -> Self {
        Self(Given::Text(url.to_owned()))
    }
}

impl From<&String> for EventSourceUrl {
    fn from(url: &String) -> Self {
        Self(Given::Text(url.clone()))
    }
}

impl From<String> for EventSourceUrl {
    fn from(url: String) -> Self {
        Self(Given::Text(url))
    }
}

impl From<Signal<String>> for EventSourceUrl {
    fn from(url: Signal<String>) -> Self {
        Self(Given::Signal(url))
    }
}

impl From<ReadSignal<String>> for EventSourceUrl {
    fn from(url: ReadSignal<String>) -> Self {
        Self(Given::ReadSignal(url))
    }
}

impl From<Memo<String>> for EventSourceUrl {
    fn from(url: Memo<String>) -> Self {
        Self(Given::Memo(url))
    }
}

impl fmt::Debug for EventSourceUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A signal's value is peeked, not read: formatting must not subscribe anything.
        let (kind, value) = match &self.0 {
            Given::Text(text) => ("Text", text.clone()),
            Given::Signal(signal) => (
                "Signal",
                signal.try_peek().map(|v| v.clone()).unwrap_or_default(),
            ),
            Given::ReadSignal(signal) => (
                "ReadSignal",
                signal.try_peek().map(|v| v.clone()).unwrap_or_default(),
            ),
            Given::Memo(memo) => (
                "Memo",
                memo.try_peek().map(|v| v.clone()).unwrap_or_default(),
            ),
        };
        f.debug_tuple("EventSourceUrl")
            .field(&kind)
            .field(&value)
            .finish()
    }
}
