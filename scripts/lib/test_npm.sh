# shellcheck shell=bash
# The npm package's tests, called by scripts/test after the library's browser tests
# (tools set up, tools.sh sourced): it packs the package (debug build: these tests check
# behaviour; scripts/bench measures the release build's size), installs the tarball into
# the Vite app in npm/e2e/vite-app, type-checks it with tsc --strict (including the
# wrong uses that must not compile, `using` against the ESNext library, and every
# README's and the .d.ts's examples, taken out by npm/e2e/readme-blocks.mjs), builds it
# with vite build, then runs npm/e2e in headless Chromium against a fresh sse-server that
# also serves the two pages.
test_npm() {
  local stage=target/npm-e2e/www tarball version
  ensure_node

  say "npm package: clippy (wasm32 and native)"
  cargo clippy -p web-eventsource-js --target wasm32-unknown-unknown --all-targets -- -D warnings
  cargo clippy -p web-eventsource-js --all-targets -- -D warnings
  # Without the fetch transport: the build scripts/bench measures it against.
  cargo clippy -p web-eventsource-js --target wasm32-unknown-unknown --no-default-features -- -D warnings

  say "npm package: scripts/npm-pack --dev"
  scripts/npm-pack --dev
  version=$(awk -F'"' '/^version = / { print $2; exit }' npm/Cargo.toml)
  tarball="$PWD/target/npm/web-eventsource-$version.tgz"
  source scripts/lib/release.sh && check_npm_publish "$tarball"

  say "npm package: the Vite app installs the tarball, tsc --strict --noEmit, vite build"
  rm -rf "$stage"
  mkdir -p "$stage/plain/web-eventsource"
  (
    cd npm/e2e/vite-app || return
    # What package-lock.json pins, plus the tarball, without touching either file. (Not
    # `npm ci`: the lock npm writes here leaves out other platforms' optional packages,
    # which `npm ci` then reports as missing.)
    npm install --loglevel=error --no-save --no-audit --no-fund --prefer-offline "$tarball"
    npx --no-install tsc --strict --noEmit -p .
    # `using`, against TypeScript's ESNext library.
    npx --no-install tsc --strict --noEmit -p tsconfig.esnext.json
    # Every JS/TS example of the READMEs and of the .d.ts, as a user pastes them.
    node ../readme-blocks.mjs readme
    npx --no-install tsc --strict --noEmit -p tsconfig.readme.json
    npx --no-install vite build --logLevel warn --outDir "../../../$stage/vite" --emptyOutDir
  )

  say "npm package: the plain page on the web build, unpacked from the tarball"
  cp npm/e2e/plain/index.html "$stage/plain/"
  tar -xzf "$tarball" -C "$stage/plain/web-eventsource" --strip-components=1

  say "npm package: end-to-end tests (headless Chromium)"
  (cd npm/e2e && npm ci --loglevel=error --no-audit --no-fund --prefer-offline)
  start_sse_server debug 0 "$stage"
  SSE_SERVER_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/sse-server" NPM_TARBALL="$tarball" \
    CHROMIUM=$(command -v chromium) node --test npm/e2e/*.test.mjs
  stop_sse_server
}
