//! Memory: open / subscribe / drop, many times over; the wasm memory must stay flat.

use futures::StreamExt;
use wasm_bindgen::prelude::*;
use web_eventsource::EventSource;

use crate::object;

pub(crate) fn memory_bytes() -> f64 {
    js_sys::Reflect::get(&wasm_bindgen::memory(), &"buffer".into())
        .and_then(|buffer| js_sys::Reflect::get(&buffer, &"byteLength".into()))
        .ok()
        .and_then(|length| length.as_f64())
        .unwrap_or(f64::NAN)
}

/// One cycle: a source, a callback, a stream and an events stream, all dropped.
fn cycle(url: &str) -> Result<(), JsValue> {
    let es = EventSource::new(url).map_err(|err| JsValue::from_str(&err.to_string()))?;
    let listener = es.on_message(|msg| {
        std::hint::black_box(msg.data().len());
    });
    let mut messages = es.messages();
    let events = es.events();
    // Poll once so the stream's waker machinery is exercised too.
    let _ = futures::FutureExt::now_or_never(messages.next());
    drop((listener, messages, events, es));
    Ok(())
}

/// Runs `warmup` cycles, then `cycles` more; returns the wasm memory before and after
/// the measured cycles, in bytes, and the JS listeners left on any source.
#[wasm_bindgen]
pub fn memory_cycles(url: &str, warmup: u32, cycles: u32) -> Result<JsValue, JsValue> {
    for _ in 0..warmup {
        cycle(url)?;
    }
    let before = memory_bytes();
    let listeners_before = crate::live_total();
    for _ in 0..cycles {
        cycle(url)?;
    }
    let after = memory_bytes();
    Ok(object(&[
        ("before", before),
        ("after", after),
        (
            "js_listeners_left",
            f64::from(crate::live_total()) - f64::from(listeners_before),
        ),
    ]))
}
