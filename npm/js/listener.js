// Calls a user's listener. An exception it throws is reported the way the browser
// reports one thrown by an event listener (`reportError`: the page's `error` event and
// the console), and never unwinds into the wasm code that dispatches the event: the
// other listeners still run.

function report(error) {
  if (typeof globalThis.reportError === "function") {
    globalThis.reportError(error);
  } else {
    setTimeout(() => {
      throw error;
    });
  }
}

export function call(listener, argument) {
  try {
    listener(argument);
  } catch (error) {
    report(error);
  }
}

// An `Event` of type "open", as the DOM hands an `open` listener: code that switches on
// `event.type` in one `handleEvent` reads it.
export function deliverOpen(listener) {
  call(listener, new Event("open"));
}

export function deliverState(listener, state) {
  call(listener, state);
}
