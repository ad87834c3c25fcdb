// The page scripts/bench drives: loads the benchmark wasm, and holds what must be plain
// JS — the EventSource baseline (the fetch one, shared with npm.html, is in
// js-fetch-baseline.js), the parser benchmark's driver and the count of live EventSource
// listeners.
import { install_listener_counter, last_source, live_listeners, live_listeners_total } from "./listener-counter.js";
// Copied from bench/node_modules by scripts/bench (the version bench/package.json pins).
import { createParser } from "./vendor/eventsource-parser/index.js";
import { jsFetchBaseline } from "./js-fetch-baseline.js";

// `?pkg=pkg-o3`: the same crate built at opt-level 3 (scripts/bench builds both).
const pkg = new URLSearchParams(location.search).get("pkg") === "pkg-o3" ? "pkg-o3" : "pkg";
const wasm = await import(`./${pkg}/web_eventsource_bench.js`);
const init = wasm.default;

install_listener_counter();
globalThis.benchLiveListeners = live_listeners;
globalThis.benchLiveTotal = live_listeners_total;
globalThis.benchLastSource = last_source;

// The baseline: a plain `onmessage` that reads each event's data.
function jsBaseline(url, n) {
  return new Promise((resolve, reject) => {
    const es = new EventSource(url);
    let count = 0;
    let bytes = 0;
    let start = 0;
    es.onmessage = (event) => {
      if (count === 0) start = performance.now();
      bytes += event.data.length;
      if (++count === n) {
        const ms = performance.now() - start;
        es.close();
        resolve({ ms, bytes });
      }
    };
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) reject(new Error(`baseline: ${url} failed`));
    };
  });
}


// The parser benchmarks' input. `eventStream(total)`: the events of sse-server's
// /test/stream?size=64 (an id line, 64 bytes of data) up to `total` bytes, whole events
// only. `longLine(bytes)`: one event whose single data line holds `bytes` bytes.
const encoder = new TextEncoder();
function eventStream(total) {
  const parts = [];
  let length = 0;
  for (let id = 1; ; id++) {
    const data = String(id).padEnd(64, "x");
    const event = `id: ${id}\ndata: ${data}\n\n`;
    if (length + event.length > total) break;
    parts.push(event);
    length += event.length;
  }
  return { bytes: encoder.encode(parts.join("")), events: parts.length };
}
function longLine(bytes) {
  return { bytes: encoder.encode(`data: ${"x".repeat(bytes)}\n\n`), events: 1 };
}
// The JS half of the "per_chunk" delivery (bench/src/parser.rs): one string per event,
// sliced from the chunk's text (decoded once by the glue) or, for offsets from EXTRA on,
// from the data that was not a slice of the chunk. V8 makes a slice of a long string
// without copying it, as it does for eventsource-parser's values.
const EXTRA = 2 ** 31;
globalThis.benchTakeChunk = (sink, text, extra, ranges) => {
  for (let i = 0; i < ranges.length; i += 2) {
    const start = ranges[i];
    sink.push(start >= EXTRA ? extra.slice(start - EXTRA, ranges[i + 1] - EXTRA) : text.slice(start, ranges[i + 1]));
  }
};

const inputs = new Map();
// The input named `spec` ("stream:12800000" or "line:8388608"), built once and kept.
function input(spec) {
  if (!inputs.has(spec)) {
    const [kind, size] = spec.split(":");
    inputs.set(spec, kind === "stream" ? eventStream(Number(size)) : longLine(Number(size)));
  }
  return inputs.get(spec);
}
const MAX_EVENT_SIZE = 16 << 20;

// One parser run over the input `spec`, cut into chunks of `chunkSize` bytes, as `kind`:
// - "ours_js": our parser (wasm), each event's data pushed to a JS array as a JS string;
// - "ours_js_per_chunk": the same strings, but the data of each chunk's events crosses
//   into JS as one string, decoded once and sliced here (`benchTakeBatch`);
// - "ours_rust": our parser, each event's data kept in Rust as a String;
// - "eventsource_parser": TextDecoder (stream: true) and eventsource-parser, each
//   event's data pushed to a JS array.
// Returns { ms, events, bytes, first, last }: the timed part is the feeding, from the
// parser's creation to its last event; the checks come after.
function parseRun(kind, spec, chunkSize) {
  const { bytes: buffer, events: expected } = input(spec);
  // Each run starts on a collected heap (where the page exposes `gc`, as scripts/bench's
  // Chromium does), so that it pays for its own garbage and not the last run's: every run
  // leaves 155k strings behind, and when a major collection fell inside the next run the
  // JavaScript parser's time ranged from 95 to 450 ns per event across one page's runs.
  globalThis.gc?.();
  const size = chunkSize;
  let ms;
  let events;
  let bytes;
  let held = [];
  if (kind === "eventsource_parser") {
    const start = performance.now();
    const decoder = new TextDecoder();
    const parser = createParser({ onEvent: (event) => held.push(event.data) });
    for (let at = 0; at < buffer.length; at += size) parser.feed(decoder.decode(buffer.subarray(at, at + size), { stream: true }));
    parser.feed(decoder.decode());
    ms = performance.now() - start;
    events = held.length;
    bytes = held.reduce((sum, data) => sum + data.length, 0);
  } else {
    const start = performance.now();
    const delivery = { ours_rust: "rust", ours_js: "each_event", ours_js_per_chunk: "per_chunk" }[kind];
    if (!delivery) throw new Error(`no parser kind ${kind}`);
    const parser = new wasm.ParserBench(MAX_EVENT_SIZE, delivery, held);
    for (let at = 0; at < buffer.length; at += size) parser.feed(buffer.subarray(at, at + size));
    ms = performance.now() - start;
    events = parser.events();
    bytes = parser.data_bytes();
    parser.free();
    if (kind !== "ours_rust" && held.reduce((sum, data) => sum + data.length, 0) !== bytes) throw new Error(`${kind}: the strings in JS do not add up to the data parsed`);
  }
  if (events !== expected) throw new Error(`${kind}: ${events} events, expected ${expected}`);
  // A digest of the data that reached JS, for the runner to compare across kinds.
  const first = held[0]?.slice(0, 80);
  const last = held.at(-1)?.slice(0, 80);
  held = null;
  return { ms, events, bytes, first, last };
}

// A source that delivers nothing by itself: dispatch benchmarks feed it by hand.
const SILENT = "data:text/event-stream,";

// Dispatch cost: one prepared 64-byte MessageEvent dispatched `n` times on the source
// of `k` handlers of one kind ("js" is k plain JS listeners); returns { ms, handled }
// once every handler has seen every event.
async function dispatchCost(kind, n, k) {
  const event = new MessageEvent("message", { data: "x".repeat(64), lastEventId: "1" });
  let target;
  let handled;
  let bytes;
  let release;
  if (kind === "js") {
    const es = new EventSource(SILENT);
    let count = 0;
    let total = 0;
    // k distinct listeners: the DOM ignores a second add of the same function.
    const listeners = Array.from({ length: k }, () => (e) => {
      total += e.data.length;
      count++;
    });
    for (const listener of listeners) es.addEventListener("message", listener);
    target = es;
    handled = () => count;
    bytes = () => total;
    release = () => {
      es.close();
      for (const listener of listeners) es.removeEventListener("message", listener);
    };
  } else {
    const sub = wasm.subscribe_for_dispatch(kind, SILENT, k);
    target = sub.raw();
    handled = () => sub.count();
    bytes = () => sub.bytes();
    release = () => {
      sub.close();
      sub.free();
    };
  }
  const start = performance.now();
  for (let i = 0; i < n; i++) target.dispatchEvent(event);
  // Stream handlers drain in a task: wait for them (callbacks are done already).
  while (handled() < n * k) await new Promise((resolve) => setTimeout(resolve, 0));
  const ms = performance.now() - start;
  const read = bytes();
  const jsListeners = live_listeners(target, "message");
  release();
  if (read !== n * k * 64) throw new Error(`${kind}: read ${read} bytes, expected ${n * k * 64}`);
  return { ms, handled: n * k, js_listeners: jsListeners };
}

window.bench = { ready: init().then(() => true), wasm, jsBaseline, jsFetchBaseline, dispatchCost, parseRun };
