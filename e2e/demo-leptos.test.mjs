// End-to-end test of the Leptos example: starts it as a user would (scripts/demo leptos,
// on a free port), loads the page in headless Chromium and checks what a person would
// see. DEMO_PROFILE defaults to dev here: a debug build proves the same page and spares
// CI a release build of Leptos (set DEMO_PROFILE=release to check that one).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { openPage as open, root, useDemo } from "./lib/demo.mjs";
import { assertNoGapNoRepeat, ids, items, waitForItems } from "./lib/items.mjs";

const demo = useDemo(["leptos"], { DEMO_PROFILE: process.env.DEMO_PROFILE ?? "dev" });
const openPage = (path) => open(demo, path);

test("events appear in order with their ids, and the state is open", async () => {
  const { page, errors } = await openPage();
  const loaded = Date.now();
  await waitForItems(page, 1, 5_000);
  console.log(`first item ${Date.now() - loaded} ms after load`);
  const list = await waitForItems(page, 3);
  assertNoGapNoRepeat(list, "the first items");
  const seen = ids(list);
  assert.equal(await page.textContent("#state"), "open");
  assert.equal(await page.textContent("#last-id"), String(seen.at(-1)));
  assert.deepEqual(errors, []);
  mkdirSync(join(root, "target/e2e"), { recursive: true });
  await page.screenshot({ path: join(root, "target/e2e/demo-leptos.png") });
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
  assertNoGapNoRepeat(resumed, "Reconnect resumes after the last id");
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
