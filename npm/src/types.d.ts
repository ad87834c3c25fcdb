/** `readyState` as a name; `"paused"` is `pauseWhenHidden` at work. */
export type ReadyStateName = "connecting" | "open" | "paused" | "closed";

/**
 * The reconnect policy: after a failure the browser gives up on (a non-200 status, a
 * wrong `Content-Type`, a server restart), wait, then open a new connection at the same
 * URL with `?lastEventId=<last id>`. Every time is in milliseconds.
 */
export interface ReconnectOptions {
  /** The backoff before the first attempt (default 1000). */
  initialDelay?: number | undefined;
  /** How much the backoff grows with each failure in a row; at least 1 (default 2). */
  factor?: number | undefined;
  /** The longest backoff (default 30000; `Infinity` for no cap). */
  maxDelay?: number | undefined;
  /** How the backoff is randomised (default `"full"`: between 0 and the backoff). */
  jitter?: "none" | "full" | "equal" | undefined;
  /** Failures in a row before giving up; `null` (the default) never gives up. */
  maxRetries?: number | null | undefined;
  /** The query parameter carrying the last event id (default `"lastEventId"`); `null` to not resume. */
  resumeParam?: string | null | undefined;
  /**
   * Replace a connection that is quiet for this long (default `null`: never).
   * On the native transport only events of a type with a listener count (the browser
   * hands the others to no one): listen for the keep-alive's type, even with a listener
   * that does nothing. On fetch any bytes count, keep-alive comments (`: ping`) too.
   * At least 1: `0` (or `0.5`, which a timer rounds to 0) throws a `TypeError` naming
   * `reconnect.idleTimeout` (it would replace every connection at its first quiet
   * millisecond).
   */
  idleTimeout?: number | null | undefined;
  /**
   * Native transport: the time limit of the request that asks the server, before each
   * retry, for the status the browser hides, so that a 204 "stop" ends the source (default
   * 5000; fetch sees the status itself and never asks); `null` to not ask. At least 1: `0`
   * throws a `TypeError` naming `reconnect.statusProbe` (each probe would be aborted as it
   * starts).
   */
  statusProbe?: number | null | undefined;
  /** How long a connection must stay open, without an event, to reset the failure count (default 60000). */
  minUptime?: number | undefined;
}

/**
 * What carries the events: `"native"`, the browser's own `EventSource` (the default), or
 * `"fetch"`, with the stream parsed in WebAssembly: custom headers, any method (but HEAD,
 * whose answer has no body, and those the browser forbids: CONNECT, TRACE, TRACK) and a body,
 * a real `Last-Event-ID` header on every reconnect, the HTTP status of a failure, and no
 * DOM event per message.
 */
export type TransportName = "native" | "fetch";

/** Request headers as the fetch transport takes them: names to values. */
export type HeaderRecord = Record<string, string>;

/** The options every source takes. Every time is in milliseconds. */
interface CommonOptions {
  /** Send cookies and HTTP authentication cross-origin (default `false`). */
  withCredentials?: boolean | undefined;
  /** `true` for the default reconnect policy, an object to tune it; `false` or `null` for none (the browser's own behaviour). */
  reconnect?: boolean | ReconnectOptions | null | undefined;
  /**
   * Close the connection once the page has been hidden this long, and reopen it, resuming,
   * when it is visible again. Not used by a source shared across tabs, nor by one whose
   * `method` is not GET (resuming would send its body again).
   */
  pauseWhenHidden?: number | null | undefined;
  /**
   * Share one connection with every source of this origin, in any tab of the browser, that
   * opens the same stream: the same resolved URL, `withCredentials`, transport and headers
   * (a `headers` function cannot be compared, so sources that have one share with those that
   * have one too, and the leader's function is used). Only a GET is shared: a source with
   * another `method` stays private, since another tab taking over would send it again.
   * Default `false`. One tab, the leader,
   * holds the connection; the others receive its events, and one takes over, resuming,
   * when it closes or its page goes away. Where the browser lacks Web Locks or
   * `BroadcastChannel` (an insecure context, an old browser) the source is a private one,
   * as without the option. `sharing` tells which.
   */
  shareAcrossTabs?: boolean | undefined;
}

/** The options of the browser's own `EventSource` transport (the default). */
export interface NativeOptions extends CommonOptions {
  transport?: "native" | undefined;
  /** `null` (or left out): no headers, which the native transport takes. */
  headers?: null | undefined;
  method?: undefined;
  /** `null` (or left out): no body, which the native transport takes. */
  body?: null | undefined;
  maxEventSize?: undefined;
}

/**
 * The options of the fetch transport. Any of `headers`, `method`, `body` and
 * `maxEventSize` chooses it; `transport: "native"` with one of them throws a `TypeError`
 * naming it. A cross-origin request with a custom header (or `Last-Event-ID`, sent on
 * reconnects) is preflighted: the server must answer `OPTIONS` and allow those headers.
 *
 * A `body` needs a `method`: without one (a GET) it is a type error here, as it is a
 * `TypeError` when the source opens. (`method: "GET"` with a body passes the types and
 * throws that `TypeError`.)
 */
export type FetchOptions = FetchRequestOptions &
  (FetchGetOptions | FetchMethodOptions | FetchMaybeMethodOptions);

/** What every fetch request takes, whatever its method. */
export interface FetchRequestOptions extends CommonOptions {
  transport?: "fetch" | undefined;
  /**
   * Headers sent with every request: an object of strings, or a function returning one,
   * called before every request (the first and each reconnect), so that a refreshed token
   * is used. What the function throws, or a bad result, fails the constructor at the
   * first request, which is then not sent; at a later request it fails that request, also
   * unsent (`kind: "failed"`, final without a reconnect policy, retried after its backoff
   * with one, with what the function threw as the error's `cause`). A header name or value the browser
   * refuses, or a header a page may not set (`Cookie`, `Origin`, `Sec-…`), throws a `TypeError` naming `headers` at the first request, and fails the
   * connection (`kind: "failed"`, with that `TypeError` as the error's `cause`) at a later
   * one. With `shareAcrossTabs`, a source that
   * starts as a follower sends no request: its function is first called when it leads,
   * after the constructor has returned, and is then treated as at a later request.
   *
   * An `Accept` header is sent in place of the default `Accept: text/event-stream`; a
   * `Last-Event-ID` header until the source knows an event id, which then replaces it.
   */
  headers?: HeaderRecord | (() => HeaderRecord) | null | undefined;
  /**
   * The most one event may buffer, in bytes (default 16 MiB). Past it the connection
   * fails with `kind: "too-large"`: final without a reconnect policy.
   */
  maxEventSize?: number | undefined;
}

/** A GET (the default method), which sends no body. */
export interface FetchGetOptions {
  /** The request method: `"GET"`, the default. */
  method?: "GET" | undefined;
  /** No body: a GET sends none. */
  body?: null | undefined;
}

/** A request with a method named, such as a POST with a body. */
export interface FetchMethodOptions {
  /**
   * The request method (default `"GET"`). With any other method the end of the response
   * body ends the source, and the request (body included) is sent again only by the
   * reconnect policy, after a failure.
   */
  method: string;
  /** The request body; needs a `method` other than `"GET"`. */
  body?: string | null | undefined;
}

/**
 * A method that may be left out (`method?: string` passed on as it is), with no body: a
 * body needs a method other than `"GET"`.
 */
export interface FetchMaybeMethodOptions {
  /** The request method, or `undefined` for `"GET"`. */
  method?: string | undefined;
  /** No body. */
  body?: null | undefined;
}

/**
 * This tab's part in a source shared across tabs (`shareAcrossTabs`), as `sharing` reads
 * it. `tabs` counts the sources sharing the connection, this one included (a source in
 * a tab that went away without saying goodbye, a crashed one say, counts for a few
 * seconds more).
 */
export type Sharing =
  /** A connection of its own: no `shareAcrossTabs`, a browser that cannot share, or a closed source. */
  | { readonly role: "private"; readonly tabs: 1 }
  /** This tab holds the connection and passes its events on to the others. */
  | { readonly role: "leader"; readonly tabs: number }
  /** Another tab holds the connection; this one receives its events (`tabs` is 0 until the leader has said). */
  | { readonly role: "follower"; readonly tabs: number };

/** What `Sharing.role` may be. */
export type SharingRole = Sharing["role"];

/** The second argument of `new EventSource(url, options)`. Every time is in milliseconds. */
export type EventSourceOptions = NativeOptions | FetchOptions;

/** One event from the server. */
export interface Message {
  /** The event's data: its `data:` lines joined by `"\n"`. */
  readonly data: string;
  /** The event type: the `event:` field, or `"message"`. */
  readonly type: string;
  /**
   * The source's last event id when this event arrived: the latest id the server sent, on
   * this event or an earlier one (`""` if none yet), the same as `source.lastEventId` read
   * in the listener. Across a replacement by the reconnect policy or a pause, an event
   * without an `id:` field reads the resume point carried over, where the browser's own
   * `event.lastEventId` reads `""`.
   */
  readonly lastEventId: string;
  /** The origin of the server that sent the event. */
  readonly origin: string;
  /**
   * The browser's own `MessageEvent`. The fetch transport makes none: one is made from
   * this message's fields the first time this is read.
   */
  readonly event: MessageEvent;
  /** The data parsed as JSON, typed as `T` (not checked); throws a `DecodeError` when it is not JSON. */
  json<T = unknown>(): T;
}

/**
 * What `Message.json()` throws when the data is not JSON; `cause` is `JSON.parse`'s
 * `SyntaxError`. Exported for `instanceof`; only the package constructs one.
 *
 * @example
 * ```ts
 * import { DecodeError, type Message } from "web-eventsource";
 *
 * function idOf(message: Message): number | null {
 *   try {
 *     return message.json<{ id: number }>().id;
 *   } catch (error) {
 *     if (!(error instanceof DecodeError)) throw error;
 *     console.warn(`bad ${error.eventType} data:`, error.data);
 *     return null;
 *   }
 * }
 * ```
 */
export declare class DecodeError extends Error {
  private constructor();
  readonly name: "DecodeError";
  /** The type of the event whose data failed to parse. */
  readonly eventType: string;
  /** The data that failed to parse. */
  readonly data: string;
}

/** Why an `EventSourceError` was reported. */
export type ErrorKind =
  /** The connection dropped (on fetch: the body ended, or a GET failed on the network); the transport is reconnecting by itself. With a reconnect policy, a connection that fails before it opens is `"failed"` instead. */
  | "lost"
  /** The connection failed (non-200, wrong Content-Type, network): final without a reconnect policy. `status` has the HTTP status on the fetch transport. */
  | "failed"
  /** Quiet for `idleTimeout` (no event on native, no bytes on fetch); a replacement follows, unless `maxRetries` allowed no more attempts (then final). */
  | "idle-timeout"
  /** The server answered 204 No Content, "stop reconnecting": final. */
  | "no-content"
  /** `maxRetries` failures in a row: final. */
  | "retries-exhausted"
  /** An event grew past `maxEventSize` (fetch transport): final without a reconnect policy. */
  | "too-large"
  /** A kind this version of the package does not know. */
  | "unknown";

/**
 * What `on("error", listener)` (and `onerror`) receives. Exported for `instanceof`, which
 * tells it apart from the other things a listener of a type known only as a `string` may
 * get; only the package constructs one.
 */
export declare class EventSourceError extends Error {
  private constructor();
  readonly name: "EventSourceError";
  /** `"error"`, as the DOM's `error` event's `type`. */
  readonly type: "error";
  readonly kind: ErrorKind;
  /** Whether the connection will be tried again, by the browser or the reconnect policy. */
  readonly willReconnect: boolean;
  /** `!willReconnect`: the source is closed; every iterator ends after this. */
  readonly isFinal: boolean;
  /**
   * With a reconnect policy: failures in a row, this one included. `null` without one, and
   * for `kind: "lost"`, which the transport retries by itself, not the policy.
   */
  readonly attempt: number | null;
  /**
   * With a reconnect policy: milliseconds until its next attempt. `null` without one, and
   * for `kind: "lost"`, which the transport retries by itself after the stream's `retry:`
   * time.
   */
  readonly retryDelay: number | null;
  /**
   * The HTTP status of the response that failed (`401`, `503`...) on the fetch transport;
   * `null` on the native transport (the browser does not show it), for a network failure,
   * and for an idle timeout.
   */
  readonly status: number | null;
  /**
   * Why the request could not be made, when that is the failure: what a `headers`
   * function threw for it, or the `TypeError` the constructor throws for the first
   * request, e.g. for a header name that a `headers` function returned for a reconnect.
   * In a tab that follows a shared connection (`shareAcrossTabs`), for a request of the
   * leader that could not be made: an error that says so, a `TypeError` where the leader's
   * `headers` failed (what its function threw stays in the leader's tab). Absent
   * otherwise.
   */
  readonly cause?: unknown;
}

/** `addEventListener`'s options, as the DOM's `AddEventListenerOptions`. */
export interface ListenerOptions {
  /** Remove the listener before its first call. */
  once?: boolean | undefined;
  /** Remove the listener when this signal aborts; an aborted one adds nothing. */
  signal?: AbortSignal | undefined;
  /** Changes no call (a source is in no tree), but names the listener, as in the DOM. */
  capture?: boolean | undefined;
  /** Means nothing for a source: its events cannot be cancelled. */
  passive?: boolean | undefined;
}

/** Removes the listener `on()` added. Calling it again does nothing. */
export type Unsubscribe = () => void;

/**
 * What `on(type, listener)` calls the listener with, for the three types that do not
 * deliver a `Message`. A listener is called with `this` undefined, not the source.
 */
export interface EventSourceListeners {
  open: (this: void, event: Event) => void;
  error: (this: void, error: EventSourceError) => void;
  readystatechange: (this: void, state: ReadyStateName) => void;
}

/** The names of `EventSourceListeners` among the strings `K` may be: `never` for a type like `"ping"`, all three for `string`. */
type OwnTypesIn<K extends string> = {
  [T in keyof EventSourceListeners]: T extends K ? T : never;
}[keyof EventSourceListeners];

/**
 * What a listener of `type` may be called with. For one literal type, exactly what it gets
 * (an `Event` for `"open"`). For a type known only as a `string`, or a union, every
 * possibility, which the listener must tell apart:
 * `Message | EventSourceError | ReadyStateName | Event`.
 */
export type EventFor<K extends string> =
  | Parameters<EventSourceListeners[OwnTypesIn<K>]>[0]
  | ([Exclude<K, keyof EventSourceListeners>] extends [never] ? never : Message);

/**
 * The listener `on(type, ...)` takes: for `"open"`, `"error"` and `"readystatechange"` the
 * listener of `EventSourceListeners`, for any other literal type a `Message` listener,
 * and for a `string` or a union one that takes `EventFor<K>`, so that it narrows before
 * reading a `Message`'s fields.
 */
export type ListenerFor<K extends string> = [K] extends ["open"]
  ? EventSourceListeners["open"]
  : [K] extends ["error"]
    ? EventSourceListeners["error"]
    : [K] extends ["readystatechange"]
      ? EventSourceListeners["readystatechange"]
      : (this: void, event: EventFor<K>) => void;

/**
 * An object `addEventListener` takes in place of a function: its `handleEvent` is called
 * with the object as `this`, and with what the listener of `type` gets.
 */
export interface ListenerObjectFor<K extends string> {
  handleEvent(...args: Parameters<ListenerFor<K>>): void;
}

/** The async iterator of `messages()` and `subscribe(type)`: use it with `for await`. */
export interface MessageIterator extends AsyncIterableIterator<Message> {
  next(): Promise<IteratorResult<Message, undefined>>;
  /**
   * Unsubscribes at once and drops what is buffered (`break` calls it); resolves
   * `{ value, done: true }` with the `value` given.
   */
  return<R = undefined>(value?: R | PromiseLike<R>): Promise<IteratorReturnResult<R>>;
  /**
   * As `return()`, then rejects with `error`: what a generator that delegates to the
   * iterator (`yield*`) passes on from its own `throw(error)`.
   */
  throw(error?: unknown): Promise<IteratorReturnResult<never>>;
  [Symbol.asyncIterator](): MessageIterator;
}

/**
 * A connection to a server that sends events (`text/event-stream`), over the browser's own
 * `EventSource` or over `fetch` (`transport: "fetch"`), with typed errors, async iteration and an optional reconnect policy that
 * survives what the browser gives up on (a 500, a wrong `Content-Type`, a server restart),
 * resuming after the last event id with nothing lost or repeated.
 *
 * An open source keeps running, and calling its listeners, until `close()` or a final
 * failure, whether or not the page keeps a reference to it, as the browser's does; a closed
 * one is garbage-collected with everything it held.
 *
 * @example
 * ```js
 * import { EventSource } from "web-eventsource";
 *
 * const source = new EventSource("/sse", { reconnect: { maxRetries: 10 } });
 * source.on("error", (error) => console.warn(error.message));
 * for await (const message of source.messages()) {
 *   console.log(message.lastEventId, message.data);
 * }
 * ```
 */
export declare class EventSource {
  /** `readyState` while connecting (or paused, or waiting for the policy's next attempt): 0, as on the browser's `EventSource`. */
  static readonly CONNECTING: 0;
  /** `readyState` while open: 1. */
  static readonly OPEN: 1;
  /** `readyState` once closed for good: 2. */
  static readonly CLOSED: 2;
  /** `readyState` while connecting: 0. */
  readonly CONNECTING: 0;
  /** `readyState` while open: 1. */
  readonly OPEN: 1;
  /** `readyState` once closed for good: 2. */
  readonly CLOSED: 2;
  /**
   * Handler properties, for code written for the browser's `EventSource`: each is called
   * as a listener added with `on` for its type is (`onmessage` with a `Message`, which has
   * the `data`, `lastEventId`, `origin` and `type` a `MessageEvent` has; `onerror` with an
   * `EventSourceError`). Unlike a DOM event handler's, `this` is not the source and the
   * argument has no `target`: refer to the source by name. `onerror` gets the source's own
   * failures only; the server's events named `error` are `subscribe("error")`'s. Setting
   * one replaces the one before; `null` or `undefined` removes it, and any other value
   * that is not a function throws a `TypeError`. On a closed source, setting one keeps
   * nothing (it would never be called), and it reads `null`.
   *
   * @example
   * ```js
   * source.onmessage = (message) => console.log(message.data);
   * source.onerror = () => {
   *   if (source.readyState === EventSource.CLOSED) console.log("gave up");
   * };
   * ```
   */
  get onmessage(): ((this: void, message: Message) => void) | null;
  set onmessage(handler: ((this: void, message: Message) => void) | null | undefined);
  /** The `"open"` handler, or `null`: see `onmessage`. */
  get onopen(): ((this: void, event: Event) => void) | null;
  set onopen(handler: ((this: void, event: Event) => void) | null | undefined);
  /** The `"error"` handler, or `null`: see `onmessage`. */
  get onerror(): ((this: void, error: EventSourceError) => void) | null;
  set onerror(handler: ((this: void, error: EventSourceError) => void) | null | undefined);
  /**
   * Opens a source at `url` (absolute, or relative to the page). The browser starts
   * connecting at once.
   *
   * @throws `TypeError` naming the option, for a bad or unknown option, a header name or
   * value, method or body the browser refuses, or a fetch-only option with
   * `transport: "native"`; a `TypeError` for a `url` that is `undefined` (which the
   * browser's `EventSource` would open as the relative URL "undefined").
   * @throws what a `headers` function threw, at the first request.
   * @throws `DOMException` named `"SyntaxError"`, with the browser's own message, for a URL
   * the browser cannot parse (what the native `EventSource` throws); on the fetch
   * transport also for one `fetch` never loads (a user name or password in it, `ws:`,
   * `file:`, `javascript:`, ...).
   */
  constructor(url: string | URL, options?: EventSourceOptions | null);
  /** The absolute URL of the source, as the browser resolved it. */
  readonly url: string;
  /** Whether cross-origin requests send credentials. */
  readonly withCredentials: boolean;
  /** What carries the events: `"native"` or `"fetch"`. */
  readonly transport: TransportName;
  /**
   * The browser's numbers: 0 connecting, 1 open, 2 closed for good. A source paused by
   * `pauseWhenHidden`, or waiting for the reconnect policy's next attempt, is 0: it will
   * connect again. `state` tells paused apart.
   */
  readonly readyState: 0 | 1 | 2;
  /** `"connecting"`, `"open"`, `"paused"` or `"closed"`. */
  readonly state: ReadyStateName;
  /** The id of the newest event received that carried one (`""` before the first): where a reconnect resumes. */
  readonly lastEventId: string;
  /**
   * This tab's part in a source shared across tabs, read now (a new frozen object each
   * time): `"leader"` or `"follower"` with `shareAcrossTabs: true`, which changes when the
   * connection passes from tab to tab, else `{ role: "private", tabs: 1 }`, as after
   * `close()`. A shared source starts as `{ role: "follower", tabs: 0 }` while it asks
   * for the lock: the first tab leads a moment later.
   *
   * @example
   * ```ts
   * const { role, tabs } = source.sharing;
   * console.log(role === "private" ? "a connection of its own" : `${role} of ${tabs} tabs`);
   * ```
   */
  readonly sharing: Sharing;
  /**
   * Closes the connection for good: no listener is called again, and every iterator ends
   * after what it already received. Calling it again, or using the source afterwards,
   * never throws.
   */
  close(): void;
  /**
   * Calls `listener` for each event of `type` and returns a function that unsubscribes it.
   * `"open"` gets an `Event` of that type, `"error"` an `EventSourceError`, `"readystatechange"` the new
   * state, and any other type (the server's `event:` field, `"message"` when it sent none)
   * a `Message`. The server's events named `open`, `error` or `readystatechange` reach
   * `subscribe(type)` instead. What a listener throws is reported as from a DOM event
   * listener (`reportError`), and the other listeners still run. Each call subscribes
   * once more, the same function too (unlike `addEventListener`, which skips a listener it
   * already holds): unsubscribe with the function returned rather than call `on` again.
   *
   * Throws a `TypeError` when `type` is not a string or `listener` not a function.
   *
   * With a `type` TypeScript knows only as a `string`, the listener takes `EventFor<string>`
   * (any of the four) and narrows it: `undefined` for `"open"`, a `string` state,
   * `instanceof EventSourceError`, else a `Message`.
   *
   * @example
   * ```js
   * const stop = source.on("ping", (message) => console.log(message.json()));
   * // later
   * stop();
   * ```
   */
  on<K extends string>(type: K, listener: ListenerFor<K>): Unsubscribe;
  /**
   * The DOM's `addEventListener`, for code written for the browser's `EventSource`: the
   * listener (a function, or an object whose `handleEvent` is called) is called as
   * `on(type, …)`'s are, with what `on` hands them: a `Message` (which has the `data`,
   * `lastEventId`, `origin` and `type` of a `MessageEvent`) for the server's events, an
   * `EventSourceError` for `"error"`, an `Event` of type `"open"` for `"open"`; `this` is not the source. As
   * in the DOM, a listener already added for `type` (and `capture`) is not added again,
   * `null` adds nothing, `{ once: true }` removes it before its first call and
   * `{ signal }` when the signal aborts. `capture` changes no call (a source is in no
   * tree) but names the listener: added with and without it, it is two. On a closed
   * source nothing is added.
   *
   * Throws a `TypeError` when `type` is not a string, the listener is not a function, an
   * object or `null`, or `signal` is not an `AbortSignal`.
   *
   * @example
   * ```js
   * const stop = new AbortController();
   * source.addEventListener("ping", (message) => console.log(message.data), { signal: stop.signal });
   * source.addEventListener("open", () => console.log("open"), { once: true });
   * // later
   * stop.abort();
   * ```
   */
  addEventListener<K extends string>(
    type: K,
    listener: ListenerFor<K> | ListenerObjectFor<K> | null,
    options?: boolean | ListenerOptions,
  ): void;
  /**
   * Removes the listener `addEventListener` added for `type`, the same function or
   * object, and `capture`. Throws a `TypeError` when `type` is not a string.
   */
  removeEventListener<K extends string>(
    type: K,
    listener: ListenerFor<K> | ListenerObjectFor<K> | null,
    options?: boolean | { capture?: boolean },
  ): void;
  /** The `"message"` events (sent without an `event:` field), as an async iterator: see `subscribe`. */
  messages(): MessageIterator;
  /**
   * The events of `type`, as an async iterator for `for await`. It buffers what arrives
   * until read, and ends once the source is closed or has failed for good (after yielding
   * what it holds). Leaving the loop early (`break`, `return`, a throw) calls its
   * `return()`, which unsubscribes at once. One the page drops without reading it to the
   * end or returning it is garbage-collected with what it buffered, and unsubscribes then.
   * One made from a closed source ends at once. Every `type` is the server's:
   * `subscribe("error")` yields the server's events named `error` (`event: error`, which
   * some APIs send to report a failure of their own) as `Message`s, which `on("error", …)`
   * does not get. Throws a `TypeError` when `type` is not a string.
   *
   * @example
   * ```ts
   * for await (const ping of source.subscribe("ping")) {
   *   if (ping.json<{ last?: boolean }>().last) break; // unsubscribes
   * }
   * ```
   */
  subscribe(type: string): MessageIterator;
  /**
   * Closes an open source (as `close()` does), then releases this object's handle on the
   * wasm side at once instead of at garbage collection. The object is unusable
   * afterwards: every member throws. (`[Symbol.dispose]()`, which `using` calls,
   * closes and does not free.) Not from a listener that one of this object's own calls
   * runs, such as the `"closed"` state change that `close()` delivers: the object is in
   * use there, and `free()` throws wasm-bindgen's "recursive use of an object" error
   * (reported, as a listener's exception is) after the glue has already let go of the
   * object, which is then unusable and its wasm side never freed. From such a listener,
   * free it once the call has returned: `queueMicrotask(() => source.free())`.
   */
  free(): void;
  /**
   * Closes the source (`close()`; harmless a second time): what
   * `using source = new EventSource(url)` calls when its block ends. The source is then a
   * closed one, which code that still holds it may read and use without an exception; its
   * wasm side is freed when it is collected. Where the
   * engine has no `Symbol.dispose`, the method is under `Symbol.for("Symbol.dispose")`,
   * where `using` compiled by esbuild (Vite) or Babel looks for it; TypeScript's own
   * compiled `using` needs the engine's.
   */
  [Symbol.dispose](): void;
}

declare global {
  interface SymbolConstructor {
    /**
     * `Symbol.dispose` (JavaScript's explicit resource management), declared here so that
     * these declarations compile against an older standard library too, as
     * `@types/node` declares it. TypeScript's own `esnext.disposable` library declares
     * the same.
     */
    readonly dispose: unique symbol;
  }
}
