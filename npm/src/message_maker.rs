//! The JavaScript `Message`s of one subscription, made with as few strings crossing into
//! JavaScript as it can: each crossing is a `TextDecoder.decode` call in wasm-bindgen's
//! glue, whose cost hardly depends on the string's length. With four per message (id,
//! type, data, origin), those calls were about half of a fetch message's time.
//!
//! - The event type is the subscription's own: it crosses once, when it subscribes.
//! - The origin is the response's, the same message after message: it crosses again only
//!   when it changes.
//! - The id and the data cross as one string, which JavaScript cuts in two.
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
    /// The id and the data end to end, reused from message to message.
    fields: RefCell<String>,
}

impl MessageMaker {
    /// A maker for the messages of `event_type`.
    pub(crate) fn new(event_type: &str) -> Self {
        Self {
            event_type: JsValue::from_str(event_type),
            origin: RefCell::new(None),
            fields: RefCell::new(String::new()),
        }
    }

    pub(crate) fn make(&self, message: &Message) -> JsMessage {
        let last_event_id = message.last_event_id();
        if let Some(event) = message.raw() {
            return bindings::new_dom_message(&last_event_id, event);
        }
        let origin = self.origin(message.origin());
        let mut fields = self.fields.borrow_mut();
        fields.clear();
        fields.push_str(&last_event_id);
        fields.push_str(message.data());
        bindings::new_parsed_message(
            &fields,
            utf16_len(&last_event_id),
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

/// The length of `text` in UTF-16 code units, how JavaScript cuts a string.
fn utf16_len(text: &str) -> u32 {
    let len = if text.is_ascii() {
        text.len()
    } else {
        text.encode_utf16().count()
    };
    u32::try_from(len).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::utf16_len;

    #[test]
    fn lengths_count_utf16_code_units() {
        assert_eq!(utf16_len(""), 0);
        assert_eq!(utf16_len("42"), 2);
        // "é" is one unit, "😀" two (a surrogate pair).
        assert_eq!(utf16_len("é😀1"), 4);
    }
}
