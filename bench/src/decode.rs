//! Decode: serde_json on the data copied into wasm (what `Message::json` does) against
//! `JSON.parse` + serde-wasm-bindgen, on a typical 200-byte JSON event.

use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::{now, object};

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

fn via_serde_json(data: &JsValue) -> Option<Quote> {
    serde_json::from_str(&data.as_string()?).ok()
}

fn via_serde_wasm_bindgen(data: &JsValue) -> Option<Quote> {
    let value = js_sys::JSON::parse(&data.as_string()?).ok()?;
    serde_wasm_bindgen::from_value(value).ok()
}

/// Nanoseconds per decode over `n` decodes.
fn per_decode_ns(decode: fn(&JsValue) -> Option<Quote>, data: &JsValue, n: u32) -> f64 {
    let start = now();
    for _ in 0..n {
        std::hint::black_box(decode(std::hint::black_box(data)));
    }
    (now() - start) * 1e6 / f64::from(n)
}

/// One round of `n` decodes each way; returns `{ bytes, serde_json_ns,
/// serde_wasm_bindgen_ns }`.
#[wasm_bindgen]
pub fn decode(n: u32) -> Result<JsValue, JsValue> {
    let data = JsValue::from_str(DATA);
    let expected = via_serde_json(&data);
    if expected.is_none() || expected != via_serde_wasm_bindgen(&data) {
        return Err("the two decoders disagree".into());
    }
    let serde_json_ns = per_decode_ns(via_serde_json, &data, n);
    let swb_ns = per_decode_ns(via_serde_wasm_bindgen, &data, n);
    Ok(object(&[
        ("bytes", DATA.len() as f64),
        ("serde_json_ns", serde_json_ns),
        ("serde_wasm_bindgen_ns", swb_ns),
    ]))
}
