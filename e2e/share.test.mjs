// End-to-end test of cross-tab sharing (Builder::share_across_tabs): 8 tabs of the demo
// in one browser context (they share its Web Locks, BroadcastChannels and its pool of
// six HTTP/1.1 connections per host) against sse-server on 127.0.0.1. The stream is the
// demo's `/sse`, tagged so that the server counts its open streams.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { useDemo } from "./lib/demo.mjs";
import { assertNoGapNoRepeat, items, waitForItems } from "./lib/items.mjs";

const demo = useDemo();
const TABS = 8;

/** How many streams tagged `tag` the server has open now. */
async function openStreams(tag) {
  const response = await fetch(`${demo.base}/test/connections?tag=${tag}`);
  return (await response.json()).open;
}

/** Waits until `check()` is true, polling, or fails naming `what` after `timeout` ms. */
async function until(what, check, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** The demo page at the tagged stream, sharing across tabs or not. */
function demoPath(tag, share) {
  const url = encodeURIComponent(`/sse?tag=${tag}`);
  return `/?${share ? "share=1&" : ""}url=${url}`;
}

/** A new tab of `context`, collecting its uncaught errors. */
async function newTab(context) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  return { page, errors };
}

const role = (page) => page.textContent("#sharing");

test("without sharing, 8 tabs get at most 6 streams: the others wait", async () => {
  const tag = `e2e-private-${Date.now()}`;
  const context = await demo.browser.newContext();
  const tabs = await Promise.all(Array.from({ length: TABS }, () => newTab(context)));
  // Not awaited: the seventh and eighth tabs cannot even load the page while six
  // streams hold the host's six connections.
  for (const { page } of tabs) page.goto(demo.base + demoPath(tag, false), { timeout: 0 }).catch(() => {});
  await until("six streams", async () => (await openStreams(tag)) === 6, 20_000);
  await sleep(3_000);
  const counts = await Promise.all(tabs.map(({ page }) => page.locator("#events li").count().catch(() => 0)));
  const receiving = counts.filter((n) => n > 0).length;
  console.log(`without sharing: ${receiving} of ${TABS} tabs receive, ${await openStreams(tag)} streams`);
  assert.equal(await openStreams(tag), 6, "the browser holds six streams and no more");
  assert.ok(receiving <= 6, `${receiving} tabs receive`);
  await context.close();
  await until("the streams to close", async () => (await openStreams(tag)) === 0);
});

test("with sharing, 8 tabs receive over one stream; a closed leader hands over with no gap or repeat", async () => {
  const tag = `e2e-shared-${Date.now()}`;
  const context = await demo.browser.newContext();
  const tabs = [];
  for (let i = 0; i < TABS; i++) {
    const tab = await newTab(context);
    await tab.page.goto(demo.base + demoPath(tag, true));
    tabs.push(tab);
  }
  for (const { page } of tabs) await waitForItems(page, 1, 15_000);
  assert.equal(await openStreams(tag), 1, "one stream for eight tabs");
  await until("the leader to count 8 tabs", async () => {
    const roles = await Promise.all(tabs.map(({ page }) => role(page)));
    return roles.filter((r) => r === `leader of ${TABS} tabs`).length === 1 && roles.filter((r) => r.startsWith("follower")).length === TABS - 1;
  });

  // Close the leader's tab: another takes over, and every tab's ids run on.
  const roles = await Promise.all(tabs.map(({ page }) => role(page)));
  const leader = tabs[roles.findIndex((r) => r.startsWith("leader"))];
  const others = tabs.filter((tab) => tab !== leader);
  const before = await Promise.all(others.map(({ page }) => items(page)));
  await leader.page.close();
  const closed = Date.now();
  await until("another tab to lead", async () => (await Promise.all(others.map(({ page }) => role(page)))).some((r) => r.startsWith("leader")), 5_000);
  const took = Date.now() - closed;
  console.log(`a follower took over ${took} ms after the leader's tab closed`);
  assert.ok(took < 2_000, `the takeover took ${took} ms`);
  for (const [i, { page }] of others.entries()) {
    const list = await waitForItems(page, before[i].length + 3, 15_000);
    assertNoGapNoRepeat(list, `tab ${i} across the takeover`);
  }
  await until("one stream again", async () => (await openStreams(tag)) === 1);

  // A follower's close leaves the others running.
  const newRoles = await Promise.all(others.map(({ page }) => role(page)));
  const follower = others[newRoles.findIndex((r) => r.startsWith("follower"))];
  const rest = others.filter((tab) => tab !== follower);
  // Closed by the browser, with no `beforeunload`: whether or not its goodbye reaches
  // the leader, the leader forgets it within seconds, as its presence lock is gone.
  await follower.page.close();
  const counted = await Promise.all(rest.map(({ page }) => items(page)));
  for (const [i, { page }] of rest.entries()) {
    assertNoGapNoRepeat(await waitForItems(page, counted[i].length + 2, 15_000), `tab ${i} after a follower left`);
  }
  await until(`the leader to count ${TABS - 2} tabs`, async () => (await Promise.all(rest.map(({ page }) => role(page)))).includes(`leader of ${TABS - 2} tabs`));
  for (const { errors } of tabs) assert.deepEqual(errors, []);

  // Every tab closed: no stream left.
  await context.close();
  await until("no stream", async () => (await openStreams(tag)) === 0);
});

test("without navigator.locks, shared sources fall back to private ones", async () => {
  const tag = `e2e-nolocks-${Date.now()}`;
  const context = await demo.browser.newContext();
  await context.addInitScript(() => {
    delete Navigator.prototype.locks;
  });
  const tabs = [];
  for (let i = 0; i < 2; i++) {
    const tab = await newTab(context);
    await tab.page.goto(demo.base + demoPath(tag, true));
    tabs.push(tab);
  }
  for (const { page } of tabs) {
    await waitForItems(page, 1, 15_000);
    assert.equal(await page.isChecked("#share"), true);
    await until("the role shown", async () => (await role(page)) === "private");
  }
  assert.equal(await openStreams(tag), 2, "a stream per tab");
  for (const { errors } of tabs) assert.deepEqual(errors, []);
  await context.close();
  await until("no stream", async () => (await openStreams(tag)) === 0);
});

test("a leader whose page freezes hands over; when it resumes it follows again", async () => {
  const tag = `e2e-freeze-${Date.now()}`;
  const context = await demo.browser.newContext();
  const tabs = [];
  for (let i = 0; i < 3; i++) {
    const tab = await newTab(context);
    await tab.page.goto(demo.base + demoPath(tag, true));
    tabs.push(tab);
  }
  for (const { page } of tabs) await waitForItems(page, 1, 15_000);
  await until("a leader of 3 tabs", async () => (await Promise.all(tabs.map(({ page }) => role(page)))).includes("leader of 3 tabs"));
  const roles = await Promise.all(tabs.map(({ page }) => role(page)));
  const leader = tabs[roles.findIndex((r) => r.startsWith("leader"))];
  const others = tabs.filter((tab) => tab !== leader);
  const before = await Promise.all(tabs.map(({ page }) => items(page)));
  // The browser fires `freeze` on a background tab's document before it stops running
  // it. Headless Chromium does not freeze a visible page (CDP's frozen state fires no
  // event here), so the test fires the event; the page then goes on running, as a
  // follower.
  await leader.page.evaluate(() => document.dispatchEvent(new Event("freeze")));
  const frozen = Date.now();
  await until("another tab to lead", async () => (await Promise.all(others.map(({ page }) => role(page)))).some((r) => r.startsWith("leader")), 5_000);
  console.log(`a follower took over ${Date.now() - frozen} ms after the leader's freeze`);
  // Each page shows its role twice a second, each on its own beat: the frozen leader's
  // page may still show "leader" for up to 500 ms after another page shows the new one.
  await until("the frozen leader's page to show it follows", async () => /^follower/.test(await role(leader.page)), 1_000);
  for (const [i, { page }] of tabs.entries()) {
    assertNoGapNoRepeat(await waitForItems(page, before[i].length + 3, 15_000), `tab ${i} across the freeze`);
  }
  // `resume`: it asks for the lock again, behind the others.
  await leader.page.evaluate(() => document.dispatchEvent(new Event("resume")));
  const counted = await Promise.all(tabs.map(({ page }) => items(page)));
  for (const [i, { page }] of tabs.entries()) {
    assertNoGapNoRepeat(await waitForItems(page, counted[i].length + 2, 15_000), `tab ${i} after the resume`);
  }
  assert.match(await role(leader.page), /^follower/);
  assert.equal(await openStreams(tag), 1);
  for (const { errors } of tabs) assert.deepEqual(errors, []);
  await context.close();
  await until("no stream", async () => (await openStreams(tag)) === 0);
});
