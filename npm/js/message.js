// One event from the server, as JavaScript listeners and iterators receive it.
// Plain JavaScript rather than a Rust-exported class: reading `data` from the browser's
// MessageEvent directly costs no copy into wasm memory and back, and the object is
// collected like any other, with nothing to free on the Rust side.
import { call } from "./listener.js";

/** Thrown by `Message.json()` when the data is not valid JSON. */
export class DecodeError extends Error {
  constructor(eventType, data, cause) {
    super(`cannot decode the data of a "${eventType}" event: ${cause.message}`, { cause });
    this.name = "DecodeError";
    this.eventType = eventType;
    this.data = data;
  }
}

export class Message {
  #event;
  #lastEventId;

  /** `lastEventId` is the core's (`Message::last_event_id`), not the browser event's. */
  constructor(event, lastEventId) {
    this.#event = event;
    this.#lastEventId = lastEventId;
  }

  /** The event's data: its `data:` lines joined by "\n". */
  get data() {
    const data = this.#event.data;
    return typeof data === "string" ? data : "";
  }

  /** The event type: the `event:` field, or "message". */
  get type() {
    return this.#event.type;
  }

  /**
   * The source's last event id when this event arrived: the latest id the server sent, on
   * this event or an earlier one ("" if none yet), as `source.lastEventId` reads it. The
   * browser's event reads "" after a replacement or a pause until the server sends an id
   * again; this reads the resume point carried over.
   */
  get lastEventId() {
    return this.#lastEventId;
  }

  /** The origin of the server that sent the event. */
  get origin() {
    return this.#event.origin ?? "";
  }

  /** The browser's own MessageEvent. */
  get event() {
    return this.#event;
  }

  /** The data parsed as JSON; throws a DecodeError when it is not JSON. */
  json() {
    const data = this.data;
    try {
      return JSON.parse(data);
    } catch (cause) {
      throw new DecodeError(this.type, data, cause);
    }
  }

  toJSON() {
    return { type: this.type, data: this.data, lastEventId: this.lastEventId, origin: this.origin };
  }
}

export function deliverMessage(listener, event, lastEventId) {
  call(listener, new Message(event, lastEventId));
}
