# shellcheck shell=bash
# `scripts/demo dioxus`: the Dioxus example (integrations/dioxus/example), MDN's list of
# server-sent events rendered by a component using the hooks. See example.sh for the
# build (release; DEMO_PROFILE=dev for debug), the server and PORT. The `dx` CLI is not
# needed: wasm-pack builds it as it does the Yew example.
# Sourced by scripts/demo from the repository root, after tools.sh.
source scripts/lib/example.sh

demo_dioxus() {
  serve_example Dioxus integrations/dioxus/example
}
