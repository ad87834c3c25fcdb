# shellcheck shell=bash
# Shared by scripts/test, scripts/demo and scripts/bench: install what is missing, skip
# what is there. Source it from the repository root; it sets PATH for the tools it adds.
# scripts/test-setup tests it with stub tools.
#
# Every tool comes from a package registry by name (rustup, cargo install, apt, npm):
# prebuilt-binary downloads (wasm-pack's own installer, cargo-binstall) are not used,
# since they do not work on every machine this project runs on.

# Versions pinned for reproducible builds. wasm-bindgen-cli must match the
# wasm-bindgen in Cargo.lock exactly; it is read from there.
WASM_PACK_VERSION=0.15.1
BINARYEN_VERSION=132.0.0
# The Node.js versions the pinned test tools run on: Vite 7 needs ^20.19.0 || >=22.12.0
# (so no 21, nor a 22 before 22.12), playwright-core 20. A machine's own may be outside
# that (Debian 12's apt has 18); then the npm registry's `node` package, which ships the
# binary, goes into .tools: a 22, the oldest line still maintained (20's ended in April
# 2026).
NODE_MIN_VERSION=20.19.0
NODE_CURRENT_MIN_VERSION=22.12.0
NODE_PACKAGE=node@22

TOOLS_DIR="$PWD/.tools"
# Where `cargo install` puts binaries: CARGO_INSTALL_ROOT, else CARGO_HOME, else
# ~/.cargo.
CARGO_BIN="${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin"
export PATH="$CARGO_BIN:$TOOLS_DIR/node/node_modules/.bin:$TOOLS_DIR/node_modules/.bin:$PATH"

# A `target` link left dangling (its cache directory cleared, or another HOME's): cargo
# would fail with "File exists". (.ci/run replaces it with its own.)
if [ -L target ] && [ ! -e target ]; then rm target; fi

# Each step says how long its script has run (bash's SECONDS), so a CI log shows where
# the time goes.
say() { printf '\033[1m==> [%d:%02d] %s\033[0m\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*" >&2; }

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    echo "installing needs root: run this as root, or install sudo (wanted: $*)" >&2
    return 1
  fi
}

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    as_root apt-get update -qq -o Acquire::Retries=3
    apt_updated=1
  fi
  # Waits for the package lock (a machine that just booted may be running its daily
  # apt jobs) rather than failing at once, and retries a download that failed.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" \
    -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3
}

# cargo install, reproducibly (--locked) where the registry still has every locked
# dependency, else with fresh resolution.
cargo_install() {
  cargo install --locked "$@" || cargo install "$@"
}

ensure_rust_components() {
  local tool installed component
  for tool in cargo rustup; do
    if ! command -v "$tool" >/dev/null; then
      echo "$tool is missing: install Rust with rustup (https://rustup.rs), then run this again" >&2
      return 1
    fi
  done
  # rustup keeps its toolchains under RUSTUP_HOME (~/.rustup): a user, or a HOME, that
  # has rustup on PATH but no toolchain of its own gets rustup's stable one, rather than a
  # backtrace from the first cargo command.
  if ! rustup show active-toolchain >/dev/null 2>&1; then
    say "rustup has no default toolchain here (${RUSTUP_HOME:-$HOME/.rustup}): installing stable"
    rustup default stable
  fi
  # The lists are read whole before grep sees them: `rustup ... | grep -q` under pipefail
  # can fail when grep stops reading early, and would then add what is already there.
  installed=$(rustup target list --installed)
  if ! grep -qx wasm32-unknown-unknown <<<"$installed"; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  installed=$(rustup component list --installed)
  for component in rustfmt clippy; do
    if ! grep -q "^$component" <<<"$installed"; then
      say "adding $component"
      rustup component add "$component"
    fi
  done
}

# The wasm-bindgen version in Cargo.lock.
locked_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

# wasm-bindgen-cli installs both binaries; a machine can still have one without the other
# (one copied from a release archive, or one left from another version), and the browser
# tests need the runner of the locked version as much as the builds need wasm-bindgen.
ensure_wasm_bindgen_cli() {
  local want have tool
  want=$(locked_wasm_bindgen_version)
  for tool in wasm-bindgen wasm-bindgen-test-runner; do
    # `|| true`: under `set -euo pipefail` a missing tool would end the script here.
    have=$("$tool" --version 2>/dev/null | awk '{ print $2 }' || true)
    if [ "$have" != "$want" ]; then
      say "installing wasm-bindgen-cli $want ($tool found: ${have:-none})"
      cargo_install --force wasm-bindgen-cli --version "$want"
      hash -r
      return
    fi
  done
}

# An older wasm-pack than the pinned one is replaced (--force: one cargo did not install
# is otherwise in the way): before 0.12 it lacks `--no-pack`, which the npm build passes,
# and none older was tried. A newer one is kept.
ensure_wasm_pack() {
  local have
  # `|| true`: under `set -euo pipefail` a missing wasm-pack would end the script here.
  have=$(wasm-pack --version 2>/dev/null | awk '{ print $2 }' || true)
  if [ -z "$have" ]; then
    say "installing wasm-pack $WASM_PACK_VERSION"
    cargo_install wasm-pack --version "$WASM_PACK_VERSION"
  elif ! version_at_least "$have" "$WASM_PACK_VERSION"; then
    say "wasm-pack $have is older than $WASM_PACK_VERSION: installing $WASM_PACK_VERSION"
    # Into CARGO_BIN, first on PATH (above), so it is the one found from now on.
    cargo_install --force wasm-pack --version "$WASM_PACK_VERSION"
    hash -r
  fi
}

ensure_chromium() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing chromium and chromium-driver"
    apt_install chromium chromium-driver
  fi
  CHROMEDRIVER=$(command -v chromedriver)
  export CHROMEDRIVER
}

ensure_node() {
  if ! command -v npm >/dev/null; then
    say "installing nodejs and npm"
    apt_install nodejs npm
  fi
  if ! node_is_recent; then
    say "Node.js $(node --version 2>/dev/null || echo '(none)') is not one the test tools run on (^$NODE_MIN_VERSION || >=$NODE_CURRENT_MIN_VERSION): installing $NODE_PACKAGE into .tools"
    mkdir -p "$TOOLS_DIR/node"
    npm install --loglevel=error --no-audit --no-fund --prefix "$TOOLS_DIR/node" "$NODE_PACKAGE"
    hash -r
    if ! node_is_recent; then
      echo "Node.js ^$NODE_MIN_VERSION || >=$NODE_CURRENT_MIN_VERSION is needed, and $NODE_PACKAGE did not provide it: install one, then run this again" >&2
      return 1
    fi
  fi
}

# Whether the `node` on PATH is one the test tools run on: a 20 from NODE_MIN_VERSION
# on, or NODE_CURRENT_MIN_VERSION or newer (in bash alone: the set-up runs before any
# other tool is known to be there). Not a pre-release (`22.12.0-rc.1`, a nightly): it
# comes before the release of its number, and the tools' ranges do not take one.
node_is_recent() {
  local version
  version=$(node --version 2>/dev/null) || return 1
  version=${version#v}
  [[ $version != *-* ]] || return 1
  version_at_least "$version" "$NODE_CURRENT_MIN_VERSION" ||
    { [[ $version == 20.* ]] && version_at_least "$version" "$NODE_MIN_VERSION"; }
}

# `version_at_least HAVE MIN`: whether the version HAVE (MAJOR.MINOR.PATCH, anything after
# a `-` or `+` ignored) is MIN or newer; false for what is not a version.
version_at_least() {
  local have min i
  IFS=. read -r -a have <<<"${1%%[-+]*}"
  IFS=. read -r -a min <<<"$2"
  for i in 0 1 2; do
    [[ ${have[i]:-0} =~ ^[0-9]+$ ]] || return 1
    if ((10#${have[i]:-0} != 10#${min[i]:-0})); then
      ((10#${have[i]:-0} > 10#${min[i]:-0}))
      return
    fi
  done
}

# wasm-pack runs wasm-opt from PATH in release builds (else it tries a download, which
# fails here). The binaryen npm package ships one.
ensure_wasm_opt() {
  if ! command -v wasm-opt >/dev/null; then
    ensure_node
    say "installing wasm-opt (binaryen $BINARYEN_VERSION) into .tools"
    mkdir -p "$TOOLS_DIR"
    npm install --loglevel=error --no-audit --no-fund --prefix "$TOOLS_DIR" "binaryen@$BINARYEN_VERSION"
    if ! command -v wasm-opt >/dev/null; then
      echo "binaryen@$BINARYEN_VERSION installed no wasm-opt into $TOOLS_DIR/node_modules/.bin" >&2
      return 1
    fi
  fi
}

# scripts/test lints the shell scripts with it.
ensure_shellcheck() {
  if ! command -v shellcheck >/dev/null; then
    say "installing shellcheck"
    apt_install shellcheck
  fi
}

ensure_all_tools() {
  ensure_rust_components
  ensure_wasm_bindgen_cli
  ensure_wasm_pack
  ensure_chromium
  ensure_wasm_opt
}

# `optimize_wasm IN OUT`: wasm-opt for size with the flags of the npm package's release
# build (npm/Cargo.toml): the WebAssembly features rustc enables for wasm32, and the
# `producers` and `target_features` sections dropped. Every size scripts/bench prints goes
# through it, so that its figures compare.
optimize_wasm() {
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    --strip-producers --strip-target-features "$1" -o "$2"
}

# Starts sse-server on 127.0.0.1: `start_sse_server PROFILE PORT [WWW]` with the binary
# built by `cargo build -p sse-server` in PROFILE (debug or release), PORT 0 for a free
# one, serving the static files of WWW (default www/). Sets SSE_SERVER_URL and
# SSE_SERVER_PID; stops the server, and removes its log, when the calling script exits,
# however it exits (the caller decides what INT and TERM do). It sets the EXIT trap, so a
# caller must not set one of its own.
start_sse_server() {
  local profile_dir="$1" port="$2" www="${3:-www}" log
  log=$(mktemp)
  SSE_SERVER_LOG=$log
  "${CARGO_TARGET_DIR:-target}/$profile_dir/sse-server" --port "$port" --www "$www" >"$log" 2>&1 &
  SSE_SERVER_PID=$!
  trap 'sse_server_at_exit $?' EXIT
  for _ in $(seq 1 100); do
    SSE_SERVER_URL=$(grep -o 'http://[^ ]*' "$log" | head -n 1 || true)
    [ -n "$SSE_SERVER_URL" ] && break
    if ! kill -0 "$SSE_SERVER_PID" 2>/dev/null; then
      cat "$log" >&2
      echo "sse-server did not start" >&2
      return 1
    fi
    sleep 0.1
  done
  if [ -z "$SSE_SERVER_URL" ]; then
    cat "$log" >&2
    echo "sse-server printed no address within 10 s" >&2
    return 1
  fi
  export SSE_SERVER_URL SSE_SERVER_PID
  say "sse-server at $SSE_SERVER_URL (pid $SSE_SERVER_PID)"
}

# The exit trap, with the exit status: a failed run shows the end of the server's log
# (where a panic that failed the tests would be) before the server stops.
sse_server_at_exit() {
  if [ "$1" -ne 0 ] && [ -s "${SSE_SERVER_LOG:-}" ]; then
    echo "--- the end of sse-server's log" >&2
    tail -n 50 "$SSE_SERVER_LOG" >&2
  fi
  stop_sse_server
}

stop_sse_server() {
  if [ -n "${SSE_SERVER_PID:-}" ] && kill -0 "$SSE_SERVER_PID" 2>/dev/null; then
    kill "$SSE_SERVER_PID" 2>/dev/null || true
    wait "$SSE_SERVER_PID" 2>/dev/null || true
  fi
  if [ -n "${SSE_SERVER_LOG:-}" ]; then
    rm -f "$SSE_SERVER_LOG"
  fi
  # Forgotten, so that the exit trap's stop never signals a PID reused since.
  unset SSE_SERVER_PID SSE_SERVER_LOG
}
