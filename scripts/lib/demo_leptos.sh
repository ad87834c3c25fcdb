# shellcheck shell=bash
# `scripts/demo leptos`: the Leptos example (integrations/leptos/example), MDN's list of
# server-sent events rendered client-side by a component using use_event_source. Builds
# its wasm in release with wasm-opt (DEMO_PROFILE=dev: a debug build, quicker to
# compile, used by the end-to-end test), starts sse-server on 127.0.0.1:$PORT (default
# 8080; 0 picks a free port) serving the example's own www/ and the demo streams, and
# prints the URL to open. Ctrl-C stops it cleanly. Expects tools.sh sourced.

demo_leptos() {
  local crate=integrations/leptos/example profile
  ensure_rust_components
  ensure_wasm_bindgen_cli
  ensure_wasm_pack
  if [ "${DEMO_PROFILE:-release}" = dev ]; then
    say "building the Leptos example (debug, DEMO_PROFILE=dev)"
    wasm-pack --quiet build "$crate" --dev --target web --out-dir www/pkg --no-typescript --no-pack
    cargo build --quiet -p sse-server
    profile=debug
  else
    ensure_wasm_opt
    say "building the Leptos example (release, wasm-opt)"
    wasm-pack --quiet build "$crate" --release --target web --out-dir www/pkg --no-typescript --no-pack
    cargo build --quiet --release -p sse-server
    profile=release
  fi

  trap 'exit 0' INT TERM
  start_sse_server "$profile" "${PORT:-8080}" "$crate/www"
  echo "Leptos demo running: open $SSE_SERVER_URL/ in a browser (Ctrl-C stops it)"
  wait "$SSE_SERVER_PID"
}
