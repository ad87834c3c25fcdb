// The size of the npm package as an app ships it, next to two JavaScript EventSource
// packages: scripts/bench (bench_npm) runs it after scripts/npm-pack, and bench/run.mjs
// reports target/bench-npm-size.json.
//
// Each is bundled for the browser and minified with esbuild, then gzipped at level 9.
// Ours is the `web` build: its JavaScript (glue and snippets, one bundle) plus its .wasm,
// and the same build without the fetch transport, for what that transport adds.
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");
const pkg = join(root, "target/npm/package");
const deps = here;

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;

async function minified(contents, resolveDir) {
  const result = await build({
    stdin: { contents, resolveDir, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "error",
  });
  return result.outputFiles[0].contents;
}

async function measure(contents, resolveDir) {
  const bytes = await minified(contents, resolveDir);
  return { raw: bytes.length, gzip: gzip(bytes) };
}

const version = (dir, name) => JSON.parse(readFileSync(join(dir, "node_modules", name, "package.json"), "utf8")).version;

// A `web` build in `dir`: its JavaScript bundled, and its .wasm.
async function ours(dir) {
  const js = await measure(`export { default, EventSource } from ${JSON.stringify(join(dir, "web_eventsource.js"))};`, dir);
  const wasmBytes = readFileSync(join(dir, "web_eventsource_bg.wasm"));
  const wasm = { raw: wasmBytes.length, gzip: gzip(wasmBytes) };
  return { js, wasm, gzip: js.gzip + wasm.gzip };
}

// The same build without the fetch transport, which bench_npm.sh (scripts/lib) makes in
// the same run and names in NPM_WITHOUT_FETCH: never one left from an earlier run.
const withoutFetch = process.env.NPM_WITHOUT_FETCH ? join(root, process.env.NPM_WITHOUT_FETCH) : null;
const sizes = {
  web_eventsource: {
    version: JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")).version,
    ...(await ours(join(pkg, "web"))),
  },
  ...(withoutFetch ? { web_eventsource_without_fetch: await ours(withoutFetch) } : {}),
  reconnecting_eventsource: {
    version: version(deps, "reconnecting-eventsource"),
    ...(await measure(`export { default } from "reconnecting-eventsource";`, deps)),
  },
  eventsource: {
    version: version(deps, "eventsource"),
    ...(await measure(`export { EventSource } from "eventsource";`, deps)),
  },
};
writeFileSync(join(root, "target/bench-npm-size.json"), JSON.stringify(sizes, null, 2) + "\n");
console.log(JSON.stringify(sizes));
