# shellcheck shell=bash
# A framework integration's tests (integrations/NAME), called by scripts/test after the
# library's browser tests: clippy for wasm32 (with the example) and natively, as the
# browser builds it and as a server builds it, the server-side render (native, tests/ssr.rs)
# and the hooks' browser tests (tests/browser.rs) on each engine of ENGINES (engines.sh)
# against sse-server. Expects tools.sh and engines.sh sourced and the engines set up; uses
# the sse-server the caller started (SSE_SERVER_URL), or starts its own.
#
# test_integration NAME [SERVER-FEATURE-ARGS...]: the cargo arguments that make the server
# build, `--features ssr` unless given (Yew's and Leptos' naming). Dioxus names it the other
# way round: its browser code is the `web` feature, on by default, so its server build is
# `--no-default-features`.

test_integration() {
  local name=$1
  local crate="web-eventsource-$name"
  shift
  local -a server=("$@") fetch=()
  [ ${#server[@]} -gt 0 ] || server=(--features ssr)
  # Yew and Dioxus read their options' fetch fields only with their `fetch` feature (the
  # plain build is linted natively, and its refusal unit-tested by `cargo test
  # --workspace`); the browser build, and the tests of those fields, have it. Leptos'
  # options link fetch only when its methods are called, so it has no such feature.
  [ "$name" = leptos ] || fetch=(--features "$crate/fetch")
  # wasm32 as a server builds it compiles the same inert code as native as a server does,
  # so it is left to the pre-commit checks rather than paid for here.
  say "$name: clippy (wasm32 with the example ${fetch[*]}; native, native ${server[*]})"
  cargo clippy -p "$crate" -p "$crate-example" "${fetch[@]}" \
    --target wasm32-unknown-unknown --all-targets -- -D warnings
  cargo clippy -p "$crate" --all-targets -- -D warnings
  cargo clippy -p "$crate" --all-targets "${server[@]}" -- -D warnings

  say "$name: server-side render (native, ${server[*]})"
  cargo test -p "$crate" "${server[@]}" --test ssr

  say "$name: browser tests"
  if [ -z "${SSE_SERVER_PID:-}" ] || ! kill -0 "$SSE_SERVER_PID" 2>/dev/null; then
    cargo build -p sse-server
    start_sse_server debug 0
  fi
  # The address reaches the tests at compile time (option_env!), as for the library's.
  SSE_SERVER_URL="$SSE_SERVER_URL" WASM_BINDGEN_TEST_TIMEOUT=300 \
    run_browser_tests "integrations/$name" --test browser "${fetch[@]}"
}
