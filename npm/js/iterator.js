// The async iterator that `messages()` and `subscribe(type)` return. The wasm side pushes
// each event as it arrives and ends the iterator when the source is closed or has failed
// for good; events already received are still yielded first. `return()` (which `break`
// out of a `for await` loop calls) and `throw()` unsubscribe at once and drop what is
// buffered.
//
// Who holds what: the page holds the iterator; the wasm side holds only its feed, which
// reaches the iterator through a WeakRef. So an iterator the page drops, neither read to
// the end nor returned, is garbage-collected with what it buffered, and `abandoned` then
// unsubscribes it: it does not buffer for as long as the source lives. While a `next()`
// is pending, the feed holds the iterator strongly: a waiting `for await` loop may be
// reachable only through that pending promise, which only the iterator holds, and must
// not be collected with it.
const DONE = Object.freeze({ value: undefined, done: true });

const abandoned = new FinalizationRegistry((unsubscribe) => unsubscribe());

export class MessageIterator {
  #buffer = [];
  #head = 0;
  #waiting = [];
  #done = false;
  #unsubscribe;
  /** What the wasm side holds: `weak` always, `held` while a `next()` waits. */
  #feed = { weak: new WeakRef(this), held: undefined };

  constructor(unsubscribe) {
    this.#unsubscribe = unsubscribe;
    abandoned.register(this, unsubscribe, this);
  }

  /** The feed the wasm side keeps, to push to this iterator without keeping it alive. */
  static feed(iterator) {
    return iterator.#feed;
  }

  /** Called by the wasm side with each Message; nothing to do if the iterator was collected. */
  static push(feed, message) {
    (feed.held ?? feed.weak.deref())?.#push(message);
  }

  /** Called by the wasm side when the subscription is dropped. */
  static end(feed) {
    (feed.held ?? feed.weak.deref())?.#finish();
  }

  #push(message) {
    if (this.#done) return;
    const resolve = this.#waiting.shift();
    if (resolve) {
      if (this.#waiting.length === 0) this.#feed.held = undefined;
      resolve({ value: message, done: false });
    } else {
      this.#buffer.push(message);
    }
  }

  #finish() {
    if (this.#done) return;
    this.#done = true;
    this.#unsubscribe = undefined;
    this.#feed.held = undefined;
    abandoned.unregister(this);
    for (const resolve of this.#waiting.splice(0)) resolve(DONE);
  }

  next() {
    if (this.#head < this.#buffer.length) {
      const value = this.#buffer[this.#head];
      this.#buffer[this.#head++] = undefined;
      // The read slots go once they are as many as the unread ones: a reader that keeps
      // a backlog never empties the buffer, which would otherwise grow by one slot per
      // message for as long as the source runs. (Amortised O(1): a splice moves no more
      // slots than were read since the last one.)
      if (this.#head >= this.#buffer.length - this.#head) {
        this.#buffer.splice(0, this.#head);
        this.#head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.#done) return Promise.resolve(DONE);
    this.#feed.held = this;
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  // As the async iterator protocol (and an async generator) has it: `{ value, done: true }`
  // with the value given, awaited when it is a promise.
  return(value) {
    this.#stop();
    return Promise.resolve(value).then((value) => ({ value, done: true }));
  }

  // What a generator that delegates to this one (`yield*`) passes on from its own
  // `throw(error)`: without it, the generator threw a TypeError of its own instead.
  throw(error) {
    this.#stop();
    return Promise.reject(error);
  }

  #stop() {
    const unsubscribe = this.#unsubscribe;
    this.#buffer = [];
    this.#head = 0;
    this.#finish();
    unsubscribe?.();
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}
