// Counts the JS listeners live on every EventSource of the page, by wrapping
// EventTarget.prototype.addEventListener / removeEventListener. Shared by the benchmark page
// (bench.js imports it) and the browser tests (tests/common/mod.rs binds it).

const live = [];
let lastSource = null;

export function install_listener_counter() {
  if (globalThis.__wesListenerCounter) return;
  globalThis.__wesListenerCounter = true;
  const proto = EventTarget.prototype;
  const add = proto.addEventListener;
  const remove = proto.removeEventListener;
  const find = (t, type, fn) => live.findIndex((l) => l.t === t && l.type === type && l.fn === fn);
  proto.addEventListener = function (type, fn, options) {
    if (this instanceof EventSource) {
      lastSource = this;
      if (fn && find(this, type, fn) < 0) live.push({ t: this, type, fn });
    }
    return add.call(this, type, fn, options);
  };
  proto.removeEventListener = function (type, fn, options) {
    if (this instanceof EventSource) {
      const i = find(this, type, fn);
      if (i >= 0) live.splice(i, 1);
    }
    return remove.call(this, type, fn, options);
  };
}

/** Live listeners on `target` for `type` (every type when `type` is null or undefined). */
export function live_listeners(target, type) {
  return live.filter((l) => l.t === target && (type == null || l.type === type)).length;
}

/** Live listeners on every EventSource of the page. */
export function live_listeners_total() {
  return live.length;
}

/** The EventSource a listener was last added to. */
export function last_source() {
  return lastSource;
}
