// Loads the example's WebAssembly (built by `wasm-pack build --target web` into ./pkg);
// its start function mounts the Dioxus app into #app, replacing the loading text.
import init from "./pkg/web_eventsource_dioxus_example.js";

init().catch((error) => {
  const state = document.getElementById("state");
  state.textContent = "Failed to load";
  state.className = "closed";
  document.getElementById("error").textContent = String(error);
});
