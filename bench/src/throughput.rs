//! Throughput: every event of one connection handled by each way of receiving them.
//!
//! Each handler adds up the data's length (so the data really crosses into Rust) and the
//! clock runs from the first event handled to the last: connection set-up, which no
//! handler affects, is left out, the same way for every handler and the JS baseline.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures::channel::oneshot;
use futures::StreamExt;
use wasm_bindgen::prelude::*;
use web_eventsource::{EventSource, Transport};

use crate::{now, object};

/// The JSON events of `/test/stream?format=json`.
#[derive(serde::Deserialize)]
struct Item {
    id: u64,
    text: String,
}

/// Runs one handler (`on_message`, `messages`, `subscribe_json`, `gloo_net`, or
/// `fetch_on_message`: `on_message` on the fetch transport) over the `n` events at `url`;
/// returns `{ ms, bytes }`.
#[wasm_bindgen]
pub async fn throughput(handler: &str, url: &str, n: u32) -> Result<JsValue, JsValue> {
    let (ms, bytes) = match handler {
        "on_message" => on_message(open(url)?, n).await?,
        "fetch_on_message" => on_message(open_fetch(url)?, n).await?,
        "messages" => messages(url, n).await?,
        "subscribe_json" => subscribe_json(url, n).await?,
        "gloo_net" => gloo_net(url, n).await?,
        other => return Err(JsValue::from_str(&format!("no handler {other:?}"))),
    };
    Ok(object(&[("ms", ms), ("bytes", bytes as f64)]))
}

fn open(url: &str) -> Result<EventSource, JsValue> {
    EventSource::new(url).map_err(|err| JsValue::from_str(&err.to_string()))
}

fn open_fetch(url: &str) -> Result<EventSource, JsValue> {
    EventSource::builder(url)
        .transport(Transport::Fetch)
        .open()
        .map_err(|err| JsValue::from_str(&err.to_string()))
}

/// The first event's time and the running totals, shared by the callbacks.
#[derive(Default)]
struct Tally {
    start: Cell<f64>,
    count: Cell<u32>,
    bytes: Cell<usize>,
}

impl Tally {
    /// Counts one event; true once it was the `n`th.
    fn add(&self, len: usize, n: u32) -> bool {
        if self.count.get() == 0 {
            self.start.set(now());
        }
        self.bytes.set(self.bytes.get() + len);
        self.count.set(self.count.get() + 1);
        self.count.get() == n
    }
}

async fn on_message(es: EventSource, n: u32) -> Result<(f64, usize), JsValue> {
    let tally = Rc::new(Tally::default());
    let (done, finished) = oneshot::channel();
    let done = RefCell::new(Some(done));
    let _listener = es.on_message({
        let tally = tally.clone();
        move |msg| {
            if tally.add(msg.data().len(), n) {
                if let Some(done) = done.borrow_mut().take() {
                    let _ = done.send(now());
                }
            }
        }
    });
    let end = finished.await.map_err(|_| "the source ended early")?;
    es.close();
    Ok((end - tally.start.get(), tally.bytes.get()))
}

async fn messages(url: &str, n: u32) -> Result<(f64, usize), JsValue> {
    let es = open(url)?;
    let mut stream = es.messages();
    let tally = Tally::default();
    while let Some(msg) = stream.next().await {
        if tally.add(msg.data().len(), n) {
            let end = now();
            es.close();
            return Ok((end - tally.start.get(), tally.bytes.get()));
        }
    }
    Err("the stream ended early".into())
}

async fn subscribe_json(url: &str, n: u32) -> Result<(f64, usize), JsValue> {
    let es = open(url)?;
    let mut stream = es.subscribe_json::<Item>("message");
    let tally = Tally::default();
    while let Some(item) = stream.next().await {
        let item = item.map_err(|err| JsValue::from_str(&err.to_string()))?;
        if tally.add(item.text.len() + usize::from(item.id > 0), n) {
            let end = now();
            es.close();
            return Ok((end - tally.start.get(), tally.bytes.get()));
        }
    }
    Err("the stream ended early".into())
}

async fn gloo_net(url: &str, n: u32) -> Result<(f64, usize), JsValue> {
    let mut es = gloo_net::eventsource::futures::EventSource::new(url)
        .map_err(|err| JsValue::from_str(&err.to_string()))?;
    let mut stream = es
        .subscribe("message")
        .map_err(|err| JsValue::from_str(&err.to_string()))?;
    let tally = Tally::default();
    while let Some(item) = stream.next().await {
        let (_, event) = item.map_err(|err| JsValue::from_str(&err.to_string()))?;
        let data = event.data().as_string().unwrap_or_default();
        if tally.add(data.len(), n) {
            let end = now();
            es.close();
            return Ok((end - tally.start.get(), tally.bytes.get()));
        }
    }
    Err("the stream ended early".into())
}
