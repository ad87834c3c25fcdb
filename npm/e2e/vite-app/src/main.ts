// A small app on the npm package, as a user would write it: it lists the events of the
// stream named by `?stream=` (with the reconnect policy), shows the state and the last
// error. It also hands the package to the end-to-end tests (`window.lib`).
import { DecodeError, EventSource, EventSourceError, type Message, type ReadyStateName } from "web-eventsource";

declare global {
  interface Window {
    lib: { EventSource: typeof EventSource; EventSourceError: typeof EventSourceError; DecodeError: typeof DecodeError };
    app?: EventSource;
  }
}

window.lib = { EventSource, EventSourceError, DecodeError };

interface Tick {
  id: number;
  text: string;
}

const list = document.querySelector<HTMLUListElement>("#events")!;
const stateView = document.querySelector<HTMLSpanElement>("#state")!;
const errorView = document.querySelector<HTMLParagraphElement>("#error")!;

function show(message: Message): void {
  const item = document.createElement("li");
  const tick = message.json<Tick>();
  item.textContent = `${message.lastEventId}: ${tick.text}`;
  list.append(item);
}

async function run(url: string): Promise<void> {
  const source = new EventSource(url, {
    reconnect: { initialDelay: 200, maxDelay: 1000, jitter: "equal", maxRetries: 50 },
  });
  window.app = source;
  source.on("readystatechange", (state: ReadyStateName) => {
    stateView.textContent = state;
  });
  source.on("error", (error: EventSourceError) => {
    errorView.textContent = `${error.kind}: ${error.message}`;
  });
  for await (const message of source.messages()) {
    show(message);
  }
  stateView.textContent = source.state;
}

const stream = new URLSearchParams(location.search).get("stream");
if (stream) {
  void run(stream);
}
