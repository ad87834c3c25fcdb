# shellcheck shell=bash
# The npm package's size, called by scripts/bench (tools set up, tools.sh sourced):
# scripts/npm-pack (release, wasm-opt -Oz), then bench/npm-size/measure.mjs writes
# target/bench-npm-size.json: the package's gzipped wasm and minified JS next to
# reconnecting-eventsource and eventsource (from the registry, minified with esbuild).
# bench/run.mjs adds it to its table and to BENCHMARKS.md.
#
# The same `web` build without the fetch transport (the crate's `fetch` feature off) goes
# to target/bench-npm-nofetch/web: the baseline, measured in the same run, for what the
# fetch transport adds to the package.
source scripts/lib/npm_build.sh

bench_npm() {
  say "npm package: scripts/npm-pack (release) and its size next to two JS EventSource packages"
  scripts/npm-pack
  say "npm package: the web build without the fetch transport, for what it adds"
  rm -rf target/bench-npm-nofetch
  npm_build --release web "$PWD/target/bench-npm-nofetch/web" -- --no-default-features
  # What package-lock.json pins, without rewriting it (see test_npm.sh for why not npm ci).
  (cd bench/npm-size && npm install --loglevel=error --no-save --no-audit --no-fund --prefer-offline)
  NPM_WITHOUT_FETCH=target/bench-npm-nofetch/web node bench/npm-size/measure.mjs >/dev/null
}
