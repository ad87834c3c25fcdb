// The package's API as the README shows it, type-checked with tsc --strict (never run).
import {
  DecodeError,
  EventSource,
  EventSourceError,
  type EventSourceOptions,
  type EventFor,
  type HeaderRecord,
  type Message,
  type Sharing,
  type SharingRole,
  type TransportName,
  type Unsubscribe,
} from "web-eventsource";

interface Ping {
  time: string;
}

export async function rightUses(): Promise<void> {
  const source = new EventSource(new URL("/sse", location.href), {
    withCredentials: true,
    reconnect: {
      initialDelay: 500,
      factor: 1.5,
      maxDelay: 10_000,
      jitter: "full",
      maxRetries: null,
      resumeParam: "since",
      idleTimeout: 45_000,
      statusProbe: null,
      minUptime: 5_000,
    },
    pauseWhenHidden: 30_000,
  });
  const plain = new EventSource("/sse", { reconnect: true });
  plain.close();

  const stop: Unsubscribe = source.on("ping", (message) => {
    const ping = message.json<Ping>();
    console.log(ping.time.toUpperCase(), message.lastEventId, message.type, message.origin);
  });
  source.on("open", () => console.log("open", source.readyState === 1));
  source.on("error", (error: EventSourceError) => {
    if (error.isFinal) console.log(error.kind, error.attempt, error.retryDelay);
  });
  source.on("readystatechange", (state) => console.log(state === "paused"));
  stop();

  for await (const message of source.subscribe("ping")) {
    const m: Message = message;
    if (m.data === "last") break;
  }
  // The async iterator protocol: `return(value)` gives the value back; `throw` exists.
  const returned: IteratorReturnResult<string> = await source.messages().return("bye");
  const thrown: Promise<unknown> = source.messages().throw(new Error("stop"));
  console.log(returned.value.length, thrown);
  const state: "connecting" | "open" | "paused" | "closed" = source.state;
  const id: string = source.lastEventId;
  console.log(state, id, source.url, source.withCredentials);
  source.close();
}

// A type known only at run time (the README's block): the listener gets whatever that type
// delivers, and narrows it.
export function listen(source: EventSource, type: string): Unsubscribe {
  return source.on(type, (event: EventFor<string>) => {
    if (event instanceof Event) console.log("open");
    else if (typeof event === "string") console.log("state:", event);
    else if (event instanceof Error) console.log(event.kind); // an EventSourceError
    else console.log(event.data); // a Message
  });
}

// A union of literal types: the listener gets the union of what each delivers.
export function pingsAndErrors(source: EventSource, type: "ping" | "error"): Unsubscribe {
  return source.on(type, (event) => console.log(event instanceof Error ? event.kind : event.data));
}

// The fetch transport: headers (an object, or a function called before every request),
// a method and a body, a size limit, the status of a failure.
export function fetchUses(token: () => string): void {
  const chat = new EventSource("/chat", {
    transport: "fetch",
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ prompt: "hello" }),
    maxEventSize: 1 << 20,
    reconnect: { maxRetries: 3 },
  });
  const feed = new EventSource("/sse", { headers: () => ({ Authorization: `Bearer ${token()}` }) });
  const plain = new EventSource("/sse", { transport: "native", withCredentials: true });
  const headers: HeaderRecord = { "X-Client": "web" };
  const options: EventSourceOptions = Math.random() < 0.5 ? { headers } : { transport: "native" };
  const either = new EventSource("/sse", options);
  const transport: TransportName = chat.transport;
  feed.on("error", (error) => {
    const status: number | null = error.status;
    if (status === 401) console.log("log in again");
    if (error.kind === "too-large") console.log("an event over maxEventSize");
  });
  chat.on("message", (message) => {
    const event: MessageEvent = message.event;
    console.log(transport, event.data, message.json<{ text: string }>().text);
  });
  for (const source of [chat, feed, plain, either]) source.close();
}

// Sharing across tabs: the option, and `sharing`, narrowed by its role.
export function sharingUses(): number {
  const source = new EventSource("/sse", { shareAcrossTabs: true, headers: { "X-Client": "web" } });
  const plain = new EventSource("/sse", { shareAcrossTabs: false, transport: "native" });
  const sharing: Sharing = source.sharing;
  const role: SharingRole = plain.sharing.role;
  let tabs: number;
  if (sharing.role === "private") {
    const one: 1 = sharing.tabs;
    tabs = one;
  } else {
    const shared: "leader" | "follower" = sharing.role;
    console.log(shared, role);
    tabs = sharing.tabs;
  }
  source.close();
  plain.close();
  return tabs;
}

// Options as code computes them (tsconfig.json checks with exactOptionalPropertyTypes):
// `undefined` leaves an option out, as the runtime reads it, and `null` turns off what
// the native transport has no use for.
export function computedOptions(hidden: boolean, retries?: number, token?: string): EventSourceOptions[] {
  return [
    { pauseWhenHidden: hidden ? 30_000 : undefined, reconnect: { maxRetries: retries } },
    { transport: "native", headers: null, body: null, withCredentials: undefined },
    { headers: token === undefined ? undefined : { Authorization: `Bearer ${token}` }, method: undefined },
  ];
}

// Handler properties: set, replaced, and removed with `null` or `undefined`; read back as
// a function or `null`.
export function handlerUses(source: EventSource): boolean {
  source.onmessage = (message) => console.log(message.data);
  source.onopen = () => console.log("open");
  source.onerror = (error) => console.log(error.status);
  const had = source.onmessage !== null;
  source.onmessage = undefined;
  source.onopen = null;
  const handler: ((error: EventSourceError) => void) | null = source.onerror;
  return had && handler !== null;
}

// The error classes, for `instanceof`: each narrows to its own fields.
export function errorClasses(source: EventSource): Unsubscribe {
  return source.on("ping", (message) => {
    try {
      console.log(message.json<{ time: string }>().time);
    } catch (error: unknown) {
      if (error instanceof DecodeError) console.log(error.eventType, error.data);
      else if (error instanceof EventSourceError) console.log(error.kind, error.status);
    }
  });
}

// The DOM's listener methods, for code written for the browser's EventSource.
export function domListeners(source: EventSource): void {
  const stop = new AbortController();
  const onPing = (message: Message) => console.log(message.data);
  source.addEventListener("ping", onPing, { signal: stop.signal });
  source.addEventListener("error", (error) => console.log(error.kind, error.status), true);
  source.addEventListener("open", { handleEvent: () => console.log("open") }, { once: true });
  // An object whose `handleEvent` reads its own fields through `this`, as the DOM calls it.
  const counter = {
    count: 0,
    handleEvent(message: Message) {
      this.count += 1;
      console.log(this.count, message.data);
    },
  };
  source.addEventListener("ping", counter);
  source.removeEventListener("ping", counter);
  source.removeEventListener("ping", onPing);
  stop.abort();
}

// A method passed on as an optional parameter gives it: `undefined` is a GET.
export function openWithMethod(url: string, method?: string): EventSource {
  return new EventSource(url, { method });
}
