//! [`Items`]: the list the app shows, one entry per event, appended in arrival order.

use std::rc::Rc;

use web_eventsource::Message;
use yew::Reducible;

/// The data of the server's `ping` events.
#[derive(serde::Deserialize)]
struct Ping {
    time: String,
}

/// One line of the list.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Item {
    /// The event's id (empty when it had none).
    pub(crate) id: String,
    pub(crate) text: String,
}

impl Item {
    /// The line for `message`: `message: <data>`, or `ping at <time>` for a ping.
    pub(crate) fn from_message(message: &Message) -> Self {
        let text = if message.event_type() == "ping" {
            match message.json::<Ping>() {
                Ok(ping) => format!("ping at {}", ping.time),
                Err(err) => format!("ping: {err}"),
            }
        } else {
            format!("message: {}", message.data())
        };
        Self {
            id: message.last_event_id(),
            text,
        }
    }
}

/// The newest items, oldest first. A reducer, so that each event of a burst is appended
/// to the latest list rather than to the one the last render saw.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Items(pub(crate) Vec<Item>);

/// How many items the page keeps: an open tab should not grow without bound.
const KEEP: usize = 500;

impl Reducible for Items {
    type Action = Item;

    fn reduce(self: Rc<Self>, item: Item) -> Rc<Self> {
        let mut items = Rc::unwrap_or_clone(self).0;
        if items.len() == KEEP {
            items.remove(0);
        }
        items.push(item);
        Rc::new(Self(items))
    }
}
