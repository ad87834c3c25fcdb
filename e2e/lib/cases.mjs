// The tests every demo page must pass alike (the core demo and the Yew and Leptos
// examples): Close and Reconnect, event data shown as text, and a bad URL reported on the
// page. Each page spells its states its own way ("Open" or "open"), given as `states`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { assertNoGapNoRepeat, ids, items, waitForItems, withoutId } from "./items.mjs";

/** Waits until the page's `#state` reads `text`. */
export const stateIs = (page, text, timeout = 10_000) =>
  page.waitForFunction((want) => document.getElementById("state")?.textContent === want, text, { timeout });

/**
 * Registers the shared tests for a demo page; `openPage(path)` opens it, `states` is
 * `{ open, closed }`.
 */
export function demoPageTests(openPage, states) {
  test("Close stops the items; Reconnect resumes after the last id, with no repeat", async () => {
    const { page, errors } = await openPage();
    await waitForItems(page, 2);
    await page.click("#close");
    await stateIs(page, states.closed);
    const atClose = await items(page);
    await page.waitForTimeout(2_500); // more than two ping intervals
    assert.deepEqual(await items(page), atClose, "no item after Close");

    await page.click("#reconnect");
    await stateIs(page, states.open);
    const resumed = await waitForItems(page, atClose.length + 2);
    assertNoGapNoRepeat(resumed, "Reconnect resumes after the last id");
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("a burst from ?url= is listed whole, its data shown as text and never run", async () => {
    const payload = "<img src=x onerror=alert(1)>";
    const stream = `/test/stream?count=20&batch=20&data=${encodeURIComponent(payload)}`;
    const { page, dialogs } = await openPage(`/?url=${encodeURIComponent(stream)}`);
    await page.waitForFunction(() => document.querySelectorAll("#events li").length === 20);
    const list = await items(page);
    assert.deepEqual(ids(list), Array.from({ length: 20 }, (_, i) => i + 1));
    assert.ok(list.every((text) => withoutId(text) === `message: ${payload}`), `data as text: ${list}`);
    assert.equal(await page.locator("#events img").count(), 0, "no element was created");
    await page.waitForTimeout(300);
    assert.deepEqual(dialogs, [], "no script ran");
    const shown = await page.$eval("#url", (el) => (el instanceof HTMLInputElement ? el.value : el.textContent));
    assert.equal(shown, stream, "?url= picks the stream");
    await page.close();
  });

  test("a bad URL is reported on the page, not thrown", async () => {
    const { page, errors } = await openPage(`/?url=${encodeURIComponent("http://[::1")}`);
    await stateIs(page, states.closed);
    await page.waitForFunction(() => (document.getElementById("error")?.textContent ?? "").length > 0);
    assert.match(await page.textContent("#error"), /invalid event source URL/);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

/**
 * Registers the test that an example app which never asks for cross-tab sharing links
 * none of its code: its glue (`pkg`, as the demo just built it) makes no
 * `BroadcastChannel`. The framework's options hold a `ShareAcrossTabs` rather than a
 * `bool` for this: a `bool` read at run time would link the code into every app.
 */
export function linksNoSharingTest(glue) {
  test("an app that never shares links none of the sharing code", () => {
    const text = readFileSync(glue, "utf8");
    assert.doesNotMatch(text, /new BroadcastChannel\(/, `${glue} makes a BroadcastChannel`);
  });
}
