# shellcheck shell=bash
# `scripts/demo yew`: the Yew example (integrations/yew/example), MDN's list of
# server-sent events rendered by a component using the hooks. See example.sh for the
# build (release; DEMO_PROFILE=dev for debug), the server and PORT.
# Sourced by scripts/demo from the repository root, after tools.sh.
source scripts/lib/example.sh

demo_yew() {
  serve_example Yew integrations/yew/example
}
