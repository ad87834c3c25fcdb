// The JS baseline of the fetch transport, for the bench page (bench.js) and the npm
// package's page (npm.html): `fetch`, `TextDecoder` and the eventsource-parser package, as
// a JS app would read the stream without EventSource.
// Copied from bench/node_modules by scripts/bench (the version bench/package.json pins).
import { createParser } from "./vendor/eventsource-parser/index.js";

export async function jsFetchBaseline(url, n) {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { Accept: "text/event-stream" }, cache: "no-store", signal: controller.signal });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let count = 0;
  let bytes = 0;
  let start = 0;
  let ms = 0;
  const parser = createParser({
    onEvent: (event) => {
      if (count === 0) start = performance.now();
      bytes += event.data.length;
      if (++count === n) ms = performance.now() - start;
    },
  });
  while (count < n) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`fetch baseline: ${url} ended after ${count} events`);
    parser.feed(decoder.decode(value, { stream: true }));
  }
  controller.abort();
  return { ms, bytes };
}
