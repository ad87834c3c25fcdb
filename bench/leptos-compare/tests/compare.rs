#![cfg(target_arch = "wasm32")]
//! The same cases through both hooks in one headless Chromium, against sse-server:
//! what each delivers, what each repeats, and what each leaves behind after 100
//! reconnects. Prints a Markdown table (run with `--nocapture`; scripts/bench does).
//! `SSE_SERVER_URL` is given at compile time, as for the other browser tests.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use codee::string::FromToStringCodec;
use leptos::prelude::*;
use leptos_use_event_source::{
    ReconnectLimit, UseEventSourceOnEventReturn, UseEventSourceOptions as TheirOptions,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_eventsource_leptos::{Jitter, Reconnect, UseEventSourceOptions as OurOptions};
use web_eventsource_testing::{
    install_listener_counter, js_listeners, open_on_server, server_url, sleep, unique,
};

wasm_bindgen_test_configure!(run_in_browser);

// The JS listeners come from the browser tests' counter (web-eventsource-testing); this
// adds what only the comparison needs: every EventSource the page creates, to look at the
// closed ones later, and the `on…` handlers set on them.
#[wasm_bindgen(inline_js = r#"
const sources = [];
export function track_sources() {
  if (globalThis.__compareSources) return;
  globalThis.__compareSources = true;
  globalThis.EventSource = new Proxy(globalThis.EventSource, {
    construct(target, args) {
      const source = Reflect.construct(target, args);
      sources.push(source);
      return source;
    },
  });
}
export function forget_sources() {
  sources.length = 0;
}
export function closed_sources() {
  return sources.filter((s) => s.readyState === 2);
}
export function handlers_set(source) {
  return ["onopen", "onmessage", "onerror"].filter((h) => source[h] != null).length;
}
export function sources_created() {
  return sources.length;
}
"#)]
extern "C" {
    fn track_sources();
    fn forget_sources();
    fn closed_sources() -> js_sys::Array;
    fn handlers_set(source: &JsValue) -> u32;
    fn sources_created() -> u32;
}

/// JS callbacks still attached to closed EventSources: listeners plus `on…` handlers.
/// Each one keeps its wasm closure alive.
fn left_on_closed() -> u32 {
    closed_sources()
        .iter()
        .map(|source| js_listeners(&source, None) + handlers_set(&source))
        .sum()
}

/// What one hook delivered in one case.
#[derive(Debug, Default, Clone)]
struct Outcome {
    /// Event ids seen by a per-event callback (`on_event`), in order.
    callback: Vec<u64>,
    /// Event ids seen by an effect reading the `message` signal, in order.
    signal: Vec<u64>,
    /// Error reports seen.
    errors: usize,
}

impl Outcome {
    fn received(ids: &[u64]) -> usize {
        ids.iter().collect::<std::collections::BTreeSet<_>>().len()
    }
    fn duplicates(ids: &[u64]) -> usize {
        ids.len() - Self::received(ids)
    }
}

/// One hook, driven the same way for every case.
#[derive(Clone, Copy, PartialEq)]
enum Hook {
    Ours,
    LeptosUse,
}

impl Hook {
    fn name(self) -> &'static str {
        match self {
            Hook::Ours => "web-eventsource-leptos",
            Hook::LeptosUse => "leptos-use 0.20",
        }
    }
}

/// Runs `url` through `hook` inside its own owner for `ms` milliseconds (or until
/// `stop` says so), then disposes of the owner.
async fn run(hook: Hook, url: String, ms: u32, stop: impl Fn(&Outcome) -> bool) -> Outcome {
    let outcome = Arc::new(Mutex::new(Outcome::default()));
    let owner = Owner::new();
    owner.with(|| match hook {
        Hook::Ours => {
            let o = outcome.clone();
            let policy = Reconnect::default()
                .initial_delay(Duration::from_millis(100))
                .max_delay(Duration::from_millis(100))
                .jitter(Jitter::None);
            let source = web_eventsource_leptos::use_event_source_with_options(
                url,
                OurOptions::default()
                    .named_events(["ping"])
                    .reconnect(policy)
                    .on_event(move |msg| {
                        o.lock()
                            .unwrap()
                            .callback
                            .push(msg.last_event_id.parse().unwrap_or(0))
                    }),
            );
            let o = outcome.clone();
            Effect::new(move || {
                if let Some(msg) = source.message.get() {
                    o.lock()
                        .unwrap()
                        .signal
                        .push(msg.last_event_id.parse().unwrap_or(0));
                }
            });
            let o = outcome.clone();
            Effect::new(move || {
                if source.error.get().is_some() {
                    o.lock().unwrap().errors += 1;
                }
            });
        }
        Hook::LeptosUse => {
            let o = outcome.clone();
            let source = leptos_use_event_source::use_event_source_with_options::<
                String,
                FromToStringCodec,
            >(
                url,
                TheirOptions::default()
                    .named_events(["ping".to_owned()])
                    // As quick as ours, and enough tries for every case.
                    .reconnect_interval(100)
                    .reconnect_limit(ReconnectLimit::Infinite)
                    .on_event(move |event: &web_sys::Event| {
                        if let Some(msg) = event.dyn_ref::<web_sys::MessageEvent>() {
                            o.lock()
                                .unwrap()
                                .callback
                                .push(msg.last_event_id().parse().unwrap_or(0));
                        }
                        UseEventSourceOnEventReturn::ProcessMessage
                    }),
            );
            let o = outcome.clone();
            Effect::new(move || {
                if let Some(msg) = source.message.get() {
                    o.lock()
                        .unwrap()
                        .signal
                        .push(msg.last_event_id.parse().unwrap_or(0));
                }
            });
            let o = outcome.clone();
            Effect::new(move || {
                if source.error.with(Option::is_some) {
                    o.lock().unwrap().errors += 1;
                }
            });
        }
    });
    let mut waited = 0;
    while waited < ms && !stop(&outcome.lock().unwrap()) {
        sleep(20).await;
        waited += 20;
    }
    sleep(200).await; // let anything late arrive
    owner.cleanup();
    let result = outcome.lock().unwrap().clone();
    result
}

/// One delivery case, run through each hook in turn.
struct Case {
    name: &'static str,
    /// How many distinct events the server sends in all.
    expected: usize,
    /// The stream; `{key}` becomes a fresh key for each hook, so that the server's
    /// per-key failure counts start anew.
    stream: &'static str,
    /// How long a hook may take to receive every event.
    timeout_ms: u32,
}

const CASES: [Case; 4] = [
    Case {
        name: "burst: 100 events in one chunk",
        expected: 100,
        stream: "/test/stream?count=100&batch=100",
        timeout_ms: 3_000,
    },
    // The browser reconnects by itself after each end; the final 204 says stop.
    Case {
        name: "server ends the stream every 3 events",
        expected: 9,
        stream: "/test/stream?count=9&end_after=3&retry=50",
        timeout_ms: 5_000,
    },
    Case {
        name: "a 500 for the first 3 requests, then recovery",
        expected: 10,
        stream: "/test/stream?count=10&end_after=10&fail_first=3&key={key}",
        timeout_ms: 8_000,
    },
    // The browser's own reconnect gets a 500, so a new source must say where it was
    // (?lastEventId=3) or start over.
    Case {
        name: "resume after a failed reconnect (500)",
        expected: 6,
        stream: "/test/stream?count=6&end_after=3&retry=50&fail_requests=2&key={key}",
        timeout_ms: 5_000,
    },
];

struct Row {
    case: &'static str,
    expected: u64,
    cells: Vec<(Hook, Outcome)>,
}

#[wasm_bindgen_test]
async fn compare() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    install_listener_counter();
    track_sources();
    open_on_server("warm-up").await;
    let hooks = [Hook::Ours, Hook::LeptosUse];
    let mut rows = Vec::new();

    for case in &CASES {
        let mut cells = Vec::new();
        for hook in hooks {
            let url = server_url(&case.stream.replace("{key}", &unique("case")));
            let expected = case.expected;
            let stop = move |o: &Outcome| Outcome::received(&o.callback) >= expected;
            cells.push((hook, run(hook, url, case.timeout_ms, stop).await));
        }
        rows.push(Row {
            case: case.name,
            expected: case.expected as u64,
            cells,
        });
    }

    // Leaks: 100 failed connections in a row, each replaced.
    let mut leaks = Vec::new();
    for hook in hooks {
        forget_sources();
        let key = unique("leak");
        let url = server_url(&format!("/test/stream?count=3&fail_first=100000&key={key}"));
        let before = sources_created();
        let outcome = run(hook, url, 60_000, |_| sources_created() - before >= 101).await;
        leaks.push((
            hook,
            sources_created() - before,
            left_on_closed(),
            outcome.errors,
        ));
    }

    let mut table = String::new();
    table.push_str("| case | expected | hook | received (on_event) | duplicates (on_event) | updates seen through `message` |\n");
    table.push_str("| --- | --- | --- | --- | --- | --- |\n");
    for row in &rows {
        for (hook, outcome) in &row.cells {
            table.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                row.case,
                row.expected,
                hook.name(),
                Outcome::received(&outcome.callback),
                Outcome::duplicates(&outcome.callback),
                outcome.signal.len(),
            ));
        }
    }
    table.push_str("\n| after 100 failed connections | sources opened | JS callbacks left on closed sources |\n");
    table.push_str("| --- | --- | --- |\n");
    for (hook, opened, left, _) in &leaks {
        table.push_str(&format!("| {} | {} | {} |\n", hook.name(), opened, left));
    }
    console_log!("LEPTOS-COMPARE-TABLE-BEGIN\n{table}LEPTOS-COMPARE-TABLE-END");

    // Ours must deliver exactly what the server sent, and leave nothing behind.
    for row in &rows {
        let (_, ours) = &row.cells[0];
        assert_eq!(
            Outcome::received(&ours.callback) as u64,
            row.expected,
            "{}: {ours:?}",
            row.case
        );
        assert_eq!(
            Outcome::duplicates(&ours.callback),
            0,
            "{}: {ours:?}",
            row.case
        );
    }
    assert_eq!(
        leaks[0].2, 0,
        "web-eventsource-leptos left callbacks on closed sources"
    );
}
