// What every end-to-end test of a demo does: start `scripts/demo [NAME]` as a user would
// (on a free port), wait for the URL it prints, drive the page in headless Chromium, and
// stop the demo with Ctrl-C at the end, checking that it stops cleanly.
import { after, before } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { launchChromium } from "./browser.mjs";

export const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
// The first run builds the wasm; later ones find it built.
const START_TIMEOUT_MS = 20 * 60 * 1000;

/**
 * Registers the before/after hooks that run `scripts/demo ...args` (with `env` added to
 * the environment) for the test file and returns `{ base, browser }`, filled in once the
 * demo serves.
 */
export function useDemo(args = [], env = {}) {
  const demo = { base: undefined, browser: undefined };
  let child;
  let exited;
  before(async () => {
    child = spawn(join(root, "scripts/demo"), args, {
      cwd: root,
      env: { ...process.env, ...env, PORT: "0" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
    demo.base = await new Promise((resolve, reject) => {
      let seen = "";
      child.stdout.on("data", (chunk) => {
        seen += chunk;
        process.stderr.write(chunk);
        const found = seen.match(/open (http:\/\/\S+?)\/ in a browser/);
        if (found) resolve(found[1]);
      });
      exited.then(({ code }) => reject(new Error(`scripts/demo ${args.join(" ")} exited (${code}) before serving`)));
    });
    demo.browser = await launchChromium(chromium);
  }, { timeout: START_TIMEOUT_MS });

  after(async () => {
    await demo.browser?.close();
    if (child && child.exitCode === null) {
      child.kill("SIGINT");
      const { code } = await exited;
      assert.equal(code, 0, `scripts/demo ${args.join(" ")} stops cleanly on Ctrl-C`);
    }
  });
  return demo;
}

/**
 * Opens `path` of the demo in a new page; collects the page's dialogs (dismissed) and
 * uncaught errors.
 */
export async function openPage(demo, path = "/") {
  const page = await demo.browser.newPage();
  const dialogs = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(demo.base + path);
  return { page, dialogs, errors };
}
