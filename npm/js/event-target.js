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

// `capture`, `once` and `signal` from the options, as the DOM reads them (and whether the
// signal has aborted already, when nothing is added): another value than an object is
// `capture` itself. A source is in no tree, so `capture` changes no
// call, but as in the DOM it is part of what names a listener: `f` added with and
// without it is two listeners, and `removeEventListener` removes the one it names.
// (`passive` means nothing here.) A `signal` that is not an AbortSignal is a TypeError:
// one of another realm (an iframe's) is one, as in the DOM, which `instanceof` would
// refuse; an object dressed as one is not.
export function listenerOptions(options) {
  if (options === null || typeof options !== "object") {
    return { capture: Boolean(options), once: false, signal: null, aborted: false };
  }
  const { once, signal } = options;
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw new TypeError("EventSource.addEventListener: options.signal is not an AbortSignal");
  }
  return {
    capture: listenerCapture(options),
    once: Boolean(once),
    signal: signal ?? null,
    aborted: signal?.aborted === true,
  };
}

// The platform's own check of the interface, which holds across realms: `aborted`'s
// getter throws for anything but an AbortSignal. (Looked up at the call: a page without
// AbortSignal can still load the package, and one whose `aborted` is no getter, a
// polyfill's, falls back to `instanceof`.)
function isAbortSignal(value) {
  if (typeof AbortSignal !== "function") return false;
  const abortedOf = Object.getOwnPropertyDescriptor(AbortSignal.prototype, "aborted")?.get;
  if (typeof abortedOf !== "function") return value instanceof AbortSignal;
  try {
    abortedOf.call(value);
    return true;
  } catch {
    return false;
  }
}

// `removeEventListener`'s options, which name the listener by `capture` alone.
export function listenerCapture(options) {
  return options !== null && typeof options === "object" ? Boolean(options.capture) : Boolean(options);
}

// Calls `callback` once when `signal` aborts; returns what stops waiting, for a listener
// that goes first (else the signal would hold one callback per listener it ever had).
export function whenAborted(signal, callback) {
  signal.addEventListener("abort", callback, { once: true });
  return () => signal.removeEventListener("abort", callback);
}
