# shellcheck shell=bash
# The Leptos comparison (bench/leptos-compare), called by scripts/bench: the same cases
# through web-eventsource-leptos and leptos-use's use_event_source in headless Chromium,
# and the gzipped size of the same minimal app on each. Prints a Markdown table and
# writes it to target/leptos-compare.md. Expects tools.sh sourced, ensure_all_tools run
# and an sse-server started (SSE_SERVER_URL).
#
# The crate is its own workspace with its own target directory: leptos-use is built
# here only, never by scripts/test, and its dependency graph does not disturb the
# shared build of the main workspace.

bench_leptos() {
  local root="$PWD" out="$PWD/target/leptos-compare-size" sizes="" app raw gz
  local target_dir="${CARGO_TARGET_DIR:-$PWD/target}/leptos-compare"

  say "leptos comparison: the minimal apps (release, wasm-opt -Oz, gzip -9)"
  mkdir -p "$out"
  for app in ours leptos_use; do
    (cd bench/leptos-compare &&
      CARGO_TARGET_DIR="$target_dir" cargo build --quiet --release --target wasm32-unknown-unknown --example "size_$app")
    wasm-bindgen --target web --out-dir "$out/$app" "$target_dir/wasm32-unknown-unknown/release/examples/size_$app.wasm"
    optimize_wasm "$out/$app/size_${app}_bg.wasm" "$out/$app/opt.wasm"
    raw=$(wc -c <"$out/$app/opt.wasm")
    gz=$(gzip -9 -c "$out/$app/opt.wasm" | wc -c)
    sizes="$sizes| $app | $raw | $gz |"$'\n'
  done

  say "leptos comparison: the cases in headless Chromium"
  local log
  log=$(mktemp)
  (cd bench/leptos-compare &&
    CARGO_TARGET_DIR="$target_dir" SSE_SERVER_URL="$SSE_SERVER_URL" WASM_BINDGEN_TEST_TIMEOUT=300 \
      wasm-pack test --headless --chrome --chromedriver "$CHROMEDRIVER" -- --test compare -- --nocapture) | tee "$log"

  {
    echo "## web-eventsource-leptos vs leptos-use's use_event_source"
    echo
    sed -n '/LEPTOS-COMPARE-TABLE-BEGIN/,/LEPTOS-COMPARE-TABLE-END/p' "$log" | sed '1d;$d'
    echo
    echo "| minimal app | wasm bytes (wasm-opt -Oz) | gzip -9 bytes |"
    echo "| --- | --- | --- |"
    printf '%s' "$sizes" | sed 's/^| ours |/| web-eventsource-leptos |/; s/^| leptos_use |/| leptos-use 0.20 |/'
  } >"$root/target/leptos-compare.md"
  rm -f "$log"
  say "leptos comparison written to target/leptos-compare.md"
  cat "$root/target/leptos-compare.md"
}
