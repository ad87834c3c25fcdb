// End-to-end test of the demo: starts it exactly as a user would (scripts/demo, on a free
// port), loads the page in headless Chromium and checks what a person would see.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { demoPageTests } from "./lib/cases.mjs";
import { openPage as open, root, useDemo } from "./lib/demo.mjs";
import { assertNoGapNoRepeat, ITEM, items, waitForItems, withoutId } from "./lib/items.mjs";

const demo = useDemo();
const openPage = (path) => open(demo, path);

test("items appear within two seconds, in arrival order, and the status is Open", async () => {
  const { page, errors } = await openPage();
  const loaded = Date.now();
  await waitForItems(page, 1, 2_000);
  console.log(`first item ${Date.now() - loaded} ms after load`);
  const list = await waitForItems(page, 3);
  for (const text of list) assert.match(text, ITEM);
  const pings = list.map(withoutId).filter((text) => text.startsWith("ping at ")).map((text) => text.slice(8));
  assert.ok(pings.length >= 2, `pings: ${list}`);
  assert.deepEqual(pings, [...pings].sort(), "pings in arrival (time) order");
  assert.equal(await page.textContent("#state"), "Open");
  assert.deepEqual(errors, []);
  mkdirSync(join(root, "target/e2e"), { recursive: true });
  await page.screenshot({ path: join(root, "target/e2e/demo.png") });
  await page.close();
});

for (const { button, what, attempts } of [
  { button: "#fault-end", what: "the stream ends", attempts: /connection lost: the browser reconnects/ },
  { button: "#fault-fail", what: "500 for the next 3 requests", attempts: /connection failed: attempt 2 in \d+ ms, resuming after #\d+/ },
  { button: "#fault-silent", what: "the server goes silent", attempts: /silent for too long: attempt 1 in \d+ ms, resuming after #\d+/ },
]) {
  test(`fault button: ${what}; the policy recovers with no gap and no repeat`, async () => {
    const { page, errors } = await openPage();
    await waitForItems(page, 2);
    await page.click(button);
    const atFault = (await items(page)).length;
    // Each fault takes a few seconds to notice and recover from (the browser's retry
    // time, the backoff, the 4 s idle timeout); then items must come again.
    await page.waitForFunction(
      (re) => [...document.querySelectorAll("#attempts li")].some((li) => new RegExp(re).test(li.textContent)),
      attempts.source,
      { timeout: 20_000 },
    );
    const list = await waitForItems(page, atFault + 3, 20_000);
    assertNoGapNoRepeat(list, what);
    await page.waitForFunction(() => document.getElementById("state")?.textContent === "Open");
    console.log(`${what}: ${await page.locator("#attempts li").allTextContents()}`);
    await page.screenshot({ path: join(root, `target/e2e/demo-${button.slice(1)}.png`) });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

/** Sends `GET target` as written (no URL normalisation) and returns status and body. */
function rawGet(target) {
  const { hostname, port } = new URL(demo.base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`);
    });
    let response = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk) => (response += chunk));
    socket.on("end", () => resolve({ status: Number(response.split(" ")[1]), body: response }));
    socket.on("error", reject);
    socket.setTimeout(5_000, () => socket.destroy(new Error(`timeout on ${target}`)));
  });
}

test("static files refuse path traversal", async () => {
  for (const target of ["/../Cargo.toml", "/%2e%2e/Cargo.toml", "/..%2fCargo.toml", "/%2e%2e%2fCargo.toml", "/pkg/../../Cargo.toml", "/..\\Cargo.toml"]) {
    const { status, body } = await rawGet(target);
    assert.ok(status === 400 || status === 404, `${target}: ${status}`);
    assert.ok(!body.includes("[workspace]"), `${target} leaked Cargo.toml`);
  }
  const { status } = await rawGet("/style.css");
  assert.equal(status, 200, "a file inside www/ is served");
});

demoPageTests(openPage, { open: "Open", closed: "Closed" });
