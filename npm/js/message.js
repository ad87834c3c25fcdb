// One event from the server, as JavaScript listeners and iterators receive it.
// Plain JavaScript rather than a Rust-exported class: the object is collected like any
// other, with nothing to free on the Rust side.
//
// The two transports hand it what each has. The native one has the browser's
// MessageEvent, whose `data` is read from it directly: no copy into wasm memory and back.
// The fetch transport parsed the stream in Rust and makes no DOM event: it hands the
// fields over as strings, and a MessageEvent is made from them only if `event` is read.
// Either way the object reads the same.

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
  #type;
  #data;
  #origin;
  #lastEventId;

  /**
   * `lastEventId` is the core's (`Message::last_event_id`), not the browser event's.
   * Native: `event` is the browser's MessageEvent. Fetch: `event` is undefined and the
   * other fields are given.
   */
  constructor(lastEventId, event, type, data, origin) {
    this.#lastEventId = lastEventId;
    this.#event = event;
    this.#type = type;
    this.#data = data;
    this.#origin = origin;
  }

  /** The event's data: its `data:` lines joined by "\n". */
  get data() {
    const data = this.#event ? this.#event.data : this.#data;
    return typeof data === "string" ? data : "";
  }

  /** The event type: the `event:` field, or "message". */
  get type() {
    return this.#event ? this.#event.type : this.#type;
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
    return (this.#event ? this.#event.origin : this.#origin) ?? "";
  }

  /**
   * The browser's own MessageEvent; on the fetch transport, which makes none, one made
   * from this message's fields the first time it is read.
   */
  get event() {
    this.#event ??= new MessageEvent(this.#type, {
      data: this.#data,
      lastEventId: this.#lastEventId,
      origin: this.#origin,
    });
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

/** A Message around the browser's MessageEvent (native transport). */
export function newDomMessage(lastEventId, event) {
  return new Message(lastEventId, event);
}

/**
 * A Message from the fields the fetch transport parsed (the id and the data are slices of
 * one string per chunk of the body, which crossed out of wasm once).
 */
export function newParsedMessage(lastEventId, data, type, origin) {
  return new Message(lastEventId, undefined, type, data, origin);
}
