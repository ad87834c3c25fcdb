// Wrong uses of the package that must not compile: each line below is an error that
// tsc --strict must report, or `@ts-expect-error` itself fails the check. Type-checked,
// never run (the app does not import this file).
import { DecodeError, EventSource, EventSourceError, type Message } from "web-eventsource";

export function wrongUses(source: EventSource): void {
  // @ts-expect-error an "error" listener gets an EventSourceError, not a Message
  source.addEventListener("error", (message: Message) => console.log(message.data));
  // @ts-expect-error `once` is a boolean
  source.addEventListener("ping", () => {}, { once: "yes" });
  // @ts-expect-error only the package constructs an EventSourceError
  new EventSourceError();
  // @ts-expect-error only the package constructs a DecodeError
  new DecodeError();
  // @ts-expect-error withCredentials is a boolean
  new EventSource("/sse", { withCredentials: "yes" });
  // @ts-expect-error delays are numbers of milliseconds
  new EventSource("/sse", { reconnect: { initialDelay: "1s" } });
  // @ts-expect-error jitter is "none", "full" or "equal"
  new EventSource("/sse", { reconnect: { jitter: "fuzzy" } });
  // @ts-expect-error an unknown option
  new EventSource("/sse", { reconect: true });
  // @ts-expect-error the URL is a string or a URL
  new EventSource(42);
  // @ts-expect-error the transport is "native" or "fetch"
  new EventSource("/sse", { transport: "xhr" });
  // @ts-expect-error headers need the fetch transport
  new EventSource("/sse", { transport: "native", headers: { Authorization: "Bearer t" } });
  // @ts-expect-error a body needs the fetch transport
  new EventSource("/sse", { transport: "native", method: "POST", body: "{}" });
  // @ts-expect-error header values are strings
  new EventSource("/sse", { headers: { "X-Count": 1 } });
  // @ts-expect-error the headers function returns an object of strings
  new EventSource("/sse", { headers: () => "Bearer t" });
  // @ts-expect-error a Headers object is not taken: a plain object
  new EventSource("/sse", { headers: new Headers() });
  // @ts-expect-error the body is a string
  new EventSource("/sse", { method: "POST", body: { prompt: "hi" } });
  // @ts-expect-error a body needs a method (a GET sends none)
  new EventSource("/sse", { body: "{}" });
  const maybe: string | undefined = Math.random() > 0.5 ? "POST" : undefined;
  // @ts-expect-error a body needs a method that is given, not one that may be undefined
  new EventSource("/sse", { method: maybe, body: "{}" });
  // @ts-expect-error a body needs a method, on the fetch transport too
  new EventSource("/sse", { transport: "fetch", headers: { Authorization: "Bearer t" }, body: "{}" });
  // @ts-expect-error maxEventSize is a number of bytes
  new EventSource("/sse", { maxEventSize: "1 MB" });

  // @ts-expect-error an "error" listener gets an EventSourceError, not a Message
  source.on("error", (message: Message) => message.data);
  // @ts-expect-error an "open" listener gets an Event, not a Message
  source.on("open", (message: Message) => message.data);
  // @ts-expect-error a message listener gets a Message, not a string
  source.on("ping", (data: string) => data.length);
  // @ts-expect-error "readystatechange" passes the state name
  source.on("readystatechange", (state: number) => state + 1);
  const wide: string = "error";
  // @ts-expect-error a type known only as a string may be "error", "open" or "readystatechange": narrow first
  source.on(wide, (message) => message.data);
  // @ts-expect-error nor is a listener typed for messages taken for it
  source.on(wide, (message: Message) => message.data);
  // @ts-expect-error "error" | "ping": the listener may get an EventSourceError
  source.on(Math.random() < 0.5 ? "error" : "ping", (message: Message) => message.data);
  // @ts-expect-error readyState is read-only
  source.readyState = 2;
  // @ts-expect-error transport is read-only
  source.transport = "fetch";
  // @ts-expect-error shareAcrossTabs is a boolean
  new EventSource("/sse", { shareAcrossTabs: "yes" });
  // @ts-expect-error sharing is read-only
  source.sharing = { role: "private", tabs: 1 };
  // @ts-expect-error the role is "private", "leader" or "follower"
  if (source.sharing.role === "shared") console.log("never");
  const shared = source.sharing;
  if (shared.role !== "private") {
    // @ts-expect-error a leader's or follower's count is any number, not 1
    const one: 1 = shared.tabs;
    console.log(one);
  }
  source.on("error", (error) => {
    // @ts-expect-error status may be null (the native transport, a network failure)
    const status: number = error.status;
    return status;
  });

  source.on("ping", (message) => {
    // @ts-expect-error data is a string
    const n: number = message.data;
    return n;
  });

  source.onerror = function () {
    // @ts-expect-error a handler is not called with the source as `this` (it is undefined)
    this.close();
  };

  // @ts-expect-error nor is a listener: `this` is undefined
  source.on("ping", function (this: EventSource) {
    this.close();
  });

  // @ts-expect-error of any type
  source.on("open", function (this: EventSource) {
    this.close();
  });
}

export async function wrongIteration(source: EventSource): Promise<void> {
  for await (const message of source.messages()) {
    // @ts-expect-error a Message has no `id`: it is `lastEventId`
    console.log(message.id);
  }
}
