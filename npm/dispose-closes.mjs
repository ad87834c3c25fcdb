// Makes `using` close the source. wasm-bindgen sets each exported class's
// `[Symbol.dispose]` to its `free()`, which drops the wasm side's handle but leaves an open
// source running (its listeners keep it, as the browser's EventSource keeps running with
// no reference to it): after `using source = new EventSource(url)` the block would end
// with a source still delivering, and no object left to close it with. This rewrites that
// one line of the glue so that disposing closes; disposing twice, or after `free()`, does
// nothing. It does not free: the wasm side goes when the object is collected (the glue's
// FinalizationRegistry), as any closed source's does. A freed object throws wasm-bindgen's
// "null pointer passed to rust" from every member, so a timer that still held the source
// would throw where a closed one reads `"closed"`; and freeing from a listener that
// `close()` runs throws, as `close()` still holds the object.
// scripts/npm-pack runs it on each build it makes.
//
// On the same line, `free()` closes an open source before it frees: freed open, a source
// would run on (its listeners keep it) with no object left to close it with, and
// `return () => source.free()` is the cleanup wasm-bindgen's users write (a React effect's,
// say).
//
// On the same line, `CONNECTING`, `OPEN` and `CLOSED` (0, 1, 2) are plain values on the
// class and on its prototype, as on the browser's: getters into wasm would throw when read
// from the prototype (a feature check) or from a freed object.
//
// On the same line it names the class as it is exported. wasm-bindgen calls it
// `EventSource2`, because the glue also uses the browser's own `EventSource`: code ported
// from the browser's object that reads `EventSource.name` or `constructor.name` would see
// `EventSource2`. (The engine's own record of the class's name, which a console may show,
// stays: renaming the class would take rewriting the glue's uses of the browser's.)
//
// wasm-bindgen installs the method only where the engine has `Symbol.dispose`. Where it
// has not (Safari before it shipped the proposal, say), compiled `using` looks for
// `Symbol.for("Symbol.dispose")` instead (esbuild's and Babel's helpers: what Vite and
// most bundlers emit), so the method goes there.
//
//   node npm/dispose-closes.mjs DIR...   (wasm-pack output directories)
//
// The line must be found exactly once per directory (rewrite-glue.mjs), or nothing is
// written and the script fails, so that a change in wasm-bindgen's output shows here
// rather than in a package whose `using` frees without closing.
import { rewriteMatches } from "./rewrite-glue.mjs";

// `EventSource2`: wasm-bindgen's name for the class it exports as `EventSource`.
const FREES_ON_DISPOSE = /^if \(Symbol\.dispose\) (EventSource\d*)\.prototype\[Symbol\.dispose\] = \1\.prototype\.free;$/gm;

rewriteMatches(
  "dispose-closes",
  "lines that set EventSource's [Symbol.dispose] to free()",
  FREES_ON_DISPOSE,
  (_, cls) =>
    `${cls}.prototype[Symbol.dispose ?? Symbol.for("Symbol.dispose")] = function () { if (this.__wbg_ptr) this.close(); };` +
    ` Object.defineProperty(${cls}, "name", { value: "EventSource" });` +
    ` { const free = ${cls}.prototype.free; ${cls}.prototype.free = function () { if (this.__wbg_ptr) this.close(); free.call(this); }; }` +
    ` for (const [name, value] of [["CONNECTING", 0], ["OPEN", 1], ["CLOSED", 2]]) { Object.defineProperty(${cls}, name, { value, enumerable: true }); Object.defineProperty(${cls}.prototype, name, { value, enumerable: true }); }`,
);
