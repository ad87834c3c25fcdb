// Exports the package's two error classes, `EventSourceError` (what `on("error", …)`
// receives) and `DecodeError` (what `Message.json()` throws), next to `EventSource`, so
// that code can test `error instanceof EventSourceError` as it would with its own classes.
// They are JavaScript snippets the wasm side constructs; wasm-bindgen exports only what
// Rust defines, so this adds the two exports to each build's entry, `web_eventsource.js`,
// from the snippets' directory. scripts/npm-pack runs it on each build it makes.
//
//   node npm/export-errors.mjs DIR...   (wasm-pack output directories)
//
// Each directory must have exactly one entry that exports `EventSource`, and the two
// classes must be in its snippets (rewrite-glue.mjs); otherwise nothing is written and the
// script fails, so that a change in wasm-bindgen's output shows here rather than as a
// package without the exports.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { rewriteGlue } from "./rewrite-glue.mjs";

// What the entry exports the class as: `EventSource2 as EventSource` (web) or
// `EventSource` from the `_bg.js` (bundler).
const EXPORTS_EVENT_SOURCE = /^export \{[^}]*\bEventSource\b[^}]*\}/m;
const CLASSES = [
  ["EventSourceError", "connection-error.js"],
  ["DecodeError", "message.js"],
];

/** The snippet module of `dir` that defines `name` in `file`, as the entry imports it. */
function snippet(dir, name, file) {
  const snippets = join(dir, "snippets");
  const found = (existsSync(snippets) ? readdirSync(snippets) : [])
    .map((crate) => `snippets/${crate}/js/${file}`)
    .filter((path) => existsSync(join(dir, path)));
  if (found.length !== 1 || !readFileSync(join(dir, found[0]), "utf8").includes(`export class ${name} `)) {
    console.error(`export-errors: ${dir}: ${found.length} snippets named ${file}, expected 1 defining ${name}`);
    process.exit(1);
  }
  return `./${found[0]}`;
}

rewriteGlue("export-errors", "entries that export EventSource", (source, path) => {
  if (basename(path) !== "web_eventsource.js" || !EXPORTS_EVENT_SOURCE.test(source)) return null;
  const dir = dirname(path);
  const exports = CLASSES.map(([name, file]) => `export { ${name} } from "${snippet(dir, name, file)}";\n`);
  return { text: `${source.trimEnd()}\n${exports.join("")}`, count: 1 };
});
