// Loads the demo's WebAssembly (built by `wasm-pack build --target web` into ./pkg);
// its start function wires up the page.
import init from "./pkg/web_eventsource_demo.js";

init().catch((error) => {
  const state = document.getElementById("state");
  state.textContent = "Failed to load";
  state.className = "closed";
  document.getElementById("error").textContent = String(error);
});
