// The value of `source.sharing`: this tab's part in a source shared across tabs. Made
// here, as one object literal, rather than field by field from wasm.

export function sharing(role, tabs) {
  return Object.freeze({ role, tabs });
}
