//! Fan-out: one event type, `k` Rust subscribers, one JS listener.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures::channel::oneshot;
use wasm_bindgen::prelude::*;
use web_eventsource::EventSource;

use crate::{now, object};

/// `k` `on_message` callbacks over the `n` events at `url`; returns `{ ms, js_listeners }`:
/// the time from the first event to the last subscriber's call for the last event, and
/// how many JS `message` listeners the source had meanwhile.
#[wasm_bindgen]
pub async fn fanout(url: &str, n: u32, k: u32) -> Result<JsValue, JsValue> {
    let es = EventSource::new(url).map_err(|err| JsValue::from_str(&err.to_string()))?;
    let start = Rc::new(Cell::new(0.0));
    let (done, finished) = oneshot::channel();
    let done = Rc::new(RefCell::new(Some(done)));
    let listeners: Vec<_> = (0..k)
        .map(|i| {
            let (start, done) = (start.clone(), done.clone());
            let mut count = 0;
            let last = i + 1 == k;
            es.on_message(move |msg| {
                count += 1;
                std::hint::black_box(msg.data().len());
                if count == 1 && i == 0 {
                    start.set(now());
                }
                if last && count == n {
                    if let Some(done) = done.borrow_mut().take() {
                        let _ = done.send(now());
                    }
                }
            })
        })
        .collect();
    let js_listeners = crate::live_listeners(&es.raw(), "message");
    let end = finished.await.map_err(|_| "the source ended early")?;
    drop(listeners);
    es.close();
    Ok(object(&[
        ("ms", end - start.get()),
        ("js_listeners", f64::from(js_listeners)),
    ]))
}
