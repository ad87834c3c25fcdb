// Opens a page in headless Chromium and waits until its console prints a line matching a
// pattern: `node e2e/lib/wait-for-console.mjs URL PATTERN [TIMEOUT_MS]`. Exits 0 when it
// does; otherwise prints what the page logged and threw, and exits 1. Used by
// scripts/lib/test_newcomer.sh to see a README example's events arrive.
import { chromium } from "playwright-core";
import { launchChromium } from "./browser.mjs";

const [url, pattern, timeout = "20000"] = process.argv.slice(2);
if (!url || !pattern) {
  console.error("usage: wait-for-console.mjs URL PATTERN [TIMEOUT_MS]");
  process.exit(2);
}
const wanted = new RegExp(pattern);
const seen = [];
const browser = await launchChromium(chromium);
try {
  const page = await browser.newPage();
  page.on("pageerror", (error) => seen.push(`page error: ${error.message}`));
  const found = new Promise((resolve) => {
    page.on("console", (message) => {
      seen.push(`console.${message.type()}: ${message.text()}`);
      if (wanted.test(message.text())) resolve(message.text());
    });
  });
  await page.goto(url);
  const line = await Promise.race([
    found,
    new Promise((resolve) => setTimeout(() => resolve(null), Number(timeout))),
  ]);
  if (line === null) {
    console.error(`no console line matching /${pattern}/ within ${timeout} ms; the page logged:`);
    for (const entry of seen) console.error(`  ${entry}`);
    process.exitCode = 1;
  } else {
    console.log(`the page logged: ${line}`);
  }
} finally {
  await browser.close();
}
