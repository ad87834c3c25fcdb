// End-to-end test of the Dioxus example: starts it as a user would (`scripts/demo dioxus`,
// on a free port), loads the page in headless Chromium and checks what a person would see.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { demoPageTests, linksNoSharingTest } from "./lib/cases.mjs";
import { openPage as open, root, useDemo } from "./lib/demo.mjs";
import { assertNoGapNoRepeat, waitForItems, withoutId } from "./lib/items.mjs";

// A debug build (what the browser tests already compiled) proves the same page as the
// release one and saves scripts/test a release build of Dioxus; scripts/bench builds the
// release one. DEMO_PROFILE=release node --test e2e/ tests that instead.
const demo = useDemo(["dioxus"], { DEMO_PROFILE: process.env.DEMO_PROFILE ?? "dev" });
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
  await page.screenshot({ path: join(root, "target/e2e/demo-dioxus.png") });
  await page.close();
});

demoPageTests(openPage, { open: "Open", closed: "Closed" });

linksNoSharingTest(join(root, "integrations/dioxus/example/www/pkg/web_eventsource_dioxus_example.js"));
