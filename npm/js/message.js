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

// The fields are kept under symbols, not in `#private` fields: a getter called through a
// Proxy (Vue's `reactive()` wraps a Message put into reactive state) runs with the Proxy
// as `this`, which has no private fields, and reading one throws a TypeError. A symbol-
// keyed property is read through the Proxy like any other.
const EVENT = Symbol("event");
const TYPE = Symbol("type");
const DATA = Symbol("data");
const ORIGIN = Symbol("origin");
const LAST_EVENT_ID = Symbol("lastEventId");

export class Message {
  /**
   * `lastEventId` is the core's (`Message::last_event_id`), not the browser event's.
   * Native: `event` is the browser's MessageEvent. Fetch: `event` is undefined and the
   * other fields are given.
   */
  constructor(lastEventId, event, type, data, origin) {
    this[LAST_EVENT_ID] = lastEventId;
    this[EVENT] = event;
    this[TYPE] = type;
    this[DATA] = data;
    this[ORIGIN] = origin;
  }

  /** The event's data: its `data:` lines joined by "\n". */
  get data() {
    const data = this[EVENT] ? this[EVENT].data : this[DATA];
    return typeof data === "string" ? data : "";
  }

  /** The event type: the `event:` field, or "message". */
  get type() {
    return this[EVENT] ? this[EVENT].type : this[TYPE];
  }

  /**
   * The source's last event id when this event arrived: the latest id the server sent, on
   * this event or an earlier one ("" if none yet), as `source.lastEventId` reads it. The
   * browser's event reads "" after a replacement or a pause until the server sends an id
   * again; this reads the resume point carried over.
   */
  get lastEventId() {
    return this[LAST_EVENT_ID];
  }

  /** The origin of the server that sent the event. */
  get origin() {
    return (this[EVENT] ? this[EVENT].origin : this[ORIGIN]) ?? "";
  }

  /**
   * The browser's own MessageEvent; on the fetch transport, which makes none, one made
   * from this message's fields the first time it is read.
   */
  get event() {
    let event = this[EVENT];
    if (event === undefined) {
      event = new MessageEvent(this[TYPE], {
        data: this[DATA],
        lastEventId: this[LAST_EVENT_ID],
        origin: this[ORIGIN],
      });
      // Kept for the next read where it can be: a frozen message (an app keeping data out
      // of Vue's reactivity) or a read-only Proxy refuses the write, which `Reflect.set`
      // reports rather than throws, and each read there makes one anew.
      Reflect.set(this, EVENT, event);
    }
    return event;
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
