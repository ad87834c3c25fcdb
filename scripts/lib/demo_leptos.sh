# shellcheck shell=bash
# `scripts/demo leptos`: the Leptos example (integrations/leptos/example), MDN's list of
# server-sent events rendered client-side by a component using use_event_source. See
# example.sh for the build (release; DEMO_PROFILE=dev for debug), the server and PORT.
# Sourced by scripts/demo from the repository root, after tools.sh.
source scripts/lib/example.sh

demo_leptos() {
  serve_example Leptos integrations/leptos/example
}
