# Sizes of the Yew integration, called by scripts/bench after its own size apps (tools
# set up, tools.sh sourced): the example app as `scripts/demo yew` serves it, and two
# minimal Yew apps, one on the hooks and one on the core crate directly, to show what the
# hooks add. Prints a table and writes target/bench-yew-size.json.
# shellcheck shell=bash

# Prints "raw gzip" for the files given: their total size, and the total of each
# compressed on its own with gzip -9 (as a server would send them).
yew_sizes() {
  local raw=0 gz=0 file
  for file in "$@"; do
    raw=$((raw + $(wc -c <"$file")))
    gz=$((gz + $(gzip -9 -c "$file" | wc -c)))
  done
  echo "$raw $gz"
}

bench_yew() {
  local target="${CARGO_TARGET_DIR:-target}" out app example
  local -a wasm example_app hooks core options options_fetch sizes features
  say "yew: building the example app (release, wasm-opt) and the minimal apps"
  wasm-pack --quiet build integrations/yew/example --release --target web \
    --out-dir www/pkg --no-typescript --no-pack
  out=integrations/yew/example/www/pkg
  read -r -a wasm < <(yew_sizes "$out/web_eventsource_yew_example_bg.wasm")
  read -r -a example_app < <(yew_sizes "$out/web_eventsource_yew_example_bg.wasm" \
    "$out/web_eventsource_yew_example.js")

  # options_fetch: the options app built with the crate's `fetch` feature, last, so that
  # the feature's rebuild of the crate comes after every app built without it.
  for app in hooks core options options_fetch; do
    example="size_yew_${app%_fetch}"
    features=()
    [ "$app" = options_fetch ] && features=(--features web-eventsource-yew/fetch)
    out="$target/bench-size/yew_$app"
    cargo build --quiet --release --target wasm32-unknown-unknown \
      -p web-eventsource-yew-example --example "$example" "${features[@]}"
    wasm-bindgen --target web --no-typescript --out-dir "$out" \
      "$target/wasm32-unknown-unknown/release/examples/$example.wasm"
    optimize_wasm "$out/${example}_bg.wasm" "$out/opt.wasm"
    read -r -a sizes < <(yew_sizes "$out/opt.wasm" "$out/$example.js")
    case $app in
      hooks) hooks=("${sizes[@]}") ;;
      core) core=("${sizes[@]}") ;;
      options) options=("${sizes[@]}") ;;
      options_fetch) options_fetch=("${sizes[@]}") ;;
    esac
  done

  mkdir -p "$target"
  printf '{"example":{"raw":%d,"gzip":%d},"example_wasm":{"raw":%d,"gzip":%d},"hooks":{"raw":%d,"gzip":%d},"core":{"raw":%d,"gzip":%d},"options":{"raw":%d,"gzip":%d},"options_fetch":{"raw":%d,"gzip":%d}}\n' \
    "${example_app[@]}" "${wasm[@]}" "${hooks[@]}" "${core[@]}" "${options[@]}" \
    "${options_fetch[@]}" >"$target/bench-yew-size.json"
  printf '| Yew app (wasm after wasm-opt + JS glue) | bytes | gzip -9 |\n| --- | ---: | ---: |\n'
  printf '| example app (scripts/demo yew) | %d | %d |\n' "${example_app[@]}"
  printf '| minimal app on the hooks | %d | %d |\n' "${hooks[@]}"
  printf '| minimal app on the core crate | %d | %d |\n' "${core[@]}"
  printf '| the hooks app with options (a policy) | %d | %d |\n' "${options[@]}"
  printf '| the same, built with the "fetch" feature | %d | %d |\n' "${options_fetch[@]}"
  printf 'What the hooks add: %d B gzipped (%d B raw). The example app'"'"'s wasm alone: %d B gzipped.\n' \
    $((hooks[1] - core[1])) $((hooks[0] - core[0])) "${wasm[1]}"
  check_options_fetch_feature yew "${options[1]}" "${options_fetch[1]}"
}
