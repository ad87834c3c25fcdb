# shellcheck shell=bash
# `npm_build PROFILE TARGET DIR [WASM_PACK_ARGS...]`: wasm-pack builds the crate in npm/ for
# one wasm-pack TARGET (bundler or web) into DIR as the package ships it: the glue's
# link-time hashes stripped, `using` closing the source, the browser's EventSource constructed
# even where a page made the package's class the global one, the error classes exported
# next to it, and a constructor that says to call `init()` first. scripts/npm-pack calls it
# for both targets; scripts/bench (bench_npm.sh) once more without the fetch transport.
# WASM_PACK_ARGS follow wasm-pack's own, so cargo's come after a `--`. Tools set up,
# tools.sh sourced.
npm_build() {
  local profile=$1 target=$2 dir=$3
  shift 3
  wasm-pack --quiet build npm "$profile" --target "$target" \
    --out-dir "$dir" --out-name web_eventsource --no-pack "$@"
  # wasm-pack's `*` .gitignore would hide the snippets from npm; the raw exports'
  # declarations are of no use to a user.
  rm -f "$dir/.gitignore" "$dir/web_eventsource_bg.wasm.d.ts"
  # The link-time hashes in the names shared by the .wasm and its glue: 1.6 KB gzipped.
  node npm/strip-hashes.mjs "$dir"
  # `using` (which calls [Symbol.dispose]) closes the source (it does not free it).
  node npm/dispose-closes.mjs "$dir"
  # The native transport constructs the browser's EventSource, also where the page made
  # the package's class the global one.
  node npm/browser-event-source.mjs "$dir"
  # `EventSourceError` and `DecodeError`, for `instanceof`, exported next to EventSource.
  node npm/export-errors.mjs "$dir"
  # On the web build, `new EventSource()` before `init()` says to call `init()` first.
  node npm/init-first.mjs "$dir"
}
