// `using` on the package's EventSource, type-checked with tsc --strict against the ESNext
// library (tsconfig.esnext.json; never run: npm/e2e runs `using` in the browser).
import { EventSource } from "web-eventsource";

export function usingCloses(): string {
  using source = new EventSource("/sse", { transport: "fetch" });
  return source.url;
}

export function disposeByHand(): void {
  const source = new EventSource("/sse");
  source[Symbol.dispose]();
  source[Symbol.dispose]();
}
