// The page scripts/bench drives: loads the benchmark wasm, and holds what must be plain
// JS — the baseline handler and the count of live EventSource listeners.
import init, * as wasm from "./pkg/web_eventsource_bench.js";
import { install_listener_counter, last_source, live_listeners, live_listeners_total } from "./listener-counter.js";

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

window.bench = { ready: init().then(() => true), wasm, jsBaseline, dispatchCost };
