//! [`Item`]: one line of the list the app shows.

use web_eventsource::Message;

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
