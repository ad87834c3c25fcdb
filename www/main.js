// Loads the demo's WebAssembly (built by `wasm-pack build --target web` into ./pkg);
// its start function wires up the page.
//
// Before that, this script gives the page its own demo stream (`/sse?client=ID`) and wires
// the fault buttons, which ask sse-server to break that stream (POST /demo/fault): the
// buttons act on the server, not on the library, so they are plain JavaScript.
const params = new URLSearchParams(location.search);
const faults = document.getElementById("faults");

// "Share across tabs" reloads the page with or without `?share=1`; sharing tabs need the
// same stream URL, so they use one demo client for the whole browser. The reload keeps
// the transport chosen, and a URL typed in place of the page's own stream (the token is
// left out of the page's address: type it again).
const share = document.getElementById("share");
share.checked = params.has("share");
// The page's own demo client, and whether a URL names its stream (with or without more
// parameters, `&auth=demo-token` say): none on a page opened on another stream (`?url=`).
let client = null;
const isOwnStream = (text) => {
  if (client === null) return false;
  try {
    const url = new URL(text.trim(), location.href);
    return url.origin === location.origin && url.pathname === "/sse" && url.searchParams.get("client") === client;
  } catch {
    return false;
  }
};
share.addEventListener("change", () => {
  if (share.checked) params.set("share", "1");
  else params.delete("share");
  const transport = document.querySelector('input[name="transport"]:checked')?.value;
  if (transport === "fetch") params.set("transport", "fetch");
  else params.delete("transport");
  // The page's own stream is made again after the reload, for the client sharing needs
  // (its extra parameters go: the token they would need is not kept either).
  const typed = document.getElementById("url").value.trim();
  if (isOwnStream(typed)) params.delete("url");
  else params.set("url", typed);
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
  client = share.checked ? sharedClient() : newClient();
  const urlBox = document.getElementById("url");
  urlBox.value = `/sse?client=${client}`;
  // The faults reach this page's demo stream only, with or without more parameters:
  // they follow the stream connected to, which Reconnect (a click, or Enter in a field)
  // changes, not what is typed before it.
  document.getElementById("reconnect").addEventListener("click", () => {
    faults.disabled = !isOwnStream(urlBox.value);
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
