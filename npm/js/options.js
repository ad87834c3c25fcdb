// The `options` of `new EventSource(url, options)`, checked here, then applied by
// `options.rs`. The same checks compiled to wasm cost 3 KB of gzipped wasm (a read, a
// conversion and a message for each option, each across the JavaScript boundary); here
// they are half a kilobyte, and JavaScript spells a refused value as its user wrote it.
//
// A bad option is a TypeError whose message names it (`reconnect.initialDelay`), an
// unknown one too: a misspelt option silently doing nothing is the bug this prevents.
// Left out (or `undefined`) is the default; `null` is "off" where an option can be off,
// and refused where it cannot (`reconnect.maxDelay: null` is not "no cap", so it must not
// silently be the 30 s default).

// What each option takes: its `typeof`, which of those values are good, and the words
// for them.
const BOOLEAN = ["boolean", () => true, "a boolean"];
const MILLIS = ["number", (ms) => ms >= 0, "a non-negative number of milliseconds"];
// A timeout of 0 would fire on every quiet millisecond, and a timer rounds one under 1 ms
// down to 0: `null` is "none".
const TIMEOUT = ["number", (ms) => ms >= 1, "a number of milliseconds of at least 1 (null for none)"];
const FACTOR = ["number", (factor) => factor >= 1, "a number at least 1"];
const JITTER = ["string", (name) => ["none", "full", "equal"].includes(name), '"none", "full" or "equal"'];
const COUNT = [
  "number",
  (count) => Number.isInteger(count) && count >= 0 && count <= 4294967295,
  "a whole number from 0 to 4294967295 (null: never give up)",
];
const NAME = ["string", (name) => name !== "", "a non-empty parameter name (null turns resuming off)"];
const TRANSPORT = ["string", (name) => name === "native" || name === "fetch", '"native" or "fetch"'];
const METHOD = ["string", (method) => method !== "", 'a method name such as "POST"'];
const STRING = ["string", () => true, "a string"];
const BYTES = [
  "number",
  (bytes) => Number.isInteger(bytes) && bytes >= 1 && bytes <= 4294967295,
  "a whole number of bytes from 1 to 4294967295",
];

// The options whose `null` means something (none, never, off): for every other, `null` is
// refused.
const NULLABLE = [
  "pauseWhenHidden",
  "body",
  "reconnect.maxRetries",
  "reconnect.resumeParam",
  "reconnect.idleTimeout",
  "reconnect.statusProbe",
];

// The options only the fetch transport has: each chooses it.
const FETCH_ONLY = ["headers", "method", "body", "maxEventSize"];
const OPTIONS = ["withCredentials", "reconnect", "pauseWhenHidden", "shareAcrossTabs", "transport", ...FETCH_ONLY];
// The policy's options and their checks.
const RECONNECT = {
  initialDelay: MILLIS,
  factor: FACTOR,
  maxDelay: MILLIS,
  jitter: JITTER,
  maxRetries: COUNT,
  resumeParam: NAME,
  idleTimeout: TIMEOUT,
  statusProbe: TIMEOUT,
  minUptime: MILLIS,
};

/** `value` as an options object whose every key is known; `undefined` for `undefined` and `null`. */
function fields(value, prefix, known) {
  if (value === undefined || value === null) return undefined;
  // Not `instanceof Object`: an object without a prototype, or from another frame, is an
  // options object too. An array or another iterable (a `Map`, a `Headers`) is not: it
  // holds its entries where no option is read, so each of its settings would be dropped
  // without a word.
  if (typeof value !== "object" || typeof value[Symbol.iterator] === "function") {
    const what = prefix ? "reconnect: expected true, false or an object" : "options: expected an object";
    const got = typeof value !== "object" ? typeof value : Array.isArray(value) ? "array" : value.constructor?.name || "an iterable";
    throw new TypeError(`EventSource ${what}, got ${got}`);
  }
  for (const key of Object.keys(value)) {
    // An unknown key set to `undefined` is as good as left out, like a known one.
    if (!known.includes(key) && value[key] !== undefined) {
      throw new TypeError(`unknown EventSource option "${prefix}${key}" (known: ${known.join(", ")})`);
    }
  }
  return value;
}

/** A refused value as a message shows it: `number -5`, `string "1s"`, `boolean true`, `null`, or its type. */
function spelt(value) {
  if (value === null) return "null";
  const type = typeof value;
  if (type === "string") return `string ${JSON.stringify(value)}`;
  return type === "number" || type === "boolean" ? `${type} ${value}` : type;
}

/** Option `name` of `object`, read once: `undefined`, `null` where NULLABLE allows it, or a value `check` accepts. */
function read(object, prefix, name, [type, good, expected]) {
  const value = object[name];
  if (value === undefined || (value === null && NULLABLE.includes(prefix + name))) return value;
  const wrongType = value === null || typeof value !== type;
  if (wrongType || !good(value)) {
    const invalid = wrongType ? "type" : "value";
    throw new TypeError(`EventSource option "${prefix}${name}": invalid ${invalid}: ${spelt(value)}, expected ${expected}`);
  }
  return value;
}

/**
 * Headers as the wasm side takes them, `[name, value, name, value, ...]`, from a plain
 * object of strings. `what` names the object in a message. A `Headers`, a `Map` or an
 * array is refused rather than read as an object with no headers: silently sending none
 * is the bug this prevents.
 */
function headerList(value, what) {
  const proto = value !== null && typeof value === "object" ? Object.getPrototypeOf(value) : undefined;
  // A plain object's prototype is `Object.prototype`, of this frame or another (the one
  // object without a prototype that has its own `hasOwnProperty`), or none. (An object
  // whose headers are inherited is not: `Object.entries` would not see them.)
  const plain = proto === null || (proto !== undefined && Object.getPrototypeOf(proto) === null && Object.hasOwn(proto, "hasOwnProperty"));
  if (!plain) {
    const got = proto === undefined ? spelt(value) : `${value.constructor?.name ?? "object"}`;
    throw new TypeError(`EventSource option "headers": ${what}invalid type: ${got}, expected a plain object of strings`);
  }
  const list = [];
  for (const [name, header] of Object.entries(value)) {
    if (typeof header !== "string") {
      throw new TypeError(`EventSource option "headers": ${what}header "${name}": invalid type: ${spelt(header)}, expected a string`);
    }
    list.push(name, header);
  }
  return list;
}

// A header list whose name no browser accepts (an empty name).
const REFUSED_HEADER = ["", ""];

/**
 * `headers`, as the wasm side reads it. An object (or none) is checked here, once, and its
 * `headerList` is `fixedHeaders`: the core sends it as fixed headers, which a source
 * shared across tabs compares, as it cannot compare functions. A function is three calls:
 * `headersWith()`, before every request, returns a `headerList`; `opened()` returns what
 * the function threw (or its bad result's `TypeError`) at the first request, which the
 * constructor then throws; `failure()` returns what it threw at the latest request, which
 * a later request's error carries as its `cause`. A request the function failed is not
 * sent: `headersWith()` returns a header the browser refuses, which fails it as it is
 * built (the core then fails the source, or its policy retries).
 */
function headersFrom(headers) {
  if (typeof headers !== "function") {
    return { fixedHeaders: headers == null ? [] : headerList(headers, ""), opened: () => undefined, failure: () => undefined };
  }
  let opening = true;
  let first;
  let latest;
  return {
    headersWith() {
      try {
        const list = headerList(headers(), "the function's result: ");
        latest = undefined;
        return list;
      } catch (thrown) {
        // `throw undefined` (or null) is a failure too, which a missing value would hide.
        latest = thrown ?? new TypeError(`EventSource option "headers": the function threw ${thrown}`);
        if (opening) first ??= latest;
        return REFUSED_HEADER;
      }
    },
    opened() {
      opening = false;
      return first;
    },
    failure() {
      return latest;
    },
  };
}

/**
 * The URL argument as a string, converted as the browser's `EventSource` converts it: a
 * `URL` object (or any object) by its `toString`, whose exception is thrown on, and a
 * symbol refused with a `TypeError` (`String(symbol)` would make a URL of its
 * description, and open it). `undefined` is refused too: the browser's constructor
 * throws only when the argument is left out, and opens the relative URL "undefined" for
 * an unset variable, a bug no server answers usefully. (A constructor made by
 * wasm-bindgen cannot tell the two apart.)
 */
export function urlString(url) {
  if (url === undefined) throw new TypeError("EventSource: the URL argument is missing (undefined)");
  return `${url}`;
}

/**
 * Checks `options` and returns them as a new object that `options.rs` reads by name
 * (`CheckedOptions` in `bindings.rs`): `withCredentials`, `reconnect` (`undefined` for no
 * policy, else an object with every field of RECONNECT), `pauseWhenHidden`,
 * `shareAcrossTabs`, `fetch` (whether the fetch transport is chosen: by
 * `transport: "fetch"` or by any fetch-only option), `fixedHeaders` or `headersWith`,
 * `opened` and `failure` (`headersFrom`'s), `method`, `body` and `maxEventSize`. Each field is
 * `undefined` (left out), `null` or a checked value. Every option of `options` is read once, in that order, so a getter on it runs once.
 */
export function readOptions(options) {
  const top = fields(options, "", OPTIONS) ?? {};
  const withCredentials = read(top, "", "withCredentials", BOOLEAN);
  const reconnect = top.reconnect;
  // `true` is the default policy: an object with every field left out.
  const policy = typeof reconnect === "boolean" ? reconnect && {} : fields(reconnect, "reconnect.", Object.keys(RECONNECT));
  const checked = {
    withCredentials,
    reconnect: policy
      ? Object.fromEntries(Object.entries(RECONNECT).map(([name, check]) => [name, read(policy, "reconnect.", name, check)]))
      : undefined,
    pauseWhenHidden: read(top, "", "pauseWhenHidden", MILLIS),
    shareAcrossTabs: read(top, "", "shareAcrossTabs", BOOLEAN),
  };
  const transport = read(top, "", "transport", TRANSPORT);
  const headers = top.headers;
  Object.assign(checked, headersFrom(headers));
  checked.method = read(top, "", "method", METHOD);
  checked.body = read(top, "", "body", STRING);
  checked.maxEventSize = read(top, "", "maxEventSize", BYTES);
  const fetchOnly = FETCH_ONLY.find((name) => name === "headers" ? headers != null : checked[name] != null);
  if (transport === "native" && fetchOnly) {
    throw new TypeError(`EventSource option "${fetchOnly}": needs transport "fetch", and transport "native" was given`);
  }
  checked.fetch = transport === "fetch" || fetchOnly !== undefined;
  return checked;
}
