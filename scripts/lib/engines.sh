# shellcheck shell=bash
# The browser engines the browser tests run on: Chromium, Firefox (ESR) and WebKit
# (WebKitGTK, Safari's engine). Installs what each needs when it is missing, and runs a
# crate's browser tests on each engine from one build: the wasm is the same for every
# browser. Source it after tools.sh; scripts/test-setup tests the installers with stub
# tools.

# Pinned for reproducible set-ups.
GECKODRIVER_VERSION=0.37.1

# Every engine, in the order the tests run on them.
ALL_ENGINES=(chromium firefox webkit)

# geckodriver starts the `firefox` on PATH; Debian's firefox-esr provides it.
ensure_firefox() {
  if ! command -v firefox >/dev/null; then
    say "installing firefox-esr"
    apt_install firefox-esr
  fi
}

ensure_geckodriver() {
  if ! command -v geckodriver >/dev/null; then
    say "installing geckodriver $GECKODRIVER_VERSION"
    cargo_install geckodriver --version "$GECKODRIVER_VERSION"
  fi
}

# WebKitGTK's WebDriver (it starts WebKitGTK's MiniBrowser, which has no headless mode)
# and a virtual X display to run it on (xvfb-run, which needs xauth).
ensure_webkit() {
  if ! command -v WebKitWebDriver >/dev/null || ! command -v xvfb-run >/dev/null ||
    ! command -v xauth >/dev/null; then
    say "installing webkit2gtk-driver and xvfb"
    apt_install webkit2gtk-driver xvfb xauth
  fi
}

# ensure_engines ENGINE...: what those engines need.
ensure_engines() {
  local engine
  for engine; do
    case "$engine" in
      chromium) ensure_chromium ;;
      # Two commands, not `a && b`: set -e is off inside the left of a `&&`, and a
      # failed install there let the set-up run on, to a Firefox run without a driver.
      firefox)
        ensure_firefox
        ensure_geckodriver
        ;;
      webkit) ensure_webkit ;;
    esac
  done
}

# select_engines ARG...: sets ENGINES from `--engine NAME` arguments (repeatable; NAME
# may also be a comma-separated list), or to every engine when there is none. Fails on
# any other argument or an unknown engine.
select_engines() {
  local names name known
  ENGINES=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --engine=*) names=${1#--engine=} ;;
      --engine)
        [ $# -ge 2 ] || { echo "--engine needs a name: ${ALL_ENGINES[*]}" >&2; return 2; }
        names=$2
        shift ;;
      *)
        echo "unknown argument: $1 (usage: scripts/test [--engine chromium|firefox|webkit]...)" >&2
        return 2 ;;
    esac
    shift
    IFS=, read -ra names <<<"$names"
    for name in "${names[@]}"; do
      known=""
      [[ " ${ALL_ENGINES[*]} " == *" $name "* ]] && known=1
      [ -n "$known" ] || { echo "unknown engine '$name': one of ${ALL_ENGINES[*]}" >&2; return 2; }
      ENGINES+=("$name")
    done
  done
  [ ${#ENGINES[@]} -gt 0 ] || ENGINES=("${ALL_ENGINES[@]}")
}

# on_engine ENGINE COMMAND...: runs COMMAND (wasm-bindgen-test-runner) with ENGINE's
# WebDriver, and no other, in the variables the runner reads: it would take GECKODRIVER
# over SAFARIDRIVER over CHROMEDRIVER. WebKit goes through the runner's Safari path,
# on a virtual display.
on_engine() {
  local engine=$1
  shift
  case "$engine" in
    chromium)
      env -u GECKODRIVER -u SAFARIDRIVER CHROMEDRIVER="$(command -v chromedriver)" "$@" ;;
    firefox)
      env -u SAFARIDRIVER -u CHROMEDRIVER GECKODRIVER="$(command -v geckodriver)" "$@" ;;
    webkit)
      env -u GECKODRIVER -u CHROMEDRIVER SAFARIDRIVER="$(command -v WebKitWebDriver)" \
        xvfb-run -a "$@" ;;
    *) echo "unknown engine '$engine'" >&2; return 2 ;;
  esac
}

# run_browser_tests DIR CARGO-TEST-ARGS...: builds the browser tests of the crate in DIR
# once (`cargo test --no-run` for wasm32 with those arguments, such as `--test
# browser`), then runs those same wasm files on every engine of ENGINES, from DIR (where
# the runner reads webdriver.json, Chromium's options; the other engines' drivers ignore
# them). The tests spend their time waiting on timers and the network, not the CPU, so
# Chromium and Firefox run side by side, in about the time of the slower alone, each
# one's output shown whole when both have ended. WebKit runs after them, alone: beside
# the two others its web process crashed in one run of six, and in another four of the
# share tests timed out, where alone it passes. BROWSER_TESTS_IN_TURN=1 runs every engine
# in turn. Fails when any engine failed. The caller sets WASM_BINDGEN_TEST_TIMEOUT, and
# SSE_SERVER_URL when the tests need sse-server.
run_browser_tests() {
  local dir=$1 engine wasm build
  shift
  # Sourced without scripts/test's selection (ENGINES unset or empty): every engine.
  [ -n "${ENGINES+x}" ] || ENGINES=("${ALL_ENGINES[@]}")
  say "$dir: building the browser tests once, for ${ENGINES[*]}"
  build=$(mktemp)
  # Diagnostics go to the terminal as usual; the JSON names the test files built.
  (cd "$dir" && cargo test --target wasm32-unknown-unknown --no-run \
    --message-format=json-render-diagnostics "$@" >"$build")
  local -a wasms
  mapfile -t wasms < <(sed -n 's/.*"executable":"\([^"]*\.wasm\)".*/\1/p' "$build")
  rm -f "$build"
  if [ ${#wasms[@]} -eq 0 ]; then
    echo "$dir: cargo built no browser test for: $*" >&2
    return 1
  fi
  local -a together=() alone=()
  for engine in "${ENGINES[@]}"; do
    if [ "$engine" = webkit ] || [ "${BROWSER_TESTS_IN_TURN:-}" = 1 ]; then
      alone+=("$engine")
    else
      together+=("$engine")
    fi
  done
  if [ ${#together[@]} -gt 1 ]; then
    run_engines_at_once "$dir" "${together[@]}" -- "${wasms[@]}" || return 1
  elif [ ${#together[@]} -eq 1 ]; then
    alone=("${together[0]}" "${alone[@]}")
  fi
  for engine in "${alone[@]}"; do
    run_tests_on_engine "$dir" "$engine" "${wasms[@]}" || return 1
  done
}

# run_engines_at_once DIR ENGINE... -- WASM...: the test files on those engines side by
# side; each engine's output is shown whole when all have ended, in the order given.
# Fails when any engine failed. Each engine's run is a job of its own process group
# (`set -m`), so that an interrupt ends it with its runner, driver and browser: a
# script's background commands would otherwise ignore SIGINT, and run on.
run_engines_at_once() {
  local dir=$1 engine
  shift
  local -a engines=()
  while [ "$1" != -- ]; do
    engines+=("$1")
    shift
  done
  shift
  say "$dir: running on ${engines[*]} at once"
  local -A logs=() pids=()
  for engine in "${engines[@]}"; do
    logs[$engine]=$(mktemp)
    set -m
    run_tests_on_engine "$dir" "$engine" "$@" >"${logs[$engine]}" 2>&1 &
    pids[$engine]=$!
    set +m
  done
  # Ended from outside (Ctrl-C, CI's time limit): the engines' runs end too. The
  # caller's traps come back afterwards.
  local callers_traps
  callers_traps=$(trap -p INT TERM)
  trap 'kill -TERM -- $(printf -- "-%s " "${pids[@]}") 2>/dev/null; rm -f "${logs[@]}"; exit 130' INT
  trap 'kill -TERM -- $(printf -- "-%s " "${pids[@]}") 2>/dev/null; rm -f "${logs[@]}"; exit 143' TERM
  local -a failed_engines=()
  for engine in "${engines[@]}"; do
    wait "${pids[$engine]}" || failed_engines+=("$engine")
    cat "${logs[$engine]}"
    rm -f "${logs[$engine]}"
  done
  trap - INT TERM
  eval "$callers_traps"
  if [ ${#failed_engines[@]} -gt 0 ]; then
    echo "$dir: browser tests failed on ${failed_engines[*]} (output above)" >&2
    return 1
  fi
}

# run_tests_on_engine DIR ENGINE WASM...: runs each test file on ENGINE, in turn, from
# DIR; stops at the first file that fails.
run_tests_on_engine() {
  local dir=$1 engine=$2 wasm started=$SECONDS
  shift 2
  for wasm in "$@"; do
    say "$dir: $(basename "${wasm%-*}") on $engine"
    # The runner skips a file that is not for a browser only when told to.
    (cd "$dir" && WASM_BINDGEN_TEST_ONLY_WEB=1 on_engine "$engine" wasm-bindgen-test-runner "$wasm") ||
      return 1
  done
  say "$dir: passed on $engine in $((SECONDS - started)) s"
}
