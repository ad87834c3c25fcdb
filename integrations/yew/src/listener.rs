//! [`use_event_source_listener`] and its typed JSON variant
//! [`use_event_source_json_listener`].

use std::rc::Rc;

use serde::de::DeserializeOwned;
use web_eventsource::{Error, Message};
use yew::{hook, use_effect_with, use_mut_ref, Callback};

use crate::hub::Hub;
use crate::UseEventSourceHandle;

/// Calls `callback` with every event of type `event_type` (the `event:` field;
/// `"message"` for events without one) of `handle`'s source, in the order the server sent
/// them, one call per event: a burst of events in one network chunk is not collapsed.
///
/// The subscription follows the source across a new URL, new options and
/// [`reopen`](UseEventSourceHandle::reopen), and is made before the browser can deliver
/// anything. A new `callback` on a later render takes over from the next event: the
/// latest is kept, nothing is resubscribed and nothing dropped. A new `event_type`
/// subscribes to the new type instead. Unmounting unsubscribes.
///
/// Calling it does not re-render the component: set state in `callback` for that, or use
/// [`use_event_source_history`](crate::use_event_source_history).
///
/// # Examples
///
/// ```
/// use web_eventsource::Message;
/// use web_eventsource_yew::{use_event_source, use_event_source_listener};
/// use yew::prelude::*;
///
/// #[component]
/// fn Counter() -> Html {
///     let es = use_event_source("/sse");
///     let pings = use_reducer(|| PingCount(0));
///     use_event_source_listener(&es, "ping", {
///         let pings = pings.dispatcher();
///         Callback::from(move |_: Message| pings.dispatch(()))
///     });
///     html! { <p>{ format!("{} pings", pings.0) }</p> }
/// }
///
/// // A reducer, not `use_state`: every event counts, even in a burst.
/// struct PingCount(u64);
///
/// impl Reducible for PingCount {
///     type Action = ();
///     fn reduce(self: std::rc::Rc<Self>, _: ()) -> std::rc::Rc<Self> {
///         PingCount(self.0 + 1).into()
///     }
/// }
/// ```
#[hook]
pub fn use_event_source_listener(
    handle: &UseEventSourceHandle,
    event_type: &str,
    callback: Callback<Message>,
) {
    let latest = use_mut_ref(|| callback.clone());
    *latest.borrow_mut() = callback;
    use_effect_with(
        (SameHub(handle.hub.clone()), event_type.to_owned()),
        move |(hub, event_type)| {
            let hook_listener = hub.0.listen(
                event_type,
                Box::new(move |message| {
                    // Cloned out first: the callback may re-render or reopen, which must
                    // not find the cell borrowed.
                    let callback = latest.borrow().clone();
                    callback.emit(message);
                }),
            );
            move || drop(hook_listener)
        },
    );
}

/// Calls `callback` with every event of type `event_type`, its data decoded from JSON
/// into `T`, as [`use_event_source_listener`] does: in order, one call per event. An
/// event whose data is not valid JSON for `T` is an `Err(`[`Error::Decode`]`)` call, and
/// the next one decodes as usual.
///
/// # Examples
///
/// ```
/// use web_eventsource::Error;
/// use web_eventsource_yew::{use_event_source, use_event_source_json_listener};
/// use yew::prelude::*;
///
/// #[derive(serde::Deserialize)]
/// struct Ping {
///     time: String,
/// }
///
/// #[component]
/// fn Clock() -> Html {
///     let es = use_event_source("/sse");
///     let time = use_state(String::new);
///     use_event_source_json_listener(&es, "ping", {
///         let time = time.setter();
///         Callback::from(move |ping: Result<Ping, Error>| match ping {
///             Ok(ping) => time.set(ping.time),
///             Err(err) => time.set(err.to_string()),
///         })
///     });
///     html! { <time>{ (*time).clone() }</time> }
/// }
/// ```
#[hook]
pub fn use_event_source_json_listener<T>(
    handle: &UseEventSourceHandle,
    event_type: &str,
    callback: Callback<Result<T, Error>>,
) where
    T: DeserializeOwned + 'static,
{
    use_event_source_listener(
        handle,
        event_type,
        Callback::from(move |message: Message| callback.emit(message.json::<T>())),
    );
}

/// The hub as an effect dependency: equal when it is the same hub.
#[derive(Clone)]
struct SameHub(Rc<Hub>);

impl PartialEq for SameHub {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
