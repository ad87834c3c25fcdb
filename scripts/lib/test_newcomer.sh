# shellcheck shell=bash
# What a newcomer pastes must work, called by scripts/test (tools set up, tools.sh
# sourced, sse-server built or buildable):
# - every README's Rust blocks, already compiled natively as doc tests by
#   `cargo test --workspace`, compiled again for wasm32, where they run;
# - the main README's start-function example, built as a newcomer would: a fresh crate
#   outside the workspace, the README's Cargo.toml lines as written (only the git source
#   swapped for this checkout's path), its start function and its page, built with
#   `wasm-pack build --target web`, served by sse-server and opened in headless Chromium,
#   where an event must arrive. If the README's instructions are not enough, this fails.

# The first fenced block in `lang` after the line `heading` of `file`, without its fences.
readme_block() {
  local file=$1 heading=$2 lang=$3
  awk -v heading="$heading" -v fence="\`\`\`$lang" '
    $0 == heading { after = 1; next }
    after && !inside && $0 == fence { inside = 1; next }
    inside && $0 == "```" { exit }
    inside { print }
  ' "$file"
}

test_newcomer() {
  local root=$PWD app deps code page
  say "README examples: compiled for wasm32 (doc tests; natively by cargo test --workspace)"
  for crate in web-eventsource web-eventsource-yew web-eventsource-leptos; do
    cargo test -p "$crate" --doc --target wasm32-unknown-unknown -- readme
  done

  say "newcomer: the README's start function in a fresh crate, wasm-pack, headless Chromium"
  deps=$(readme_block README.md "## Usage" toml)
  code=$(readme_block README.md "### Callbacks, in a start function" rust,no_run)
  page=$(readme_block README.md "### Callbacks, in a start function" html)
  for part in deps code page; do
    if [ -z "${!part}" ]; then
      echo "newcomer: README.md has no $part block where this test looks for it" >&2
      return 1
    fi
  done
  # The README's source for the crate, swapped for this checkout; nothing else changes.
  deps=$(printf '%s\n' "$deps" |
    sed -E "s|^web-eventsource = \{ git = \"[^\"]*\" \}|web-eventsource = { path = \"$root\" }|")
  if ! grep -qF "path = \"$root\"" <<<"$deps"; then
    echo "newcomer: the README's dependency line for web-eventsource has changed shape" >&2
    return 1
  fi

  # `cargo new --lib app`, outside the workspace, by hand.
  app=$(mktemp -d)/app
  mkdir -p "$app/src"
  printf '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n%s\n' "$deps" \
    >"$app/Cargo.toml"
  printf '%s\n' "$code" >"$app/src/lib.rs"
  printf '%s\n' "$page" >"$app/index.html"
  # The workspace's Cargo.lock makes the fresh crate resolve the versions the tests ran
  # with, and the wasm-bindgen that wasm-bindgen-cli was installed for (wasm-pack needs
  # the two to match); cargo drops the entries the crate does not use.
  cp Cargo.lock "$app/"
  # A target dir of its own, kept between runs (so only the first run compiles the
  # dependencies): web-eventsource is also a cdylib, so cargo names its rlib without a
  # hash, and a build of it with the newcomer's features would overwrite the workspace's
  # in a shared target dir (and the other way round). Whichever graph is built second
  # would then link the other's rlib ("multiple different versions of crate
  # serde_core"). --dev: the README's release build would add minutes of optimisation
  # and prove nothing more.
  (cd "$app" && CARGO_TARGET_DIR="$root/target/newcomer" wasm-pack build --target web --dev)

  cargo build -p sse-server
  start_sse_server debug 0 "$app"
  ensure_node
  (cd e2e && npm ci --silent --no-audit --no-fund --prefer-offline)
  # The README's callback logs "ping at <time>" for each decoded `ping` of /sse.
  CHROMIUM=$(command -v chromium) node e2e/lib/wait-for-console.mjs \
    "$SSE_SERVER_URL/index.html" '^ping at ' 20000
  stop_sse_server
  rm -rf "$(dirname "$app")"
}
