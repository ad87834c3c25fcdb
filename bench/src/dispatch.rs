//! Dispatch cost without the network: the page dispatches one prepared `MessageEvent` N
//! times on the source's `EventSource` object, so the figure is the cost of getting an
//! event from the browser's dispatch into a Rust handler (and out to k subscribers),
//! free of the browser's network and parsing time, which dwarfs it.

use std::cell::Cell;
use std::rc::Rc;

use futures::StreamExt;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_eventsource::{EventSource, Listener};

/// A source with its handlers attached, for the page to dispatch events on.
#[wasm_bindgen]
pub struct Subscribed {
    raw: web_sys::EventSource,
    tally: Rc<Tally>,
    /// Closes the source, which ends its streams and so the tasks draining them.
    close: Option<Box<dyn FnOnce()>>,
}

#[wasm_bindgen]
extern "C" {
    /// The `EventSource` a listener was last added to (recorded by `bench.js`): gloo-net
    /// does not expose the object it listens on.
    #[wasm_bindgen(js_name = benchLastSource)]
    fn last_source() -> web_sys::EventSource;
}

#[derive(Default)]
struct Tally {
    count: Cell<u32>,
    bytes: Cell<usize>,
}

impl Tally {
    fn add(&self, len: usize) {
        self.count.set(self.count.get() + 1);
        self.bytes.set(self.bytes.get() + len);
    }
}

#[wasm_bindgen]
impl Subscribed {
    /// The browser's `EventSource` to dispatch on.
    pub fn raw(&self) -> web_sys::EventSource {
        self.raw.clone()
    }

    /// Events handled so far (by all subscribers together).
    pub fn count(&self) -> u32 {
        self.tally.count.get()
    }

    /// Bytes of data read so far.
    pub fn bytes(&self) -> f64 {
        self.tally.bytes.get() as f64
    }

    /// Closes the source and drops the handlers.
    pub fn close(&mut self) {
        if let Some(close) = self.close.take() {
            close();
        }
    }
}

fn js_error(err: impl std::fmt::Display) -> JsValue {
    JsValue::from_str(&err.to_string())
}

/// Attaches `k` handlers of kind `handler` (`on_message`, `messages`, `gloo_net`,
/// `web_sys`) to a
/// new source at `url` (one that delivers nothing by itself, such as an empty `data:`
/// URL). Stream handlers are drained by a task that runs once the page yields.
#[wasm_bindgen]
pub fn subscribe_for_dispatch(handler: &str, url: &str, k: u32) -> Result<Subscribed, JsValue> {
    let tally = Rc::new(Tally::default());
    let (raw, close) = match handler {
        "on_message" => {
            let es = EventSource::new(url).map_err(js_error)?;
            let listeners: Vec<Listener> = (0..k)
                .map(|_| {
                    let tally = tally.clone();
                    es.on_message(move |msg| tally.add(msg.data().len()))
                })
                .collect();
            let raw = es.raw().expect("a browser source");
            let close = move || {
                es.close();
                drop(listeners);
            };
            (raw, Box::new(close) as Box<dyn FnOnce()>)
        }
        "messages" => {
            let es = EventSource::new(url).map_err(js_error)?;
            for _ in 0..k {
                let mut stream = es.messages();
                let tally = tally.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    while let Some(msg) = stream.next().await {
                        tally.add(msg.data().len());
                    }
                });
            }
            let raw = es.raw().expect("a browser source");
            (raw, Box::new(move || es.close()) as Box<dyn FnOnce()>)
        }
        "gloo_net" => {
            let mut es = gloo_net::eventsource::futures::EventSource::new(url).map_err(js_error)?;
            for _ in 0..k {
                let mut stream = es.subscribe("message").map_err(js_error)?;
                let tally = tally.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    while let Some(Ok((_, event))) = stream.next().await {
                        tally.add(event.data().as_string().unwrap_or_default().len());
                    }
                });
            }
            (
                last_source(),
                Box::new(move || es.close()) as Box<dyn FnOnce()>,
            )
        }
        "web_sys" => {
            // The floor for any Rust handler: a raw closure, data copied into a String.
            let raw = web_sys::EventSource::new(url)?;
            let closures: Vec<Closure<dyn FnMut(web_sys::MessageEvent)>> = (0..k)
                .map(|_| {
                    let tally = tally.clone();
                    let closure = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
                        move |event: web_sys::MessageEvent| {
                            tally.add(event.data().as_string().unwrap_or_default().len());
                        },
                    );
                    let _ = raw.add_event_listener_with_callback(
                        "message",
                        closure.as_ref().unchecked_ref(),
                    );
                    closure
                })
                .collect();
            let source = raw.clone();
            let close = move || {
                for closure in &closures {
                    let _ = source.remove_event_listener_with_callback(
                        "message",
                        closure.as_ref().unchecked_ref(),
                    );
                }
                source.close();
            };
            (raw, Box::new(close) as Box<dyn FnOnce()>)
        }
        other => return Err(JsValue::from_str(&format!("no handler {other:?}"))),
    };
    Ok(Subscribed {
        raw,
        tally,
        close: Some(close),
    })
}
