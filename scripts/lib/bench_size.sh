# shellcheck shell=bash
# The size apps of scripts/bench (tools set up, tools.sh sourced): each minimal app built in
# release, through wasm-bindgen and `optimize_wasm`, then gzip -9.

# `bench_size_app NAME WASM`: measures the app built at WASM into target/bench-size/NAME;
# prints `{"raw":N,"gzip":N}`.
bench_size_app() {
  local wasm="$2" out="target/bench-size/$1" module raw gz
  module=$(basename "$wasm" .wasm)
  wasm-bindgen --target web --out-dir "$out" "$wasm"
  optimize_wasm "$out/${module}_bg.wasm" "$out/opt.wasm"
  raw=$(wc -c <"$out/opt.wasm")
  gz=$(gzip -9 -c "$out/opt.wasm" | wc -c)
  echo "{\"raw\":$raw,\"gzip\":$gz}"
}

# `body_reader_imports GLUE`: which of the fetch transport's body-reader calls (`getReader`,
# `read`: only that transport reads a body) the wasm-bindgen glue GLUE imports, or "none".
# An app with a reconnect policy imports `fetch` and `abort` for the policy's status
# probe, so those two tell nothing of the transport.
body_reader_imports() {
  local found="" name
  for name in getReader read; do
    if grep -q "__wbg_${name}_" "$1"; then found="$found${found:+, }$name"; fi
  done
  echo "${found:-none}"
}

# `check_options_fetch_feature FW OPTIONS_GZ FETCH_GZ`: for the Yew or Dioxus size apps
# (FW `yew` or `dioxus`, built into target/bench-size/FW_options and FW_options_fetch),
# prints what the crate's `fetch` feature adds to the options app and which body-reader
# calls each build imports; fails when the build without the feature imports any.
check_options_fetch_feature() {
  local fw=$1 without with dir="${CARGO_TARGET_DIR:-target}/bench-size"
  without=$(body_reader_imports "$dir/${fw}_options/size_${fw}_options.js")
  with=$(body_reader_imports "$dir/${fw}_options_fetch/size_${fw}_options.js")
  printf 'The "fetch" feature adds %d B gzipped to the options app. Body-reader calls imported without it: %s; with it: %s.\n' \
    $(($3 - $2)) "$without" "$with"
  if [ "$without" != none ]; then
    echo "$fw: the options app links the fetch transport without the fetch feature" >&2
    return 1
  fi
}

# The minimal native app (bench/examples/size_web_eventsource.rs) as it was at
# BENCH_SIZE_BASE (default 77ce830, the last commit before the fetch transport), rebuilt
# now with the same tools: the check that an app which never selects fetch links none of
# it. The commit's tree comes from `git archive` into target/bench-size-base/src (no
# worktree to clean up), and builds in a target directory of its own, so that its example
# never overwrites the current one. Writes target/bench-size-base.json, or removes it (and
# says why) when there is no git history to build from.
bench_size_base() {
  local commit="${BENCH_SIZE_BASE:-77ce830}" base="target/bench-size-base" sizes
  rm -f target/bench-size-base.json
  if ! git rev-parse --verify --quiet "$commit^{commit}" >/dev/null 2>&1; then
    say "size before the fetch transport: commit $commit not found (no git history?); skipped"
    return 0
  fi
  say "building the minimal native app at $commit (before the fetch transport)"
  rm -rf "$base/src"
  mkdir -p "$base/src"
  git archive "$commit" | tar -x -C "$base/src"
  CARGO_TARGET_DIR="$PWD/$base/target" cargo build --quiet --locked --release \
    --manifest-path "$base/src/Cargo.toml" --target wasm32-unknown-unknown \
    -p web-eventsource-bench --example size_web_eventsource
  sizes=$(bench_size_app base "$base/target/wasm32-unknown-unknown/release/examples/size_web_eventsource.wasm")
  echo "{\"commit\":\"$commit\",${sizes#\{}" >target/bench-size-base.json
}
