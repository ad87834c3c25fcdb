# `scripts/demo yew`: builds the Yew example (integrations/yew/example) in release with
# wasm-opt, starts sse-server on 127.0.0.1:$PORT (default 8080; 0 picks a free port)
# serving the example's own www/ and the demo streams, and prints the URL to open.
# Sourced by scripts/demo from the repository root, after tools.sh.
# shellcheck shell=bash

demo_yew() {
  ensure_rust_components
  ensure_wasm_bindgen_cli
  ensure_wasm_pack
  ensure_wasm_opt

  say "building the Yew example (release, wasm-opt)"
  local started=$SECONDS
  wasm-pack --quiet build integrations/yew/example --release --target web \
    --out-dir www/pkg --no-typescript --no-pack
  cargo build --quiet --release -p sse-server
  say "built in $((SECONDS - started)) s"

  trap 'exit 0' INT TERM
  start_sse_server release "${PORT:-8080}" integrations/yew/example/www
  echo "Yew demo running: open $SSE_SERVER_URL/ in a browser (Ctrl-C stops it)"
  wait "$SSE_SERVER_PID"
}
