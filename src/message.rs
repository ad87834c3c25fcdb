//! [`Message`]: one event received from the server, and its typed decoding.

use std::cell::OnceCell;
use std::fmt;
use std::rc::Rc;

use js_sys::JsString;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::js_text::JsChunk;
use crate::parser::Text;
use crate::Error;

#[wasm_bindgen]
extern "C" {
    /// A `MessageEvent` seen through getters that tolerate a plain `Event` dispatched under
    /// a message type by other code (web-sys's `String` getters would fail on
    /// `undefined`), and that read `data` straight into a `String`.
    type MessageFields;
    #[wasm_bindgen(method, getter)]
    fn data(this: &MessageFields) -> Option<String>;
    #[wasm_bindgen(method, getter, js_name = data)]
    fn data_value(this: &MessageFields) -> JsValue;
    #[wasm_bindgen(method, getter, js_name = lastEventId)]
    fn last_event_id(this: &MessageFields) -> Option<String>;
    #[wasm_bindgen(method, getter, js_name = lastEventId)]
    fn last_event_id_value(this: &MessageFields) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn origin(this: &MessageFields) -> Option<String>;
}

/// One event from the server: its data, type, id and origin.
///
/// A `Message` is a cheap handle (`Clone` is a reference-count increment): every subscriber
/// of an event type gets the same one. On the native transport the data is copied out of
/// JavaScript once, the first time it is read, and not at all if nobody reads it. On the
/// fetch transport the data and id are slices of the chunk of the body they arrived in
/// (at most 64 KiB), shared by every message parsed from it, so that parsing copies
/// nothing: a message you keep keeps its chunk alive, and, once a message of it was asked
/// for a JavaScript string ([`data_js`](Self::data_js)), the chunk's JavaScript string
/// too. Copy the data out (`msg.data().to_owned()`) to keep it for long without either.
///
/// # Examples
///
/// ```no_run
/// use web_eventsource::EventSource;
///
/// let es = EventSource::new("/sse")?;
/// let _listener = es.on_message(|msg| {
///     web_sys::console::log_1(&format!("{} (id {:?}): {}", msg.event_type(), msg.last_event_id(), msg.data()).into());
/// });
/// # Ok::<(), web_eventsource::Error>(())
/// ```
#[derive(Clone)]
pub struct Message(Rc<Received>);

struct Received {
    event_type: Rc<str>,
    body: Body,
}

/// Where the event's fields live: in the browser's `MessageEvent` (native transport), or
/// already in Rust (fetch transport, which parsed them).
enum Body {
    Dom {
        event: web_sys::MessageEvent,
        /// The resume point carried over from the sources before this one, read when
        /// the browser's own id is empty (see [`Message::last_event_id`]).
        carried_id: Rc<String>,
        data: OnceCell<String>,
    },
    Parsed {
        data: Text,
        id: Text,
        /// An `Rc<String>`: an `Rc<str>` made from the `String` the browser gives links
        /// a layout computation and its panic (155 gzipped bytes on the fetch transport).
        origin: Rc<String>,
        /// The JavaScript strings of the read of the body the message came in, shared
        /// with the other messages of that read (`None`: relayed from another tab).
        js: Option<Rc<JsChunk>>,
    },
}

fn fields(event: &web_sys::MessageEvent) -> &MessageFields {
    event.unchecked_ref()
}

/// The id of a message the browser's `EventSource` delivered, from the browser's value
/// (`lastEventId`): that value, or, when it is empty (no id yet on this browser source),
/// the id carried to the message.
pub(crate) fn id_or_carried(value: Option<String>, carried: &Rc<String>) -> String {
    match value {
        Some(id) if !id.is_empty() => id,
        _ => String::clone(carried),
    }
}

/// Whether the browser's `event` carries a last event id (not `""`). Read as a `JsValue`
/// made a `String`, as the data is read: a check of its own, without copying the id (a
/// `JsString` and its length), linked 40 more gzipped bytes into every app.
pub(crate) fn carries_an_id(event: &web_sys::MessageEvent) -> bool {
    fields(event)
        .last_event_id_value()
        .as_string()
        .is_some_and(|id| !id.is_empty())
}

impl Message {
    /// What [`last_event_id`](Self::last_event_id) is made of, for a message the browser's
    /// `EventSource` delivered (`None` for any other: only those are kept to read the id
    /// from): the browser's value, read as [`carries_an_id`] reads it (which every app
    /// links), and the id carried to the message, for when that value is empty.
    pub(crate) fn browser_id(&self) -> Option<(JsValue, Rc<String>)> {
        match &self.0.body {
            Body::Dom {
                event, carried_id, ..
            } => Some((fields(event).last_event_id_value(), Rc::clone(carried_id))),
            Body::Parsed { .. } => None,
        }
    }

    /// A message the browser's `EventSource` delivered.
    pub(crate) fn from_dom(
        event: web_sys::MessageEvent,
        event_type: Rc<str>,
        carried_id: Rc<String>,
    ) -> Self {
        Self(Rc::new(Received {
            event_type,
            body: Body::Dom {
                event,
                carried_id,
                data: OnceCell::new(),
            },
        }))
    }

    /// A message the fetch transport parsed: `id` is the last event id as of this event;
    /// `js` makes the JavaScript strings of the messages of one read of the body.
    pub(crate) fn parsed(
        event_type: Rc<str>,
        data: Text,
        id: Text,
        origin: Rc<String>,
        js: Option<Rc<JsChunk>>,
    ) -> Self {
        Self(Rc::new(Received {
            event_type,
            body: Body::Parsed {
                data,
                id,
                origin,
                js,
            },
        }))
    }

    /// The event's data: the `data:` lines of the event joined by `\n`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # let es = web_eventsource::EventSource::new("/sse")?;
    /// let _listener = es.on_message(|msg| {
    ///     let text: &str = msg.data();
    ///     web_sys::console::log_1(&text.into());
    /// });
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn data(&self) -> &str {
        match &self.0.body {
            Body::Dom { event, data, .. } => {
                // `get_or_init` would link a panic for a reentrant init, which cannot
                // happen here: the read calls nothing of ours.
                if data.get().is_none() {
                    let _ = data.set(fields(event).data().unwrap_or_default());
                }
                data.get().map_or("", String::as_str)
            }
            Body::Parsed { data, .. } => data.as_str(),
        }
    }

    /// The event's data as a JavaScript string, for code that hands it to JavaScript: the
    /// same text as [`data`](Self::data), without the copy into Rust and back.
    ///
    /// On the native transport it is the browser's own string. On the fetch transport the
    /// chunk of the body the message came in crosses into JavaScript once, for all of its
    /// messages, and each message's data is a slice of it (which V8 makes without
    /// copying): a string made from `data()` costs a `TextDecoder` call per message. A
    /// slice keeps the chunk's string (at most 64 KiB of text) alive while it is held.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # let es = web_eventsource::EventSource::new("/sse")?;
    /// let _listener = es.on_message(|msg| web_sys::console::log_1(&msg.data_js()));
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn data_js(&self) -> JsString {
        match &self.0.body {
            Body::Dom { event, .. } => fields(event)
                .data_value()
                .dyn_into()
                .unwrap_or_else(|_| JsString::from("")),
            Body::Parsed { data, js, .. } => match js {
                Some(js) => js.data(data),
                None => JsString::from(data.as_str()),
            },
        }
    }

    /// The event type: the `event:` field, or `"message"` when the server sent none.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # let es = web_eventsource::EventSource::new("/sse")?;
    /// let _listener = es.on("ping", |msg| assert_eq!(msg.event_type(), "ping"));
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn event_type(&self) -> &str {
        &self.0.event_type
    }

    /// The source's last event id when this event arrived: the latest `id:` field the
    /// server sent, on this event or an earlier one (empty if none yet), the same as
    /// [`EventSource::last_event_id`](crate::EventSource::last_event_id) read inside the
    /// callback.
    ///
    /// Across a replacement by the [`Reconnect`](crate::Reconnect) policy, a pause or
    /// [`Builder::last_event_id`](crate::Builder::last_event_id), the browser's new
    /// source starts with an empty id; until the server sends an id on it, this returns
    /// the resume point carried over instead of the browser's `""`, so an event without
    /// an `id:` field never reads as a reset. (None is carried where the new request
    /// could not send it: on the native transport under a policy's
    /// [`resume_param(None)`](crate::Reconnect::resume_param), the server starts over, and
    /// this reads `""` until it sends an id.)
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # let es = web_eventsource::EventSource::new("/sse")?;
    /// let _listener = es.on_message(|msg| web_sys::console::log_1(&format!("resume point: {}", msg.last_event_id()).into()));
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn last_event_id(&self) -> String {
        match &self.0.body {
            Body::Dom {
                event, carried_id, ..
            } => id_or_carried(fields(event).last_event_id(), carried_id),
            Body::Parsed { id, .. } => id.as_str().to_owned(),
        }
    }

    /// [`last_event_id`](Self::last_event_id) as a JavaScript string, made as
    /// [`data_js`](Self::data_js) makes the data's.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # let es = web_eventsource::EventSource::new("/sse")?;
    /// let _listener = es.on_message(|msg| web_sys::console::log_2(&"id".into(), &msg.last_event_id_js()));
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn last_event_id_js(&self) -> JsString {
        match &self.0.body {
            Body::Dom {
                event, carried_id, ..
            } => match fields(event).last_event_id_value().dyn_into::<JsString>() {
                Ok(id) if id.length() > 0 => id,
                _ => JsString::from(carried_id.as_str()),
            },
            Body::Parsed { id, js, .. } => match js {
                Some(js) => js.id(id),
                None => JsString::from(id.as_str()),
            },
        }
    }

    /// The origin of the server that sent the event, e.g. `"https://example.com"`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # let es = web_eventsource::EventSource::new("/sse")?;
    /// let _listener = es.on_message(|msg| web_sys::console::log_1(&format!("from {}", msg.origin()).into()));
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn origin(&self) -> String {
        match &self.0.body {
            Body::Dom { event, .. } => fields(event).origin().unwrap_or_default(),
            Body::Parsed { origin, .. } => String::clone(origin),
        }
    }

    /// Decodes the data as JSON into `T`.
    ///
    /// Uses `serde_json` on the data copied into wasm memory, which measured faster than
    /// `JSON.parse` followed by `serde-wasm-bindgen` for typical event sizes (see the
    /// benchmarks).
    ///
    /// # Errors
    ///
    /// [`Error::Decode`], with the event type and serde's message, when the data is not
    /// valid JSON or does not match `T`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// #[derive(serde::Deserialize)]
    /// struct Ping {
    ///     time: String,
    /// }
    ///
    /// # let es = web_eventsource::EventSource::new("/sse")?;
    /// let _listener = es.on("ping", |msg| match msg.json::<Ping>() {
    ///     Ok(ping) => web_sys::console::log_1(&format!("ping at {}", ping.time).into()),
    ///     Err(err) => web_sys::console::log_1(&err.to_string().into()),
    /// });
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_str(self.data()).map_err(|err| Error::Decode {
            event_type: self.event_type().to_owned(),
            message: err.to_string(),
        })
    }

    /// The browser's own `MessageEvent`, for anything this type does not cover (`ports`,
    /// `source`, the event's time stamp). `None` on the
    /// [fetch transport](crate::Transport::Fetch), which makes no DOM event.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # let es = web_eventsource::EventSource::new("/sse")?;
    /// let _listener = es.on_message(|msg| {
    ///     if let Some(event) = msg.raw() {
    ///         web_sys::console::log_1(&format!("at {} ms", event.time_stamp()).into());
    ///     }
    /// });
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn raw(&self) -> Option<&web_sys::MessageEvent> {
        match &self.0.body {
            Body::Dom { event, .. } => Some(event),
            Body::Parsed { .. } => None,
        }
    }
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Message")
            .field("event_type", &self.event_type())
            .field("data", &self.data())
            .field("last_event_id", &self.last_event_id())
            .finish()
    }
}
