// What `on("error", listener)` receives: the core crate's ConnectionError, as a plain
// JavaScript Error (it has a message and a stack, so it logs well).
import { call } from "./listener.js";

export class EventSourceError extends Error {
  constructor(message, kind, willReconnect, attempt, retryDelay, status) {
    super(message);
    this.name = "EventSourceError";
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

export function deliverError(listener, message, kind, willReconnect, attempt, retryDelay, status) {
  call(listener, new EventSourceError(message, kind, willReconnect, attempt, retryDelay, status));
}
