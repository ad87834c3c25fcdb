// End-to-end test of the Leptos example: starts it as a user would (scripts/demo leptos,
// on a free port), loads the page in headless Chromium and checks what a person would
// see. DEMO_PROFILE defaults to dev here: a debug build proves the same page and spares
// CI a release build of Leptos (set DEMO_PROFILE=release to check that one).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { demoPageTests, linksNoSharingTest } from "./lib/cases.mjs";
import { openPage as open, root, useDemo } from "./lib/demo.mjs";
import { assertNoGapNoRepeat, ids, waitForItems } from "./lib/items.mjs";

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

demoPageTests(openPage, { open: "open", closed: "closed" });

linksNoSharingTest(join(root, "integrations/leptos/example/www/pkg/web_eventsource_leptos_example.js"));
