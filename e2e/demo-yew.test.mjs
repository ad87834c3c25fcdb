// End-to-end test of the Yew example: starts it as a user would (`scripts/demo yew`, on a
// free port), loads the page in headless Chromium and checks what a person would see.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
// The first run builds the wasm in release; later ones find it built.
const START_TIMEOUT_MS = 20 * 60 * 1000;

let demo;
let demoExit;
let base;
let browser;

before(async () => {
  demo = spawn(join(root, "scripts/demo"), ["yew"], {
    cwd: root,
    env: { ...process.env, PORT: "0" },
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
    demoExit.then(({ code }) => reject(new Error(`scripts/demo yew exited (${code}) before serving`)));
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
    assert.equal(code, 0, "scripts/demo yew stops cleanly on Ctrl-C");
  }
});

// Each item: "#<id> message: <data>" or "#<id> ping at <time>".
const ITEM = /^#(\d+) (message: .+|ping at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z)$/;

/** The items as [id, text] pairs, in page order. */
async function items(page) {
  const texts = await page.locator("#events li").allTextContents();
  return texts.map((text) => {
    const found = text.match(ITEM);
    assert.ok(found, `an item as expected: ${JSON.stringify(text)}`);
    return [Number(found[1]), found[2]];
  });
}

async function waitForItems(page, count, timeout = 10_000) {
  await page.waitForFunction((n) => document.querySelectorAll("#events li").length >= n, count, { timeout });
  return items(page);
}

function assertConsecutive(list) {
  const ids = list.map(([id]) => id);
  for (let i = 1; i < ids.length; i++) {
    assert.equal(ids[i], ids[i - 1] + 1, `ids follow on, no gap or repeat: ${ids}`);
  }
}

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

test("items appear in order with their ids, and the state is Open", async () => {
  const { page, errors } = await openPage();
  const loaded = Date.now();
  await waitForItems(page, 1, 2_000);
  console.log(`first item ${Date.now() - loaded} ms after load`);
  const list = await waitForItems(page, 3);
  assertConsecutive(list);
  assert.ok(list.filter(([, text]) => text.startsWith("ping at ")).length >= 2, `pings: ${list}`);
  assert.equal(await page.textContent("#state"), "Open");
  assert.deepEqual(errors, []);
  mkdirSync(join(root, "target/e2e"), { recursive: true });
  await page.screenshot({ path: join(root, "target/e2e/demo-yew.png") });
  await page.close();
});

test("Close stops the items; Reconnect resumes after the last id", async () => {
  const { page, errors } = await openPage();
  await waitForItems(page, 2);
  await page.click("#close");
  await page.waitForFunction(() => document.getElementById("state").textContent === "Closed");
  const atClose = (await items(page)).length;
  await page.waitForTimeout(2_500); // more than two ping intervals
  assert.equal((await items(page)).length, atClose, "no item after Close");

  await page.click("#reconnect");
  await page.waitForFunction(() => document.getElementById("state").textContent === "Open");
  const resumed = await waitForItems(page, atClose + 2);
  assertConsecutive(resumed);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a stream from ?url= is listed whole, its data shown as text", async () => {
  const payload = "<img src=x onerror=alert(1)>";
  const stream = `/test/stream?count=20&batch=20&data=${encodeURIComponent(payload)}`;
  const { page, dialogs } = await openPage(`/?url=${encodeURIComponent(stream)}`);
  await page.waitForFunction(() => document.querySelectorAll("#events li").length === 20);
  const list = await items(page);
  assert.deepEqual(list.map(([id]) => id), Array.from({ length: 20 }, (_, i) => i + 1));
  assert.ok(list.every(([, text]) => text === `message: ${payload}`), "data as text");
  assert.equal(await page.locator("#events img").count(), 0, "no element was created");
  await page.waitForTimeout(300);
  assert.deepEqual(dialogs, [], "no script ran");
  assert.equal(await page.inputValue("#url"), stream, "?url= fills the URL box");
  await page.close();
});

test("a bad URL is reported on the page, not thrown", async () => {
  const { page, errors } = await openPage(`/?url=${encodeURIComponent("http://[::1")}`);
  await page.waitForFunction(() => document.getElementById("state").textContent === "Closed");
  assert.match(await page.textContent("#error"), /invalid event source URL/);
  assert.deepEqual(errors, []);
  await page.close();
});
