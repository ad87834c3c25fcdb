// Loads the demo's WebAssembly (built by `wasm-pack build --target web` into ./pkg);
// its start function wires up the page.
//
// Before that, this script gives the page its own demo stream (`/sse?client=ID`) and wires
// the fault buttons, which ask sse-server to break that stream (POST /demo/fault): the
// buttons act on the server, not on the library, so they are plain JavaScript.
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
const newClient = () => Math.random().toString(36).slice(2, 10);
const sharedClient = () => {
  // A browser that blocks site storage throws here: then this page's own client.
  try {
    let client = localStorage.getItem("web-eventsource-demo-client");
    if (!client) {
      client = newClient();
      localStorage.setItem("web-eventsource-demo-client", client);
    }
    return client;
  } catch {
    return newClient();
  }
};
const showError = (text) => {
  document.getElementById("error").textContent = text;
};
if (params.has("url")) {
  // Another stream: the faults would not reach it.
  faults.disabled = true;
} else {
  const client = share.checked ? sharedClient() : newClient();
  const urlBox = document.getElementById("url");
  const ownStream = `/sse?client=${client}`;
  urlBox.value = ownStream;
  // The faults reach this page's stream only: not one typed into the box instead.
  urlBox.addEventListener("input", () => {
    faults.disabled = urlBox.value.trim() !== ownStream;
  });
  const inject = (query) => async () => {
    try {
      const response = await fetch(`/demo/fault?client=${client}&${query}`, { method: "POST" });
      if (!response.ok) showError(`fault request refused: HTTP ${response.status} ${(await response.text()).trim()}`);
    } catch (error) {
      showError(`fault request failed: ${error}`);
    }
  };
  document.getElementById("fault-end").addEventListener("click", inject("kind=end"));
  document.getElementById("fault-fail").addEventListener("click", inject("kind=fail&count=3"));
  document.getElementById("fault-silent").addEventListener("click", inject("kind=silent"));
}

// Imported here, not at the top: a missing ./pkg (the page served before `scripts/demo`
// built it) then shows as a failure on the page, not as a page that loads for ever.
try {
  const { default: init } = await import("./pkg/web_eventsource_demo.js");
  await init();
} catch (error) {
  const state = document.getElementById("state");
  state.textContent = "Failed to load";
  state.className = "closed";
  showError(String(error));
}
