// Headless Chromium as every end-to-end test here launches it: Debian's chromium (or
// $CHROMIUM), with the flags this machine's closed network needs (no background
// networking, no component updates, no QUIC). Takes playwright-core's `chromium` from
// the caller, so that this module imports nothing and any package can use it.

/** The flags every test's Chromium runs with. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches headless Chromium through playwright-core's `chromium`, with `extraArgs`. */
export function launchChromium(chromium, extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}
