//! Benchmark cases run in headless Chromium by `scripts/bench` (`bench/run.mjs` drives
//! `bench/www/index.html`, which calls these exports). Each returns its measurement as a
//! JS object; the runner takes medians and ratios. The plain-JS baseline lives in
//! `bench/www/bench.js`, so that it pays no wasm cost at all.
#![forbid(unsafe_code)]

mod decode;
mod dispatch;
mod fetch_memory;
mod memory;
mod parser;
mod throughput;

pub use decode::decode;
pub use dispatch::{subscribe_for_dispatch, Subscribed};
pub use fetch_memory::{fetch_cycles, wasm_memory_bytes};
pub use memory::memory_cycles;
pub use parser::ParserBench;
pub use throughput::throughput;

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// Live JS listeners of `event_type` on `target` (counted by `bench.js`).
    #[wasm_bindgen(js_name = benchLiveListeners)]
    fn live_listeners(target: &web_sys::EventSource, event_type: &str) -> u32;
    /// Live JS listeners on every `EventSource` of the page.
    #[wasm_bindgen(js_name = benchLiveTotal)]
    fn live_total() -> u32;
}

/// Milliseconds since the page started, with the browser's resolution.
fn now() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or(0.0, |performance| performance.now())
}

/// A JS object from `pairs` of names and numbers, for results.
fn object(pairs: &[(&str, f64)]) -> wasm_bindgen::JsValue {
    let object = js_sys::Object::new();
    for (name, value) in pairs {
        let _ = js_sys::Reflect::set(&object, &(*name).into(), &(*value).into());
    }
    object.into()
}
