// End-to-end test of the demo: starts it exactly as a user would (scripts/demo, on a free
// port), loads the page in headless Chromium and checks what a person would see. The
// page's behaviours are checked on both transports (`?transport=native|fetch` picks the
// switch's first position); the bearer token, which only fetch can send, on fetch.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { demoPageTests, stateIs } from "./lib/cases.mjs";
import { openPage as open, root, useDemo } from "./lib/demo.mjs";
import { assertNoGapNoRepeat, ids, ITEM, items, waitForItems, withoutId } from "./lib/items.mjs";

const demo = useDemo();

/** `path` with the page's transport switch set to `transport` by `?transport=`. */
function onTransport(path, transport) {
  const url = new URL(path, "http://page.invalid");
  url.searchParams.set("transport", transport);
  return url.pathname + url.search;
}

/** Waits until the attempts log has `count` lines, then returns them. */
async function waitForAttempts(page, count, timeout = 10_000) {
  await page.waitForFunction((n) => document.querySelectorAll("#attempts li").length >= n, count, { timeout });
  return page.locator("#attempts li").allTextContents();
}

// What the page says on each transport: who reconnects after a dropped connection, how
// it names a failed request (fetch sees the HTTP status; the browser's object hides it).
const TRANSPORTS = [
  { transport: "native", via: "via the browser's EventSource", lost: "the browser reconnects", failed: "connection failed" },
  { transport: "fetch", via: "via fetch", lost: "the fetch transport reconnects", failed: "connection failed, HTTP 500" },
];

for (const { transport, via, lost, failed } of TRANSPORTS) {
  describe(`on the ${transport} transport`, () => {
    const openPage = (path = "/") => open(demo, onTransport(path, transport));

    test("items appear within two seconds, in arrival order, and the status is Open", async () => {
      const { page, errors } = await openPage();
      const loaded = Date.now();
      await waitForItems(page, 1, 2_000);
      console.log(`${transport}: first item ${Date.now() - loaded} ms after load`);
      const list = await waitForItems(page, 3);
      for (const text of list) assert.match(text, ITEM);
      const pings = list.map(withoutId).filter((text) => text.startsWith("ping at ")).map((text) => text.slice(8));
      assert.ok(pings.length >= 2, `pings: ${list}`);
      assert.deepEqual(pings, [...pings].sort(), "pings in arrival (time) order");
      assert.equal(await page.textContent("#state"), "Open");
      assert.equal(await page.textContent("#via"), via);
      assert.equal(await page.isDisabled("#token"), transport === "native", "the token field is for fetch only");
      assert.deepEqual(errors, []);
      mkdirSync(join(root, "target/e2e"), { recursive: true });
      await page.screenshot({ path: join(root, `target/e2e/demo-${transport}.png`) });
      await page.close();
    });

    for (const { button, what, attempts } of [
      { button: "#fault-end", what: "the stream ends", attempts: new RegExp(`connection lost: ${lost}`) },
      {
        button: "#fault-fail",
        what: "500 for the next 3 requests",
        attempts: new RegExp(`${failed}: attempt 2 in \\d+ ms, resuming after #\\d+`),
      },
      { button: "#fault-silent", what: "the server goes silent", attempts: /silent for too long: attempt 1 in \d+ ms, resuming after #\d+/ },
    ]) {
      test(`fault button: ${what}; the policy recovers with no gap and no repeat`, async () => {
        const { page, errors } = await openPage();
        await waitForItems(page, 2);
        await page.click(button);
        const atFault = (await items(page)).length;
        // Each fault takes a few seconds to notice and recover from (the transport's
        // retry time, the backoff, the 4 s idle timeout); then items must come again.
        await page.waitForFunction(
          (re) => [...document.querySelectorAll("#attempts li")].some((li) => new RegExp(re).test(li.textContent)),
          attempts.source,
          { timeout: 20_000 },
        );
        const list = await waitForItems(page, atFault + 3, 20_000);
        assertNoGapNoRepeat(list, what);
        await stateIs(page, "Open");
        console.log(`${transport}, ${what}: ${await page.locator("#attempts li").allTextContents()}`);
        await page.screenshot({ path: join(root, `target/e2e/demo-${transport}-${button.slice(1)}.png`) });
        assert.deepEqual(errors, []);
        await page.close();
      });
    }

    demoPageTests(openPage, { open: "Open", closed: "Closed" });
  });
}

describe("the page's own fault buttons and loading", () => {
  test("fault buttons: they follow the stream connected to, off for another, on for the page's own with a token too; a refused request is shown", async () => {
    const { page, errors } = await open(demo, "/");
    await waitForItems(page, 1);
    const own = await page.inputValue("#url");
    await page.fill("#url", "/test/stream?count=5&interval=500");
    assert.equal(await page.isDisabled("#fault-end"), false, "typed, not connected to: still on the page's own stream");
    await page.click("#reconnect");
    assert.equal(await page.isDisabled("#fault-end"), true, "the faults would not reach that stream");
    await page.fill("#url", own);
    assert.equal(await page.isDisabled("#fault-end"), true, "typed, not connected to: still on the other stream");
    // The page's own stream behind a token, as the hint suggests: the faults reach it.
    await page.fill("#url", `${own}&auth=demo-token`);
    await page.check("#transport-fetch");
    await page.fill("#token", "demo-token");
    await page.click("#reconnect");
    assert.equal(await page.isDisabled("#fault-end"), false, "the page's own stream, with a token");
    await stateIs(page, "Open");
    const atFault = (await items(page)).length;
    await page.click("#fault-end");
    await page.waitForFunction(() => [...document.querySelectorAll("#attempts li")].some((li) => li.textContent.startsWith("connection lost")));
    assertNoGapNoRepeat(await waitForItems(page, atFault + 2), "the fault reached the stream with a token");
    await page.route("**/demo/fault?*", (route) => route.fulfill({ status: 400, body: "unknown kind\n" }));
    await page.click("#fault-end");
    await page.waitForFunction(() => document.getElementById("error").textContent.includes("HTTP 400 unknown kind"));
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("Share across tabs reloads the page on the transport and the stream chosen", async () => {
    const { page, errors } = await open(demo, "/");
    await waitForItems(page, 1);
    await page.check("#transport-fetch");
    // The page's own stream with a parameter more: made again after the reload, for the
    // client the shared page uses.
    await page.fill("#url", `${await page.inputValue("#url")}&auth=demo-token`);
    await Promise.all([page.waitForURL(/[?&]share=1/), page.check("#share")]);
    await waitForItems(page, 1);
    assert.equal(await page.isChecked("#share"), true);
    assert.equal(new URL(page.url()).searchParams.has("url"), false, "the page's own stream");
    assert.match(await page.inputValue("#url"), /^\/sse\?client=\w+$/);
    assert.equal(await page.textContent("#via"), "via fetch", "the transport chosen before the reload");
    assert.equal(await page.isDisabled("#fault-end"), false, "the page's own (shared) stream");

    // A stream typed in place of the page's own one is kept too.
    const stream = "/test/stream?count=3&interval=200";
    await page.fill("#url", stream);
    await Promise.all([page.waitForURL((url) => !url.searchParams.has("share")), page.uncheck("#share")]);
    assert.deepEqual(ids(await waitForItems(page, 3)), [1, 2, 3]);
    assert.equal(await page.inputValue("#url"), stream);
    assert.equal(await page.textContent("#via"), "via fetch");
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("a Reconnect whose open() fails keeps the resume point: the next one repeats nothing", async () => {
    const { page, errors } = await open(demo, onTransport("/", "fetch"));
    await waitForItems(page, 2);
    await page.fill("#token", "not-a-header-value-€");
    await page.click("#reconnect");
    await stateIs(page, "Closed");
    await page.waitForFunction(() => /header/.test(document.getElementById("error").textContent));
    const atFailure = await items(page);
    await page.fill("#token", "");
    await page.click("#reconnect");
    await stateIs(page, "Open");
    assertNoGapNoRepeat(await waitForItems(page, atFailure.length + 2), "after a Reconnect that failed to open");
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("a page whose WebAssembly is missing says it failed to load", async () => {
    const page = await demo.browser.newPage();
    await page.route("**/pkg/web_eventsource_demo.js", (route) => route.fulfill({ status: 404, body: "" }));
    await page.goto(`${demo.base}/`);
    await stateIs(page, "Failed to load");
    await page.close();
  });

  test("shared across tabs where the browser blocks site storage, the page still streams", async () => {
    const page = await demo.browser.newPage();
    await page.addInitScript(() => {
      Object.defineProperty(window, "localStorage", {
        get() {
          throw new DOMException("site storage is blocked", "SecurityError");
        },
      });
    });
    const errors = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(`${demo.base}/?share=1`);
    await waitForItems(page, 2);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe("a stream that demands a bearer token (auth=demo-token)", () => {
  // Opened on fetch with the token field empty, as a person first finds the page: the
  // server refuses that, and the page stops until the token is changed.
  const protectedPage = () =>
    open(demo, onTransport(`/?url=${encodeURIComponent("/sse?auth=demo-token")}`, "fetch"));
  const REFUSED = "refused, HTTP 401: closed; fix the token and press Reconnect";

  test("fetch with a wrong token: the 401 is shown with its status, not retried, and no item arrives", async () => {
    const { page, errors } = await protectedPage();
    assert.deepEqual(await waitForAttempts(page, 1), [REFUSED], "no token: refused");
    await page.fill("#token", "wrong-token");
    await page.click("#reconnect");
    assert.deepEqual(await waitForAttempts(page, 2), [REFUSED, REFUSED], "a wrong token: refused");
    assert.equal(await page.textContent("#error"), "failed: HTTP 401, not retrying");
    await stateIs(page, "Closed");
    await page.waitForTimeout(2_500); // several of the policy's first delays (500 ms on)
    assert.equal(await page.locator("#attempts li").count(), 2, "the refusal is not retried");
    assert.deepEqual(await items(page), [], "no item");
    assert.equal(await page.inputValue("#token"), "wrong-token", "the token stays for the user to fix");
    await page.screenshot({ path: join(root, "target/e2e/demo-fetch-wrong-token.png") });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("on the browser's EventSource, which cannot send a token, the page says so at once and retries nothing", async () => {
    const NEEDS_FETCH = "this stream needs a bearer token, which only fetch can send: choose fetch, then Reconnect";
    const { page, errors } = await open(demo, onTransport(`/?url=${encodeURIComponent("/sse?auth=demo-token")}`, "native"));
    assert.deepEqual(await waitForAttempts(page, 1), [NEEDS_FETCH]);
    await stateIs(page, "Closed");
    assert.equal(await page.textContent("#error"), NEEDS_FETCH);
    assert.equal(await page.textContent("#via"), "via the browser's EventSource");
    await page.waitForTimeout(2_500); // several of the policy's first delays (500 ms on)
    assert.equal(await page.locator("#attempts li").count(), 1, "nothing is retried");
    await page.check("#transport-fetch");
    await page.fill("#token", "demo-token");
    await page.click("#reconnect");
    await stateIs(page, "Open");
    assertNoGapNoRepeat(await waitForItems(page, 2), "on fetch with the token");
    assert.equal(await page.textContent("#error"), "");
    assert.deepEqual(errors, []);
    await page.close();

    // Another server's `auth=` may be the token itself: that stream is tried.
    const elsewhere = `${demo.base}/test/stream?count=3&auth=demo-token`;
    const other = await open(demo, onTransport(`/?url=${encodeURIComponent(elsewhere)}`, "native"));
    const [first] = await waitForAttempts(other.page, 1);
    assert.match(first, /^connection failed: attempt 1 in \d+ ms/);
    await other.page.close();
  });

  test("fetch with the right token: items arrive in order, and Close and Reconnect keep the token", async () => {
    const { page, errors } = await protectedPage();
    await waitForAttempts(page, 1);
    await page.fill("#token", "demo-token");
    await page.click("#reconnect");
    await stateIs(page, "Open");
    const list = await waitForItems(page, 3);
    assertNoGapNoRepeat(list, "with the right token");
    assert.equal(ids(list)[0], 1, "from the stream's first event");
    assert.equal(await page.textContent("#error"), "");

    // Reconnect reopens with the same transport and token, resuming after the last id.
    await page.click("#close");
    await stateIs(page, "Closed");
    const atClose = await items(page);
    await page.click("#reconnect");
    await stateIs(page, "Open");
    assertNoGapNoRepeat(await waitForItems(page, atClose.length + 2), "after Close and Reconnect");
    assert.equal(await page.textContent("#via"), "via fetch");
    assert.deepEqual(await page.locator("#attempts li").allTextContents(), [REFUSED], "only the empty token was refused");
    assert.deepEqual(errors, []);
    await page.close();
  });
});

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

