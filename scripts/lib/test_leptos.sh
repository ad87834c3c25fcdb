# shellcheck shell=bash
# The Leptos integration's tests (integrations/leptos), called by scripts/test after the
# library's browser tests: lints for every target and feature set it ships, the
# server-side render (native, `ssr` feature) and the browser tests in headless Chromium
# against sse-server. Expects tools.sh sourced and ensure_all_tools run; uses the
# sse-server the caller started (SSE_SERVER_URL), or starts its own.

test_leptos() {
  # The browser side on wasm32 (with the example), the server side natively with and
  # without the `ssr` feature (one check build of Leptos: the native dev-dependency turns
  # on its renderer either way). wasm32 + ssr compiles the same inert code as native +
  # ssr, so it is left to the pre-commit checks rather than paid for here.
  say "leptos: clippy (wasm32 with the example; native, native + ssr)"
  cargo clippy -p web-eventsource-leptos -p web-eventsource-leptos-example \
    --target wasm32-unknown-unknown --all-targets -- -D warnings
  cargo clippy -p web-eventsource-leptos --all-targets -- -D warnings
  cargo clippy -p web-eventsource-leptos --all-targets --features ssr -- -D warnings

  say "leptos: server-side render (native, ssr feature)"
  cargo test -p web-eventsource-leptos --features ssr --test ssr

  say "leptos: browser tests (headless Chromium)"
  if [ -z "${SSE_SERVER_PID:-}" ] || ! kill -0 "$SSE_SERVER_PID" 2>/dev/null; then
    cargo build -p sse-server
    start_sse_server debug 0
  fi
  # The address reaches the tests at compile time (option_env!), as for the library's.
  # Run from the crate's directory: with a path argument, wasm-pack hands `--test` to
  # the test runner instead of cargo.
  (cd integrations/leptos &&
    SSE_SERVER_URL="$SSE_SERVER_URL" WASM_BINDGEN_TEST_TIMEOUT=300 \
      wasm-pack test --headless --chrome --chromedriver "$CHROMEDRIVER" -- --test browser)
}
