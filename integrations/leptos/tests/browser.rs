#![cfg(target_arch = "wasm32")]
//! The hooks in headless Chromium against sse-server: components mounted with
//! `leptos::mount::mount_to`, checked through the DOM they render and the server's own
//! count of open streams. `scripts/test` starts the server and passes its URL at compile
//! time as `SSE_SERVER_URL`.

#[macro_use]
mod common;
mod hydration;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use common::{
    container, numbers, open_on_server, requests_on_server, server_url, sleep, started_on_server,
    text, texts, unique, wait_open_on_server, wait_requests_on_server, wait_until, within,
};
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen_test::*;
use web_eventsource_leptos::{
    use_event_source, use_event_source_json_with_options, use_event_source_with_options, ErrorKind,
    Jitter, ReadyState, Reconnect, Transport, UseEventSourceError, UseEventSourceOptions,
};
use web_eventsource_testing::on_each_transport;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
export function count_requests_to(part) {
  const { fetch, EventSource } = globalThis;
  let count = 0;
  const counted = (url) => {
    if (String(url).includes(part)) count += 1;
  };
  globalThis.fetch = function (input, init) {
    counted(input instanceof Request ? input.url : input);
    return fetch.call(this, input, init);
  };
  globalThis.EventSource = class extends EventSource {
    constructor(url, init) {
      super(url, init);
      counted(url);
    }
  };
  return () => {
    globalThis.fetch = fetch;
    globalThis.EventSource = EventSource;
    return count;
  };
}
"#)]
extern "C" {
    /// Counts the requests the page makes (`fetch` calls, `EventSource`s) to a URL that
    /// holds `part`, until the function it returns is called, which says how many.
    fn count_requests_to(part: &str) -> js_sys::Function;
}

/// The MDN-style list every test renders: the state, then one `<li>` per event with
/// its id and data.
macro_rules! feed_view {
    ($source:expr) => {{
        let source = $source;
        view! {
            <p class="state">{move || source.ready_state.get().to_string()}</p>
            <p class="last-id">{move || source.last_event_id.get()}</p>
            <p class="error">{move || source.error.get().map(|err| err.to_string())}</p>
            <ul>
                <For each=move || source.history.get() key=|msg| msg.seq let:msg>
                    <li data-id=msg.last_event_id.clone()>{msg.data}</li>
                </For>
            </ul>
        }
    }};
}

fn ids(root: &web_sys::HtmlElement) -> Vec<String> {
    let nodes = root.query_selector_all("li").expect("a valid selector");
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .map(|node| {
            use wasm_bindgen::JsCast;
            node.unchecked_into::<web_sys::Element>()
                .get_attribute("data-id")
                .unwrap_or_default()
        })
        .collect()
}

/// A quick, predictable policy: 50 ms, 100 ms, 200 ms, ... without jitter.
fn quick_policy() -> Reconnect {
    Reconnect::default()
        .initial_delay(Duration::from_millis(50))
        .jitter(Jitter::None)
}

fn list_len(root: &web_sys::HtmlElement) -> usize {
    texts(root, "li").len()
}

/// Whether a [`feed_view`] shows a source that has ended: `Closed` with an error (before
/// it opens, the state is `Closed` with none).
fn ended(root: &web_sys::HtmlElement) -> bool {
    text(root, ".state").as_deref() == Some("closed")
        && text(root, ".error").is_some_and(|error| !error.is_empty())
}

/// Makes a case's options inside the component (options are not `Clone`).
type MakeOptions = fn() -> UseEventSourceOptions;

/// The default options, on `transport` asked for explicitly.
fn on(transport: Transport) -> UseEventSourceOptions {
    UseEventSourceOptions::default().transport(transport)
}

on_each_transport! {
    async fn a_mounted_component_lists_every_event_and_shows_the_state(transport) {
        let root = container();
        let url = server_url("/test/stream?count=5&data=event%20{id}");
        let _handle = mount_to(root.clone(), move || {
            feed_view!(use_event_source_with_options(url, on(transport).history(100)))
        });
        wait_until(&root, "5 items", || list_len(&root) == 5).await;
        assert_eq!(
            texts(&root, "li"),
            (1..=5).map(|n| format!("event {n}")).collect::<Vec<_>>()
        );
        assert_eq!(ids(&root), numbers(1..=5));
        assert_eq!(text(&root, ".state").as_deref(), Some("open"));
        assert_eq!(text(&root, ".last-id").as_deref(), Some("5"));
        assert_eq!(text(&root, ".error").as_deref(), Some(""));
    }
}

on_each_transport! {
    async fn a_burst_of_100_events_in_one_chunk_makes_100_calls_and_100_entries(transport) {
        let root = container();
        let calls = Rc::new(RefCell::new(Vec::new()));
        let url = server_url("/test/stream?count=100&batch=100");
        let _handle = mount_to(root.clone(), {
            let calls = calls.clone();
            move || {
                let options = on(transport)
                    .history(1_000)
                    .on_event(move |msg| calls.borrow_mut().push(msg.last_event_id.clone()));
                feed_view!(use_event_source_with_options(url, options))
            }
        });
        wait_until(&root, "100 items", || list_len(&root) >= 100).await;
        sleep(100).await; // nothing more may come
        assert_eq!(
            *calls.borrow(),
            numbers(1..=100),
            "one on_event call per event"
        );
        assert_eq!(
            ids(&root),
            numbers(1..=100),
            "one entry per event, in order"
        );
        assert_eq!(texts(&root, "li"), numbers(1..=100));
    }
}

#[wasm_bindgen_test]
async fn an_on_event_that_throws_loses_no_event_from_the_signals() {
    // The throw went through the hook's own listener: the second event never reached
    // the history or `message`.
    let root = container();
    let calls = Rc::new(RefCell::new(Vec::new()));
    let url = server_url("/test/stream?count=4");
    let _handle = mount_to(root.clone(), {
        let calls = calls.clone();
        move || {
            let options = UseEventSourceOptions::default()
                .history(10)
                .on_event(move |msg| {
                    calls.borrow_mut().push(msg.last_event_id.clone());
                    if msg.last_event_id == "2" {
                        wasm_bindgen::throw_str("a bad event");
                    }
                });
            feed_view!(use_event_source_with_options(url, options))
        }
    });
    wait_until(&root, "the 4th event", || {
        text(&root, ".last-id").as_deref() == Some("4")
    })
    .await;
    sleep(50).await;
    assert_eq!(*calls.borrow(), numbers(1..=4), "on_event");
    assert_eq!(ids(&root), numbers(1..=4), "the history");
}

#[wasm_bindgen_test]
async fn the_history_keeps_the_last_n_events() {
    let root = container();
    let url = server_url("/test/stream?count=30&batch=30");
    let _handle = mount_to(root.clone(), move || {
        feed_view!(use_event_source_with_options(
            url,
            UseEventSourceOptions::default().history(10)
        ))
    });
    wait_until(&root, "the 30th event", || {
        text(&root, ".last-id").as_deref() == Some("30")
    })
    .await;
    sleep(50).await;
    assert_eq!(ids(&root), numbers(21..=30));
}

#[wasm_bindgen_test]
async fn only_the_chosen_types_arrive_in_the_servers_order() {
    // `event=ping` names every event: a hook on "message" alone sees none of them.
    let root = container();
    let pings = server_url("/test/stream?count=4&event=ping");
    let calls = Rc::new(RefCell::new(Vec::new()));
    let _handle = mount_to(root.clone(), {
        let calls = calls.clone();
        move || {
            let options = UseEventSourceOptions::default()
                .named_events(["ping"])
                .history(10)
                .on_event(move |msg| calls.borrow_mut().push(msg.event_type.clone()));
            let plain = use_event_source_with_options(
                pings.clone(),
                UseEventSourceOptions::default().history(10),
            );
            let named = use_event_source_with_options(pings, options);
            view! {
                <p class="plain">{move || plain.history.get().len()}</p>
                {feed_view!(named)}
            }
        }
    });
    wait_until(&root, "4 pings", || list_len(&root) == 4).await;
    assert_eq!(ids(&root), numbers(1..=4));
    assert_eq!(*calls.borrow(), vec!["ping"; 4]);
    assert_eq!(
        text(&root, ".plain").as_deref(),
        Some("0"),
        "no ping reaches a message-only hook"
    );
}

#[wasm_bindgen_test]
async fn a_type_named_twice_delivers_each_event_once() {
    // `"message"` is already in the default types; `event_types` may repeat one too.
    let root = container();
    let cases = [
        (
            "/test/stream?count=5",
            UseEventSourceOptions::default().named_events(["message"]),
        ),
        (
            "/test/stream?count=5&event=ping",
            UseEventSourceOptions::default().event_types(["ping", "ping"]),
        ),
    ];
    let _handle = mount_to(root.clone(), move || {
        cases
            .map(|(path, options)| {
                let source = use_event_source_with_options(server_url(path), options.history(100));
                view! {
                    <ol>
                        <For each=move || source.history.get() key=|msg| msg.seq let:msg>
                            <li>{msg.data}</li>
                        </For>
                    </ol>
                }
            })
            .collect_view()
    });
    wait_until(&root, "5 events in each list", || list_len(&root) >= 10).await;
    sleep(200).await; // a second delivery of each would have come by now
    let lists: Vec<Vec<String>> = (1..=2)
        .map(|n| texts(&root, &format!("ol:nth-of-type({n}) li")))
        .collect();
    assert_eq!(lists, [numbers(1..=5), numbers(1..=5)], "each event once");
}

#[wasm_bindgen_test]
async fn a_changed_url_signal_closes_the_old_stream_and_opens_the_new_one() {
    let root = container();
    let (a, b) = (unique("url-a"), unique("url-b"));
    let stream = |tag: &str, letter: &str| {
        server_url(&format!(
            "/test/stream?count=1000&interval=100&data={letter}{{id}}&tag={tag}"
        ))
    };
    let url = RwSignal::new(stream(&a, "a"));
    let _handle = mount_to(root.clone(), move || {
        feed_view!(use_event_source_with_options(
            url,
            UseEventSourceOptions::default().history(1_000)
        ))
    });
    wait_open_on_server(&a, 1).await;
    wait_until(&root, "an event from a", || list_len(&root) >= 1).await;

    url.set(stream(&b, "b"));
    wait_open_on_server(&b, 1).await;
    wait_open_on_server(&a, 0).await;
    wait_until(&root, "an event from b", || {
        texts(&root, "li").iter().any(|t| t.starts_with('b'))
    })
    .await;
    let items = texts(&root, "li");
    let first_b = items.iter().position(|t| t.starts_with('b')).unwrap();
    assert!(
        items[..first_b].iter().all(|t| t.starts_with('a')),
        "{items:?}"
    );
    assert!(
        items[first_b..].iter().all(|t| t.starts_with('b')),
        "nothing from a after b: {items:?}"
    );
    assert_eq!(
        items[first_b], "b1",
        "the new URL starts from its own first event"
    );
    assert_eq!(text(&root, ".state").as_deref(), Some("open"));

    url.set(String::new());
    wait_open_on_server(&b, 0).await;
    wait_until(&root, "the state closed", || {
        text(&root, ".state").as_deref() == Some("closed")
    })
    .await;

    // The URL before the empty one, set again, resumes after the last event id (as the
    // Yew and Dioxus hooks do): the history holds nothing from b twice.
    let before = texts(&root, "li");
    url.set(stream(&b, "b"));
    wait_until(&root, "b again", || list_len(&root) > before.len()).await;
    let number = |item: &str| item[1..].parse::<u32>().expect("b{id}");
    let last_before = number(before.last().expect("items"));
    let items = texts(&root, "li");
    assert_eq!(
        number(&items[before.len()]),
        last_before + 1,
        "resumed after b{last_before}: {items:?}"
    );
}

#[wasm_bindgen_test]
async fn a_url_set_right_after_the_hook_is_the_one_kept_open() {
    // The URL watch first runs a tick after the hook: a change in between must not be
    // taken for the starting URL. Without `immediate` it is a change of URL, which opens
    // (it opened nothing before).
    for immediate in [true, false] {
        let root = container();
        let (a, b) = (unique("early-a"), unique("early-b"));
        let stream =
            |tag: &str| server_url(&format!("/test/stream?count=1000&interval=100&tag={tag}"));
        let (first, second) = (stream(&a), stream(&b));
        let handle = mount_to(root.clone(), move || {
            let url = RwSignal::new(first);
            let options = UseEventSourceOptions::default().immediate(immediate);
            let source = use_event_source_with_options(url, options);
            url.set(second);
            feed_view!(source)
        });
        wait_open_on_server(&b, 1).await;
        assert_eq!(
            started_on_server(&a).await,
            0,
            "the first URL is never opened"
        );
        drop(handle);
        wait_open_on_server(&b, 0).await;
    }
}

#[wasm_bindgen_test]
async fn a_server_rendered_page_hydrates_as_rendered_then_connects() {
    // The hooks may change their signals only once hydration is over: a value that
    // differs from the server's HTML is never shown (text) or breaks hydration (nodes).
    let root = container();
    root.set_inner_html(hydration::SERVER_HTML);
    let served = root.inner_html(); // as the browser parsed it
    let key = unique("hydrate");
    let waiting = server_url(&format!("/test/stream?hang_requests=1&key={key}"));
    let _handle = leptos::mount::hydrate_from(root.clone(), move || {
        view! { <hydration::Page waiting refused="http://[::1".to_owned()/> }
    });
    assert_eq!(
        root.inner_html(),
        served,
        "hydration keeps the server's page"
    );
    wait_until(&root, "the state connecting", || {
        text(&root, ".state").as_deref() == Some("connecting")
    })
    .await;
    wait_until(&root, "the open error", || {
        text(&root, ".error").is_some_and(|error| error.contains("invalid"))
    })
    .await;
    assert_eq!(text(&root, ".refused").as_deref(), Some("closed"));
    wait_requests_on_server(&key, 1).await;
    sleep(100).await; // a second request would show by now
    assert_eq!(
        requests_on_server(&key).await,
        1,
        "one request, left waiting"
    );
}

on_each_transport! {
    async fn unmounting_closes_the_connection(transport) {
        let root = container();
        let tag = unique("unmount");
        let url = server_url(&format!("/test/stream?count=1000&interval=100&tag={tag}"));
        let handle = mount_to(root.clone(), move || {
            feed_view!(use_event_source_with_options(url, on(transport)))
        });
        wait_open_on_server(&tag, 1).await;
        drop(handle);
        wait_open_on_server(&tag, 0).await;
        assert!(texts(&root, "li").is_empty(), "the view is gone");
    }
}

on_each_transport! {
    /// Two hooks in one page share as two tabs do (Web Locks and BroadcastChannel work
    /// between the sources of one page as between tabs): with `share_across_tabs(true)`
    /// both get every event over one stream; without it, each opens its own.
    async fn two_hooks_share_one_stream_only_with_share_across_tabs(transport) {
        for (share, streams) in [(true, 1), (false, 2)] {
            let root = container();
            let tag = unique("share");
            let url = server_url(&format!("/test/stream?count=20&interval=50&tag={tag}"));
            let handle = mount_to(root.clone(), move || {
                let options = || on(transport).share_across_tabs(share).history(100);
                let first = use_event_source_with_options(url.clone(), options());
                let second = use_event_source_with_options(url, options());
                view! {
                    <div class="first">{feed_view!(first)}</div>
                    <div class="second">{feed_view!(second)}</div>
                }
            });
            let both = |n: usize| {
                texts(&root, ".first li").len() >= n && texts(&root, ".second li").len() >= n
            };
            wait_until(&root, "both hooks' first events", || both(3)).await;
            assert_eq!(
                open_on_server(&tag).await,
                streams,
                "streams open for two hooks with share_across_tabs({share})"
            );
            wait_until(&root, "both hooks' 20 events", || both(20)).await;
            for feed in [".first", ".second"] {
                assert_eq!(texts(&root, &format!("{feed} li")), numbers(1..=20), "{feed} {share}");
            }
            drop(handle);
            wait_open_on_server(&tag, 0).await;
        }
    }
}

#[wasm_bindgen_test]
async fn disposing_the_owner_closes_the_connection() {
    // `mount_to` starts the executor the effects run on; without a mount, start it here.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let tag = unique("owner");
    let url = server_url(&format!("/test/stream?count=1000&interval=100&tag={tag}"));
    let owner = Owner::new();
    let source = owner.with(|| use_event_source(url));
    wait_open_on_server(&tag, 1).await;
    within("the state open", async {
        while source.ready_state.get_untracked() != ReadyState::Open {
            sleep(20).await;
        }
    })
    .await;
    owner.cleanup();
    wait_open_on_server(&tag, 0).await;
    (source.open)(); // after disposal: does nothing, throws nothing
    (source.close)();
    sleep(200).await;
    assert_eq!(
        common::open_on_server(&tag).await,
        0,
        "open() after disposal opened nothing"
    );
}

on_each_transport! {
    async fn close_and_open_stop_and_resume_the_stream(transport) {
        let root = container();
        let tag = unique("close-open");
        let url = server_url(&format!("/test/stream?count=1000&interval=50&tag={tag}"));
        let controls = Rc::new(RefCell::new(None));
        let _handle = mount_to(root.clone(), {
            let controls = controls.clone();
            move || {
                let source = use_event_source_with_options(url, on(transport).history(10_000));
                *controls.borrow_mut() = Some((source.open.clone(), source.close.clone()));
                feed_view!(source)
            }
        });
        let (open, close) = controls.borrow().clone().expect("mounted");
        wait_until(&root, "3 items", || list_len(&root) >= 3).await;
        close();
        wait_open_on_server(&tag, 0).await;
        let at_close = list_len(&root);
        assert_eq!(text(&root, ".state").as_deref(), Some("closed"));
        sleep(300).await;
        assert_eq!(list_len(&root), at_close, "no event after close()");

        open();
        wait_open_on_server(&tag, 1).await;
        wait_until(&root, "more items", || list_len(&root) > at_close + 2).await;
        assert_eq!(text(&root, ".state").as_deref(), Some("open"));
        let seen: Vec<u64> = ids(&root).iter().map(|id| id.parse().unwrap()).collect();
        let expected: Vec<u64> = (1..=seen.len() as u64).collect();
        assert_eq!(
            seen, expected,
            "open() resumed after the last id: no gap, no repeat"
        );
    }
}

on_each_transport! {
    async fn a_reconnect_with_the_policy_leaves_no_gap_and_no_repeat(transport) {
        // Each response ends after 3 events; the transport's own reconnect (request 2) gets a
        // 500, so the transport gives up and the policy replaces the source with
        // ?lastEventId=3. The list must read 1..=9 exactly, then the server's 204 ends it.
        let root = container();
        let key = unique("policy");
        let url = server_url(&format!(
            "/test/stream?count=9&end_after=3&retry=30&fail_requests=2&key={key}"
        ));
        let errors = Rc::new(RefCell::new(Vec::new()));
        let _handle = mount_to(root.clone(), {
            let errors = errors.clone();
            move || {
                let policy = quick_policy();
                let source =
                    use_event_source_with_options(url, on(transport).history(100).reconnect(policy));
                Effect::new(move || {
                    if let Some(err) = source.error.get() {
                        errors.borrow_mut().push(err);
                    }
                });
                feed_view!(source)
            }
        });
        wait_until(&root, "the source to end", || ended(&root)).await;
        assert_eq!(ids(&root), numbers(1..=9), "no gap, no repeat");
        assert_eq!(texts(&root, "li"), numbers(1..=9));
        assert!(
            requests_on_server(&key).await >= 4,
            "the policy reconnected"
        );
        let errors = errors.borrow();
        assert!(
            errors.iter().any(|err| matches!(err, UseEventSourceError::Connection(f) if f.kind == ErrorKind::Failed && f.will_reconnect)),
            "the 500 was reported as a failure the policy retries: {errors:?}"
        );
        assert!(
            matches!(errors.last(), Some(UseEventSourceError::Connection(f)) if f.kind == ErrorKind::NoContent && f.is_final()),
            "the server's 204 ends it: {errors:?}"
        );
    }
}

#[wasm_bindgen_test]
async fn an_event_without_an_id_after_a_replacement_keeps_the_last_event_id() {
    // Request 1 sends ids 1..5 and ends; the browser's reconnect (2) gets a 500; the
    // probe is 3; the policy's replacement (4), resuming after 5, sends one `beat` without
    // an id and ends; the browser's reconnect (5) gets a 500; probe 6; the replacement
    // (7) must resume after 5 again. The beat's entry and the signal keep "5".
    let root = container();
    let key = unique("noid");
    let url = server_url(&format!(
        "/test/stream?count=10&end_after=5&retry=30&fail_requests=2,5&noid_requests=4&key={key}"
    ));
    let ids_at_beat = Rc::new(RefCell::new(Vec::new()));
    let _handle = mount_to(root.clone(), {
        let ids_at_beat = ids_at_beat.clone();
        move || {
            let policy = quick_policy();
            let options = UseEventSourceOptions::default()
                .named_events(["beat"])
                .history(100)
                .reconnect(policy)
                .on_event(move |msg| {
                    if msg.event_type == "beat" {
                        ids_at_beat.borrow_mut().push(msg.last_event_id.clone());
                    }
                });
            let source = use_event_source_with_options(url, options);
            feed_view!(source)
        }
    });
    wait_until(&root, "the source to end", || ended(&root)).await;
    assert_eq!(
        *ids_at_beat.borrow(),
        ["5"],
        "the beat carries the resume point"
    );
    let mut expected = numbers(1..=5);
    expected.push("5".to_owned());
    expected.extend(numbers(6..=10));
    assert_eq!(ids(&root), expected, "the beat between 5 and 6, no replay");
    assert_eq!(text(&root, ".last-id").as_deref(), Some("10"));
}

#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
struct Item {
    id: u64,
    text: String,
}

#[wasm_bindgen_test]
async fn the_json_hook_decodes_each_event_and_reports_a_bad_one() {
    let root = container();
    let url = server_url("/test/stream?count=4&format=json&data=n{id}&malformed=3");
    let decoded = Rc::new(RefCell::new(Vec::new()));
    let _handle = mount_to(root.clone(), {
        let decoded = decoded.clone();
        move || {
            let items = use_event_source_json_with_options::<Item>(
                url,
                UseEventSourceOptions::default()
                    .history(10)
                    .on_event(move |msg| decoded.borrow_mut().push(msg.json::<Item>())),
            );
            view! {
                <p class="error">{move || items.error.get().map(|err| err.to_string())}</p>
                <p class="last-id">{move || items.last_event_id.get()}</p>
                <ul>
                    <For each=move || items.history.get() key=|msg| msg.seq let:msg>
                        <li>{msg.data.id} ":" {msg.data.text}</li>
                    </For>
                </ul>
            }
        }
    });
    wait_until(&root, "event 4", || {
        text(&root, ".last-id").as_deref() == Some("4")
    })
    .await;
    sleep(50).await;
    assert_eq!(texts(&root, "li"), vec!["1:n1", "2:n2", "4:n4"]);
    let decoded = decoded.borrow();
    assert_eq!(
        decoded.len(),
        4,
        "on_event sees every event, the bad one too"
    );
    assert!(decoded[2].is_err(), "{decoded:?}");
    let ids: Vec<u64> = decoded.iter().flatten().map(|item| item.id).collect();
    assert_eq!(ids, vec![1, 2, 4]);
    let error = text(&root, ".error").unwrap_or_default();
    assert!(
        error.contains("cannot decode the data of a \"message\" event"),
        "{error}"
    );
}

#[wasm_bindgen_test]
async fn what_cannot_open_is_an_error_in_the_signal_not_a_panic() {
    // A URL the browser refuses, and options the core refuses: a zero idle timeout
    // would replace every quiet connection at once; a header cannot be sent by the
    // browser's own EventSource, nor a body with a GET.
    let key = unique("refused");
    let refused = server_url(&format!("/test/stream?key={key}"));
    let zero_idle = || {
        UseEventSourceOptions::default()
            .reconnect(Reconnect::default().idle_timeout(Some(Duration::ZERO)))
    };
    let header_on_native = || {
        UseEventSourceOptions::default()
            .transport(Transport::Native)
            .headers([("Authorization", "Bearer t")])
    };
    let body_on_get = || UseEventSourceOptions::default().body("q=rust");
    let cases: [(String, MakeOptions, &str); 4] = [
        (
            "http://[::1".to_owned(),
            UseEventSourceOptions::default,
            "invalid",
        ),
        (refused.clone(), zero_idle, "idle_timeout"),
        (
            refused.clone(),
            header_on_native,
            "invalid option \"header\"",
        ),
        (refused, body_on_get, "invalid option \"body\""),
    ];
    for (url, options, expected) in cases {
        let root = container();
        let _handle = mount_to(root.clone(), move || {
            feed_view!(use_event_source_with_options(url, options()))
        });
        wait_until(&root, "the error shown", || {
            !text(&root, ".error").unwrap_or_default().is_empty()
        })
        .await;
        let error = text(&root, ".error").unwrap_or_default();
        assert!(error.contains(expected), "{expected:?} in {error:?}");
        assert_eq!(text(&root, ".state").as_deref(), Some("closed"));
    }
    assert_eq!(
        requests_on_server(&key).await,
        0,
        "nothing reached the server"
    );
}

/// What `/test/echo` says of the request it received.
#[derive(Debug, serde::Deserialize)]
struct Echo {
    method: String,
    headers: std::collections::HashMap<String, String>,
    body: String,
    request: u64,
}

/// The echoes a [`feed_view`] lists.
fn echoes(root: &web_sys::HtmlElement) -> Vec<Echo> {
    texts(root, "li")
        .iter()
        .map(|data| serde_json::from_str(data).expect("the echo's JSON"))
        .collect()
}

/// The hook's `open()` or `close()`.
type Control = Rc<dyn Fn()>;

/// Mounts a [`feed_view`] of the hook at `url`, with a history of 10, asking by a POST
/// of "the question" when `post`: the container, the hook's `open` and `close`, and the
/// mount, which unmounts when dropped.
fn mount_echo(
    url: RwSignal<String>,
    post: bool,
) -> (
    web_sys::HtmlElement,
    Control,
    Control,
    Box<dyn std::any::Any>,
) {
    let root = container();
    let controls: Rc<RefCell<Option<(Control, Control)>>> = Rc::default();
    let mounted = mount_to(root.clone(), {
        let controls = controls.clone();
        move || {
            let mut options = UseEventSourceOptions::default().history(10);
            if post {
                options = options.method("POST").body("the question");
            }
            let source = use_event_source_with_options(url, options);
            let (open, close) = (source.open.clone(), source.close.clone());
            *controls.borrow_mut() = Some((Rc::new(open), Rc::new(close)));
            feed_view!(source)
        }
    });
    let (open, close) = controls.borrow_mut().take().expect("mounted");
    (root, open, close, Box::new(mounted))
}

#[wasm_bindgen_test]
async fn an_ended_post_or_a_closed_stream_stays_ended_when_its_url_comes_back() {
    // An empty URL and the URL before it again resume the stream, but not one that had
    // ended for good, as the Yew and Dioxus hooks hold it: a POST whose answer ended
    // (sent again, its question would be asked twice), or a stream the user closed. Both
    // were opened again. `open()` still opens them.
    for post in [true, false] {
        let key = unique("back");
        let hold = if post { "" } else { "&hold=1" };
        let stream = server_url(&format!("/test/echo?key={key}{hold}"));
        let url = RwSignal::new(stream.clone());
        let (root, open, close, _mounted) = mount_echo(url, post);
        wait_until(&root, "the echo", || list_len(&root) == 1).await;
        if post {
            wait_until(&root, "the answer's end", || {
                text(&root, ".state").as_deref() == Some("closed")
            })
            .await;
        } else {
            close();
        }
        // Twice: the second trip through the empty URL left no source to tell whether
        // the stream had ended, and the POST was sent again.
        for _ in 0..2 {
            url.set(String::new());
            sleep(50).await;
            url.set(stream.clone());
            sleep(300).await;
        }
        assert_eq!(
            requests_on_server(&key).await,
            1,
            "post: {post}: not sent again"
        );
        assert_eq!(text(&root, ".state").as_deref(), Some("closed"));
        open();
        wait_until(&root, "the second echo", || list_len(&root) == 2).await;
        assert_eq!(
            requests_on_server(&key).await,
            2,
            "post: {post}: open() sends it"
        );
    }
}

#[wasm_bindgen_test]
async fn close_called_as_the_component_renders_holds() {
    // Called in the component's body, before the hook's first effect: that effect opened
    // the URL all the same. `open()` opens it.
    let key = unique("render-close");
    let url = RwSignal::new(server_url(&format!("/test/echo?key={key}&hold=1")));
    let root = container();
    let opener: Rc<RefCell<Option<Control>>> = Rc::default();
    let _mounted = mount_to(root.clone(), {
        let opener = opener.clone();
        move || {
            let source =
                use_event_source_with_options(url, UseEventSourceOptions::default().history(10));
            (source.close)();
            *opener.borrow_mut() = Some(Rc::new(source.open.clone()));
            feed_view!(source)
        }
    });
    sleep(300).await;
    assert_eq!(requests_on_server(&key).await, 0, "nothing opened");
    assert_eq!(text(&root, ".state").as_deref(), Some("closed"));
    let open = opener.borrow_mut().take().expect("mounted");
    open();
    wait_until(&root, "the echo", || list_len(&root) == 1).await;
}

#[wasm_bindgen_test]
async fn open_called_as_the_url_changes_sends_one_request() {
    // `open()` opens the URL as it is, the new one; the URL watch then runs and saw a
    // change, which it took for a reason to open again: a second request, which for a
    // POST asked its question twice.
    for post in [true, false] {
        let (a, b) = (unique("turn-a"), unique("turn-b"));
        let hold = if post { "" } else { "&hold=1" };
        let stream = |key: &str| server_url(&format!("/test/echo?key={key}{hold}"));
        let url = RwSignal::new(stream(&a));
        let (root, open, _close, _mounted) = mount_echo(url, post);
        wait_until(&root, "the first echo", || list_len(&root) == 1).await;
        // Counted as the page makes them: a request cancelled at once may never reach
        // the server.
        let requests = count_requests_to(&b);
        url.set(stream(&b));
        open();
        wait_until(&root, "the second echo", || list_len(&root) == 2).await;
        sleep(300).await;
        let made = requests
            .call0(&wasm_bindgen::JsValue::NULL)
            .expect("the count");
        assert_eq!(made.as_f64(), Some(1.0), "post: {post}: one request made");
        assert_eq!(requests_on_server(&b).await, 1, "post: {post}: sent once");
        assert_eq!(list_len(&root), 2, "post: {post}: one echo of b");
    }
}

#[wasm_bindgen_test]
async fn headers_choose_fetch_and_reach_the_server() {
    // `hold=1`: the body stays open after the echo, so nothing reconnects.
    let root = container();
    let url = server_url("/test/echo?hold=1");
    let _handle = mount_to(root.clone(), move || {
        let options = UseEventSourceOptions::default()
            .headers([("Authorization", "Bearer fixed")])
            .history(10);
        feed_view!(use_event_source_with_options(url, options))
    });
    wait_until(&root, "the echo", || list_len(&root) == 1).await;
    let echo = &echoes(&root)[0];
    assert_eq!(echo.method, "GET");
    assert_eq!(echo.headers["authorization"], "Bearer fixed");
    assert_eq!(echo.headers["accept"], "text/event-stream");
    assert_eq!(text(&root, ".state").as_deref(), Some("open"));
}

#[wasm_bindgen_test]
async fn a_close_from_headers_with_while_the_first_request_is_made_holds() {
    // The app finds its token gone while the request is being made, and closes. There
    // was no source to close yet: the close was lost, and the stream ran. When the
    // request then cannot be made (a header the browser refuses), the error says why.
    for refused in [false, true] {
        let root = container();
        let key = unique("close-in-headers");
        let url = server_url(&format!("/test/echo?key={key}&hold=1"));
        let _handle = mount_to(root.clone(), move || {
            // Filled in once the hook has returned its `close`.
            let close = Rc::new(RefCell::new(None::<Box<dyn Fn()>>));
            let options = UseEventSourceOptions::default()
                .headers_with({
                    let close = close.clone();
                    move || {
                        if let Some(close) = close.borrow().as_ref() {
                            close();
                        }
                        let name = if refused { "bad name" } else { "Authorization" };
                        vec![(name.to_owned(), "Bearer 1".to_owned())]
                    }
                })
                .history(10);
            let source = use_event_source_with_options(url, options);
            close.replace(Some(Box::new(source.close.clone())));
            feed_view!(source)
        });
        sleep(500).await;
        assert_eq!(
            text(&root, ".state").as_deref(),
            Some("closed"),
            "closed for good (refused: {refused})"
        );
        assert_eq!(list_len(&root), 0, "no echo");
        let error = text(&root, ".error").unwrap_or_default();
        assert_eq!(
            error.contains("invalid option \"header\""),
            refused,
            "{error:?}"
        );
    }
}

#[wasm_bindgen_test]
async fn a_signal_read_in_headers_with_does_not_rerun_the_effect_that_opened() {
    // `open()` called from an effect: the first request asks `headers_with`, which reads
    // the token signal. A new token must not rerun that effect (which reopened the
    // source, a request more), only be used at the next request.
    let root = container();
    let key = unique("untracked");
    let url = server_url(&format!("/test/echo?key={key}&hold=1&keepalive=0"));
    let token = RwSignal::new(1);
    let _handle = mount_to(root.clone(), move || {
        let options = UseEventSourceOptions::default()
            .immediate(false)
            .headers_with(move || vec![("Authorization".into(), format!("Bearer {}", token.get()))])
            .history(10);
        let source = use_event_source_with_options(url, options);
        let open = source.open.clone();
        Effect::new(move |_| open());
        feed_view!(source)
    });
    wait_until(&root, "the echo", || list_len(&root) >= 1).await;
    token.set(2);
    sleep(300).await;
    assert_eq!(
        requests_on_server(&key).await,
        1,
        "the source was not reopened"
    );
    assert_eq!(list_len(&root), 1);
}

/// Waits until the feed shows an error (`what` names it).
async fn wait_for_an_error(root: &web_sys::HtmlElement, what: &str) {
    wait_until(root, what, || {
        text(root, ".error").is_some_and(|error| !error.is_empty())
    })
    .await;
}

/// A moment later, the feed shows `closed` and no error (`why` says why none).
async fn assert_closed_without_error(root: &web_sys::HtmlElement, why: &str) {
    sleep(50).await;
    assert_eq!(text(root, ".state").as_deref(), Some("closed"));
    assert_eq!(text(root, ".error").as_deref(), Some(""), "{why}");
}

#[wasm_bindgen_test]
async fn a_refused_urls_error_goes_when_the_url_changes() {
    // No source opened, so none was closed: the refused URL's error stayed next to the
    // next URL's state (here an empty one: `Closed`).
    let root = container();
    let url = RwSignal::new("http://[::1".to_owned());
    let _handle = mount_to(root.clone(), move || feed_view!(use_event_source(url)));
    wait_for_an_error(&root, "the refusal").await;
    url.set(String::new());
    assert_closed_without_error(&root, "the old error is gone").await;
}

#[wasm_bindgen_test]
async fn close_clears_an_error_that_said_reconnecting() {
    // The body ends after one event: the browser reconnects (a `Lost` error, "will
    // reconnect", in the signal) after the stream's `retry: 5000`. `close()` meanwhile
    // ends the source, and with it that error.
    let root = container();
    let url = server_url("/test/stream?count=100&end_after=1&retry=5000");
    let controls = Rc::new(RefCell::new(None));
    let _handle = mount_to(root.clone(), {
        let controls = controls.clone();
        move || {
            let options = UseEventSourceOptions::default().reconnect(None).history(10);
            let source = use_event_source_with_options(url, options);
            *controls.borrow_mut() = Some(source.close.clone());
            feed_view!(source)
        }
    });
    let close = controls.borrow().clone().expect("mounted");
    wait_for_an_error(&root, "the reconnecting error").await;
    close();
    assert_closed_without_error(&root, "no error once closed").await;
}

#[wasm_bindgen_test]
async fn headers_with_is_asked_before_every_request() {
    // Each echo ends its body; the fetch transport reconnects after the stream's
    // `retry: 50`, asking for headers again.
    let root = container();
    let url = server_url(&format!("/test/echo?key={}&retry=50", unique("asked")));
    let _handle = mount_to(root.clone(), move || {
        let asked = Rc::new(std::cell::Cell::new(0));
        let options = UseEventSourceOptions::default()
            .headers_with(move || {
                asked.set(asked.get() + 1);
                vec![("Authorization".into(), format!("Bearer {}", asked.get()))]
            })
            .history(10);
        feed_view!(use_event_source_with_options(url, options))
    });
    wait_until(&root, "3 echoes", || list_len(&root) >= 3).await;
    let echoes = echoes(&root);
    let tokens: Vec<&str> = echoes[..3]
        .iter()
        .map(|echo| echo.headers["authorization"].as_str())
        .collect();
    assert_eq!(tokens, ["Bearer 1", "Bearer 2", "Bearer 3"]);
    let requests: Vec<u64> = echoes[..3].iter().map(|echo| echo.request).collect();
    assert_eq!(requests, [1, 2, 3]);
}

#[wasm_bindgen_test]
async fn a_header_refused_for_a_reconnect_is_the_failures_request_error() {
    // The body ends after one event; the fetch transport's reconnect 50 ms later, and
    // every one after, gets a header name the browser refuses, so those requests cannot
    // be made: the default policy retries them, and the error signal keeps the last
    // failure. Before, it held no reason.
    let root = container();
    let url = server_url(&format!(
        "/test/stream?count=100&end_after=1&retry=50&key={}",
        unique("refusedhdr")
    ));
    let _handle = mount_to(root.clone(), move || {
        let calls = Rc::new(std::cell::Cell::new(0));
        let options = UseEventSourceOptions::default().headers_with(move || {
            calls.set(calls.get() + 1);
            // Until then, a header sse-server's CORS rules allow: one they refuse fails
            // the request before the server, so that no event would come.
            let name = if calls.get() >= 2 {
                "bad name"
            } else {
                "Authorization"
            };
            vec![(name.to_owned(), "Bearer 1".to_owned())]
        });
        let source = use_event_source_with_options(url, options);
        let request_error = move || match source.error.get() {
            Some(UseEventSourceError::Connection(failure)) => {
                failure.request_error.map(|cause| cause.to_string())
            }
            _ => None,
        };
        let error_source = move || {
            let error = source.error.get()?;
            std::error::Error::source(&error).map(ToString::to_string)
        };
        view! {
            <p class="state">{move || source.ready_state.get().to_string()}</p>
            <p class="request-error">{request_error}</p>
            <p class="source">{error_source}</p>
            <p class="last-id">{move || source.last_event_id.get()}</p>
        }
    });
    wait_until(&root, "the refused request's error", || {
        text(&root, ".request-error").is_some_and(|shown| !shown.is_empty())
    })
    .await;
    assert_eq!(
        text(&root, ".last-id").as_deref(),
        Some("1"),
        "the first request's event came"
    );
    let shown = text(&root, ".request-error").unwrap_or_default();
    assert!(shown.starts_with("invalid option \"header\": "), "{shown}");
    assert_eq!(text(&root, ".source"), Some(shown), "the error's source()");
    assert_eq!(
        text(&root, ".state").as_deref(),
        Some("connecting"),
        "the policy retries"
    );
}

#[wasm_bindgen_test]
async fn a_post_with_a_body_is_echoed_once_and_its_end_closes_the_source() {
    let root = container();
    let key = unique("post");
    let url = server_url(&format!("/test/echo?key={key}&retry=50"));
    let _handle = mount_to(root.clone(), move || {
        let options = UseEventSourceOptions::default()
            .method("POST")
            .headers([("Content-Type", "application/json")])
            .body(r#"{"prompt":"hi"}"#)
            .history(10);
        feed_view!(use_event_source_with_options(url, options))
    });
    wait_until(&root, "the echo", || list_len(&root) == 1).await;
    wait_until(&root, "closed at the end of the body", || {
        text(&root, ".state").as_deref() == Some("closed")
    })
    .await;
    let echoes = echoes(&root);
    assert_eq!(echoes.len(), 1, "{echoes:?}");
    assert_eq!(echoes[0].method, "POST");
    assert_eq!(echoes[0].body, r#"{"prompt":"hi"}"#);
    assert_eq!(echoes[0].headers["content-type"], "application/json");
    sleep(300).await; // past the stream's `retry: 50`
    assert_eq!(requests_on_server(&key).await, 1, "never sent again");
}

#[wasm_bindgen_test]
async fn the_right_token_opens_the_stream() {
    let root = container();
    let url = server_url("/test/stream?count=3&auth=s3cret");
    let _handle = mount_to(root.clone(), move || {
        let options = UseEventSourceOptions::default()
            .headers([("Authorization", "Bearer s3cret")])
            .history(10);
        feed_view!(use_event_source_with_options(url, options))
    });
    wait_until(&root, "3 items", || list_len(&root) == 3).await;
    assert_eq!(texts(&root, "li"), numbers(1..=3));
}

#[wasm_bindgen_test]
async fn a_failure_on_fetch_is_in_the_signal_with_its_status() {
    // (what, path, options, the error's kind and HTTP status); no policy, so each is final.
    let wrong_token =
        || UseEventSourceOptions::default().headers([("Authorization", "Bearer wrong")]);
    let too_large = || {
        UseEventSourceOptions::default()
            .transport(Transport::Fetch)
            .max_event_size(8)
    };
    let cases: [(&str, &str, MakeOptions, ErrorKind, Option<u16>); 2] = [
        (
            "a wrong token",
            "/test/stream?count=3&auth=s3cret",
            wrong_token,
            ErrorKind::Failed,
            Some(401),
        ),
        (
            "an event past max_event_size",
            "/test/stream?count=3&data=0123456789abcdef{id}",
            too_large,
            ErrorKind::TooLarge,
            None,
        ),
    ];
    for (what, path, options, kind, status) in cases {
        let root = container();
        let url = server_url(path);
        let error = Rc::new(RefCell::new(None));
        let _handle = mount_to(root.clone(), {
            let error = error.clone();
            move || {
                let source =
                    use_event_source_with_options(url, options().reconnect(None).history(10));
                Effect::new(move || *error.borrow_mut() = source.error.get());
                feed_view!(source)
            }
        });
        wait_until(&root, what, || ended(&root)).await;
        match error.borrow().clone() {
            Some(UseEventSourceError::Connection(failure)) => {
                assert_eq!(
                    (failure.kind, failure.status),
                    (kind, status),
                    "{what}: {failure}"
                );
                assert!(failure.is_final(), "{what}: {failure}");
            }
            other => panic!("{what}: expected a connection error, got {other:?}"),
        }
        if let Some(status) = status {
            let shown = text(&root, ".error").unwrap_or_default();
            assert!(shown.contains(&status.to_string()), "{what}: {shown}");
        }
        assert_eq!(list_len(&root), 0, "{what}: no event");
    }
}
