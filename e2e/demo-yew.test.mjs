// End-to-end test of the Yew example: starts it as a user would (`scripts/demo yew`, on a
// free port), loads the page in headless Chromium and checks what a person would see.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { openPage as open, root, useDemo } from "./lib/demo.mjs";
import { assertNoGapNoRepeat, ids, items, waitForItems, withoutId } from "./lib/items.mjs";

// A debug build (what the browser tests already compiled) proves the same page as the
// release one and saves scripts/test a release build of Yew; scripts/bench builds the
// release one. DEMO_PROFILE=release node --test e2e/ tests that instead.
const demo = useDemo(["yew"], { DEMO_PROFILE: process.env.DEMO_PROFILE ?? "dev" });
const openPage = (path) => open(demo, path);

test("items appear in order with their ids, and the state is Open", async () => {
  const { page, errors } = await openPage();
  const loaded = Date.now();
  await waitForItems(page, 1, 2_000);
  console.log(`first item ${Date.now() - loaded} ms after load`);
  const list = await waitForItems(page, 3);
  assertNoGapNoRepeat(list, "the first items");
  assert.ok(list.filter((text) => withoutId(text).startsWith("ping at ")).length >= 2, `pings: ${list}`);
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
  assertNoGapNoRepeat(resumed, "Reconnect resumes after the last id");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a stream from ?url= is listed whole, its data shown as text", async () => {
  const payload = "<img src=x onerror=alert(1)>";
  const stream = `/test/stream?count=20&batch=20&data=${encodeURIComponent(payload)}`;
  const { page, dialogs } = await openPage(`/?url=${encodeURIComponent(stream)}`);
  await page.waitForFunction(() => document.querySelectorAll("#events li").length === 20);
  const list = await items(page);
  assert.deepEqual(ids(list), Array.from({ length: 20 }, (_, i) => i + 1));
  assert.ok(list.every((text) => withoutId(text) === `message: ${payload}`), "data as text");
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
