//! Memory on the fetch transport: open, receive one event, close, many times over. Each
//! cycle leaves a request aborted mid-body, a pending read rejected and the callbacks of
//! both promises to be freed: the paths where a fetch transport would leak.
//!
//! The page measures around [`fetch_cycles`] (the wasm memory with [`wasm_memory_bytes`],
//! the JS heap through the DevTools protocol after a forced collection), so that both
//! are read the same way before and after, with nothing of the cycles still on the stack.

use std::cell::RefCell;

use futures::channel::oneshot;
use wasm_bindgen::prelude::*;
use web_eventsource::{EventSource, Transport};

/// The wasm memory's size in bytes.
#[wasm_bindgen]
pub fn wasm_memory_bytes() -> f64 {
    crate::memory::memory_bytes()
}

/// One cycle: a fetch source with an `on_message` callback, open until its first event,
/// then closed and dropped.
async fn cycle(url: &str) -> Result<(), JsValue> {
    let es = EventSource::builder(url)
        .transport(Transport::Fetch)
        .open()
        .map_err(|err| JsValue::from_str(&err.to_string()))?;
    let (got, received) = oneshot::channel();
    let got = RefCell::new(Some(got));
    let listener = es.on_message(move |msg| {
        if let Some(got) = got.borrow_mut().take() {
            let _ = got.send(msg.data().len());
        }
    });
    received
        .await
        .map_err(|_| "the source ended before its first event")?;
    es.close();
    drop((listener, es));
    Ok(())
}

/// Runs `cycles` cycles against `url`, one after the other.
///
/// # Errors
///
/// When a source cannot be opened or ends before its first event.
#[wasm_bindgen]
pub async fn fetch_cycles(url: String, cycles: u32) -> Result<(), JsValue> {
    for _ in 0..cycles {
        cycle(&url).await?;
    }
    Ok(())
}
