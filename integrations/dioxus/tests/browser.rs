#![cfg(target_arch = "wasm32")]
//! The hooks in headless Chromium against sse-server: apps mounted with Dioxus's web
//! renderer, their DOM checked as a user would see it, driven by clicks. `scripts/test`
//! starts the server and passes its URL at compile time as `SSE_SERVER_URL`.

mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use common::{
    click, mount, one_to, open_on_server, requests_on_server, server_url, sleep, text, texts,
    unique, wait_open_on_server, wait_until,
};
use dioxus::prelude::*;
use wasm_bindgen_test::*;
use web_eventsource::{Error, Jitter, Message, Reconnect, Sharing, Transport};
use web_eventsource_dioxus::{
    use_event_source_history, use_event_source_json_history, use_event_source_json_listener,
    use_event_source_listener, use_event_source_with_options, use_headers_with, EventSourceUrl,
    UseEventSource, UseEventSourceOptions,
};

wasm_bindgen_test_configure!(run_in_browser);

/// What a test watches from outside the app: every call of the listener, the renders of
/// the feed and of its list, and the handle the feed last rendered with.
#[derive(Clone, Default)]
struct Probe {
    calls: Rc<RefCell<Vec<String>>>,
    renders: Rc<Cell<u32>>,
    list_renders: Rc<Cell<u32>>,
    handle: Rc<RefCell<Option<UseEventSource>>>,
}

impl PartialEq for Probe {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.calls, &other.calls)
    }
}

impl Probe {
    fn calls(&self) -> Vec<String> {
        self.calls.borrow().clone()
    }
}

#[derive(Props, Clone, PartialEq)]
struct HarnessProps {
    url: String,
    /// Where `.switch` points the feed.
    #[props(default)]
    next_url: String,
    /// Hand the hook the URL as a string read by the harness (a prop of the feed that
    /// changes), instead of the signal itself.
    #[props(default)]
    url_by_value: bool,
    #[props(default)]
    options: UseEventSourceOptions,
    #[props(default = 1000)]
    capacity: usize,
    #[props(default)]
    probe: Probe,
    /// Written into what the listener records, to tell one closure from the next;
    /// `.relabel` changes it to `b:`.
    #[props(default)]
    label: String,
}

/// The app around the feed: the URL and the label as signals, and buttons that change
/// them (`.switch` to `next_url`, `.back` to the first URL) and unmount the feed.
#[allow(non_snake_case)] // a component: Dioxus names them as types
fn Harness(props: HarnessProps) -> Element {
    let mut shown = use_signal(|| true);
    let mut url = use_signal(|| props.url.clone());
    let mut label = use_signal(|| props.label.clone());
    let next_url = props.next_url.clone();
    let first_url = props.url.clone();
    let feed_url: EventSourceUrl = if props.url_by_value {
        url().into()
    } else {
        url.into()
    };
    rsx! {
        button { class: "hide", onclick: move |_| shown.set(false), "Hide" }
        button { class: "switch", onclick: move |_| url.set(next_url.clone()), "Switch" }
        button { class: "back", onclick: move |_| url.set(first_url.clone()), "Back" }
        button { class: "relabel", onclick: move |_| label.set("b:".into()), "Relabel" }
        if shown() {
            Feed {
                url: feed_url,
                options: props.options.clone(),
                capacity: props.capacity,
                probe: props.probe.clone(),
                label: label(),
            }
        }
    }
}

/// The MDN list: the state, the last error and id, Close and Reopen, and the messages
/// rendered by a child that gets the handle as a prop. A listener records each message
/// in the probe as `label` + data.
#[component]
fn Feed(
    url: EventSourceUrl,
    options: UseEventSourceOptions,
    capacity: usize,
    probe: Probe,
    label: String,
) -> Element {
    let es = use_event_source_with_options(url, options);
    probe.renders.set(probe.renders.get() + 1);
    probe.handle.replace(Some(es));
    use_event_source_listener(es, "message", {
        let calls = probe.calls.clone();
        move |msg: Message| calls.borrow_mut().push(format!("{label}{}", msg.data()))
    });
    rsx! {
        p { class: "state", "{es.ready_state()}" }
        p { class: "error", {es.error().cloned().map(|err| err.to_string())} }
        p { class: "last-id", "{es.last_event_id()}" }
        button { class: "close", onclick: move |_| es.close(), "Close" }
        button { class: "reopen", onclick: move |_| es.reopen(), "Reopen" }
        List { es, capacity, probe }
    }
}

/// The history in a child component, which renders when the history changes.
#[component]
fn List(es: UseEventSource, capacity: usize, probe: Probe) -> Element {
    let history = use_event_source_history(es, "message", capacity);
    probe.list_renders.set(probe.list_renders.get() + 1);
    rsx! {
        p { class: "received", "{history.len()}" }
        ul {
            for msg in history.iter() {
                li { "{msg.data()}" }
            }
        }
    }
}

fn harness(path: &str) -> HarnessProps {
    HarnessProps {
        url: server_url(path),
        next_url: String::new(),
        url_by_value: false,
        options: UseEventSourceOptions::default(),
        capacity: 1000,
        probe: Probe::default(),
        label: String::new(),
    }
}

/// The transports the shared cases run on: the default (the browser's `EventSource`) and
/// the fetch transport, chosen through the options as a user would.
const TRANSPORTS: [Option<Transport>; 2] = [None, Some(Transport::Fetch)];

/// `harness(path)` on `transport`.
fn harness_on(transport: Option<Transport>, path: &str) -> HarnessProps {
    HarnessProps {
        options: UseEventSourceOptions {
            transport,
            ..Default::default()
        },
        ..harness(path)
    }
}

#[wasm_bindgen_test]
async fn a_mounted_list_shows_every_event_in_order_and_the_state() {
    for transport in TRANSPORTS {
        let props = harness_on(transport, "/test/stream?count=5");
        let probe = props.probe.clone();
        let (_app, root) = mount(Harness, props);
        wait_until(&root, "5 items", || texts(&root, "li").len() == 5).await;
        assert_eq!(texts(&root, "li"), one_to(5), "{transport:?}");
        wait_until(&root, "open", || text(&root, ".state") == "open").await;
        assert_eq!(text(&root, ".last-id"), "5");
        assert_eq!(text(&root, ".error"), "");
        let source = probe.handle.borrow().and_then(|es| es.source());
        assert_eq!(
            source.map(|source| source.transport()),
            Some(transport.unwrap_or(Transport::Native)),
            "the options chose the transport"
        );
    }
}

#[wasm_bindgen_test]
async fn a_burst_in_one_chunk_yields_every_callback_and_every_entry() {
    for transport in TRANSPORTS {
        a_burst_in_one_chunk_on(transport).await;
    }
}

async fn a_burst_in_one_chunk_on(transport: Option<Transport>) {
    let props = HarnessProps {
        capacity: 100,
        ..harness_on(transport, "/test/stream?count=100&batch=100")
    };
    let probe = props.probe.clone();
    let (_app, root) = mount(Harness, props);
    wait_until(&root, "100 items", || texts(&root, "li").len() == 100).await;
    assert_eq!(
        probe.calls(),
        one_to(100),
        "one callback per event, in order"
    );
    assert_eq!(
        texts(&root, "li"),
        one_to(100),
        "one entry per event, in order"
    );
    sleep(200).await;
    assert_eq!(probe.calls().len(), 100, "no event delivered twice");
    assert_eq!(texts(&root, "li").len(), 100, "no entry added twice");
    // The list renders first, then once for the whole burst (twice if the network split
    // it); the feed, which reads the state and the last id, also for `reopen`. Not once per
    // event (written at once, 101 list renders were measured).
    let (renders, list_renders) = (probe.renders.get(), probe.list_renders.get());
    assert!(
        list_renders <= 3 && renders <= 5,
        "for one burst the list rendered {list_renders} times, the feed {renders} ({transport:?})"
    );
}

#[wasm_bindgen_test]
async fn the_history_keeps_the_last_n() {
    let props = HarnessProps {
        capacity: 3,
        ..harness("/test/stream?count=10&batch=10")
    };
    let probe = props.probe.clone();
    let (_app, root) = mount(Harness, props);
    wait_until(&root, "10 calls", || probe.calls().len() == 10).await;
    wait_until(&root, "the last 3", || {
        texts(&root, "li") == ["8", "9", "10"]
    })
    .await;
    assert_eq!(text(&root, ".received"), "3");
}

/// A component that reads only the state: the 30 messages, one network chunk each, must
/// not render it.
#[component]
fn Quiet(url: String, probe: Probe) -> Element {
    let es = use_event_source_with_options(url, UseEventSourceOptions::default());
    probe.renders.set(probe.renders.get() + 1);
    use_event_source_listener(es, "message", {
        let calls = probe.calls.clone();
        move |msg: Message| calls.borrow_mut().push(msg.data().to_owned())
    });
    rsx! { p { class: "state", "{es.ready_state()}" } }
}

#[wasm_bindgen_test]
async fn a_component_renders_for_the_signals_it_reads_not_on_every_message() {
    let probe = Probe::default();
    let (_app, root) = mount(
        Quiet,
        QuietProps {
            url: server_url("/test/stream?count=30&interval=20"),
            probe: probe.clone(),
        },
    );
    wait_until(&root, "30 messages", || probe.calls().len() == 30).await;
    sleep(100).await;
    assert_eq!(probe.calls(), one_to(30));
    assert_eq!(text(&root, ".state"), "open");
    // The first render (connecting) and the one for the open.
    assert_eq!(probe.renders.get(), 2, "renders");
}

#[wasm_bindgen_test]
async fn a_new_url_closes_the_old_source_and_opens_the_new_one() {
    // The URL as a signal the hook follows, and as a string prop that changes.
    for url_by_value in [false, true] {
        let (first, second) = (unique("url-a"), unique("url-b"));
        let stream = |tag: &str, data: &str, count: u32| {
            server_url(&format!(
                "/test/stream?count={count}&data={data}{{id}}&tag={tag}"
            ))
        };
        let props = HarnessProps {
            next_url: stream(&second, "b", 2),
            url_by_value,
            ..harness("")
        };
        let props = HarnessProps {
            url: stream(&first, "a", 3),
            ..props
        };
        let (_app, root) = mount(Harness, props);
        wait_until(&root, "a's 3 items", || texts(&root, "li").len() == 3).await;
        wait_open_on_server(&first, 1).await;

        click(&root, ".switch");
        wait_until(&root, "b's 2 items", || texts(&root, "li").len() == 5).await;
        assert_eq!(
            texts(&root, "li"),
            ["a1", "a2", "a3", "b1", "b2"],
            "the history carries over (url_by_value: {url_by_value})"
        );
        wait_open_on_server(&first, 0).await;
        wait_open_on_server(&second, 1).await;
        assert_eq!(text(&root, ".state"), "open");
        assert_eq!(text(&root, ".last-id"), "2");
    }
}

#[wasm_bindgen_test]
async fn an_empty_url_between_two_of_the_same_resumes_the_stream() {
    // A URL made from the app's state (a user who signs out and in again) is empty for a
    // while, then the same: the new source resumes after the last event id, as the
    // Leptos hook's does, so the history, which carries over, holds no event twice.
    let url = server_url(&format!(
        "/test/stream?count=6&stall_after=3&data=a{{id}}&tag={}",
        unique("emptyurl")
    ));
    let (_app, root) = mount(
        Harness,
        HarnessProps {
            url,
            next_url: String::new(),
            ..harness("")
        },
    );
    wait_until(&root, "the first 3 items", || texts(&root, "li").len() == 3).await;
    click(&root, ".switch");
    wait_until(&root, "closed", || text(&root, ".state") == "closed").await;
    assert_eq!(text(&root, ".last-id"), "3", "the resume point is shown");
    click(&root, ".back");
    wait_until(&root, "3 items more", || texts(&root, "li").len() >= 6).await;
    sleep(100).await;
    assert_eq!(texts(&root, "li"), ["a1", "a2", "a3", "a4", "a5", "a6"]);
}

#[wasm_bindgen_test]
async fn unmounting_closes_the_connection_on_the_server() {
    for transport in TRANSPORTS {
        unmounting_closes_the_connection_on(transport).await;
    }
}

async fn unmounting_closes_the_connection_on(transport: Option<Transport>) {
    let tag = unique("unmount");
    let props = harness_on(transport, &format!("/test/stream?count=2&tag={tag}"));
    let probe = props.probe.clone();
    let (_app, root) = mount(Harness, props);
    wait_until(&root, "2 items", || texts(&root, "li").len() == 2).await;
    wait_open_on_server(&tag, 1).await;
    click(&root, ".hide");
    wait_until(&root, "the feed gone", || texts(&root, ".state").is_empty()).await;
    wait_open_on_server(&tag, 0).await;
    assert!(texts(&root, "li").is_empty(), "the DOM is gone");
    // A copy of the handle that outlives its component (kept here, as an app might in a
    // context) neither keeps the connection open nor panics when used.
    let kept = probe.handle.borrow().expect("a handle was rendered");
    assert!(kept.source().is_none(), "the hook let go of its source");
    kept.reopen(); // does nothing once unmounted
    kept.close();
    sleep(200).await;
    assert_eq!(open_on_server(&tag).await, 0);
}

/// Two [`Feed`]s on one URL with the same options, side by side in one app.
#[component]
fn Twins(url: String, options: UseEventSourceOptions, probes: [Probe; 2]) -> Element {
    let feed = |probe: &Probe| {
        rsx! {
            Feed {
                url: url.clone().into(),
                options: options.clone(),
                capacity: 1000,
                probe: probe.clone(),
                label: String::new(),
            }
        }
    };
    rsx! {
        div { class: "first", {feed(&probes[0])} }
        div { class: "second", {feed(&probes[1])} }
    }
}

impl Probe {
    /// The role the source of the handle the feed last rendered with holds now.
    fn sharing(&self) -> Option<Sharing> {
        self.handle
            .borrow()
            .and_then(|es| es.source())
            .map(|es| es.sharing())
    }
}

/// Two hooks in one page share as two tabs do (Web Locks and BroadcastChannel work
/// between the sources of one page as between tabs): with `share_across_tabs` both get
/// every event over one stream; without it, each opens its own.
#[wasm_bindgen_test]
async fn two_hooks_share_one_stream_only_with_share_across_tabs() {
    for transport in TRANSPORTS {
        for (share, streams) in [(true, 1), (false, 2)] {
            two_hooks_on_one_url(transport, share, streams).await;
        }
    }
}

async fn two_hooks_on_one_url(transport: Option<Transport>, share: bool, streams: u64) {
    let tag = unique("share");
    let probes = [Probe::default(), Probe::default()];
    let props = TwinsProps {
        url: server_url(&format!("/test/stream?count=20&interval=50&tag={tag}")),
        options: UseEventSourceOptions {
            transport,
            share_across_tabs: share.into(),
            ..Default::default()
        },
        probes: probes.clone(),
    };
    let (app, root) = mount(Twins, props);
    let both =
        |n: usize| texts(&root, ".first li").len() >= n && texts(&root, ".second li").len() >= n;
    wait_until(&root, "both hooks' first events", || both(3)).await;
    assert_eq!(
        open_on_server(&tag).await,
        streams,
        "streams open for two hooks with share_across_tabs: {share} ({transport:?})"
    );
    let mut roles = probes.each_ref().map(Probe::sharing);
    roles.sort_by_key(|role| format!("{role:?}"));
    if share {
        assert!(
            matches!(
                roles,
                [Some(Sharing::Follower { .. }), Some(Sharing::Leader { .. })]
            ),
            "{roles:?}"
        );
    } else {
        assert_eq!(roles, [Some(Sharing::Private); 2]);
    }
    wait_until(&root, "both hooks' 20 events", || both(20)).await;
    for (feed, probe) in [".first", ".second"].iter().zip(&probes) {
        let what = format!("{feed}, share_across_tabs: {share} ({transport:?})");
        assert_eq!(texts(&root, &format!("{feed} li")), one_to(20), "{what}");
        assert_eq!(probe.calls(), one_to(20), "{what}");
    }
    drop(app);
    wait_open_on_server(&tag, 0).await;
}

#[wasm_bindgen_test]
async fn stopping_the_app_closes_the_connection_on_the_server() {
    let tag = unique("stop-app");
    let (app, root) = mount(Harness, harness(&format!("/test/stream?count=2&tag={tag}")));
    wait_until(&root, "2 items", || texts(&root, "li").len() == 2).await;
    wait_open_on_server(&tag, 1).await;
    drop(app);
    wait_open_on_server(&tag, 0).await;
}

#[wasm_bindgen_test]
async fn close_then_open_resumes_with_no_gap_and_no_repeat() {
    for transport in TRANSPORTS {
        close_then_open_resumes_on(transport).await;
    }
}

async fn close_then_open_resumes_on(transport: Option<Transport>) {
    let tag = unique("reopen");
    // The first response stops after 7 events with its body open: a close that comes
    // late still leaves events for the reopened source (which would otherwise resume at
    // the end and be answered 204).
    let props = harness_on(
        transport,
        &format!("/test/stream?count=10&interval=100&stall_after=7&tag={tag}"),
    );
    let probe = props.probe.clone();
    let (_app, root) = mount(Harness, props);
    wait_until(&root, "3 items", || texts(&root, "li").len() >= 3).await;
    click(&root, ".close");
    wait_until(&root, "closed", || text(&root, ".state") == "closed").await;
    wait_open_on_server(&tag, 0).await;
    let at_close = texts(&root, "li").len();
    sleep(350).await;
    assert_eq!(texts(&root, "li").len(), at_close, "nothing after close");

    click(&root, ".reopen");
    wait_until(&root, "10 items", || texts(&root, "li").len() == 10).await;
    assert_eq!(texts(&root, "li"), one_to(10), "{transport:?}");
    assert_eq!(probe.calls(), one_to(10));
    assert_eq!(text(&root, ".state"), "open");
    wait_open_on_server(&tag, 1).await;
}

#[wasm_bindgen_test]
async fn a_reconnecting_error_is_cleared_once_open_again_and_by_close() {
    for transport in TRANSPORTS {
        a_reconnecting_error_is_cleared_on(transport).await;
    }
}

/// Each response sends one event and falls silent: the policy's idle timeout is a "will
/// reconnect" error, and its replacement opens again, which ends that error. The next one
/// is ended by Close. (Both stayed next to `Open` and `Closed` before.)
async fn a_reconnecting_error_is_cleared_on(transport: Option<Transport>) {
    let mut props = harness_on(
        transport,
        "/test/stream?count=100&stall_after=1&keepalive=0",
    );
    props.options.reconnect = Some(
        Reconnect::default()
            .initial_delay(Duration::from_millis(50))
            .jitter(Jitter::None)
            .idle_timeout(Some(Duration::from_millis(600))),
    );
    let (_app, root) = mount(Harness, props);
    wait_until(&root, "the reconnecting error", || {
        !text(&root, ".error").is_empty()
    })
    .await;
    wait_until(&root, "open again", || text(&root, ".state") == "open").await;
    assert_eq!(
        text(&root, ".error"),
        "",
        "open again: the error is over ({transport:?})"
    );
    wait_until(&root, "the next error", || {
        !text(&root, ".error").is_empty()
    })
    .await;
    click(&root, ".close");
    wait_until(&root, "closed", || text(&root, ".state") == "closed").await;
    assert_eq!(
        text(&root, ".error"),
        "",
        "closed: the error is over ({transport:?})"
    );
}

/// A listener, a history and a second listener, in that order; one of the listeners
/// reopens the source when event `2` arrives. The first (`reader: false`): the history is
/// then the later subscriber when event 2 is dispatched. Or the second (`reader: true`),
/// holding a read of the history meanwhile (as `for item in history.read().iter()`
/// does): the reopen applies the burst's pending writes, event 2's entry among them,
/// while the history is read.
#[component]
fn Rotating(url: String, reader: bool) -> Element {
    let es = use_event_source_with_options(url, UseEventSourceOptions::default());
    use_event_source_listener(es, "message", move |msg: Message| {
        if !reader && msg.data() == "2" {
            es.reopen();
        }
    });
    let history = use_event_source_history(es, "message", 100);
    use_event_source_listener(es, "message", move |msg: Message| {
        if reader {
            let listed = history.read();
            if msg.data() == "2" && listed.len() < 2 {
                es.reopen();
            }
        }
    });
    rsx! {
        p { class: "state", "{es.ready_state()}" }
        ul {
            for msg in history.iter() {
                li { "{msg.data()}" }
            }
        }
    }
}

/// Mounts [`Rotating`] on four events: the history must list each once, in order, with
/// the one reopen on the server.
async fn every_event_once_across_a_reopen_at_event_two(reader: bool) {
    let key = unique("rotate");
    let (_app, root) = mount(
        Rotating,
        RotatingProps {
            url: server_url(&format!("/test/stream?count=4&interval=100&key={key}")),
            reader,
        },
    );
    wait_until(&root, "event 4", || {
        texts(&root, "li").last().map(String::as_str) == Some("4")
    })
    .await;
    sleep(100).await;
    assert_eq!(texts(&root, "li"), one_to(4), "every event once, in order");
    assert_eq!(
        requests_on_server(&key).await,
        2,
        "the listener reopened once"
    );
    assert_eq!(text(&root, ".state"), "open");
}

#[wasm_bindgen_test]
async fn an_open_inside_a_listener_still_delivers_that_event_to_the_hooks_after_it() {
    // The new source resumes after event 2: a hook that missed 2 on the old source
    // never gets it.
    every_event_once_across_a_reopen_at_event_two(false).await;
}

#[wasm_bindgen_test]
async fn a_history_read_while_its_writes_are_applied_loses_no_entry() {
    // A write applied while its signal is read waits for the next flush: dropped, event
    // 2's entry would be missing.
    every_event_once_across_a_reopen_at_event_two(true).await;
}

#[wasm_bindgen_test]
async fn a_reconnect_with_the_policy_leaves_no_gap_and_no_repeat() {
    for transport in TRANSPORTS {
        a_reconnect_with_the_policy_on(transport).await;
    }
}

async fn a_reconnect_with_the_policy_on(transport: Option<Transport>) {
    // The server ends the body every 4 events (the transport reconnects with
    // Last-Event-ID) and fails requests 2 and 3 with a 500 (the browser gives up; the
    // policy replaces the source, resuming after the last id); at the end its 204 stops
    // everything.
    let key = unique("policy");
    let props = HarnessProps {
        options: UseEventSourceOptions {
            transport,
            reconnect: Some(
                Reconnect::default()
                    .initial_delay(Duration::from_millis(50))
                    .max_delay(Duration::from_millis(200))
                    .jitter(Jitter::None),
            ),
            ..Default::default()
        },
        ..harness(&format!(
            "/test/stream?count=12&end_after=4&retry=30&fail_requests=2,3&key={key}"
        ))
    };
    let probe = props.probe.clone();
    let (_app, root) = mount(Harness, props);
    wait_until(&root, "closed by the server's 204", || {
        text(&root, ".state") == "closed"
    })
    .await;
    assert_eq!(texts(&root, "li"), one_to(12), "{transport:?}");
    assert_eq!(probe.calls(), one_to(12));
    assert!(
        text(&root, ".error").contains("204"),
        "the final error: {}",
        text(&root, ".error")
    );
}

#[wasm_bindgen_test]
async fn a_new_closure_takes_over_with_no_event_lost() {
    let props = HarnessProps {
        label: "a:".into(),
        // A stream that outlasts the test, however late the new closure's render comes:
        // a short one could end before it, leaving `b` never called.
        ..harness("/test/stream?count=100000&interval=10")
    };
    let probe = props.probe.clone();
    let (_app, root) = mount(Harness, props);
    wait_until(&root, "5 calls", || probe.calls().len() >= 5).await;
    click(&root, ".relabel");
    wait_until(&root, "5 calls of b", || {
        probe.calls().iter().filter(|c| c.starts_with("b:")).count() >= 5
    })
    .await;
    let calls = probe.calls();
    let ids: Vec<String> = calls.iter().map(|c| c[2..].to_owned()).collect();
    assert_eq!(
        ids,
        one_to(calls.len() as u64),
        "every event once, in order: {calls:?}"
    );
    let switch = calls
        .iter()
        .position(|c| c.starts_with("b:"))
        .expect("b was called");
    assert!(switch >= 5, "{calls:?}");
    assert!(
        calls[switch..].iter().all(|c| c.starts_with("b:")),
        "{calls:?}"
    );
}

/// A listener that throws at its first message, in a component that `.relabel` renders
/// again.
#[component]
fn Throwing(url: String, probe: Probe) -> Element {
    let es = use_event_source_with_options(url, UseEventSourceOptions::default());
    let mut label = use_signal(String::new);
    use_event_source_listener(es, "message", {
        let calls = probe.calls.clone();
        let label = label();
        move |msg: Message| {
            calls.borrow_mut().push(format!("{label}{}", msg.data()));
            if calls.borrow().len() == 1 {
                wasm_bindgen::throw_str("a bad event");
            }
        }
    });
    rsx! {
        button { class: "relabel", onclick: move |_| label.set("b:".into()), "Relabel" }
    }
}

#[wasm_bindgen_test]
async fn a_listener_that_threw_goes_on_and_its_component_renders_again() {
    // The throw skipped the release of the borrow Dioxus's `Callback::call` holds: every
    // later event panicked there, uncalled, and so did the component's next render.
    let probe = Probe::default();
    let props = ThrowingProps {
        url: server_url("/test/stream?count=100000&interval=10"),
        probe: probe.clone(),
    };
    let (_app, root) = mount(Throwing, props);
    wait_until(&root, "3 calls, the first threw", || {
        probe.calls().len() >= 3
    })
    .await;
    click(&root, ".relabel");
    wait_until(&root, "a call of the new closure", || {
        probe.calls().iter().any(|call| call.starts_with("b:"))
    })
    .await;
    let calls = probe.calls();
    let ids: Vec<String> = calls
        .iter()
        .map(|call| call.trim_start_matches("b:").to_owned())
        .collect();
    assert_eq!(
        ids,
        one_to(calls.len() as u64),
        "every event once, in order"
    );
}

#[wasm_bindgen_test]
async fn what_cannot_open_is_an_error_on_the_page_not_a_panic() {
    // A URL the browser refuses, and options the core refuses: a zero idle timeout would
    // replace every quiet connection at once; headers need the fetch transport.
    let key = unique("refused");
    let zero_idle = UseEventSourceOptions {
        reconnect: Some(Reconnect::default().idle_timeout(Some(Duration::ZERO))),
        ..Default::default()
    };
    let native_with_headers = UseEventSourceOptions {
        transport: Some(Transport::Native),
        headers: vec![("Authorization".into(), "Bearer t".into())],
        ..Default::default()
    };
    let stream = server_url(&format!("/test/stream?key={key}"));
    let cases = [
        (
            "http://[::1".to_owned(),
            UseEventSourceOptions::default(),
            "invalid event source URL",
        ),
        (stream.clone(), zero_idle, "idle_timeout"),
        (stream, native_with_headers, "header"),
    ];
    for (url, options, expected) in cases {
        let (_app, root) = mount(
            Harness,
            HarnessProps {
                url,
                options,
                ..harness("")
            },
        );
        wait_until(&root, "the error", || !text(&root, ".error").is_empty()).await;
        assert!(
            text(&root, ".error").contains(expected),
            "{expected:?} in {:?}",
            text(&root, ".error")
        );
        assert_eq!(text(&root, ".state"), "closed");
        click(&root, ".reopen"); // harmless: it fails the same way
        click(&root, ".close");
        sleep(50).await;
        assert_eq!(text(&root, ".state"), "closed");
        assert!(text(&root, ".error").contains(expected));
    }
    assert_eq!(
        requests_on_server(&key).await,
        0,
        "nothing reached the server"
    );
}

#[wasm_bindgen_test]
async fn a_new_url_clears_the_latest_message_of_the_last_stream() {
    // A room switched to, which has sent nothing yet, showed the last room's message.
    let quiet = unique("quiet");
    let props = HarnessProps {
        next_url: server_url(&format!("/test/stream?count=3&stall_after=0&tag={quiet}")),
        ..harness("/test/stream?count=3")
    };
    let probe = props.probe.clone();
    let latest = move || {
        let es = probe.handle.borrow().expect("a handle was rendered");
        let message = es.message();
        let data = message.peek().as_ref().map(|m| m.data().to_owned());
        data
    };
    let (_app, root) = mount(Harness, props);
    wait_until(&root, "the last id", || text(&root, ".last-id") == "3").await;
    assert!(latest().is_some(), "the first stream's message");
    click(&root, ".switch");
    wait_open_on_server(&quiet, 1).await;
    wait_until(&root, "open", || text(&root, ".state") == "open").await;
    assert_eq!(latest(), None, "the last stream's message");
}

/// A component whose effect reopens the source whenever it shows an error, at a URL the
/// browser refuses; the probe counts the effect's runs.
#[component]
fn Retrying(probe: Probe) -> Element {
    let es = use_event_source_with_options("http://[::1", UseEventSourceOptions::default());
    let runs = probe.renders.clone();
    use_effect(move || {
        runs.set(runs.get() + 1);
        if es.error().read().is_some() {
            es.reopen();
        }
    });
    rsx! { p { class: "state", "{es.ready_state()}" } }
}

#[wasm_bindgen_test]
async fn an_effect_that_reopens_on_a_refused_open_settles() {
    // Each reopen fails at once with the same refusal: written again, the error ran the
    // effect that reads it again, without end.
    let probe = Probe::default();
    let (_app, root) = mount(
        Retrying,
        RetryingProps {
            probe: probe.clone(),
        },
    );
    wait_until(&root, "closed", || text(&root, ".state") == "closed").await;
    sleep(500).await;
    let runs = probe.renders.get();
    assert!(runs <= 5, "the effect ran {runs} times");
}

#[wasm_bindgen_test]
async fn a_new_url_that_cannot_open_clears_the_last_event_id() {
    // The id shown is where `reopen()` resumes; once no source opened, that is nowhere.
    let props = HarnessProps {
        next_url: "http://[::1".to_owned(),
        ..harness("/test/stream?count=3")
    };
    let (_app, root) = mount(Harness, props);
    wait_until(&root, "the last id", || text(&root, ".last-id") == "3").await;
    click(&root, ".switch");
    wait_until(&root, "the error", || !text(&root, ".error").is_empty()).await;
    assert_eq!(text(&root, ".state"), "closed");
    assert_eq!(
        text(&root, ".last-id"),
        "",
        "no source opened: nothing to resume from"
    );
}

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Item {
    id: u64,
    text: String,
}

/// The text of a decoded item, or of its error.
fn item_text(item: &Result<Item, Error>) -> String {
    match item {
        Ok(item) => format!("{}:{}", item.id, item.text),
        Err(Error::Decode { event_type, .. }) => format!("decode error in {event_type}"),
        Err(other) => format!("unexpected {other}"),
    }
}

/// The JSON hooks: a listener that records each item, and a history that lists them.
#[component]
fn Items(url: String, probe: Probe) -> Element {
    let es = use_event_source_with_options(url, UseEventSourceOptions::default());
    use_event_source_json_listener(es, "item", {
        let calls = probe.calls.clone();
        move |item: Result<Item, Error>| calls.borrow_mut().push(item_text(&item))
    });
    let items = use_event_source_json_history::<Item>(es, "item", 10);
    rsx! {
        ul {
            for item in items.iter() {
                li { {item_text(&item)} }
            }
        }
    }
}

#[wasm_bindgen_test]
async fn the_json_hooks_decode_each_event_and_a_malformed_one_is_an_error_item() {
    let probe = Probe::default();
    let url = "/test/stream?count=3&format=json&malformed=2&event=item&data=hi";
    let (_app, root) = mount(
        Items,
        ItemsProps {
            url: server_url(url),
            probe: probe.clone(),
        },
    );
    let expected = ["1:hi", "decode error in item", "3:hi"];
    wait_until(&root, "3 items", || texts(&root, "li").len() == 3).await;
    assert_eq!(texts(&root, "li"), expected, "the history");
    assert_eq!(probe.calls(), expected, "the listener");
}

/// A stream behind a bearer token, which the fetch transport sends from `headers_with`.
#[component]
fn Private(url: String, token: String) -> Element {
    let headers_with =
        use_callback(move |()| vec![("Authorization".to_owned(), format!("Bearer {token}"))]);
    let es = use_event_source_with_options(
        url,
        UseEventSourceOptions {
            headers_with: Some(headers_with),
            ..Default::default()
        },
    );
    let messages = use_event_source_history(es, "message", 10);
    rsx! {
        p { class: "state", "{es.ready_state()}" }
        p { class: "error", {es.error().cloned().map(|err| err.to_string())} }
        p { class: "transport", {es.source().map(|s| format!("{:?}", s.transport()))} }
        ul {
            for msg in messages.iter() {
                li { "{msg.data()}" }
            }
        }
    }
}

#[wasm_bindgen_test]
async fn the_fetch_options_send_a_token_and_a_refusal_shows_its_status() {
    let url = server_url("/test/stream?count=3&auth=s3cret");
    let (app, root) = mount(
        Private,
        PrivateProps {
            url: url.clone(),
            token: "s3cret".into(),
        },
    );
    wait_until(&root, "3 items", || texts(&root, "li").len() == 3).await;
    assert_eq!(texts(&root, "li"), one_to(3));
    assert_eq!(text(&root, ".transport"), "Fetch");
    drop(app);

    let (_app, root) = mount(
        Private,
        PrivateProps {
            url,
            token: "wrong".into(),
        },
    );
    wait_until(&root, "the error", || !text(&root, ".error").is_empty()).await;
    assert!(
        text(&root, ".error").contains("HTTP 401"),
        "{}",
        text(&root, ".error")
    );
    wait_until(&root, "closed", || text(&root, ".state") == "closed").await;
    assert!(texts(&root, "li").is_empty());
}

/// A stream behind a bearer token whose `use_headers_with` closure throws on its first
/// call (a token not stored yet); `.render` renders the component again.
#[component]
fn TokenLater(url: String) -> Element {
    let mut calls = use_signal(|| 0);
    let mut renders = use_signal(|| 0);
    let headers_with = use_headers_with(move || {
        let call = *calls.peek() + 1;
        calls.set(call);
        if call == 1 {
            wasm_bindgen::throw_str("no token yet");
        }
        vec![("Authorization".to_owned(), "Bearer s3cret".to_owned())]
    });
    let es = use_event_source_with_options(
        url,
        UseEventSourceOptions {
            headers_with: Some(headers_with),
            reconnect: Some(Reconnect::default().initial_delay(Duration::from_millis(50))),
            ..Default::default()
        },
    );
    let messages = use_event_source_history(es, "message", 10);
    rsx! {
        button { class: "render", onclick: move |_| renders += 1, "Render" }
        p { class: "renders", "{renders}" }
        ul {
            for msg in messages.iter() {
                li { "{msg.data()}" }
            }
        }
    }
}

#[wasm_bindgen_test]
async fn a_headers_with_closure_that_threw_goes_on_and_its_component_renders_again() {
    // Thrown in a `use_callback`, the exception left Dioxus's callback borrowed: the next
    // request's call panicked, and so did the next render.
    let (_app, root) = mount(
        TokenLater,
        TokenLaterProps {
            url: server_url("/test/stream?count=3&auth=s3cret"),
        },
    );
    wait_until(&root, "3 items, after a 401", || {
        texts(&root, "li").len() == 3
    })
    .await;
    assert_eq!(texts(&root, "li"), one_to(3));
    click(&root, ".render");
    wait_until(&root, "a render", || text(&root, ".renders") == "1").await;
}

/// What `/test/echo` says of the request it received: its headers and its body.
#[derive(Debug, serde::Deserialize)]
struct Echo {
    headers: std::collections::HashMap<String, String>,
    #[serde(default)]
    body: String,
}

/// The `Authorization` header an echo says its request carried.
fn authorization(message: &Message) -> String {
    let echo: Echo = message.json().expect("the echo's JSON");
    echo.headers["authorization"].clone()
}

/// A change of options at the same URL, from step 0 to step 1.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Change {
    /// A new token in fixed `headers`.
    Token,
    /// A new body for a POST.
    Body,
    /// A token with a line break, a header the browser refuses.
    Refused,
    /// A new token for a POST whose body ends after the echo.
    PostToken,
    /// The same two headers in the other order.
    Reordered,
}

impl Change {
    fn options(self, step: usize) -> UseEventSourceOptions {
        match self {
            Change::Token | Change::Refused => UseEventSourceOptions {
                headers: vec![(
                    "Authorization".to_owned(),
                    format!(
                        "Bearer {}",
                        if self == Change::Token {
                            ["a", "b"][step]
                        } else {
                            ["a", "b\nc"][step]
                        }
                    ),
                )],
                ..Default::default()
            },
            Change::Body => UseEventSourceOptions {
                method: Some("POST".to_owned()),
                body: Some(["first", "second"][step].to_owned()),
                ..Default::default()
            },
            Change::PostToken => UseEventSourceOptions {
                method: Some("POST".to_owned()),
                headers: vec![(
                    "Authorization".to_owned(),
                    format!("Bearer {}", ["a", "b"][step]),
                )],
                body: Some("prompt".to_owned()),
                ..Default::default()
            },
            Change::Reordered => {
                // Two headers the test server allows (CORS).
                let mut headers = vec![
                    ("Authorization".to_owned(), "Bearer a".to_owned()),
                    ("Accept".to_owned(), "text/event-stream".to_owned()),
                ];
                headers.rotate_left(step);
                UseEventSourceOptions {
                    headers,
                    ..Default::default()
                }
            }
        }
    }

    /// What an echo says of the request the change is about (its `Authorization` header,
    /// or its body), and the id it resumed after (`Last-Event-ID`).
    fn described(self, message: &Message) -> String {
        let echo: Echo = message.json().expect("the echo's JSON");
        let resumed = echo
            .headers
            .get("last-event-id")
            .map_or("none", String::as_str);
        let what = match self {
            Change::Token | Change::Refused | Change::PostToken | Change::Reordered => {
                &echo.headers["authorization"]
            }
            Change::Body => &echo.body,
        };
        format!("{what} after {resumed}")
    }
}

/// A component whose options make `change` when `.next` is clicked, and which lists each
/// echo as the change describes it.
#[component]
fn Stepped(url: String, change: Change) -> Element {
    let mut step = use_signal(|| 0);
    let es = use_event_source_with_options(url, change.options(step()));
    let history = use_event_source_history(es, "message", 10);
    rsx! {
        button { class: "next", onclick: move |_| step.set(1), "Next" }
        button { class: "reopen", onclick: move |_| es.reopen(), "Reopen" }
        p { class: "state", "{es.ready_state()}" }
        p { class: "last-id", "{es.last_event_id()}" }
        ul {
            for msg in history.iter() {
                li { "{change.described(&msg)}" }
            }
        }
    }
}

/// Mounts a [`Stepped`] component on `/test/echo`, and returns its two echoes, one before
/// and one after the change, and how many requests the server got.
async fn echoes_across(change: Change) -> (Vec<String>, u64) {
    let key = unique("change");
    let (_app, root) = mount(
        Stepped,
        SteppedProps {
            url: server_url(&format!("/test/echo?key={key}&hold=1")),
            change,
        },
    );
    wait_until(&root, "the first echo", || texts(&root, "li").len() == 1).await;
    click(&root, ".next");
    wait_until(&root, "the second echo", || texts(&root, "li").len() == 2).await;
    assert_eq!(text(&root, ".state"), "open");
    (texts(&root, "li"), requests_on_server(&key).await)
}

#[wasm_bindgen_test]
async fn new_options_at_the_same_url_reopen_resuming_after_the_last_event_id() {
    // A new token in `headers` is the same stream: the new request resumes, and the
    // history, which carries over, holds no event twice.
    let (echoes, requests) = echoes_across(Change::Token).await;
    assert_eq!(echoes, ["Bearer a after none", "Bearer b after 1"]);
    assert_eq!(requests, 2);
}

#[wasm_bindgen_test]
async fn the_same_headers_in_another_order_do_not_reopen() {
    // Collected from a `HashMap`, a header list comes in a new order on each render; HTTP
    // gives the order of different names no meaning. Compared as given, each such render
    // reopened the source, and the reopen rendered again.
    let key = unique("reordered");
    let (_app, root) = mount(
        Stepped,
        SteppedProps {
            url: server_url(&format!("/test/echo?key={key}&hold=1")),
            change: Change::Reordered,
        },
    );
    wait_until(&root, "the first echo", || texts(&root, "li").len() == 1).await;
    click(&root, ".next");
    sleep(300).await;
    assert_eq!(
        requests_on_server(&key).await,
        1,
        "no reopen for another order"
    );
    assert_eq!(texts(&root, "li"), ["Bearer a after none"]);
    assert_eq!(text(&root, ".state"), "open");
}

#[wasm_bindgen_test]
async fn refused_options_at_the_same_url_keep_the_last_event_id() {
    // The id shown is where the next open resumes: after refused options at the same URL,
    // still the last one seen (a new URL that cannot open clears it: see above).
    let (_app, root) = mount(
        Stepped,
        SteppedProps {
            url: server_url(&format!("/test/echo?key={}&hold=1", unique("refused"))),
            change: Change::Refused,
        },
    );
    wait_until(&root, "the first echo's id", || {
        text(&root, ".last-id") == "1"
    })
    .await;
    click(&root, ".next");
    wait_until(&root, "the refusal", || text(&root, ".state") == "closed").await;
    sleep(50).await;
    assert_eq!(text(&root, ".last-id"), "1", "kept for the next open");
}

#[wasm_bindgen_test]
async fn a_new_body_at_the_same_url_is_a_new_request_that_does_not_resume() {
    // A new prompt asks for another stream: its request must not resume after the first
    // answer's last event id, which a server whose ids restart with each answer would take
    // as "skip that many events".
    let (echoes, requests) = echoes_across(Change::Body).await;
    assert_eq!(echoes, ["first after none", "second after none"]);
    assert_eq!(requests, 2);
}

#[wasm_bindgen_test]
async fn new_options_do_not_send_an_ended_post_again_until_reopen() {
    // A chat's answer has ended; a new token then renders (a refresh, say). Sending the
    // prompt again would ask the question twice: only `reopen` does, with the new token.
    let key = unique("ended-post");
    let (_app, root) = mount(
        Stepped,
        SteppedProps {
            url: server_url(&format!("/test/echo?key={key}")),
            change: Change::PostToken,
        },
    );
    wait_until(&root, "closed at the end of the body", || {
        text(&root, ".state") == "closed"
    })
    .await;
    click(&root, ".next");
    sleep(300).await;
    assert_eq!(requests_on_server(&key).await, 1, "not sent again");
    assert_eq!(text(&root, ".state"), "closed");
    click(&root, ".reopen");
    wait_until(&root, "the second echo", || texts(&root, "li").len() == 2).await;
    assert_eq!(
        texts(&root, "li"),
        ["Bearer a after none", "Bearer b after 1"]
    );
}

/// A component that makes its `headers_with` callback anew in every render, as code
/// written inline does, sending the token of that render; `.next` moves the token on.
#[component]
fn Token(url: String) -> Element {
    let mut token = use_signal(|| 'a');
    let sent = token();
    let es = use_event_source_with_options(
        url,
        UseEventSourceOptions {
            headers_with: Some(Callback::new(move |()| {
                vec![("Authorization".to_owned(), format!("Bearer {sent}"))]
            })),
            ..Default::default()
        },
    );
    let history = use_event_source_history(es, "message", 10);
    rsx! {
        button { class: "next", onclick: move |_| token.set(if token() == 'a' { 'b' } else { 'c' }), "Next" }
        button { class: "reopen", onclick: move |_| es.reopen(), "Reopen" }
        p { class: "state", "{es.ready_state()}" }
        p { class: "token", "{sent}" }
        ul {
            for msg in history.iter() {
                li { "{authorization(&msg)}" }
            }
        }
    }
}

#[wasm_bindgen_test]
async fn a_new_headers_with_callback_each_render_is_used_without_reopening() {
    // A callback compares by pointer: were a new one a change of options, every render
    // would reopen the source.
    let key = unique("headers-with");
    let (_app, root) = mount(
        Token,
        TokenProps {
            url: server_url(&format!("/test/echo?key={key}&hold=1")),
        },
    );
    wait_until(&root, "the first echo", || texts(&root, "li").len() == 1).await;
    click(&root, ".next");
    wait_until(&root, "a render with token b", || {
        text(&root, ".token") == "b"
    })
    .await;
    click(&root, ".next");
    wait_until(&root, "a render with token c", || {
        text(&root, ".token") == "c"
    })
    .await;
    sleep(300).await;
    assert_eq!(requests_on_server(&key).await, 1, "no reopen on a render");
    assert_eq!(text(&root, ".state"), "open");

    // The next request asks the latest render's callback.
    click(&root, ".reopen");
    wait_until(&root, "the second echo", || texts(&root, "li").len() == 2).await;
    assert_eq!(texts(&root, "li"), ["Bearer a", "Bearer c"]);
    assert_eq!(requests_on_server(&key).await, 2);
}
