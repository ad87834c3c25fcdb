// Writes the npm package's package.json: the template, with the crate's version (one
// version for the crate and the package, set in npm/Cargo.toml).
// Usage: node npm/assemble.mjs TEMPLATE CARGO_TOML OUTPUT
import { readFileSync, writeFileSync } from "node:fs";

const [template, cargoToml, output] = process.argv.slice(2);
const version = readFileSync(cargoToml, "utf8").match(/^version = "([^"]+)"$/m)?.[1];
if (!version) throw new Error(`no version in ${cargoToml}`);
const { name, description, ...rest } = JSON.parse(readFileSync(template, "utf8"));
writeFileSync(output, JSON.stringify({ name, version, description, ...rest }, null, 2) + "\n");
