// Runs every benchmark case in headless Chromium against the sse-server scripts/bench
// started (BENCH_URL), prints a table, and writes target/bench.json and BENCHMARKS.md.
// Each figure is the median of BENCH_RUNS runs (default 5); each ratio is taken within
// one run (handler and baseline measured back to back) and then the median is reported.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { launchChromium } from "../e2e/lib/browser.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const base = process.env.BENCH_URL;
if (!base) throw new Error("BENCH_URL is not set: run scripts/bench");
const RUNS = Math.max(5, Number(process.env.BENCH_RUNS ?? 5));
const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const DISPATCHES = Number(process.env.BENCH_DISPATCHES ?? 100_000);
const CYCLES = 10_000;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const fixed = (x, digits = 2) => Number(x).toFixed(digits);

const browser = await launchChromium(chromium);
const page = await browser.newPage();
page.on("pageerror", (error) => console.error("page error:", error));
await page.goto(`${base}/`);
await page.evaluate(() => window.bench.ready);
const call = (fn, ...args) => page.evaluate(([fn, args]) => {
  const [scope, name] = fn.split(".");
  const target = scope === "wasm" ? window.bench.wasm : window.bench;
  return target[name](...args);
}, [fn, args]);

// Throughput: 100,000 events of 64 bytes.
const textUrl = `/test/stream?count=${EVENTS}&size=64&batch=1000`;
const jsonUrl = `/test/stream?count=${EVENTS}&size=64&format=json&batch=1000`;
const handlers = [
  { name: "on_message", label: "`on_message` callback", url: textUrl },
  { name: "messages", label: "`messages()` stream", url: textUrl },
  { name: "subscribe_json", label: "`subscribe_json::<T>()` (64-byte JSON)", url: jsonUrl },
  { name: "gloo_net", label: "gloo-net `EventSource::subscribe`", url: textUrl },
];
const throughput = { js: [] };
const ratios = {};
for (const h of handlers) { throughput[h.name] = []; ratios[h.name] = []; }
const baselineRun = async () => {
  const baseline = await call("bench.jsBaseline", textUrl, EVENTS);
  if (baseline.bytes !== EVENTS * 64) throw new Error(`baseline read ${baseline.bytes} bytes`);
  return baseline.ms;
};
// Warm up the server, the browser's network stack and the JIT; discarded.
await baselineRun();
await call("wasm.throughput", "on_message", textUrl, EVENTS);
for (let run = 0; run < RUNS; run++) {
  // Rotate the order so no handler always runs first (or last) in a run, and put a
  // baseline before and after each handler: its ratio is to the mean of the two, which
  // cancels drift in the machine's speed.
  const order = handlers.map((_, i) => handlers[(i + run) % handlers.length]);
  let before = await baselineRun();
  for (const h of order) {
    const result = await call("wasm.throughput", h.name, h.url, EVENTS);
    const after = await baselineRun();
    throughput.js.push(before);
    throughput[h.name].push(result.ms);
    ratios[h.name].push(result.ms / ((before + after) / 2));
    before = after;
  }
  process.stderr.write(`throughput run ${run + 1}/${RUNS} done\n`);
}

// Dispatch cost, without the network: the same prepared event dispatched DISPATCHES times.
const dispatchKinds = [
  { name: "js", label: "plain JS listener (baseline)" },
  { name: "on_message", label: "`on_message` callback" },
  { name: "messages", label: "`messages()` stream" },
  { name: "gloo_net", label: "gloo-net `EventSource::subscribe`" },
  { name: "web_sys", label: "raw web-sys `Closure` (the floor for Rust)" },
];
const dispatch = {};
const dispatchRatios = {};
for (const kind of dispatchKinds) { dispatch[kind.name] = []; dispatchRatios[kind.name] = []; }
// Dispatch runs are cheap: take more of them for steadier medians.
const DISPATCH_RUNS = Math.max(RUNS, 11);
for (const kind of dispatchKinds) await call("bench.dispatchCost", kind.name, 10_000, 1); // warm up
for (let run = 0; run < DISPATCH_RUNS; run++) {
  const order = dispatchKinds.map((_, i) => dispatchKinds[(i + run) % dispatchKinds.length]);
  let before = (await call("bench.dispatchCost", "js", DISPATCHES, 1)).ms;
  for (const kind of order) {
    const ms = (await call("bench.dispatchCost", kind.name, DISPATCHES, 1)).ms;
    const after = (await call("bench.dispatchCost", "js", DISPATCHES, 1)).ms;
    dispatch[kind.name].push((ms * 1e6) / DISPATCHES);
    dispatchRatios[kind.name].push(ms / ((before + after) / 2));
    before = after;
  }
}

// Paired comparisons: a handler against gloo-net within the same round, so that drift in
// the machine's speed between rounds cancels out.
const pairedToGloo = (perRun, name) => median(perRun[name].map((ms, run) => ms / perRun.gloo_net[run]));
const spreadToGloo = (perRun, name) => {
  const r = perRun[name].map((ms, run) => ms / perRun.gloo_net[run]);
  return `${fixed(Math.min(...r))}–${fixed(Math.max(...r))}`;
};

// Fan-out: 1, 10 and 100 subscribers of one event type (dispatched, as above), against
// as many plain JS listeners.
const fanout = {};
for (const k of [1, 10, 100]) {
  const n = Math.round(DISPATCHES / k);
  const ours = [];
  const js = [];
  let listeners = 0;
  for (let run = 0; run < RUNS; run++) {
    const r = await call("bench.dispatchCost", "on_message", n, k);
    ours.push((r.ms * 1e6) / n);
    listeners = Math.max(listeners, r.js_listeners);
    js.push(((await call("bench.dispatchCost", "js", n, k)).ms * 1e6) / n);
  }
  fanout[k] = { ns_per_event: median(ours), js_ns_per_event: median(js), js_listeners: listeners };
}
const marginal = (k) => (fanout[k].ns_per_event - fanout[1].ns_per_event) / (k - 1);

// Memory: open / subscribe / drop cycles over a data: URL (no network).
const memory = await call("wasm.memory_cycles", "data:text/event-stream,data%3A%20x%0A%0A", 1_000, CYCLES);

// Decode: a 200-byte JSON event, both ways.
const decodeRuns = [];
await call("wasm.decode", 2_000); // warm up
for (let run = 0; run < RUNS; run++) decodeRuns.push(await call("wasm.decode", 20_000));
const decode = {
  bytes: decodeRuns[0].bytes,
  serde_json_ns: median(decodeRuns.map((r) => r.serde_json_ns)),
  serde_wasm_bindgen_ns: median(decodeRuns.map((r) => r.serde_wasm_bindgen_ns)),
  ratio: median(decodeRuns.map((r) => r.serde_wasm_bindgen_ns / r.serde_json_ns)),
};

const chromiumVersion = browser.version();
await browser.close();

const size = JSON.parse(readFileSync(join(root, "target/bench-size.json"), "utf8"));
// The npm package's size (scripts/lib/bench_npm.sh), when it was measured.
const npmSizeFile = join(root, "target/bench-npm-size.json");
const npmSize = existsSync(npmSizeFile) ? JSON.parse(readFileSync(npmSizeFile, "utf8")) : null;
const NPM_TARGET_BYTES = 15_000;
const version = (cmd, args) => { try { return execFileSync(cmd, args, { encoding: "utf8" }).trim(); } catch { return "unknown"; } };
const machine = {
  cpu: os.cpus()[0]?.model ?? "unknown",
  cores: os.cpus().length,
  memory_gib: Math.round(os.totalmem() / 2 ** 30),
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  chromium: chromiumVersion,
  rustc: version("rustc", ["--version"]),
  wasm_bindgen: version("wasm-bindgen", ["--version"]),
  node: process.version,
  date: new Date().toISOString(),
};

const med = (name) => median(throughput[name]);
const dmed = (name) => median(dispatch[name]);
const ratio = (name) => median(ratios[name]);
const targets = [
  { what: "`on_message` within 1.10× of the JS baseline", ok: ratio("on_message") <= 1.10, figure: `${fixed(ratio("on_message"))}×` },
  { what: "`messages()` within 1.25× of the JS baseline", ok: ratio("messages") <= 1.25, figure: `${fixed(ratio("messages"))}×` },
  ...["on_message", "messages"].map((name) => ({
    what: `\`${name === "on_message" ? "on_message" : "messages()"}\` faster than gloo-net`,
    // Judged end to end, as the throughput case defines it; the dispatch figure is context
    // (its synchronous burst favours stream handlers, gloo-net's among them).
    ok: pairedToGloo(throughput, name) < 1,
    // Said in the table rather than hidden in the figure: a target met end to end while
    // the per-dispatch figure says slower, or missed end to end while it says faster.
    disagrees: (pairedToGloo(throughput, name) < 1) !== (pairedToGloo(dispatch, name) < 1),
    figure: `${fixed(pairedToGloo(throughput, name))}× gloo-net's time end to end (rounds ${spreadToGloo(throughput, name)}); ${fixed(pairedToGloo(dispatch, name))}× per dispatch (rounds ${spreadToGloo(dispatch, name)})`,
  })),
  { what: "one JS listener however many subscribers", ok: [1, 10, 100].every((k) => fanout[k].js_listeners === 1), figure: [1, 10, 100].map((k) => fanout[k].js_listeners).join(" / ") },
  { what: "fan-out cost grows no worse than linearly", ok: fanout[10].ns_per_event <= 10 * fanout[1].ns_per_event && fanout[100].ns_per_event <= 10 * fanout[10].ns_per_event, figure: [1, 10, 100].map((k) => `${fixed(fanout[k].ns_per_event, 0)}`).join(" → ") + " ns per event" },
  { what: "gzipped wasm no larger than gloo-net's", ok: size.web_eventsource.gzip <= size.gloo_net.gzip, figure: `${size.web_eventsource.gzip} B vs ${size.gloo_net.gzip} B` },
  ...(npmSize ? [{ what: "npm package (wasm + JS glue) at most 15 KB gzipped", ok: npmSize.web_eventsource.gzip <= NPM_TARGET_BYTES, figure: `${npmSize.web_eventsource.gzip} B` }] : []),
  { what: `${CYCLES.toLocaleString("en")} open/subscribe/drop cycles grow wasm memory ≤ 64 KiB`, ok: memory.after - memory.before <= 65536, figure: `${memory.after - memory.before} B` },
  { what: "no JS listener left after the cycles", ok: memory.js_listeners_left === 0, figure: `${memory.js_listeners_left}` },
];

const results = { machine, runs: RUNS, events: EVENTS, event_bytes: 64, throughput, ratios, dispatch, dispatch_ratios: dispatchRatios, fanout, memory, decode, size, npm_size: npmSize, targets };
mkdirSync(join(root, "target"), { recursive: true });
writeFileSync(join(root, "target/bench.json"), JSON.stringify(results, null, 2) + "\n");

/** The npm package's size next to two JavaScript EventSource packages. */
function npmSizeSection(npm) {
  const ours = npm.web_eventsource;
  return [
    "## Size: the npm package next to JavaScript EventSource packages",
    "",
    "What an app ships, bundled for the browser and minified with esbuild, then gzip -9. Ours is the package's `web` build from `scripts/npm-pack` (release, wasm-opt -Oz): its .wasm plus its JavaScript (glue and snippets). The others are pure JavaScript from the registry.",
    "",
    rows("| package | what | bytes | gzipped bytes |", [
      `| web-eventsource ${ours.version} | .wasm | ${ours.wasm.raw} | ${ours.wasm.gzip} |`,
      `| web-eventsource ${ours.version} | JavaScript, minified | ${ours.js.raw} | ${ours.js.gzip} |`,
      `| web-eventsource ${ours.version} | **total** | ${ours.wasm.raw + ours.js.raw} | **${ours.gzip}** |`,
      `| reconnecting-eventsource ${npm.reconnecting_eventsource.version} | JavaScript, minified | ${npm.reconnecting_eventsource.raw} | ${npm.reconnecting_eventsource.gzip} |`,
      `| eventsource ${npm.eventsource.version} | JavaScript, minified | ${npm.eventsource.raw} | ${npm.eventsource.gzip} |`,
    ]),
    "",
    `The target is at most ${NPM_TARGET_BYTES.toLocaleString("en")} gzipped bytes. What the wasm holds: the whole core (the connection and its fan-out, the reconnect policy with its timers, status probe and resume URL, the page-visibility pause), wasm-bindgen's glue for each export and closure type, the allocator, and what the standard library keeps for panics. A build with the browser's behaviour only (no policy, no pause) is still above the target; the README's npm section gives the breakdown and what was cut to get here.`,
    "",
  ];
}

const rows = (header, lines) => [header, header.replace(/[^|]/g, "-").replace(/--+/g, " --- "), ...lines].join("\n");
const table = [
  `## Throughput: ${EVENTS.toLocaleString("en")} events of 64 bytes, one connection`,
  "",
  "From the first event handled to the last; each handler reads every event's data. Median of " + RUNS + " runs after a warm-up; the ratio is to the mean of the JS baseline runs just before and after it.",
  "",
  rows("| handler | median ms | ns per event | ratio to JS |", [
    `| plain JS \`onmessage\` (baseline) | ${fixed(med("js"), 1)} | ${fixed((med("js") * 1e6) / EVENTS, 0)} | 1.00 |`,
    ...handlers.map((h) => `| ${h.label} | ${fixed(med(h.name), 1)} | ${fixed((med(h.name) * 1e6) / EVENTS, 0)} | ${fixed(ratio(h.name))} |`),
  ]),
  "",
  "End to end, Chromium's own cost per event (network, parsing, building and dispatching the `MessageEvent`) is tens of microseconds on this machine and hides the handlers' differences within run-to-run noise. The dispatch benchmark below isolates them.",
  "",
  `## Dispatch cost: one 64-byte event dispatched ${DISPATCHES.toLocaleString("en")} times, no network`,
  "",
  "The page dispatches one prepared `MessageEvent` on the source's `EventSource` object; each handler reads the data. Median of " + DISPATCH_RUNS + " runs; the ratio is to the mean of the JS listener runs just before and after it. The stream handlers (`messages()`, gloo-net) drain the whole burst in one task after the loop, which favours them here; from the network, each event arrives in a task of its own.",
  "",
  rows("| handler | ns per event | ratio to JS |", dispatchKinds.map((kind) => `| ${kind.label} | ${fixed(dmed(kind.name), 0)} | ${fixed(median(dispatchRatios[kind.name]))} |`)),
  "",
  "## Fan-out: k subscribers of one event type (dispatched as above)",
  "",
  rows("| subscribers | ns per event, k `on_message` callbacks | JS listeners on the source | ns per event, k plain JS listeners |", [1, 10, 100].map((k) => `| ${k} | ${fixed(fanout[k].ns_per_event, 0)} | ${fanout[k].js_listeners} | ${fixed(fanout[k].js_ns_per_event, 0)} |`)),
  "",
  `Each extra subscriber costs ${fixed(marginal(10), 0)} ns per event from 1 to 10 subscribers and ${fixed(marginal(100), 0)} ns from 1 to 100: linear, as one JS listener fans out in Rust.`,
  "",
  "## Size: a minimal app that logs each message (release, wasm-opt -Oz)",
  "",
  "Each app (`bench/examples/`) keeps its subscription for the page's life the cheapest way its API allows: web-eventsource's `Listener` is forgotten, gloo-net's stream is moved into a spawned task, raw web-sys's closure is leaked. Holding the `Listener` in a `thread_local!` instead adds about 570 gzipped bytes of thread-local machinery.",
  "",
  rows("| built on | .wasm bytes | gzipped bytes |", [
    `| web-eventsource | ${size.web_eventsource.raw} | ${size.web_eventsource.gzip} |`,
    `| gloo-net | ${size.gloo_net.raw} | ${size.gloo_net.gzip} |`,
    `| raw web-sys (closure leaked) | ${size.web_sys.raw} | ${size.web_sys.gzip} |`,
  ]),
  "",
  ...(npmSize ? npmSizeSection(npmSize) : []),
  `## Memory: ${CYCLES.toLocaleString("en")} open / subscribe / drop cycles`,
  "",
  `Wasm memory ${memory.before} → ${memory.after} bytes (after 1,000 warm-up cycles); JS listeners left: ${memory.js_listeners_left}.`,
  "",
  `## Decode: one ${decode.bytes}-byte JSON event`,
  "",
  rows("| decoder | median ns per event |", [
    `| serde_json on the data copied into wasm (what \`Message::json\` uses) | ${fixed(decode.serde_json_ns, 0)} |`,
    `| \`JSON.parse\` + serde-wasm-bindgen | ${fixed(decode.serde_wasm_bindgen_ns, 0)} |`,
  ]),
  "",
  `serde_json is ${fixed(decode.ratio)}× faster (median of the per-run ratios).`,
  "",
  "## Targets",
  "",
  rows("| target | figure | met |", targets.map((t) => `| ${t.what} | ${t.figure} | ${t.ok ? "yes" : "**no**"}${t.disagrees ? " (the per-dispatch figure disagrees)" : ""} |`)),
].join("\n");

const markdown = [
  "# Benchmarks",
  "",
  "Written by `scripts/bench` (see the README); figures from one run on the machine below. Rerun it to measure yours.",
  "",
  `- machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory_gib} GiB, ${machine.os}`,
  `- browser: headless Chromium ${machine.chromium}`,
  `- toolchain: ${machine.rustc}; ${machine.wasm_bindgen}; node ${machine.node}`,
  `- date: ${machine.date}`,
  "",
  table,
  "",
].join("\n");
writeFileSync(join(root, "BENCHMARKS.md"), markdown);
console.log(table);
const missed = targets.filter((t) => !t.ok);
console.log(missed.length ? `\n${missed.length} target(s) missed` : "\nevery target met");
