# shellcheck shell=bash
# What a newcomer pastes must work, called by scripts/test (tools set up, tools.sh
# sourced, sse-server built or buildable):
# - every README's Rust blocks, already compiled natively as doc tests by
#   `cargo test --workspace`, compiled again for wasm32, where they run;
# - each README's example as a newcomer would build it: a crate made by `cargo new`
#   outside the workspace, whose empty [dependencies] the README's Cargo.toml lines
#   replace as written (only the git sources swapped for this checkout's paths), and its
#   code. The main README's start function and page are
#   built with `wasm-pack build --target web`, served by sse-server and opened in headless
#   Chromium, where an event must arrive; the Yew, Leptos and Dioxus examples (with their
#   `main` that mounts the component) must compile for wasm32. If a README's instructions
#   are not enough, this fails.

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

# Makes the crate `name` in `dir` from README `readme`: its Cargo.toml from the first toml
# block after `heading`, with this checkout's crates by path, and `source` (src/lib.rs or
# src/main.rs) from the first Rust block after `code_heading`.
newcomer_crate() {
  local dir=$1 name=$2 readme=$3 heading=$4 code_heading=$5 source=$6 root=$PWD deps code
  deps=$(readme_block "$readme" "$heading" toml)
  code=$(readme_block "$readme" "$code_heading" rust,no_run)
  if [ -z "$deps" ] || [ -z "$code" ]; then
    echo "newcomer: $readme has no toml block after '$heading' or Rust block after" \
      "'$code_heading'" >&2
    return 1
  fi
  # The README's git source, swapped for this checkout; nothing else changes.
  deps=$(printf '%s\n' "$deps" | sed -E \
    -e "s|^web-eventsource = \{ git = \"[^\"]*\" \}|web-eventsource = { path = \"$root\" }|" \
    -e "s|^web-eventsource-(yew\|leptos\|dioxus) = \{ git = \"[^\"]*\" \}|web-eventsource-\1 = { path = \"$root/integrations/\1\" }|")
  if grep -q 'git = ' <<<"$deps" || ! grep -q "path = \"$root" <<<"$deps"; then
    echo "newcomer: a dependency line of $readme has changed shape:" >&2
    printf '%s\n' "$deps" >&2
    return 1
  fi
  # As the READMEs say: `cargo new` (its edition, its [package]), then its empty
  # [dependencies] replaced by the README's lines.
  local kind=--bin
  [ "$source" = src/lib.rs ] && kind=--lib
  (cd "$(dirname "$dir")" && cargo new --quiet --vcs none "$kind" --name "$name" \
    "$(basename "$dir")")
  if ! grep -qx '\[dependencies\]' "$dir/Cargo.toml"; then
    echo "newcomer: cargo new wrote no [dependencies] line to replace" >&2
    return 1
  fi
  printf '%s\n' "$deps" >"$dir/readme-lines.toml"
  awk -v lines="$dir/readme-lines.toml" '
    $0 == "[dependencies]" { while ((getline line < lines) > 0) print line; next }
    { print }
  ' "$dir/Cargo.toml" >"$dir/Cargo.toml.new"
  mv "$dir/Cargo.toml.new" "$dir/Cargo.toml"
  rm "$dir/readme-lines.toml"
  printf '%s\n' "$code" >"$dir/$source"
  # The workspace's Cargo.lock makes the fresh crate resolve the versions the tests ran
  # with, and the wasm-bindgen that wasm-bindgen-cli was installed for (wasm-pack needs
  # the two to match); cargo drops the entries the crate does not use.
  cp Cargo.lock "$dir/"
}

test_newcomer() {
  local root=$PWD tmp page target crate output
  say "README examples: compiled for wasm32 (doc tests; natively by cargo test --workspace)"
  for crate in web-eventsource web-eventsource-yew web-eventsource-leptos \
    web-eventsource-dioxus; do
    # A cargo without cross-target doc tests (before 1.89) skips them and passes, as
    # does a filter that no longer matches: some must have run.
    output=$(cargo test -p "$crate" --doc --target wasm32-unknown-unknown -- readme 2>&1) || {
      printf '%s\n' "$output" >&2
      return 1
    }
    printf '%s\n' "$output"
    if ! grep -qE 'test result: ok\. [1-9][0-9]* passed' <<<"$output"; then
      echo "no README example of $crate was compiled for wasm32 (cargo $(cargo --version))" >&2
      return 1
    fi
  done

  # A target dir of its own, kept between runs (so only the first run compiles the
  # dependencies): web-eventsource is also a cdylib, so cargo names its rlib without a
  # hash, and a build of it with a newcomer's features would overwrite the workspace's
  # in a shared target dir (and the other way round). Whichever graph is built second
  # would then link the other's rlib ("multiple different versions of crate
  # serde_core").
  target="$root/target/newcomer"
  tmp=$(mktemp -d)

  say "newcomer: the Yew, Leptos and Dioxus READMEs' examples in fresh crates, for wasm32"
  newcomer_crate "$tmp/yew-app" yew-app integrations/yew/README.md "## Usage" "## Usage" \
    src/main.rs
  newcomer_crate "$tmp/leptos-app" leptos-app integrations/leptos/README.md \
    "# web-eventsource-leptos" "# web-eventsource-leptos" src/main.rs
  newcomer_crate "$tmp/dioxus-app" dioxus-app integrations/dioxus/README.md "## Usage" \
    "## Usage" src/main.rs
  for app in yew-app leptos-app dioxus-app; do
    (cd "$tmp/$app" && CARGO_TARGET_DIR="$target" cargo check --target wasm32-unknown-unknown)
  done

  say "newcomer: the README's start function in a fresh crate, wasm-pack, headless Chromium"
  local heading="### Callbacks, in a start function"
  newcomer_crate "$tmp/app" app README.md "## Usage" "$heading" src/lib.rs
  page=$(readme_block README.md "$heading" html)
  if [ -z "$page" ]; then
    echo "newcomer: README.md has no html block after '$heading'" >&2
    return 1
  fi
  printf '%s\n' "$page" >"$tmp/app/index.html"
  # --dev: the README's release build would add minutes of optimisation and prove
  # nothing more.
  (cd "$tmp/app" && CARGO_TARGET_DIR="$target" wasm-pack build --target web --dev)

  cargo build -p sse-server
  start_sse_server debug 0 "$tmp/app"
  ensure_node
  (cd e2e && npm ci --loglevel=error --no-audit --no-fund --prefer-offline)
  # The README's callback logs "ping at <time>" for each decoded `ping` of /sse.
  CHROMIUM=$(command -v chromium) node e2e/lib/wait-for-console.mjs \
    "$SSE_SERVER_URL/index.html" '^ping at ' 20000
  stop_sse_server
  rm -rf "$tmp"
}
