// The async iterator that `messages()` and `subscribe(type)` return. The wasm side pushes
// each event as it arrives and ends the iterator when the source is closed or has failed
// for good; events already received are still yielded first. `return()` (which `break`
// out of a `for await` loop calls) unsubscribes at once and drops what is buffered.
import { Message } from "./message.js";

const DONE = Object.freeze({ value: undefined, done: true });

export class MessageIterator {
  #buffer = [];
  #head = 0;
  #waiting = [];
  #done = false;
  #unsubscribe;

  constructor(unsubscribe) {
    this.#unsubscribe = unsubscribe;
  }

  /** Called by the wasm side with each event. */
  static push(iterator, event, lastEventId) {
    iterator.#push(new Message(event, lastEventId));
  }

  /** Called by the wasm side when the subscription is dropped. */
  static end(iterator) {
    iterator.#finish();
  }

  #push(message) {
    if (this.#done) return;
    const resolve = this.#waiting.shift();
    if (resolve) {
      resolve({ value: message, done: false });
    } else {
      this.#buffer.push(message);
    }
  }

  #finish() {
    if (this.#done) return;
    this.#done = true;
    this.#unsubscribe = undefined;
    for (const resolve of this.#waiting.splice(0)) resolve(DONE);
  }

  next() {
    if (this.#head < this.#buffer.length) {
      const value = this.#buffer[this.#head];
      this.#buffer[this.#head++] = undefined;
      if (this.#head === this.#buffer.length) {
        this.#buffer.length = 0;
        this.#head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.#done) return Promise.resolve(DONE);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  return() {
    const unsubscribe = this.#unsubscribe;
    this.#buffer = [];
    this.#head = 0;
    this.#finish();
    unsubscribe?.();
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}
