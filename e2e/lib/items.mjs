// The list every demo page shows, one <li> per event: "#<id> ping at <time>" or
// "#<id> message: <data>". Shared by the end-to-end tests of the demo and of the Yew and
// Leptos examples, which all check the same promise: ids in order, no gap, no repeat.
import assert from "node:assert/strict";

/** One item's text. */
export const ITEM = /^#(\d+) (message: .+|ping at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z)$/;

/** The items' texts, in page order. */
export async function items(page) {
  return page.locator("#events li").allTextContents();
}

/** Waits until the page lists at least `count` items, then returns them all. */
export async function waitForItems(page, count, timeout = 10_000) {
  await page.waitForFunction((n) => document.querySelectorAll("#events li").length >= n, count, { timeout });
  return items(page);
}

/** The event ids of `list`, in order. */
export function ids(list) {
  return list.map((text) => {
    const found = text.match(/^#(\d+) /);
    assert.ok(found, `an item with its id: ${JSON.stringify(text)}`);
    return Number(found[1]);
  });
}

/** An item's text without its id. */
export function withoutId(text) {
  return text.replace(/^#\d+ /, "");
}

/** Asserts that every item of `list` has the expected shape and that its ids run on by one. */
export function assertNoGapNoRepeat(list, what) {
  for (const text of list) assert.match(text, ITEM);
  const seen = ids(list);
  for (let i = 1; i < seen.length; i++) {
    assert.equal(seen[i], seen[i - 1] + 1, `${what}: id ${seen[i]} after ${seen[i - 1]} in ${seen}`);
  }
}
