// The page scripts/bench drives: loads the benchmark wasm, and holds what must be plain
// JS — the baseline handler and the count of live EventSource listeners.
import init, * as wasm from "./pkg/web_eventsource_bench.js";

// Every listener added to an EventSource and not yet removed.
const live = [];
const proto = EventTarget.prototype;
const add = proto.addEventListener;
const remove = proto.removeEventListener;
const find = (t, type, fn) => live.findIndex((l) => l.t === t && l.type === type && l.fn === fn);
let lastSource = null;
proto.addEventListener = function (type, fn, options) {
  if (this instanceof EventSource) lastSource = this;
  if (this instanceof EventSource && fn && find(this, type, fn) < 0) live.push({ t: this, type, fn });
  return add.call(this, type, fn, options);
};
proto.removeEventListener = function (type, fn, options) {
  if (this instanceof EventSource) {
    const i = find(this, type, fn);
    if (i >= 0) live.splice(i, 1);
  }
  return remove.call(this, type, fn, options);
};
globalThis.benchLiveListeners = (target, type) => live.filter((l) => l.t === target && l.type === type).length;
globalThis.benchLiveTotal = () => live.length;
globalThis.benchLastSource = () => lastSource;

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
    for (let i = 0; i < k; i++) {
      es.addEventListener("message", (e) => {
        total += e.data.length;
        count++;
      });
    }
    target = es;
    handled = () => count;
    bytes = () => total;
    release = () => {
      es.close();
      for (const l of live.filter((l) => l.t === es)) es.removeEventListener(l.type, l.fn);
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
  const jsListeners = live.filter((l) => l.t === target && l.type === "message").length;
  release();
  if (read !== n * k * 64) throw new Error(`${kind}: read ${read} bytes, expected ${n * k * 64}`);
  return { ms, handled: n * k, js_listeners: jsListeners };
}

window.bench = { ready: init().then(() => true), wasm, jsBaseline, dispatchCost };
