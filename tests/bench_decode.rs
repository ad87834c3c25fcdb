#![cfg(target_arch = "wasm32")]
//! Decode benchmark (not a pass/fail test): serde_json on the data copied into wasm, as
//! `Message::json` does, against `JSON.parse` + serde-wasm-bindgen, on a typical
//! 200-byte JSON event. Run it in release with the figures printed:
//!
//! ```text
//! wasm-pack test --release --headless --chrome -- --test bench_decode -- --nocapture
//! ```

use serde::Deserialize;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Debug, PartialEq, Deserialize)]
struct Quote {
    id: u64,
    symbol: String,
    price: f64,
    volume: u64,
    time: String,
    venue: String,
    tags: Vec<String>,
    halted: bool,
}

const DATA: &str = r#"{"id":1234567,"symbol":"ACME","price":123.4567,"volume":98000,"time":"2026-11-21T12:00:00.123Z","venue":"XNAS","tags":["tech","large-cap","nasdaq-100"],"halted":false,"note":"a typical event payload"}"#;

fn now() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

fn via_serde_json(data: &JsValue) -> Quote {
    serde_json::from_str(&data.as_string().unwrap()).unwrap()
}

fn via_serde_wasm_bindgen(data: &JsValue) -> Quote {
    let value = js_sys::JSON::parse(&data.as_string().unwrap_or_default()).unwrap();
    serde_wasm_bindgen::from_value(value).unwrap()
}

/// Median nanoseconds per decode over `rounds` rounds of `n` decodes.
fn median_ns(decode: fn(&JsValue) -> Quote, data: &JsValue, n: u32, rounds: usize) -> f64 {
    let mut per_round: Vec<f64> = (0..rounds)
        .map(|_| {
            let start = now();
            for _ in 0..n {
                std::hint::black_box(decode(std::hint::black_box(data)));
            }
            (now() - start) * 1e6 / f64::from(n)
        })
        .collect();
    per_round.sort_by(f64::total_cmp);
    per_round[rounds / 2]
}

#[wasm_bindgen_test]
fn decode_serde_json_vs_serde_wasm_bindgen() {
    assert_eq!(DATA.len(), 200);
    let data = JsValue::from_str(DATA);
    assert_eq!(via_serde_json(&data), via_serde_wasm_bindgen(&data));
    // Warm up both paths before timing.
    median_ns(via_serde_json, &data, 2_000, 1);
    median_ns(via_serde_wasm_bindgen, &data, 2_000, 1);
    let json = median_ns(via_serde_json, &data, 20_000, 7);
    let swb = median_ns(via_serde_wasm_bindgen, &data, 20_000, 7);
    web_sys::console::log_1(
        &format!(
            "decode {} bytes: serde_json {json:.0} ns, JSON.parse+serde-wasm-bindgen {swb:.0} ns, ratio {:.2}x",
            DATA.len(),
            swb / json
        )
        .into(),
    );
}
