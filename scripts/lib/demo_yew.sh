# `scripts/demo yew`: builds the Yew example (integrations/yew/example) in release with
# wasm-opt, starts sse-server on 127.0.0.1:$PORT (default 8080; 0 picks a free port)
# serving the example's own www/ and the demo streams, and prints the URL to open.
# YEW_DEMO_PROFILE=dev builds it in debug instead, reusing what the browser tests built:
# the end-to-end test does, to keep a release build of Yew out of scripts/test.
# Sourced by scripts/demo from the repository root, after tools.sh.
# shellcheck shell=bash

demo_yew() {
  ensure_rust_components
  ensure_wasm_bindgen_cli
  ensure_wasm_pack
  ensure_wasm_opt

  local profile="${YEW_DEMO_PROFILE:-release}" started=$SECONDS
  case "$profile" in
    release) say "building the Yew example (release, wasm-opt)" ;;
    dev) say "building the Yew example (debug)" ;;
    *)
      echo "YEW_DEMO_PROFILE must be release or dev, not '$profile'" >&2
      return 2
      ;;
  esac
  wasm-pack --quiet build integrations/yew/example "--$profile" --target web \
    --out-dir www/pkg --no-typescript --no-pack
  cargo build --quiet --release -p sse-server
  say "built in $((SECONDS - started)) s"

  trap 'exit 0' INT TERM
  start_sse_server release "${PORT:-8080}" integrations/yew/example/www
  echo "Yew demo running: open $SSE_SERVER_URL/ in a browser (Ctrl-C stops it)"
  wait "$SSE_SERVER_PID"
}
