// Writes every JavaScript and TypeScript example a user of the npm package reads into
// DIR, one file each, for `tsc --strict` (scripts/lib/test_npm.sh type-checks them in
// the Vite app, against the packed package, with tsconfig.readme.json):
// - npm/README.md: its js, ts and html blocks (an html block's module script);
// - README.md: the blocks of its npm section;
// - npm/src/types.d.ts: the @example blocks of the doc comments. They show calls on a
//   `source` they do not make, so each gets the declaration they assume.
// Usage: node npm/e2e/readme-blocks.mjs DIR
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const read = (path) => readFileSync(join(root, path), "utf8");

const out = process.argv[2];
if (!out) {
  console.error("usage: readme-blocks.mjs DIR");
  process.exit(2);
}

/** The fenced blocks of `text` in one of `langs`: { lang, code, line }. */
function fencedBlocks(text, langs) {
  const blocks = [];
  let block = null;
  text.split("\n").forEach((line, index) => {
    const fence = /^\s*```(\S*)\s*$/.exec(line);
    if (block === null && fence && langs.includes(fence[1])) {
      block = { lang: fence[1], code: [], line: index + 1 };
    } else if (block !== null && fence && fence[1] === "") {
      blocks.push({ ...block, code: block.code.join("\n") + "\n" });
      block = null;
    } else if (block !== null) {
      block.code.push(line);
    }
  });
  return blocks;
}

/** The part of `markdown` from the line `heading` to the next heading of its level. */
function section(markdown, heading) {
  const lines = markdown.split("\n");
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no heading "${heading}"`);
  const level = heading.split(" ")[0];
  const end = lines.findIndex((line, i) => i > start && line.split(" ")[0] === level);
  // Keep the line numbers: blank out what is outside the section.
  return lines.map((line, i) => (i >= start && (end < 0 || i < end) ? line : "")).join("\n");
}

/** A block as a file: an html block's module script becomes a .js file. */
function asFile({ lang, code }) {
  if (lang !== "html") return { ext: lang, code };
  const script = /<script type="module">\n([\s\S]*?)<\/script>/.exec(code);
  if (!script) throw new Error("an html block without a module script");
  // The page's path to the package's web build, from this directory, one level under the
  // app next to its node_modules.
  return { ext: "js", code: script[1].replaceAll('"./node_modules/', '"../node_modules/') };
}

const files = [];
const markdownSources = [
  ["npm-readme", read("npm/README.md")],
  ["readme", section(read("README.md"), "## The npm package (JavaScript and TypeScript)")],
];
for (const [name, text] of markdownSources) {
  for (const block of fencedBlocks(text, ["js", "ts", "html"])) {
    const { ext, code } = asFile(block);
    files.push({ name: `${name}-line-${block.line}.${ext}`, code });
  }
}

// A doc comment's lines lose their leading " * ".
const declarations = read("npm/src/types.d.ts")
  .split("\n")
  .map((line) => line.replace(/^\s*\* ?/, ""))
  .join("\n");
const assumed = 'import { EventSource } from "web-eventsource";\ndeclare const source: EventSource;\n';
for (const block of fencedBlocks(declarations, ["js", "ts"])) {
  const code = /^import /m.test(block.code) ? block.code : assumed + block.code;
  // As TypeScript whatever the fence says: the prelude declares `source` in TypeScript.
  files.push({ name: `types-d-ts-line-${block.line}.ts`, code });
}

if (files.length === 0) throw new Error("no example found: has a README moved?");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const { name, code } of files) writeFileSync(join(out, name), code);
console.log(`${files.length} examples written to ${out}: ${files.map((f) => f.name).join(", ")}`);
