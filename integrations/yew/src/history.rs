//! [`use_event_source_history`]: the last N messages of a type, for rendering lists.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use web_eventsource::Message;
use yew::functional::UseForceUpdateHandle;
use yew::{hook, use_force_update, use_memo, use_mut_ref, Callback};

use crate::{use_event_source_listener, UseEventSourceHandle};

/// Keeps the last `capacity` events of type `event_type` of `handle`'s source, oldest
/// first, and re-renders the component when they arrive. Every event is kept: a burst of
/// 100 events in one network chunk adds 100 entries, rendered together (one render after
/// the burst, not one per event), where a hook that holds only the latest value sees
/// each event only if the framework happens to render between them, and keeps no list.
///
/// The history carries over a new URL and [`reopen`](UseEventSourceHandle::reopen);
/// [`clear`](UseEventSourceHistoryHandle::clear) empties it. A smaller `capacity` on a
/// later render drops the oldest entries. `capacity` 0 keeps nothing (the events are
/// still counted by [`received`](UseEventSourceHistoryHandle::received)).
///
/// # Examples
///
/// The items are left without a `key`: event ids are no key, since they repeat (an
/// event without an `id:` field keeps the last one, and a new URL starts again) and
/// Yew's debug builds panic on a duplicate key. A unique key, where one is wanted, is the
/// entry's place in the stream: `received() - len() + index`.
///
/// ```
/// use web_eventsource_yew::{use_event_source, use_event_source_history};
/// use yew::prelude::*;
///
/// #[component]
/// fn Pings() -> Html {
///     let es = use_event_source("/sse");
///     let pings = use_event_source_history(&es, "ping", 20);
///     html! {
///         <ol>
///             { for pings.iter().map(|ping| html! {
///                 <li>{ ping.data() }</li>
///             }) }
///         </ol>
///     }
/// }
/// ```
#[hook]
pub fn use_event_source_history(
    handle: &UseEventSourceHandle,
    event_type: &str,
    capacity: usize,
) -> UseEventSourceHistoryHandle {
    let buffer = use_mut_ref(Buffer::default);
    let rerender = use_force_update();
    buffer.borrow_mut().set_capacity(capacity);
    use_event_source_listener(handle, event_type, {
        let buffer = buffer.clone();
        let rerender = rerender.clone();
        Callback::from(move |message| {
            let mut buffered = buffer.borrow_mut();
            buffered.push(message);
            buffered.render_soon(Rc::downgrade(&buffer), &rerender);
        })
    });
    let revision = buffer.borrow().revision;
    let messages = use_memo(revision, {
        let buffer = buffer.clone();
        move |_| buffer.borrow().messages.iter().cloned().collect()
    });
    let received = buffer.borrow().received;
    UseEventSourceHistoryHandle {
        messages,
        received,
        buffer,
        rerender,
    }
}

/// Where events land as they arrive, between renders.
#[derive(Default)]
struct Buffer {
    messages: VecDeque<Message>,
    capacity: usize,
    received: u64,
    /// Bumped by every change: the render's copy is remade only when it moves.
    revision: u64,
    /// The render asked for by the first event since the last one.
    render: Option<Timeout>,
}

impl Buffer {
    /// Asks for one render after the events already queued. The browser dispatches each
    /// event of a network chunk as a task of its own, and Yew renders in a microtask, so
    /// rendering at once would render up to once per event of a burst (82 times for 100
    /// events, measured); a zero-delay timer runs after the burst's queued events and
    /// renders them all at once.
    fn render_soon(&mut self, buffer: Weak<RefCell<Buffer>>, rerender: &UseForceUpdateHandle) {
        if self.render.is_some() {
            return;
        }
        let rerender = rerender.clone();
        self.render = Some(Timeout::new(0, move || {
            // Weak: a pending render does not keep an unmounted history alive.
            if let Some(buffer) = buffer.upgrade() {
                buffer.borrow_mut().render = None;
                rerender.force_update();
            }
        }));
    }

    fn push(&mut self, message: Message) {
        self.received += 1;
        self.revision += 1;
        self.messages.push_back(message);
        self.trim();
    }

    fn set_capacity(&mut self, capacity: usize) {
        if capacity != self.capacity {
            self.capacity = capacity;
            self.revision += 1;
            self.trim();
        }
    }

    fn trim(&mut self) {
        let excess = self.messages.len().saturating_sub(self.capacity);
        self.messages.drain(..excess);
    }
}

/// The messages kept by [`use_event_source_history`], oldest first, as of this render.
/// Cheap to clone; `PartialEq` (same history, same contents) so it can be a prop.
///
/// # Examples
///
/// ```
/// use web_eventsource_yew::{use_event_source, use_event_source_history};
/// use yew::prelude::*;
///
/// #[component]
/// fn Latest() -> Html {
///     let es = use_event_source("/sse");
///     let history = use_event_source_history(&es, "message", 10);
///     html! {
///         <p>{ format!("{} of {} kept; newest: {}", history.len(), history.received(),
///             history.last().map(|m| m.data().to_owned()).unwrap_or_default()) }</p>
///     }
/// }
/// ```
#[derive(Clone)]
pub struct UseEventSourceHistoryHandle {
    messages: Rc<Vec<Message>>,
    received: u64,
    buffer: Rc<RefCell<Buffer>>,
    rerender: UseForceUpdateHandle,
}

impl UseEventSourceHistoryHandle {
    /// The messages kept, oldest first.
    ///
    /// # Examples
    ///
    /// ```
    /// # use web_eventsource_yew::{use_event_source, use_event_source_history};
    /// # use yew::prelude::*;
    /// #[component]
    /// fn Ids() -> Html {
    ///     let es = use_event_source("/sse");
    ///     let history = use_event_source_history(&es, "message", 10);
    ///     let ids: Vec<String> = history.messages().iter().map(|m| m.last_event_id()).collect();
    ///     html! { <p>{ ids.join(", ") }</p> }
    /// }
    /// ```
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    /// Iterates over the messages kept, oldest first.
    ///
    /// # Examples
    ///
    /// ```
    /// # use web_eventsource_yew::{use_event_source, use_event_source_history};
    /// # use yew::prelude::*;
    /// #[component]
    /// fn List() -> Html {
    ///     let es = use_event_source("/sse");
    ///     let history = use_event_source_history(&es, "message", 10);
    ///     html! { <ul>{ for history.iter().map(|m| html! { <li>{ m.data() }</li> }) }</ul> }
    /// }
    /// ```
    pub fn iter(&self) -> std::slice::Iter<'_, Message> {
        self.messages.iter()
    }

    /// The newest message kept.
    ///
    /// # Examples
    ///
    /// ```
    /// # use web_eventsource_yew::{use_event_source, use_event_source_history};
    /// # use yew::prelude::*;
    /// #[component]
    /// fn Newest() -> Html {
    ///     let es = use_event_source("/sse");
    ///     let history = use_event_source_history(&es, "ping", 1);
    ///     html! { <p>{ history.last().map(|m| m.data().to_owned()).unwrap_or_default() }</p> }
    /// }
    /// ```
    pub fn last(&self) -> Option<&Message> {
        self.messages.last()
    }

    /// How many messages are kept (at most the capacity).
    ///
    /// # Examples
    ///
    /// ```
    /// # use web_eventsource_yew::{use_event_source, use_event_source_history};
    /// # use yew::prelude::*;
    /// #[component]
    /// fn Count() -> Html {
    ///     let es = use_event_source("/sse");
    ///     let history = use_event_source_history(&es, "message", 10);
    ///     html! { <p>{ history.len() }</p> }
    /// }
    /// ```
    pub fn len(&self) -> usize {
        self.messages.len()
    }

    /// Whether no message is kept.
    ///
    /// # Examples
    ///
    /// ```
    /// # use web_eventsource_yew::{use_event_source, use_event_source_history};
    /// # use yew::prelude::*;
    /// #[component]
    /// fn Waiting() -> Html {
    ///     let es = use_event_source("/sse");
    ///     let history = use_event_source_history(&es, "message", 10);
    ///     html! { if history.is_empty() { <p>{ "Waiting for the first message…" }</p> } }
    /// }
    /// ```
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// How many messages of the type arrived since the component mounted, kept or not.
    ///
    /// # Examples
    ///
    /// ```
    /// # use web_eventsource_yew::{use_event_source, use_event_source_history};
    /// # use yew::prelude::*;
    /// #[component]
    /// fn Total() -> Html {
    ///     let es = use_event_source("/sse");
    ///     let history = use_event_source_history(&es, "message", 10);
    ///     html! { <p>{ format!("{} received", history.received()) }</p> }
    /// }
    /// ```
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Empties the history and re-renders the component.
    /// [`received`](Self::received) keeps counting from where it was.
    ///
    /// # Examples
    ///
    /// ```
    /// # use web_eventsource_yew::{use_event_source, use_event_source_history};
    /// # use yew::prelude::*;
    /// #[component]
    /// fn Clearable() -> Html {
    ///     let es = use_event_source("/sse");
    ///     let history = use_event_source_history(&es, "message", 10);
    ///     let onclick = {
    ///         let history = history.clone();
    ///         Callback::from(move |_| history.clear())
    ///     };
    ///     html! { <button {onclick}>{ format!("Clear {}", history.len()) }</button> }
    /// }
    /// ```
    pub fn clear(&self) {
        let mut buffer = self.buffer.borrow_mut();
        buffer.messages.clear();
        buffer.revision += 1;
        drop(buffer);
        self.rerender.force_update();
    }
}

impl<'a> IntoIterator for &'a UseEventSourceHistoryHandle {
    type Item = &'a Message;
    type IntoIter = std::slice::Iter<'a, Message>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Equal when both come from the same hook and hold the same messages.
impl PartialEq for UseEventSourceHistoryHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.buffer, &other.buffer) && Rc::ptr_eq(&self.messages, &other.messages)
    }
}

impl fmt::Debug for UseEventSourceHistoryHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UseEventSourceHistoryHandle")
            .field("messages", &self.messages)
            .field("received", &self.received)
            .finish()
    }
}
