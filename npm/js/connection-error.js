// What `on("error", listener)` receives: the core crate's ConnectionError, as a plain
// JavaScript Error (it has a message and a stack, so it logs well).
import { call } from "./listener.js";

export class EventSourceError extends Error {
  constructor(message, kind, willReconnect, attempt, retryDelay, status, cause) {
    // `cause` (ES2022's): why the request could not be made, as the constructor throws
    // it for the first request. Left out when there is none, as `new Error()` leaves it.
    super(message, cause === undefined ? undefined : { cause });
    this.name = "EventSourceError";
    // As the DOM's `error` event's: one `handleEvent` for every type may switch on it.
    this.type = "error";
    this.kind = kind;
    this.willReconnect = willReconnect;
    this.isFinal = !willReconnect;
    this.attempt = attempt ?? null;
    this.retryDelay = retryDelay ?? null;
    // The HTTP status of the response that failed (fetch transport); null where there was
    // none, or the browser does not show it (native transport).
    this.status = status ?? null;
  }
}

export function deliverError(listener, message, kind, willReconnect, attempt, retryDelay, status, cause) {
  call(listener, new EventSourceError(message, kind, willReconnect, attempt, retryDelay, status, cause));
}
