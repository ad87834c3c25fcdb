// Makes `new EventSource(...)` on the `web` build, before `init()` has loaded the wasm,
// throw an error that says to call `init()` first. The glue reads the wasm exports from a
// `wasm` binding that `init()` sets, and threw "Cannot read properties of undefined
// (reading 'eventsource_new')". (The `bundler` build sets it as the module loads: there
// the check never fires.) scripts/npm-pack runs it on each build it makes.
//
//   node npm/init-first.mjs DIR...   (wasm-pack output directories)
//
// The line must be found exactly once per directory (rewrite-glue.mjs), or nothing is
// written and the script fails, so that a change in wasm-bindgen's output shows here.
import { rewriteMatches } from "./rewrite-glue.mjs";

// The constructor's call into wasm.
const CONSTRUCTS = /^(\s*)const ret = wasm\.eventsource_new\(/gm;

rewriteMatches(
  "init-first",
  "calls of the constructor's export",
  CONSTRUCTS,
  (line, indent) =>
    `${indent}if (wasm === undefined) throw new Error("web-eventsource: call init() (the module's default export) and await it before new EventSource()");\n${line}`,
);
