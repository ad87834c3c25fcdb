//! The JavaScript `Message`s of one subscription, made with as few strings crossing into
//! JavaScript as it can: each crossing is a `TextDecoder.decode` call in wasm-bindgen's
//! glue, whose cost hardly depends on the string's length. With four per message (id,
//! type, data, origin), those calls were about half of a fetch message's time.
//!
//! - The event type is the subscription's own: it crosses once, when it subscribes.
//! - The origin is the response's, the same message after message: it crosses again only
//!   when it changes.
//! - The id and the data are slices of one JavaScript string per chunk of the body
//!   ([`Message::data_js`]), which crosses once for all the chunk's messages.
//! - A native message is the browser's `MessageEvent` and the resume point: the data
//!   stays in JavaScript.

use std::cell::RefCell;

use wasm_bindgen::JsValue;
use web_eventsource::Message;

use crate::bindings::{self, JsMessage};

#[derive(Debug)]
pub(crate) struct MessageMaker {
    event_type: JsValue,
    /// The origin that crossed last, as text and as the JavaScript string.
    origin: RefCell<Option<(String, JsValue)>>,
}

impl MessageMaker {
    /// A maker for the messages of `event_type`.
    pub(crate) fn new(event_type: &str) -> Self {
        Self {
            event_type: JsValue::from_str(event_type),
            origin: RefCell::new(None),
        }
    }

    pub(crate) fn make(&self, message: &Message) -> JsMessage {
        if let Some(event) = message.raw() {
            return bindings::new_dom_message(&message.last_event_id(), event);
        }
        let origin = self.origin(message.origin());
        // The id first: in a chunk that is not ASCII, each UTF-16 offset is counted from
        // the one found before it, so stream order (an event's id comes before its data)
        // counts the chunk once.
        let last_event_id = message.last_event_id_js();
        bindings::new_parsed_message(
            &last_event_id,
            &message.data_js(),
            &self.event_type,
            &origin,
        )
    }

    /// `origin` as a JavaScript string: the one that crossed last, if it is the same.
    fn origin(&self, origin: String) -> JsValue {
        let mut last = self.origin.borrow_mut();
        match &*last {
            Some((text, value)) if *text == origin => value.clone(),
            _ => {
                let value = JsValue::from_str(&origin);
                *last = Some((origin, value.clone()));
                value
            }
        }
    }
}
