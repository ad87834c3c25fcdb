# shellcheck shell=bash
# What `scripts/demo yew`, `scripts/demo leptos` and `scripts/demo dioxus` share: build an
# integration's example app with wasm-pack into its www/pkg, start sse-server on
# 127.0.0.1:$PORT (default 8080; 0 picks a free port) serving that www/ and the demo
# streams, and print the URL to open. Ctrl-C stops it cleanly.
#
# The build is a release one with wasm-opt, as a user would ship it. DEMO_PROFILE=dev
# builds in debug instead, reusing what the browser tests compiled: the end-to-end tests
# do, to keep release builds of Yew, Leptos and Dioxus out of scripts/test (scripts/bench
# builds the release ones). Expects tools.sh sourced, from the repository root.

# serve_example LABEL CRATE_DIR
serve_example() {
  local label="$1" crate="$2" profile="${DEMO_PROFILE:-release}" server_profile started=$SECONDS
  ensure_rust_components
  ensure_wasm_bindgen_cli
  ensure_wasm_pack
  case "$profile" in
    release)
      ensure_wasm_opt
      server_profile=release
      ;;
    dev) server_profile=debug ;;
    *)
      echo "DEMO_PROFILE must be release or dev, not '$profile'" >&2
      return 2
      ;;
  esac
  say "building the $label example ($profile)"
  wasm-pack --quiet build "$crate" "--$profile" --target web \
    --out-dir www/pkg --no-typescript --no-pack
  if [ "$server_profile" = release ]; then
    cargo build --quiet --release -p sse-server
  else
    cargo build --quiet -p sse-server
  fi
  say "built in $((SECONDS - started)) s"

  trap 'exit 0' INT TERM
  start_sse_server "$server_profile" "${PORT:-8080}" "$crate/www"
  echo "$label demo running: open $SSE_SERVER_URL/ in a browser (Ctrl-C stops it)"
  wait "$SSE_SERVER_PID"
}
