// The frame of the scripts that rewrite wasm-pack's JavaScript glue
// (dispose-closes.mjs, browser-event-source.mjs, init-first.mjs): each rewrites one line of a build
// directory's .js files, and the line must be found exactly once per directory, or
// nothing is written and the script fails, so that a change in wasm-bindgen's output
// shows as a failed build rather than as a package without the rewrite.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Calls `rewrite(source, path)` on each .js file of each directory named on the command
 * line: it returns `null` for a file without the line, else `{ text, count }` (the file
 * rewritten, and how many times the line was found). `script` names the script in its
 * messages, and `what` the line it looks for.
 */
export function rewriteGlue(script, what, rewrite) {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) {
    console.error(`usage: node npm/${script}.mjs DIR...`);
    process.exit(2);
  }
  for (const dir of dirs) {
    const rewritten = [];
    for (const name of readdirSync(dir).filter((file) => file.endsWith(".js"))) {
      const path = join(dir, name);
      const result = rewrite(readFileSync(path, "utf8"), path);
      if (result) rewritten.push({ path, ...result });
    }
    const count = rewritten.reduce((sum, file) => sum + file.count, 0);
    if (count !== 1) {
      console.error(`${script}: ${dir}: found ${count} ${what}, expected 1`);
      process.exit(1);
    }
    for (const { path, text } of rewritten) writeFileSync(path, text);
  }
}

/**
 * `rewriteGlue` for the common case: every match of the global regular expression
 * `pattern` is replaced as `String.prototype.replace` replaces it with `replace`.
 */
export function rewriteMatches(script, what, pattern, replace) {
  rewriteGlue(script, what, (source) => {
    const found = source.match(pattern) ?? [];
    if (found.length === 0) return null;
    return { text: source.replace(pattern, replace), count: found.length };
  });
}
