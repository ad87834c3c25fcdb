// Loads the demo's WebAssembly (built by `wasm-pack build --target web` into ./pkg);
// its start function wires up the page.
//
// Before that, this script gives the page its own demo stream (`/sse?client=ID`) and wires
// the fault buttons, which ask sse-server to break that stream (POST /demo/fault): the
// buttons act on the server, not on the library, so they are plain JavaScript.
import init from "./pkg/web_eventsource_demo.js";

const params = new URLSearchParams(location.search);
const faults = document.getElementById("faults");

// "Share across tabs" reloads the page with or without `?share=1`; sharing tabs need the
// same stream URL, so they use one demo client for the whole browser.
const share = document.getElementById("share");
share.checked = params.has("share");
share.addEventListener("change", () => {
  if (share.checked) params.set("share", "1");
  else params.delete("share");
  location.search = params.toString();
});
const sharedClient = () => {
  let client = localStorage.getItem("web-eventsource-demo-client");
  if (!client) {
    client = Math.random().toString(36).slice(2, 10);
    localStorage.setItem("web-eventsource-demo-client", client);
  }
  return client;
};
if (params.has("url")) {
  // Another stream: the faults would not reach it.
  faults.disabled = true;
} else {
  const client = share.checked ? sharedClient() : Math.random().toString(36).slice(2, 10);
  document.getElementById("url").value = `/sse?client=${client}`;
  const inject = (query) => () =>
    fetch(`/demo/fault?client=${client}&${query}`, { method: "POST" }).catch((error) => {
      document.getElementById("error").textContent = `fault request failed: ${error}`;
    });
  document.getElementById("fault-end").addEventListener("click", inject("kind=end"));
  document.getElementById("fault-fail").addEventListener("click", inject("kind=fail&count=3"));
  document.getElementById("fault-silent").addEventListener("click", inject("kind=silent"));
}

init().catch((error) => {
  const state = document.getElementById("state");
  state.textContent = "Failed to load";
  state.className = "closed";
  document.getElementById("error").textContent = String(error);
});
