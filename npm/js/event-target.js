// `addEventListener`'s arguments, read as the DOM reads them, for the wasm side, which
// keeps the listeners (npm/src/subscriptions.rs).

// The function to call for `listener`: itself, or for an object one that calls its
// `handleEvent` with the object as `this`, looked up at each call as the DOM does (a
// missing one is reported as a listener's exception is). `null` for `null` or
// `undefined`, which the DOM adds nothing for.
export function listenerFunction(listener) {
  if (listener === null || listener === undefined) return null;
  if (typeof listener === "function") return listener;
  if (typeof listener === "object") {
    return (event) => {
      const handleEvent = listener.handleEvent;
      if (typeof handleEvent !== "function") {
        throw new TypeError("EventSource: the listener's handleEvent is not a function");
      }
      handleEvent.call(listener, event);
    };
  }
  throw new TypeError("EventSource.addEventListener: the listener is not a function or an object");
}

// `once` and `signal` from the options (a boolean is `capture`, which, like `passive`,
// means nothing for a source that is in no tree). A `signal` that is not an AbortSignal
// is a TypeError, as in the DOM.
export function listenerOptions(options) {
  if (options === null || typeof options !== "object") return { once: false, signal: null };
  const { once, signal } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError("EventSource.addEventListener: options.signal is not an AbortSignal");
  }
  return { once: Boolean(once), signal: signal ?? null };
}

// Calls `callback` once when `signal` aborts.
export function whenAborted(signal, callback) {
  signal.addEventListener("abort", callback, { once: true });
}
