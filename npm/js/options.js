// The `options` of `new EventSource(url, options)`, checked here, then applied by
// `options.rs`. The same checks compiled to wasm cost 3 KB of gzipped wasm (a read, a
// conversion and a message for each option, each across the JavaScript boundary); here
// they are half a kilobyte, and JavaScript spells a refused value as its user wrote it.
//
// A bad option is a TypeError whose message names it (`reconnect.initialDelay`), an
// unknown one too: a misspelt option silently doing nothing is the bug this prevents.
// Left out (or `undefined`) is the default; `null` is "off" where an option can be off.

// What each option takes: its `typeof`, which of those values are good, and the words
// for them.
const BOOLEAN = ["boolean", () => true, "a boolean"];
const MILLIS = ["number", (ms) => ms >= 0, "a non-negative number of milliseconds"];
// A timeout of 0 would fire on every quiet millisecond: `null` is "none".
const TIMEOUT = ["number", (ms) => ms > 0, "a positive number of milliseconds (null for none)"];
const FACTOR = ["number", (factor) => factor >= 1, "a number at least 1"];
const JITTER = ["string", (name) => ["none", "full", "equal"].includes(name), '"none", "full" or "equal"'];
const COUNT = [
  "number",
  (count) => Number.isInteger(count) && count >= 0 && count <= 4294967295,
  "a whole number from 0 to 4294967295",
];
const NAME = ["string", (name) => name !== "", "a non-empty parameter name (null turns resuming off)"];

const OPTIONS = ["withCredentials", "reconnect", "pauseWhenHidden"];
// The policy's options and their checks.
const RECONNECT = {
  initialDelay: MILLIS,
  factor: FACTOR,
  maxDelay: MILLIS,
  jitter: JITTER,
  maxRetries: COUNT,
  resumeParam: NAME,
  idleTimeout: TIMEOUT,
  statusProbe: MILLIS,
  minUptime: MILLIS,
};

/** `value` as an options object whose every key is known; `undefined` for `undefined` and `null`. */
function fields(value, prefix, known) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || !(value instanceof Object)) {
    const what = prefix ? "reconnect: expected true, false or an object" : "options: expected an object";
    throw new TypeError(`EventSource ${what}, got ${typeof value}`);
  }
  for (const key of Object.keys(value)) {
    // An unknown key set to `undefined` is as good as left out, like a known one.
    if (!known.includes(key) && value[key] !== undefined) {
      throw new TypeError(`unknown EventSource option "${prefix}${key}" (known: ${known.join(", ")})`);
    }
  }
  return value;
}

/** A refused value as a message shows it: `number -5`, `string "1s"`, `boolean true`, or its type. */
function spelt(value) {
  const type = typeof value;
  if (type === "string") return `string ${JSON.stringify(value)}`;
  return type === "number" || type === "boolean" ? `${type} ${value}` : type;
}

/** Option `name` of `object`, read once: `undefined`, `null`, or a value `check` accepts. */
function read(object, prefix, name, [type, good, expected]) {
  const value = object[name];
  if (value === undefined || value === null) return value;
  const wrongType = typeof value !== type;
  if (wrongType || !good(value)) {
    const invalid = wrongType ? "type" : "value";
    throw new TypeError(`EventSource option "${prefix}${name}": invalid ${invalid}: ${spelt(value)}, expected ${expected}`);
  }
  return value;
}

/**
 * Checks `options` and returns them as a new object that `options.rs` reads by name
 * (`CheckedOptions` in `bindings.rs`): `withCredentials`, `reconnect` (`undefined` for no
 * policy, else an object with every field of RECONNECT) and `pauseWhenHidden`. Each
 * field is `undefined` (left out), `null` or a checked value. Every option of `options`
 * is read once, in that order, so a getter on it runs once.
 */
export function readOptions(options) {
  const top = fields(options, "", OPTIONS) ?? {};
  const withCredentials = read(top, "", "withCredentials", BOOLEAN);
  const reconnect = top.reconnect;
  // `true` is the default policy: an object with every field left out.
  const policy = typeof reconnect === "boolean" ? reconnect && {} : fields(reconnect, "reconnect.", Object.keys(RECONNECT));
  return {
    withCredentials,
    reconnect: policy
      ? Object.fromEntries(Object.entries(RECONNECT).map(([name, check]) => [name, read(policy, "reconnect.", name, check)]))
      : undefined,
    pauseWhenHidden: read(top, "", "pauseWhenHidden", MILLIS),
  };
}
