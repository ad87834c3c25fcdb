// Drops the hashes from the names that tie a wasm-pack build's .wasm to its JavaScript
// glue: wasm-bindgen names each import `__wbg_<name>_<16 hex digits>` (and each closure
// export `..._invoke__h<16 hex digits>`), so that imports of different crates stay apart
// when they are linked. In the finished package they only cost bytes: 16 random digits
// per name, once in the .wasm and once in the JavaScript, are about 1.6 KB of the
// gzipped package that gzip cannot shrink. scripts/npm-pack runs this on each build it
// makes, before packing, so the e2e tests run what ships.
//
//   node npm/strip-hashes.mjs DIR...   (wasm-pack output directories)
//
// Each name loses its hash (`__wbg_new_…` twice gives `__wbg_new` and `__wbg_new_1`) in
// the .wasm's import and export sections and in the directory's own .js and .d.ts files. Every
// renamed name must be found in the JavaScript, and no new name may be there already;
// otherwise nothing is written and the script fails, so that a change in wasm-bindgen's
// output shows here rather than as a broken package.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const HASHED = /^(__wbg_.*)_[0-9a-f]{16}$|^(.*_invoke)__h[0-9a-f]{16}$/;
const IMPORT = 2;
const EXPORT = 7;

/** A reader over `bytes` for the parts of the wasm binary format used here. */
function reader(bytes, at = 0) {
  const r = {
    at,
    byte: () => bytes[r.at++],
    u32() {
      let value = 0;
      for (let shift = 0; ; shift += 7) {
        const byte = r.byte();
        value += (byte & 0x7f) * 2 ** shift;
        if (byte < 0x80) return value;
      }
    },
    name() {
      const length = r.u32();
      const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(r.at, r.at + length));
      r.at += length;
      return text;
    },
    limits() {
      const flags = r.byte();
      r.u32();
      if (flags & 1) r.u32();
    },
  };
  return r;
}

const u32 = (value) => {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
};
const name = (text) => {
  const utf8 = new TextEncoder().encode(text);
  return [...u32(utf8.length), ...utf8];
};

/** Skips an import's description (what it imports), which this leaves as it is. */
function skipImportDescription(r) {
  const kind = r.byte();
  if (kind === 0) r.u32(); // a function: its type
  else if (kind === 1) {
    const type = r.byte(); // a table: its reference type, then its limits
    if (type !== 0x70 && type !== 0x6f) throw new Error(`unknown table type 0x${type.toString(16)}`);
    r.limits();
  } else if (kind === 2) r.limits(); // a memory
  else if (kind === 3) r.at += 2; // a global: a value type and mutability
  else if (kind === 4) (r.byte(), r.u32()); // a tag
  else throw new Error(`unknown import kind ${kind}`);
}

/** `wasm` with its import and export names renamed by `rename` (old name to new or undefined). */
function renameInWasm(wasm, rename) {
  if (wasm.readUInt32LE(0) !== 0x6d736100) throw new Error("not a .wasm file");
  const out = [wasm.subarray(0, 8)];
  const r = reader(wasm, 8);
  while (r.at < wasm.length) {
    const start = r.at;
    const id = r.byte();
    const size = r.u32();
    const end = r.at + size;
    if (id !== IMPORT && id !== EXPORT) {
      out.push(wasm.subarray(start, end));
      r.at = end;
      continue;
    }
    const s = reader(wasm, r.at);
    const count = s.u32();
    const body = [Buffer.from(u32(count))];
    for (let i = 0; i < count; i++) {
      if (id === IMPORT) body.push(Buffer.from(name(s.name())));
      const field = s.name();
      const description = s.at;
      if (id === IMPORT) skipImportDescription(s);
      else (s.byte(), s.u32()); // an export: its kind and index
      body.push(Buffer.from(name(rename(field) ?? field)), wasm.subarray(description, s.at));
    }
    if (s.at !== end) throw new Error(`section ${id} did not parse to its end`);
    const bytes = Buffer.concat(body);
    out.push(Buffer.from([id, ...u32(bytes.length)]), bytes);
    r.at = end;
  }
  return Buffer.concat(out);
}

function stripHashes(dir) {
  const wasmFile = readdirSync(dir).find((file) => file.endsWith(".wasm"));
  const jsFiles = readdirSync(dir).filter((file) => file.endsWith(".js"));
  // The `web` build's declarations name the exports too (its `InitOutput`, what `init()`
  // resolves to): renamed alike, or they would declare members that do not exist.
  const declarationFiles = readdirSync(dir).filter((file) => file.endsWith(".d.ts"));
  const wasm = readFileSync(join(dir, wasmFile));
  const js = new Map(jsFiles.map((file) => [file, readFileSync(join(dir, file), "utf8")]));
  const allJs = [...js.values()].join("\n");
  const word = (text) => new RegExp(`\\b${text}\\b`, "g");

  // First pass: collect the names and choose the new ones.
  const renames = new Map();
  const taken = new Set();
  renameInWasm(wasm, (field) => {
    taken.add(field);
    return undefined;
  });
  for (const field of taken) {
    const match = HASHED.exec(field);
    if (!match) continue;
    const base = match[1] ?? match[2];
    let short = base;
    for (let n = 1; taken.has(short) || [...renames.values()].includes(short) || word(short).test(allJs); n++) {
      short = `${base}_${n}`;
    }
    renames.set(field, short);
  }
  for (const old of renames.keys()) {
    if (!word(old).test(allJs)) throw new Error(`${dir}: ${old} is not in the JavaScript glue`);
  }

  writeFileSync(join(dir, wasmFile), renameInWasm(wasm, (field) => renames.get(field)));
  const renameIn = (file, text) => {
    let renamed = text;
    for (const [old, short] of renames) renamed = renamed.replace(word(old), short);
    writeFileSync(join(dir, file), renamed);
  };
  for (const [file, text] of js) renameIn(file, text);
  for (const file of declarationFiles) renameIn(file, readFileSync(join(dir, file), "utf8"));
  return renames.size;
}

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error("usage: node npm/strip-hashes.mjs DIR...");
  process.exit(2);
}
for (const dir of dirs) {
  const count = stripHashes(dir);
  if (count === 0) throw new Error(`${dir}: no hashed name found; has wasm-bindgen's naming changed?`);
}
