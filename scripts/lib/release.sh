# shellcheck shell=bash
# Release checks, called by scripts/test (`test_release`, with tools.sh sourced, from the
# repository root): every crate meant for the registry packages cleanly and ships only what
# its users need, its docs build without a warning as docs.rs builds them, and it still
# builds with the Rust version it declares. `check_npm_publish` is the npm package's
# counterpart, called by scripts/lib/test_npm.sh.
#
# The published crates are the workspace members without `publish = false`: a new one (the
# Dioxus hooks, say) is checked as soon as it joins the workspace.

# Paths no package may ship (the repository's tooling, tests and screenshots), and the
# largest file one may ship.
RELEASE_FORBIDDEN_DIRS="scripts e2e bench docs www"
RELEASE_MAX_FILE_BYTES=$((100 * 1024))

# toml_value FILE SECTION KEY: the value of a plain `KEY = "value"` line in [SECTION]. The
# manifests here are simple enough for this, and check_packages compares what it reads
# with the manifest cargo writes into each package.
toml_value() {
  awk -v section="[$2]" -v key="$3" '
    /^\[/ { in_section = ($0 == section); next }
    in_section && $1 == key && $2 == "=" { gsub(/"/, "", $3); print $3; exit }
  ' "$1"
}

# crate_field DIR KEY: KEY of the package in DIR, following `KEY.workspace = true` to the
# root's [workspace.package].
crate_field() {
  local value
  value=$(toml_value "$1/Cargo.toml" package "$2")
  if [ -z "$value" ] && grep -qx "$2.workspace = true" "$1/Cargo.toml"; then
    value=$(toml_value Cargo.toml workspace.package "$2")
  fi
  printf '%s\n' "$value"
}

# published_crates: one line per published crate, "DIR NAME VERSION RUST-VERSION", read
# from the manifests alone (no cargo: scripts/test-setup runs this with a stub cargo).
published_crates() {
  local dir name version rust_version
  while read -r dir; do
    grep -qx 'publish = false' "$dir/Cargo.toml" && continue
    name=$(crate_field "$dir" name)
    version=$(crate_field "$dir" version)
    rust_version=$(crate_field "$dir" rust-version)
    if [ -z "$name" ] || [ -z "$version" ] || [ -z "$rust_version" ]; then
      echo "$dir/Cargo.toml: a published crate needs a name, a version and a rust-version" >&2
      return 1
    fi
    echo "$dir $name $version $rust_version"
  done < <(awk '
    /^members = \[/ { in_members = 1; next }
    in_members && /^\]/ { exit }
    in_members && !/^[[:space:]]*#/ { gsub(/[",[:space:]]/, ""); if ($0 != "") print }
  ' Cargo.toml)
}

# msrv_versions: the distinct rust-versions the published crates declare.
msrv_versions() {
  local crates
  crates=$(published_crates)
  awk '!seen[$4]++ { print $4 }' <<<"$crates"
}

# Each declared rust-version as a rustup toolchain (minimal profile) with the wasm32
# target, installing only what is missing. Toolchains are named exactly as declared
# ("1.81", not "1.81.0"), which is what `cargo +1.81` asks rustup for.
ensure_msrv_toolchains() {
  local versions version toolchains targets
  versions=$(msrv_versions)
  toolchains=$(rustup toolchain list)
  for version in $versions; do
    if ! grep -q "^${version//./\\.}-" <<<"$toolchains"; then
      say "installing Rust $version, a published crate's rust-version (minimal profile)"
      rustup toolchain install "$version" --profile minimal
    fi
    targets=$(rustup target list --installed --toolchain "$version")
    if ! grep -qx wasm32-unknown-unknown <<<"$targets"; then
      say "adding the wasm32-unknown-unknown target to Rust $version"
      rustup target add wasm32-unknown-unknown --toolchain "$version"
    fi
  done
}

# The published crates package with `cargo package`, and ship nothing from the forbidden
# directories and no file over the limit. They are packaged in one command: cargo then
# resolves an integration's dependency on the core against the core being packaged, which
# is not in the registry yet. --no-verify: the other checks build them; --offline: what the
# packages' lock files need, the builds before this one fetched (scripts/test runs it after
# them); --allow-dirty: a developer runs scripts/test before committing.
check_packages() {
  local crates names=() dir name version rust_version crate_file manifest listing bad
  crates=$(published_crates)
  while read -r dir name version rust_version; do names+=(-p "$name"); done <<<"$crates"

  say "cargo package --no-verify --locked --offline ${names[*]}"
  # Leaving the tests, examples and benches out of a package is the point of `include`: cargo's
  # warning for each of them is dropped here, the rest of its output kept.
  cargo package --no-verify --locked --offline --allow-dirty "${names[@]}" 2>&1 |
    { grep -v '^warning: ignoring \(test\|example\|bench\) .* is not included in the published package$' || true; }

  while read -r dir name version rust_version; do
    crate_file="${CARGO_TARGET_DIR:-target}/package/$name-$version.crate"
    # Cargo's own reading of the manifest, workspace inheritance resolved, must agree with
    # published_crates', which decides the toolchains check_msrv uses. Read whole before
    # grep sees it: `tar ... | grep -q` under pipefail fails when grep stops reading
    # before tar has written the rest (SIGPIPE), as it did once in scripts/test.
    manifest=$(tar -xzOf "$crate_file" "$name-$version/Cargo.toml")
    if ! grep -qx "rust-version = \"$rust_version\"" <<<"$manifest"; then
      echo "$name: cargo does not read rust-version $rust_version in $dir/Cargo.toml" >&2
      return 1
    fi
    # What ships, read from the .crate itself: the files cargo generates (Cargo.lock, the
    # normalised Cargo.toml) and the licenses behind symlinks, at the size they ship at.
    listing=$(tar -tvzf "$crate_file" | awk '{ path = $6; sub(/^[^\/]*\//, "", path); print $3, path }')
    awk -v name="$name" -v crate_bytes="$(wc -c <"$crate_file")" '
      { files++; bytes += $1; printf "    %8d  %s\n", $1, $2 }
      END { printf "  %s: %d files, %.1f KiB, %.1f KiB packed\n", name, files, bytes / 1024, crate_bytes / 1024 }
    ' <<<"$listing" >&2
    bad=$(awk -v max="$RELEASE_MAX_FILE_BYTES" -v dirs="$RELEASE_FORBIDDEN_DIRS" '
      BEGIN { n = split(dirs, d, " ") }
      $1 > max { print "  " $2 ": " $1 " bytes, over the " max "-byte limit" }
      { for (i = 1; i <= n; i++) if (index($2, d[i] "/") == 1) print "  " $2 ": under " d[i] "/" }
    ' <<<"$listing")
    if [ -n "$bad" ]; then
      printf '%s ships what it must not (fix the include list in %s/Cargo.toml):\n%s\n' \
        "$name" "$dir" "$bad" >&2
      return 1
    fi
  done <<<"$crates"
}

# The docs of every published crate, for wasm32 (the docs.rs target), without a warning.
check_docs() {
  local crates names=() dir name version rust_version
  crates=$(published_crates)
  while read -r dir name version rust_version; do names+=(-p "$name"); done <<<"$crates"
  say "cargo doc --no-deps for wasm32, -D warnings: ${names[*]}"
  RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --locked --target wasm32-unknown-unknown \
    "${names[@]}"
}

# Every published crate builds for wasm32 with the Rust it declares and the dependency
# versions of Cargo.lock. Old toolchains build into target/msrv-<version>, so that they do
# not invalidate the main build's artifacts.
check_msrv() {
  local crates dir name version rust_version
  ensure_msrv_toolchains
  crates=$(published_crates)
  while read -r dir name version rust_version; do
    say "MSRV: $name on Rust $rust_version (wasm32, locked dependencies)"
    cargo "+$rust_version" check -p "$name" --locked --target wasm32-unknown-unknown \
      --target-dir "${CARGO_TARGET_DIR:-target}/msrv-$rust_version"
  done <<<"$crates"
}

test_release() {
  check_packages
  check_docs
  check_msrv
}

# check_npm_publish TARBALL: npm would publish the packed package as it is (`npm publish
# --dry-run`), with nothing to correct in its package.json. The dry run runs in the
# tarball's contents, unpacked: given the tarball itself, npm corrects a package.json
# without a word. --offline: a dry run still asks the registry whether the version exists
# (and, when it cannot reach it, retries for a minute); offline, npm skips the question. No
# login is needed for a dry run, and the developer's own npm config (registry, tokens) stays
# out of it.
check_npm_publish() {
  local unpacked output status=0
  say "npm publish --dry-run --offline, in ${1#"$PWD/"} unpacked"
  unpacked=$(mktemp -d)
  tar -xzf "$1" -C "$unpacked"
  output=$(cd "$unpacked/package" &&
    npm publish --dry-run --offline --ignore-scripts --no-update-notifier --userconfig /dev/null 2>&1) ||
    status=$?
  rm -rf "$unpacked"
  printf '%s\n' "$output" >&2
  if [ "$status" -ne 0 ]; then
    return "$status"
  fi
  # What npm would publish is the tarball, byte for byte (npm packs reproducibly).
  if ! grep -q "shasum: *$(sha1sum "$1" | awk '{ print $1 }')" <<<"$output"; then
    echo "npm would publish other bytes than ${1#"$PWD/"}: was it packed by this npm (scripts/npm-pack)?" >&2
    return 1
  fi
  if grep -q 'auto-corrected' <<<"$output"; then
    echo "npm had to correct the package's package.json: fix npm/package.template.json" >&2
    return 1
  fi
}
