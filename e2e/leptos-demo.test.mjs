// End-to-end test of the Leptos example: starts it as a user would (scripts/demo leptos,
// on a free port), loads the page in headless Chromium and checks what a person would
// see. DEMO_PROFILE defaults to dev here: a debug build proves the same page and spares
// CI a release build of Leptos (set DEMO_PROFILE=release to check that one).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
// The first run builds the wasm; later ones find it built.
const START_TIMEOUT_MS = 20 * 60 * 1000;

let demo;
let demoExit;
let base;
let browser;

before(async () => {
  demo = spawn(join(root, "scripts/demo"), ["leptos"], {
    cwd: root,
    env: { ...process.env, PORT: "0", DEMO_PROFILE: process.env.DEMO_PROFILE ?? "dev" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  demoExit = new Promise((resolve) => demo.on("exit", (code, signal) => resolve({ code, signal })));
  base = await new Promise((resolve, reject) => {
    let seen = "";
    demo.stdout.on("data", (chunk) => {
      seen += chunk;
      process.stderr.write(chunk);
      const found = seen.match(/open (http:\/\/\S+?)\/ in a browser/);
      if (found) resolve(found[1]);
    });
    demoExit.then(({ code }) => reject(new Error(`scripts/demo leptos exited (${code}) before serving`)));
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}, { timeout: START_TIMEOUT_MS });

after(async () => {
  await browser?.close();
  if (demo && demo.exitCode === null) {
    demo.kill("SIGINT");
    const { code } = await demoExit;
    assert.equal(code, 0, "scripts/demo leptos stops cleanly on Ctrl-C");
  }
});

// "#<id> ping at <time>" or "#<id> message: <text>"
const ITEM = /^#(\d+) (message: .+|ping at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z)$/;

async function items(page) {
  return page.locator("#events li").allTextContents();
}

async function waitForItems(page, count, timeout = 10_000) {
  await page.waitForFunction((n) => document.querySelectorAll("#events li").length >= n, count, { timeout });
  return items(page);
}

const ids = (list) => list.map((text) => Number(text.match(ITEM)?.[1]));

async function openPage(path = "/") {
  const page = await browser.newPage();
  const dialogs = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(base + path);
  return { page, dialogs, errors };
}

test("events appear in order with their ids, and the state is open", async () => {
  const { page, errors } = await openPage();
  const loaded = Date.now();
  await waitForItems(page, 1, 5_000);
  console.log(`first item ${Date.now() - loaded} ms after load`);
  const list = await waitForItems(page, 3);
  for (const text of list) assert.match(text, ITEM);
  const seen = ids(list);
  assert.deepEqual(seen, seen.map((_, i) => seen[0] + i), `consecutive ids: ${list}`);
  assert.equal(await page.textContent("#state"), "open");
  assert.equal(await page.textContent("#last-id"), String(seen.at(-1)));
  assert.deepEqual(errors, []);
  mkdirSync(join(root, "target/e2e"), { recursive: true });
  await page.screenshot({ path: join(root, "target/e2e/leptos-demo.png") });
  await page.close();
});

test("Close stops the events; Reconnect resumes after the last id, with no repeat", async () => {
  const { page, errors } = await openPage();
  await waitForItems(page, 2);
  await page.click("#close");
  await page.waitForFunction(() => document.getElementById("state").textContent === "closed");
  const atClose = await items(page);
  await page.waitForTimeout(2_500); // more than two ping intervals
  assert.deepEqual(await items(page), atClose, "no item after Close");

  await page.click("#reconnect");
  await page.waitForFunction(() => document.getElementById("state").textContent === "open");
  const resumed = await waitForItems(page, atClose.length + 2);
  for (const text of resumed) assert.match(text, ITEM);
  const seen = ids(resumed);
  assert.ok(seen.every((id, i) => i === 0 || id > seen[i - 1]), `ids only grow: ${seen}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test("event data is shown as text, never run as HTML", async () => {
  const payload = "<img src=x onerror=alert(1)>";
  const stream = `/test/stream?count=2&data=${encodeURIComponent(payload)}`;
  const { page, dialogs } = await openPage(`/?url=${encodeURIComponent(stream)}`);
  const list = await waitForItems(page, 2);
  assert.deepEqual(list, [`#1 message: ${payload}`, `#2 message: ${payload}`]);
  assert.equal(await page.locator("#events img").count(), 0, "no element was created");
  await page.waitForTimeout(300);
  assert.deepEqual(dialogs, [], "no script ran");
  assert.equal(await page.textContent("#url"), stream, "?url= picks the stream");
  await page.close();
});

test("a bad URL is reported on the page, not thrown", async () => {
  const { page, errors } = await openPage(`/?url=${encodeURIComponent("http://[::1")}`);
  await page.waitForFunction(() => document.getElementById("error").textContent.length > 0);
  assert.match(await page.textContent("#error"), /invalid event source URL/);
  assert.equal(await page.textContent("#state"), "closed");
  assert.deepEqual(errors, []);
  await page.close();
});
