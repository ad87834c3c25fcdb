// The size of the npm package as an app ships it, next to two JavaScript EventSource
// packages: scripts/bench (bench_npm) runs it after scripts/npm-pack, and bench/run.mjs
// reports target/bench-npm-size.json.
//
// Each is bundled for the browser and minified with esbuild, then gzipped at level 9.
// Ours is the `web` build: its JavaScript (glue and snippets, one bundle) plus its .wasm.
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

const js = await measure(`export { default, EventSource } from ${JSON.stringify(join(pkg, "web/web_eventsource.js"))};`, pkg);
const wasmBytes = readFileSync(join(pkg, "web/web_eventsource_bg.wasm"));
const wasm = { raw: wasmBytes.length, gzip: gzip(wasmBytes) };
const sizes = {
  web_eventsource: {
    version: JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")).version,
    js,
    wasm,
    gzip: js.gzip + wasm.gzip,
  },
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
