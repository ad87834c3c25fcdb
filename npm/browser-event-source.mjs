// Makes the native transport construct the browser's `EventSource` even where a page has
// made the package's class the global one, as a polyfill is installed
// (`globalThis.EventSource = EventSource`, a subclass, a `Proxy` of it or a function that
// constructs it). The glue constructs the browser's object with a bare
// `new EventSource(...)`, which then constructed the package's class again, and that its
// own, without end: the wasm side ran out of stack and its memory was left corrupt
// ("memory access out of bounds").
//
// This rewrites that one line to call a function that takes the global `EventSource` of
// the moment (a page's own wrapper or mock of the browser's still works) unless that is
// the package's class (itself, a subclass, or anything whose `prototype` is the class's);
// then it takes the one the global was when the glue loaded, before the page could have
// replaced it. A global that is none of these but still calls back into the class (a
// function that constructs it) is refused with a `TypeError` at its first call back,
// rather than recursing. scripts/npm-pack runs it on each build it makes.
//
//   node npm/browser-event-source.mjs DIR...   (wasm-pack output directories)
//
// The line must be found exactly once per directory (rewrite-glue.mjs), or nothing is
// written and the script fails, so that a change in wasm-bindgen's output shows here
// rather than as a package that recurses.
import { rewriteGlue } from "./rewrite-glue.mjs";

// The import that constructs the browser's object, and the class wasm-bindgen exports as
// `EventSource` (`EventSource2`: the glue also names the browser's own).
const CONSTRUCTS = /^(\s*const ret = )new EventSource\(/gm;
const CLASS = /^class (EventSource\d+) \{$/m;

rewriteGlue("browser-event-source", "lines that construct the browser's EventSource", (source, path) => {
  const found = source.match(CONSTRUCTS) ?? [];
  if (found.length === 0) return null;
  const cls = source.match(CLASS)?.[1];
  if (!cls) {
    console.error(`browser-event-source: ${path}: constructs EventSource, but declares no EventSource class`);
    process.exit(1);
  }
  const helper = `const browserEventSourceAtLoad = globalThis.EventSource;
let constructingBrowserEventSource = false;
function newBrowserEventSource(url, init) {
    const global = EventSource;
    if (global === ${cls} || global.prototype === ${cls}.prototype || global.prototype instanceof ${cls}) {
        return new browserEventSourceAtLoad(url, init);
    }
    if (constructingBrowserEventSource) {
        throw new TypeError("web-eventsource: the global EventSource constructs this package's EventSource, and its native transport needs the browser's own");
    }
    constructingBrowserEventSource = true;
    try {
        return new global(url, init);
    } finally {
        constructingBrowserEventSource = false;
    }
}
`;
  const text = source
    .replace(CLASS, (line) => `${helper}${line}`)
    .replace(CONSTRUCTS, (_, start) => `${start}newBrowserEventSource(`);
  return { text, count: found.length };
});
