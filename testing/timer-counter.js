// Counts the timers (setTimeout and setInterval) live on the page, with their delays, by
// wrapping the global functions. The browser tests use it to prove that a closed source
// leaves no timer behind.

const live = new Map(); // id -> delay in ms

export function install_timer_counter() {
  if (globalThis.__wesTimerCounter) return;
  globalThis.__wesTimerCounter = true;
  const { setTimeout, clearTimeout, setInterval, clearInterval } = globalThis;
  globalThis.setTimeout = function (fn, delay, ...args) {
    const id = setTimeout.call(this, (...a) => {
      live.delete(id);
      return typeof fn === "function" ? fn(...a) : undefined;
    }, delay, ...args);
    live.set(id, Number(delay) || 0);
    return id;
  };
  globalThis.clearTimeout = function (id) {
    live.delete(id);
    return clearTimeout.call(this, id);
  };
  globalThis.setInterval = function (fn, delay, ...args) {
    const id = setInterval.call(this, fn, delay, ...args);
    live.set(id, Number(delay) || 0);
    return id;
  };
  globalThis.clearInterval = function (id) {
    live.delete(id);
    return clearInterval.call(this, id);
  };
}

/** Timers live now whose delay is at least `min_ms`. */
export function live_timers_at_least(min_ms) {
  let count = 0;
  for (const delay of live.values()) if (delay >= min_ms) count += 1;
  return count;
}
