# The Yew integration's checks, called by scripts/test after the library's browser tests
# (tools set up, tools.sh sourced, no sse-server running): lints for wasm32 and native
# with and without the `ssr` feature, the server-side rendering test, and the hooks'
# browser tests in headless Chromium against a fresh sse-server.
# shellcheck shell=bash

test_yew() {
  say "yew: clippy (wasm32 and native, with and without ssr)"
  cargo clippy -p web-eventsource-yew -p web-eventsource-yew-example \
    --target wasm32-unknown-unknown --all-targets -- -D warnings
  cargo clippy -p web-eventsource-yew --all-targets -- -D warnings
  cargo clippy -p web-eventsource-yew --all-targets --features ssr -- -D warnings

  say "yew: server-side rendering (native, yew::ServerRenderer)"
  cargo test -p web-eventsource-yew --features ssr --test ssr

  say "yew: browser tests (headless Chromium)"
  cargo build -p sse-server
  start_sse_server debug 0
  WASM_BINDGEN_TEST_TIMEOUT=120 wasm-pack test --headless --chrome \
    --chromedriver "$CHROMEDRIVER" integrations/yew --test browser
  stop_sse_server
}
