#![cfg(target_arch = "wasm32")]
//! The hooks in headless Chromium against sse-server: components mounted into the page,
//! their DOM checked as a user would see it. `scripts/test` starts the server and passes
//! its URL at compile time as `SSE_SERVER_URL`.

#[macro_use]
mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use common::{
    click, mount, one_to, open_on_server, requests_on_server, server_url, sleep, text, texts,
    unique, wait_open_on_server, wait_until,
};
use wasm_bindgen_test::*;
use web_eventsource::{Error, ErrorKind, Jitter, Message, Reconnect, Sharing, Transport};
use web_eventsource_testing::on_each_transport;
use web_eventsource_yew::{
    use_event_source, use_event_source_history, use_event_source_json_listener,
    use_event_source_listener, use_event_source_with_options, UseEventSourceError,
    UseEventSourceHandle, UseEventSourceOptions,
};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

/// What a test watches from outside a component: every call of its callback, its
/// renders (and its list's), and the handle it last rendered with.
#[derive(Clone, Default)]
struct Probe {
    calls: Rc<RefCell<Vec<String>>>,
    renders: Rc<Cell<u32>>,
    list_renders: Rc<Cell<u32>>,
    handle: Rc<RefCell<Option<UseEventSourceHandle>>>,
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

#[derive(Properties, PartialEq)]
struct FeedProps {
    url: AttrValue,
    #[prop_or_default]
    options: UseEventSourceOptions,
    #[prop_or(1000)]
    capacity: usize,
    #[prop_or_default]
    probe: Probe,
    /// Written into what the listener records, to tell one callback from the next.
    #[prop_or_default]
    label: AttrValue,
}

/// The MDN list: the state, the last error and id, Close and Reopen, and the messages
/// rendered by a child that gets the handle as a prop. A listener records each message
/// in the probe as `label` + data.
#[component]
fn Feed(props: &FeedProps) -> Html {
    let es = use_event_source_with_options(&props.url, props.options.clone());
    props.probe.renders.set(props.probe.renders.get() + 1);
    props.probe.handle.replace(Some(es.clone()));
    use_event_source_listener(&es, "message", {
        let calls = props.probe.calls.clone();
        let label = props.label.clone();
        Callback::from(move |msg: Message| {
            calls.borrow_mut().push(format!("{label}{}", msg.data()))
        })
    });
    let close = {
        let es = es.clone();
        Callback::from(move |_| es.close())
    };
    let reopen = {
        let es = es.clone();
        Callback::from(move |_| es.reopen())
    };
    html! {
        <>
            <p class="state">{ es.ready_state().to_string() }</p>
            <p class="error">{ es.error().map(ToString::to_string).unwrap_or_default() }</p>
            <button class="close" onclick={close}>{ "Close" }</button>
            <button class="reopen" onclick={reopen}>{ "Reopen" }</button>
            <List es={es.clone()} capacity={props.capacity} probe={props.probe.clone()} />
            <Badge es={es.clone()} />
        </>
    }
}

#[derive(Properties, PartialEq)]
struct BadgeProps {
    es: UseEventSourceHandle,
}

/// A child that has only the handle: it re-renders only when the handle compares unequal.
#[component]
fn Badge(props: &BadgeProps) -> Html {
    html! { <p class="badge">{ props.es.ready_state().to_string() }</p> }
}

#[derive(Properties, PartialEq)]
struct ListProps {
    es: UseEventSourceHandle,
    capacity: usize,
    probe: Probe,
}

/// A child's effects run before its parent's, so this history subscribes before the
/// parent opens the source: what it shows proves the hub loses nothing in between.
#[component]
fn List(props: &ListProps) -> Html {
    let history = use_event_source_history(&props.es, "message", props.capacity);
    props
        .probe
        .list_renders
        .set(props.probe.list_renders.get() + 1);
    html! {
        <>
            <p class="received">{ history.received() }</p>
            <p class="last-id">{ props.es.last_event_id() }</p>
            <ul>{ for history.iter().map(|msg| html! { <li>{ msg.data() }</li> }) }</ul>
        </>
    }
}

fn feed(path: &str) -> FeedProps {
    FeedProps {
        url: server_url(path).into(),
        options: UseEventSourceOptions::default(),
        capacity: 1000,
        probe: Probe::default(),
        label: AttrValue::default(),
    }
}

/// [`feed`] on `transport`, asked for explicitly.
fn feed_on(transport: Transport, path: &str) -> FeedProps {
    FeedProps {
        options: UseEventSourceOptions {
            transport: Some(transport),
            ..Default::default()
        },
        ..feed(path)
    }
}

impl Probe {
    /// The handle's error as of its last render.
    fn error(&self) -> Option<UseEventSourceError> {
        self.handle
            .borrow()
            .as_ref()
            .and_then(|es| es.error().cloned())
    }
}

on_each_transport! {
    async fn a_mounted_list_shows_every_event_in_order_and_the_state(transport) {
        let props = feed_on(transport, "/test/stream?count=5");
        let probe = props.probe.clone();
        let (_app, root) = mount::<Feed>(props);
        wait_until(&root, "5 items", || texts(&root, "li").len() == 5).await;
        assert_eq!(texts(&root, "li"), one_to(5));
        assert_eq!(text(&root, ".state"), "open");
        // A child given the handle re-renders; Yew may render it in a later slice of
        // its scheduler than the parent, so it is waited for (it never came before the
        // fix of the handle's comparison).
        wait_until(&root, "the child's badge open", || text(&root, ".badge") == "open").await;
        assert_eq!(text(&root, ".last-id"), "5");
        assert_eq!(text(&root, ".error"), "");
        let source = probe.handle.borrow().as_ref().and_then(|es| es.source());
        assert_eq!(source.map(|es| es.transport()), Some(transport));
    }
}

on_each_transport! {
    async fn a_burst_in_one_chunk_yields_every_callback_and_every_entry(transport) {
        let props = FeedProps {
            capacity: 100,
            ..feed_on(transport, "/test/stream?count=100&batch=100")
        };
        let probe = props.probe.clone();
        let (_app, root) = mount::<Feed>(props);
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
        assert_eq!(text(&root, ".received"), "100");
        // The first render, `open`, and one for the whole burst (two if the network split
        // it): not one per event.
        let renders = probe.list_renders.get();
        assert!(
            renders <= 4,
            "the list rendered {renders} times for one burst"
        );
        sleep(200).await;
        assert_eq!(probe.calls().len(), 100, "no event delivered twice");
    }
}

#[wasm_bindgen_test]
async fn the_history_keeps_the_last_n() {
    let props = FeedProps {
        capacity: 3,
        ..feed("/test/stream?count=10&batch=10")
    };
    let (_app, root) = mount::<Feed>(props);
    wait_until(&root, "10 received", || text(&root, ".received") == "10").await;
    assert_eq!(texts(&root, "li"), ["8", "9", "10"]);
}

/// Only state changes render: not the 30 messages, which arrive one network chunk each.
#[derive(Properties, PartialEq)]
struct QuietProps {
    url: AttrValue,
    probe: Probe,
}

#[component]
fn Quiet(props: &QuietProps) -> Html {
    let es = use_event_source_with_options(&props.url, UseEventSourceOptions::default());
    props.probe.renders.set(props.probe.renders.get() + 1);
    use_event_source_listener(&es, "message", {
        let calls = props.probe.calls.clone();
        Callback::from(move |msg: Message| calls.borrow_mut().push(msg.data().to_owned()))
    });
    html! { <p class="state">{ es.ready_state().to_string() }</p> }
}

#[wasm_bindgen_test]
async fn the_component_renders_on_state_changes_not_on_every_message() {
    let probe = Probe::default();
    let (_app, root) = mount::<Quiet>(QuietProps {
        url: server_url("/test/stream?count=30&interval=20").into(),
        probe: probe.clone(),
    });
    wait_until(&root, "30 messages", || probe.calls().len() == 30).await;
    sleep(100).await;
    assert_eq!(probe.calls(), one_to(30));
    assert_eq!(text(&root, ".state"), "open");
    // The first render (connecting) and the one for `open`.
    assert_eq!(probe.renders.get(), 2, "renders");
}

/// A source, and a child listening to it while `listening`, whose listener throws at the
/// first message.
#[derive(Properties, PartialEq)]
struct ThrowingProps {
    url: AttrValue,
    listening: bool,
    probe: Probe,
}

#[component]
fn Throwing(props: &ThrowingProps) -> Html {
    let es = use_event_source(&props.url);
    html! {
        if props.listening {
            <ThrowingListener es={es.clone()} probe={props.probe.clone()} />
        }
    }
}

#[derive(Properties, PartialEq)]
struct ThrowingListenerProps {
    es: UseEventSourceHandle,
    probe: Probe,
}

#[component]
fn ThrowingListener(props: &ThrowingListenerProps) -> Html {
    use_event_source_listener(&props.es, "message", {
        let calls = props.probe.calls.clone();
        Callback::from(move |msg: Message| {
            calls.borrow_mut().push(msg.data().to_owned());
            if calls.borrow().len() == 1 {
                wasm_bindgen::throw_str("a bad event");
            }
        })
    });
    html! {}
}

#[wasm_bindgen_test]
async fn a_listener_hook_that_threw_stops_when_its_component_goes() {
    // The throw skipped the frame that held the hook listener for the call, whose count
    // then stayed one too high: after its component unmounted, the hook listener stayed
    // attached to the source, and its callback went on being called.
    let probe = Probe::default();
    let props = |listening| ThrowingProps {
        url: server_url("/test/stream?count=1000&interval=30").into(),
        listening,
        probe: probe.clone(),
    };
    let (mut app, root) = mount::<Throwing>(props(true));
    wait_until(&root, "3 calls, the first threw", || {
        probe.calls().len() >= 3
    })
    .await;
    app.update(props(false));
    sleep(100).await;
    let calls = probe.calls().len();
    sleep(300).await;
    assert_eq!(
        probe.calls().len(),
        calls,
        "no call after the listener's component went"
    );
}

#[wasm_bindgen_test]
async fn a_new_url_closes_the_old_source_and_opens_the_new_one() {
    let (first, second) = (unique("url-a"), unique("url-b"));
    let props = |tag: &str, data: &str, count: u32| {
        feed(&format!(
            "/test/stream?count={count}&data={data}{{id}}&tag={tag}"
        ))
    };
    let (mut app, root) = mount::<Feed>(props(&first, "a", 3));
    wait_until(&root, "a's 3 items", || texts(&root, "li").len() == 3).await;
    wait_open_on_server(&first, 1).await;

    app.update(props(&second, "b", 2));
    wait_until(&root, "b's 2 items", || texts(&root, "li").len() == 5).await;
    assert_eq!(
        texts(&root, "li"),
        ["a1", "a2", "a3", "b1", "b2"],
        "the history carries over"
    );
    wait_open_on_server(&first, 0).await;
    wait_open_on_server(&second, 1).await;
    assert_eq!(text(&root, ".state"), "open");
    assert_eq!(text(&root, ".last-id"), "2");
}

on_each_transport! {
    async fn unmounting_closes_the_connection_on_the_server(transport) {
        let tag = unique("unmount");
        let props = feed_on(transport, &format!("/test/stream?count=2&tag={tag}"));
        let probe = props.probe.clone();
        let (app, root) = mount::<Feed>(props);
        wait_until(&root, "2 items", || texts(&root, "li").len() == 2).await;
        wait_open_on_server(&tag, 1).await;
        app.destroy();
        // A clone of the handle that outlives the component (held here, as an app might keep
        // one in a context or a callback) must not keep the connection open.
        let kept = probe
            .handle
            .borrow()
            .clone()
            .expect("a handle was rendered");
        wait_open_on_server(&tag, 0).await;
        assert!(texts(&root, "li").is_empty(), "the DOM is gone");
        assert_eq!(kept.source(), None, "the hook let go of its source");
        kept.reopen(); // does nothing once unmounted
        sleep(200).await;
        assert_eq!(common::open_on_server(&tag).await, 0);
    }
}

on_each_transport! {
    async fn close_then_reopen_resumes_with_no_gap_and_no_repeat(transport) {
        let tag = unique("reopen");
        // The first response stops after 7 events with its body open: a close that
        // comes late still leaves events for the reopened source (which would otherwise
        // resume at the end and be answered 204).
        let props = feed_on(
            transport,
            &format!("/test/stream?count=10&interval=100&stall_after=7&tag={tag}"),
        );
        let probe = props.probe.clone();
        let (_app, root) = mount::<Feed>(props);
        wait_until(&root, "3 items", || texts(&root, "li").len() >= 3).await;
        click(&root, ".close");
        wait_until(&root, "closed", || text(&root, ".state") == "closed").await;
        wait_open_on_server(&tag, 0).await;
        let at_close = texts(&root, "li").len();
        sleep(350).await;
        assert_eq!(texts(&root, "li").len(), at_close, "nothing after close");

        click(&root, ".reopen");
        wait_until(&root, "10 items", || texts(&root, "li").len() == 10).await;
        assert_eq!(texts(&root, "li"), one_to(10));
        assert_eq!(probe.calls(), one_to(10));
        assert_eq!(text(&root, ".state"), "open");
        wait_open_on_server(&tag, 1).await;
    }
}

on_each_transport! {
    async fn a_reconnecting_error_is_cleared_once_open_again_and_by_close(transport) {
        // Each response sends one event and falls silent: the policy's idle timeout is a
        // "will reconnect" error, and its replacement opens again, which ends that error.
        // The next one is ended by Close. (Both stayed next to `Open` and `Closed` before.)
        let mut props = feed_on(transport, "/test/stream?count=100&stall_after=1&keepalive=0");
        props.options.reconnect = Some(
            Reconnect::default()
                .initial_delay(Duration::from_millis(50))
                .jitter(Jitter::None)
                .idle_timeout(Some(Duration::from_millis(600))),
        );
        let (_app, root) = mount::<Feed>(props);
        wait_until(&root, "the reconnecting error", || !text(&root, ".error").is_empty()).await;
        wait_until(&root, "open again", || text(&root, ".state") == "open").await;
        assert_eq!(text(&root, ".error"), "", "open again: the error is over");
        wait_until(&root, "the next error", || !text(&root, ".error").is_empty()).await;
        click(&root, ".close");
        wait_until(&root, "closed", || text(&root, ".state") == "closed").await;
        assert_eq!(text(&root, ".error"), "", "closed: the error is over");
        wait_until(&root, "the child's badge closed", || text(&root, ".badge") == "closed").await;
    }
}

#[wasm_bindgen_test]
async fn an_empty_url_opens_nothing_and_shows_closed() {
    // A URL not known yet: resolved, "" would be the page itself, an HTML page asked for
    // as an event stream, which failed ("connection failed") at once.
    let props = FeedProps {
        url: AttrValue::default(),
        ..feed("/unused")
    };
    let probe = props.probe.clone();
    let (_app, root) = mount::<Feed>(props);
    wait_until(&root, "closed", || text(&root, ".state") == "closed").await;
    sleep(300).await;
    assert_eq!(text(&root, ".error"), "", "nothing opened, nothing failed");
    let source = probe.handle.borrow().as_ref().and_then(|es| es.source());
    assert!(source.is_none(), "no source");
}

#[derive(Properties, PartialEq)]
struct CloserProps {
    es: UseEventSourceHandle,
}

/// A child that closes the handle it is given as it mounts: a child's effects run before
/// its parent's, so before the hook's own.
#[component]
fn Closer(props: &CloserProps) -> Html {
    use_effect_with((), {
        let es = props.es.clone();
        move |_| es.close()
    });
    html! {}
}

#[derive(Properties, PartialEq)]
struct ClosedAtMountProps {
    url: AttrValue,
}

#[component]
fn ClosedAtMount(props: &ClosedAtMountProps) -> Html {
    let es = use_event_source(&props.url);
    let reopen = {
        let es = es.clone();
        Callback::from(move |_| es.reopen())
    };
    html! {
        <>
            <p class="state">{ es.ready_state().to_string() }</p>
            <button class="reopen" onclick={reopen}>{ "Reopen" }</button>
            <Closer es={es.clone()} />
        </>
    }
}

/// A child that reopens the handle it is given as it mounts: after [`Closer`], before the
/// parent's effect.
#[component]
fn Reopener(props: &CloserProps) -> Html {
    use_effect_with((), {
        let es = props.es.clone();
        move |_| es.reopen()
    });
    html! {}
}

#[component]
fn ClosedThenReopened(props: &ClosedAtMountProps) -> Html {
    let es = use_event_source(&props.url);
    html! {
        <>
            <p class="state">{ es.ready_state().to_string() }</p>
            <Closer es={es.clone()} />
            <Reopener es={es.clone()} />
        </>
    }
}

#[wasm_bindgen_test]
async fn a_reopen_after_a_close_before_the_first_effect_opens() {
    // The reopen found no stream to open yet, and left the close standing: the stream
    // never opened.
    let key = unique("child-reopen");
    let (_app, root) = mount::<ClosedThenReopened>(ClosedAtMountProps {
        url: server_url(&format!("/test/echo?key={key}&hold=1")).into(),
    });
    wait_until(&root, "open", || text(&root, ".state") == "open").await;
    assert_eq!(requests_on_server(&key).await, 1);
}

#[wasm_bindgen_test]
async fn a_close_from_a_childs_mount_effect_holds() {
    // The child's `close()` came before the hook's first effect, with no source to close:
    // it was lost, and the stream opened. `reopen()` opens it.
    let key = unique("child-close");
    let (_app, root) = mount::<ClosedAtMount>(ClosedAtMountProps {
        url: server_url(&format!("/test/echo?key={key}&hold=1")).into(),
    });
    wait_until(&root, "closed", || text(&root, ".state") == "closed").await;
    sleep(300).await;
    assert_eq!(requests_on_server(&key).await, 0, "nothing opened");
    assert_eq!(text(&root, ".state"), "closed");
    click(&root, ".reopen");
    wait_until(&root, "open", || text(&root, ".state") == "open").await;
    assert_eq!(requests_on_server(&key).await, 1);
}

#[wasm_bindgen_test]
async fn an_empty_url_between_two_of_the_same_resumes_the_stream() {
    // A URL made from the app's state (a user who signs out and in again) is empty for a
    // while, then the same: the new source resumes after the last event id, as the
    // Leptos hook's does, so the history, which carries over, holds no event twice.
    // Another URL after the empty one starts afresh.
    let key = unique("emptyurl");
    let at = |path: &str| feed_on(Transport::Fetch, path);
    let stream = || at(&format!("/test/echo?key={key}&hold=1"));
    let (mut app, root) = mount::<Feed>(stream());
    wait_until(&root, "the first echo", || texts(&root, "li").len() == 1).await;
    let empty = || FeedProps {
        url: AttrValue::default(),
        ..at("/unused")
    };
    app.update(empty());
    wait_until(&root, "closed", || text(&root, ".state") == "closed").await;
    assert_eq!(text(&root, ".last-id"), "1", "the resume point is shown");
    app.update(stream());
    wait_until(&root, "the second echo", || texts(&root, "li").len() == 2).await;
    assert_eq!(resumed_after(&echoes(&root)[1]), Some("1"));
    // Empty, then another URL: afresh.
    app.update(empty());
    wait_until(&root, "closed again", || text(&root, ".state") == "closed").await;
    let other = unique("emptyurl-other");
    app.update(at(&format!("/test/echo?key={other}&hold=1")));
    wait_until(&root, "the third echo", || texts(&root, "li").len() == 3).await;
    assert_eq!(resumed_after(&echoes(&root)[2]), None);
}

/// Two [`Feed`]s on one URL with the same options, side by side in one app.
#[derive(Properties, PartialEq)]
struct TwinsProps {
    url: AttrValue,
    options: UseEventSourceOptions,
    probes: [Probe; 2],
}

#[component]
fn Twins(props: &TwinsProps) -> Html {
    let feed = |class: &'static str, probe: &Probe| {
        html! {
            <div class={class}>
                <Feed url={props.url.clone()} options={props.options.clone()} probe={probe.clone()} />
            </div>
        }
    };
    html! { <>{ feed("first", &props.probes[0]) }{ feed("second", &props.probes[1]) }</> }
}

impl Probe {
    /// The role of the source the handle last rendered with holds now.
    fn sharing(&self) -> Option<Sharing> {
        self.handle
            .borrow()
            .as_ref()
            .and_then(|es| es.source())
            .map(|es| es.sharing())
    }
}

on_each_transport! {
    /// Two hooks in one page share as two tabs do (Web Locks and BroadcastChannel work
    /// between the sources of one page as between tabs): with `share_across_tabs` both
    /// get every event over one stream; without it, each opens its own.
    async fn two_hooks_share_one_stream_only_with_share_across_tabs(transport) {
        for (share, streams) in [(true, 1), (false, 2)] {
            let tag = unique("share");
            let probes = [Probe::default(), Probe::default()];
            let (app, root) = mount::<Twins>(TwinsProps {
                url: server_url(&format!("/test/stream?count=20&interval=50&tag={tag}")).into(),
                options: UseEventSourceOptions {
                    transport: Some(transport),
                    share_across_tabs: share.into(),
                    ..Default::default()
                },
                probes: probes.clone(),
            });
            let both = |n: usize| {
                texts(&root, ".first li").len() >= n && texts(&root, ".second li").len() >= n
            };
            wait_until(&root, "both hooks' first events", || both(3)).await;
            assert_eq!(
                open_on_server(&tag).await,
                streams,
                "streams open for two hooks with share_across_tabs: {share}"
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
                assert_eq!(texts(&root, &format!("{feed} li")), one_to(20), "{feed} {share}");
                assert_eq!(probe.calls(), one_to(20), "{feed} {share}");
            }
            app.destroy();
            wait_open_on_server(&tag, 0).await;
        }
    }
}

/// A listener that reopens the source when event `2` arrives, then a history: both in
/// one component, so the history subscribes after the listener and is the later of the
/// two subscribers when event `2` is dispatched.
#[derive(Properties, PartialEq)]
struct RotatingProps {
    url: AttrValue,
}

#[component]
fn Rotating(props: &RotatingProps) -> Html {
    let es = use_event_source_with_options(&props.url, UseEventSourceOptions::default());
    use_event_source_listener(&es, "message", {
        let es = es.clone();
        Callback::from(move |msg: Message| {
            if msg.data() == "2" {
                es.reopen();
            }
        })
    });
    let history = use_event_source_history(&es, "message", 100);
    html! {
        <>
            <p class="state">{ es.ready_state().to_string() }</p>
            <ul>{ for history.iter().map(|msg| html! { <li>{ msg.data() }</li> }) }</ul>
        </>
    }
}

#[wasm_bindgen_test]
async fn a_reopen_inside_a_listener_still_delivers_that_event_to_the_hooks_after_it() {
    // The new source resumes after event 2: a hook that missed 2 on the old source
    // never gets it.
    let key = unique("rotate");
    let (_app, root) = mount::<Rotating>(RotatingProps {
        url: server_url(&format!("/test/stream?count=4&interval=100&key={key}")).into(),
    });
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

on_each_transport! {
    async fn a_reconnect_with_the_policy_leaves_no_gap_and_no_repeat(transport) {
        // The server ends the body every 4 events (the transport reconnects with
        // Last-Event-ID) and fails requests 2 and 3 with a 500 (the transport gives up; the
        // policy replaces the source with ?lastEventId=); at the end its 204 stops everything.
        let key = unique("policy");
        let props = FeedProps {
            options: UseEventSourceOptions {
                transport: Some(transport),
                reconnect: Some(
                    Reconnect::default()
                        .initial_delay(Duration::from_millis(50))
                        .max_delay(Duration::from_millis(200))
                        .jitter(Jitter::None),
                ),
                ..Default::default()
            },
            ..feed(&format!(
                "/test/stream?count=12&end_after=4&retry=30&fail_requests=2,3&key={key}"
            ))
        };
        let probe = props.probe.clone();
        let (_app, root) = mount::<Feed>(props);
        wait_until(&root, "closed by the server's 204", || {
            text(&root, ".state") == "closed"
        })
        .await;
        assert_eq!(texts(&root, "li"), one_to(12));
        assert_eq!(probe.calls(), one_to(12));
        assert!(
            text(&root, ".error").contains("204"),
            "the final error: {}",
            text(&root, ".error")
        );
    }
}

#[wasm_bindgen_test]
async fn a_new_callback_takes_over_with_no_event_lost() {
    // A stream that outlasts the test, however late the new callback's render comes: a
    // short one could end before it, leaving `b` never called.
    let path = "/test/stream?count=100000&interval=10";
    let props = FeedProps {
        label: "a:".into(),
        ..feed(path)
    };
    let probe = props.probe.clone();
    let (mut app, root) = mount::<Feed>(props);
    wait_until(&root, "5 calls", || probe.calls().len() >= 5).await;
    app.update(FeedProps {
        label: "b:".into(),
        probe: probe.clone(),
        ..feed(path)
    });
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

#[wasm_bindgen_test]
async fn what_cannot_open_is_an_error_on_the_page_not_a_panic() {
    // A URL the browser refuses, and options the core refuses: a zero idle timeout
    // would replace every quiet connection at once; a header cannot be sent by the
    // browser's own EventSource, nor a body with a GET.
    let key = unique("refused");
    let refused = server_url(&format!("/test/stream?key={key}"));
    let zero_idle = UseEventSourceOptions {
        reconnect: Some(Reconnect::default().idle_timeout(Some(Duration::ZERO))),
        ..Default::default()
    };
    let header_on_native = UseEventSourceOptions {
        transport: Some(Transport::Native),
        headers: vec![("Authorization".into(), "Bearer t".into())],
        ..Default::default()
    };
    let body_on_get = UseEventSourceOptions {
        body: Some("q=rust".into()),
        ..Default::default()
    };
    let cases = [
        (
            "http://[::1".to_owned(),
            UseEventSourceOptions::default(),
            "invalid event source URL",
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
        let (_app, root) = mount::<Feed>(FeedProps {
            url: url.into(),
            options,
            ..feed("")
        });
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

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Item {
    id: u64,
    text: String,
}

#[derive(Properties, PartialEq)]
struct ItemsProps {
    url: AttrValue,
    probe: Probe,
}

#[component]
fn Items(props: &ItemsProps) -> Html {
    let es = use_event_source_with_options(&props.url, UseEventSourceOptions::default());
    use_event_source_json_listener(&es, "item", {
        let calls = props.probe.calls.clone();
        Callback::from(move |item: Result<Item, Error>| {
            calls.borrow_mut().push(match item {
                Ok(item) => format!("{}:{}", item.id, item.text),
                Err(Error::Decode { event_type, .. }) => format!("decode error in {event_type}"),
                Err(other) => format!("unexpected {other}"),
            })
        })
    });
    html! {}
}

#[wasm_bindgen_test]
async fn the_json_listener_decodes_each_event_and_survives_a_malformed_one() {
    let probe = Probe::default();
    let url = "/test/stream?count=3&format=json&malformed=2&event=item&data=hi";
    let (_app, root) = mount::<Items>(ItemsProps {
        url: server_url(url).into(),
        probe: probe.clone(),
    });
    wait_until(&root, "3 items", || probe.calls().len() == 3).await;
    assert_eq!(probe.calls(), ["1:hi", "decode error in item", "3:hi"]);
}

/// What `/test/echo` says of the request it received.
#[derive(Debug, serde::Deserialize)]
struct Echo {
    method: String,
    headers: std::collections::HashMap<String, String>,
    body: String,
    request: u64,
}

/// The echoes a [`Feed`] lists.
fn echoes(root: &web_sys::Element) -> Vec<Echo> {
    texts(root, "li")
        .iter()
        .map(|data| serde_json::from_str(data).expect("the echo's JSON"))
        .collect()
}

/// The `Authorization` header of each echoed request.
fn authorizations(echoes: &[Echo]) -> Vec<&str> {
    echoes
        .iter()
        .map(|echo| echo.headers["authorization"].as_str())
        .collect()
}

/// The `Last-Event-ID` header of an echoed request, if it had one.
fn resumed_after(echo: &Echo) -> Option<&str> {
    echo.headers.get("last-event-id").map(String::as_str)
}

fn bearer(token: &str) -> Vec<(String, String)> {
    vec![("Authorization".into(), format!("Bearer {token}"))]
}

#[wasm_bindgen_test]
async fn headers_choose_fetch_and_reach_the_server() {
    // `hold=1`: the body stays open after the echo, so nothing reconnects.
    let props = FeedProps {
        options: UseEventSourceOptions {
            headers: bearer("fixed"),
            ..Default::default()
        },
        ..feed("/test/echo?hold=1")
    };
    let probe = props.probe.clone();
    let (_app, root) = mount::<Feed>(props);
    wait_until(&root, "the echo", || texts(&root, "li").len() == 1).await;
    let echo = &echoes(&root)[0];
    assert_eq!(echo.method, "GET");
    assert_eq!(echo.headers["authorization"], "Bearer fixed");
    assert_eq!(echo.headers["accept"], "text/event-stream");
    assert_eq!(text(&root, ".state"), "open");
    let source = probe.handle.borrow().as_ref().and_then(|es| es.source());
    assert_eq!(source.map(|es| es.transport()), Some(Transport::Fetch));
}

/// Mounts a `Feed` of `/test/echo` with the first of `options`, updates it to each of the
/// others in turn (those before the last are refused, and leave the state `Closed`), and
/// returns the two echoes and how many requests the server got.
async fn echoes_across(options: &[UseEventSourceOptions]) -> (Vec<Echo>, u64) {
    let key = unique("options");
    let props = |options: &UseEventSourceOptions| FeedProps {
        options: options.clone(),
        ..feed(&format!("/test/echo?key={key}&hold=1"))
    };
    let (first, rest) = options.split_first().expect("options");
    let (last, refused) = rest.split_last().expect("two options at least");
    let (mut app, root) = mount::<Feed>(props(first));
    wait_until(&root, "the first echo", || texts(&root, "li").len() == 1).await;
    for options in refused {
        app.update(props(options));
        wait_until(&root, "the refusal", || text(&root, ".state") == "closed").await;
    }
    app.update(props(last));
    wait_until(&root, "the second echo", || texts(&root, "li").len() == 2).await;
    assert_eq!(text(&root, ".state"), "open");
    (echoes(&root), requests_on_server(&key).await)
}

fn with_token(token: &str) -> UseEventSourceOptions {
    UseEventSourceOptions {
        headers: bearer(token),
        ..Default::default()
    }
}

/// A `Feed` of `/test/echo` for `key` with token `token`, whose body stays open after the
/// echo (`hold=1`): what it asked is listed, and nothing reconnects.
fn held_echo(key: &str, token: &str) -> FeedProps {
    FeedProps {
        options: with_token(token),
        ..feed(&format!("/test/echo?key={key}&hold=1"))
    }
}

#[wasm_bindgen_test]
async fn new_options_at_the_same_url_reopen_resuming_after_the_last_event_id() {
    // A new token in `headers` is the same stream: the new request resumes, and the
    // history, which carries over, holds no event twice.
    let (echoes, requests) = echoes_across(&[with_token("a"), with_token("b")]).await;
    assert_eq!(authorizations(&echoes), ["Bearer a", "Bearer b"]);
    assert_eq!(
        resumed_after(&echoes[1]),
        Some("1"),
        "the new source resumes after the last event id"
    );
    assert_eq!(requests, 2);
}

#[wasm_bindgen_test]
async fn the_same_headers_in_another_order_do_not_reopen() {
    // Collected from a `HashMap`, a header list comes in a new order on each render; HTTP
    // gives the order of different names no meaning. Compared as given, each such render
    // reopened the source, and the reopen rendered again.
    let key = unique("reordered");
    // Two headers the test server allows (CORS).
    let props = |turn: usize| {
        let mut headers = bearer("t");
        headers.push(("Accept".into(), "text/event-stream".into()));
        headers.rotate_left(turn);
        FeedProps {
            options: UseEventSourceOptions {
                headers,
                ..Default::default()
            },
            ..feed(&format!("/test/echo?key={key}&hold=1"))
        }
    };
    let (mut app, root) = mount::<Feed>(props(0));
    wait_until(&root, "the echo", || texts(&root, "li").len() == 1).await;
    app.update(props(1));
    sleep(300).await;
    assert_eq!(
        requests_on_server(&key).await,
        1,
        "no reopen for another order"
    );
    assert_eq!(text(&root, ".state"), "open");
    let echo = &echoes(&root)[0];
    assert_eq!(echo.headers["accept"], "text/event-stream");
    assert_eq!(authorizations(&echoes(&root)), ["Bearer t"]);
}

#[wasm_bindgen_test]
async fn new_options_after_refused_ones_still_resume_after_the_last_event_id() {
    // A token with a line break in it is a header the browser refuses: that open fails,
    // with no source to hold the last event id. The token that follows is still the same
    // stream, and resumes after it.
    let (echoes, requests) =
        echoes_across(&[with_token("a"), with_token("b\nc"), with_token("d")]).await;
    assert_eq!(authorizations(&echoes), ["Bearer a", "Bearer d"]);
    assert_eq!(
        resumed_after(&echoes[1]),
        Some("1"),
        "resumes across the refusal"
    );
    assert_eq!(requests, 2);
}

#[wasm_bindgen_test]
async fn a_new_body_at_the_same_url_is_a_new_request_that_does_not_resume() {
    // A POST with a new body (a chat's next prompt, say) asks for another stream: its
    // request must not resume after the first answer's last event id, which a server
    // whose ids restart with each answer would take as "skip that many events".
    let post = |body: &str| UseEventSourceOptions {
        method: Some("POST".into()),
        body: Some(body.into()),
        ..Default::default()
    };
    let (echoes, requests) = echoes_across(&[post("first"), post("second")]).await;
    let bodies: Vec<&str> = echoes.iter().map(|echo| echo.body.as_str()).collect();
    assert_eq!(bodies, ["first", "second"]);
    assert_eq!(
        resumed_after(&echoes[1]),
        None,
        "a new request starts afresh"
    );
    assert_eq!(requests, 2);
}

#[wasm_bindgen_test]
async fn a_post_with_a_body_is_echoed_once_and_its_end_closes_the_source() {
    let key = unique("post");
    let props = FeedProps {
        options: UseEventSourceOptions {
            method: Some("POST".into()),
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: Some(r#"{"prompt":"hi"}"#.into()),
            ..Default::default()
        },
        ..feed(&format!("/test/echo?key={key}&retry=50"))
    };
    let (_app, root) = mount::<Feed>(props);
    wait_until(&root, "closed at the end of the body", || {
        text(&root, ".state") == "closed"
    })
    .await;
    let echoes = echoes(&root);
    assert_eq!(echoes.len(), 1, "{echoes:?}");
    assert_eq!(echoes[0].method, "POST");
    assert_eq!(echoes[0].body, r#"{"prompt":"hi"}"#);
    assert_eq!(echoes[0].headers["content-type"], "application/json");
    assert_eq!(echoes[0].request, 1);
    sleep(300).await; // past the stream's `retry: 50`
    assert_eq!(requests_on_server(&key).await, 1, "never sent again");
}

#[wasm_bindgen_test]
async fn a_reopen_from_a_state_listener_during_a_reopen_leaves_one_source_open() {
    // An app's own listener on the source reopens it when it closes: the hub's own
    // reopen closes the old source, which calls that listener, which opens a source
    // before the hub's. That one, replaced at once, must be closed, not left connected.
    let tag = unique("nested-reopen");
    let props = feed(&format!("/test/stream?count=1000&interval=50&tag={tag}"));
    let probe = props.probe.clone();
    let (_app, root) = mount::<Feed>(props);
    wait_until(&root, "open", || text(&root, ".state") == "open").await;
    let handle = probe
        .handle
        .borrow()
        .clone()
        .expect("a handle was rendered");
    let first = handle.source().expect("a source");
    let nested = Rc::new(RefCell::new(None));
    let _reopen_when_closed = first.on_state_change({
        let (handle, nested) = (handle.clone(), nested.clone());
        move |state| {
            if state == web_eventsource::ReadyState::Closed && nested.borrow().is_none() {
                handle.reopen();
                *nested.borrow_mut() = handle.source();
            }
        }
    });
    click(&root, ".reopen");
    let nested = nested.borrow_mut().take().expect("the listener reopened");
    assert_eq!(nested.ready_state(), web_eventsource::ReadyState::Closed);
    wait_until(&root, "open again", || text(&root, ".state") == "open").await;
    sleep(300).await;
    assert_eq!(open_on_server(&tag).await, 1, "one stream on the server");
}

#[wasm_bindgen_test]
async fn new_options_do_not_send_an_ended_post_again_until_reopen() {
    // A chat's answer has ended; a new token then renders (a refresh, say). Sending the
    // prompt again would ask the question twice: only `reopen` does, with the new token.
    let key = unique("ended-post");
    let props = |token: &str| FeedProps {
        options: UseEventSourceOptions {
            method: Some("POST".into()),
            headers: bearer(token),
            body: Some("prompt".into()),
            ..Default::default()
        },
        ..feed(&format!("/test/echo?key={key}"))
    };
    let (mut app, root) = mount::<Feed>(props("a"));
    wait_until(&root, "closed at the end of the body", || {
        text(&root, ".state") == "closed"
    })
    .await;
    app.update(props("b"));
    sleep(300).await;
    assert_eq!(requests_on_server(&key).await, 1, "not sent again");
    assert_eq!(text(&root, ".state"), "closed");
    // Nor when its URL goes and comes back (a route's parameter loading again, say),
    // twice: the hub had dropped the ended source, and sent the request again.
    for _ in 0..2 {
        app.update(FeedProps {
            url: AttrValue::default(),
            ..props("b")
        });
        sleep(100).await;
        app.update(props("b"));
        sleep(300).await;
        assert_eq!(
            requests_on_server(&key).await,
            1,
            "not sent again for its URL"
        );
        assert_eq!(text(&root, ".state"), "closed");
    }
    reopen_sends_the_new_token(&root).await;
}

#[wasm_bindgen_test]
async fn a_closed_stream_stays_closed_through_new_options_until_reopen() {
    // The user stopped the stream; a new token then renders (a refresh, say). `close`
    // closes for good: the refresh reopened it. Nor does the URL going and coming back.
    let key = unique("closed-get");
    let props = |token: &str| held_echo(&key, token);
    let (mut app, root) = mount::<Feed>(props("a"));
    wait_until(&root, "the first echo", || texts(&root, "li").len() == 1).await;
    click(&root, ".close");
    wait_until(&root, "closed", || text(&root, ".state") == "closed").await;
    for url in [None, Some(AttrValue::default()), None] {
        app.update(FeedProps {
            url: url.unwrap_or_else(|| props("b").url),
            ..props("b")
        });
        sleep(300).await;
        assert_eq!(requests_on_server(&key).await, 1, "not opened again");
        assert_eq!(text(&root, ".state"), "closed");
    }
    reopen_sends_the_new_token(&root).await;
}

#[wasm_bindgen_test]
async fn a_close_from_headers_with_while_the_first_request_is_made_holds() {
    // The app finds its token gone while the request is being made, and closes. There
    // was no source to close yet: the close was lost, the stream ran, and the hook took it
    // for closed, so that the next new options (a refreshed token) were dropped.
    let key = unique("close-in-headers");
    let probe = Probe::default();
    // Only the first request closes: one made later would be let through.
    let calls = Rc::new(Cell::new(0));
    let props = |token: &str| {
        let (handle, calls) = (probe.handle.clone(), calls.clone());
        let mut props = held_echo(&key, token);
        props.options.headers_with = Some(Callback::from(move |()| {
            calls.set(calls.get() + 1);
            let es = handle.borrow().clone();
            if let Some(es) = es.filter(|_| calls.get() == 1) {
                es.close();
            }
            Vec::new()
        }));
        props.probe = probe.clone();
        props
    };
    let (mut app, root) = mount::<Feed>(props("a"));
    wait_until(&root, "closed", || text(&root, ".state") == "closed").await;
    sleep(300).await;
    assert_eq!(text(&root, ".state"), "closed", "closed for good");
    assert!(texts(&root, "li").is_empty(), "no echo");
    app.update(props("b"));
    sleep(300).await;
    assert_eq!(
        text(&root, ".state"),
        "closed",
        "new options keep it closed"
    );
    assert_eq!(calls.get(), 1, "no request made for the new options");
    assert!(requests_on_server(&key).await <= 1, "not opened again");
}

#[wasm_bindgen_test]
async fn close_and_reopen_while_the_url_is_empty_hold_when_it_comes_back() {
    // The user stops or restarts the stream while its URL is away (a route's parameter
    // loading again, say): what they asked for holds when the URL comes back. The hub
    // had ignored a `close` with no source open, and a `reopen` with an empty URL left
    // the stream closed.
    for reopen_while_away in [false, true] {
        let key = unique("away");
        let props = |token: &str| held_echo(&key, token);
        let away = || FeedProps {
            url: AttrValue::default(),
            ..props("b")
        };
        let (mut app, root) = mount::<Feed>(props("a"));
        wait_until(&root, "the first echo", || texts(&root, "li").len() == 1).await;
        if reopen_while_away {
            click(&root, ".close");
            app.update(away());
            sleep(100).await;
            click(&root, ".reopen");
            sleep(100).await;
            app.update(props("b"));
            wait_until(&root, "the second echo", || texts(&root, "li").len() == 2).await;
            let echoes = echoes(&root);
            assert_eq!(authorizations(&echoes), ["Bearer a", "Bearer b"]);
            assert_eq!(resumed_after(&echoes[1]), Some("1"));
        } else {
            app.update(away());
            sleep(100).await;
            click(&root, ".close");
            app.update(props("b"));
            sleep(300).await;
            assert_eq!(requests_on_server(&key).await, 1, "not opened again");
            assert_eq!(text(&root, ".state"), "closed");
            reopen_sends_the_new_token(&root).await;
        }
    }
}

#[wasm_bindgen_test]
async fn close_after_a_refused_open_holds_when_new_options_come() {
    // The first token has a line break in it, a header the browser refuses: no source
    // opens. The user closes the stream, and a refreshed token must not open it; Reopen
    // does, with that token. The hub had ignored a `close` with no source open.
    let key = unique("refused");
    let props = |token: &str| held_echo(&key, token);
    let (mut app, root) = mount::<Feed>(props("a\nb"));
    wait_until(&root, "the refusal", || !text(&root, ".error").is_empty()).await;
    click(&root, ".close");
    app.update(props("c"));
    sleep(300).await;
    assert_eq!(requests_on_server(&key).await, 0, "not opened");
    assert_eq!(text(&root, ".state"), "closed");
    click(&root, ".reopen");
    wait_until(&root, "the echo", || texts(&root, "li").len() == 1).await;
    assert_eq!(authorizations(&echoes(&root)), ["Bearer c"]);
}

/// Clicks Reopen on a `Feed` of `/test/echo` that echoed once with token `a` and was
/// given token `b` since: the request goes out again, with `b`, resuming after id 1.
async fn reopen_sends_the_new_token(root: &web_sys::Element) {
    click(root, ".reopen");
    wait_until(root, "the second echo", || texts(root, "li").len() == 2).await;
    let echoes = echoes(root);
    assert_eq!(authorizations(&echoes), ["Bearer a", "Bearer b"]);
    assert_eq!(resumed_after(&echoes[1]), Some("1"));
}

#[wasm_bindgen_test]
async fn the_right_token_opens_the_stream() {
    let props = FeedProps {
        options: UseEventSourceOptions {
            headers: bearer("s3cret"),
            ..Default::default()
        },
        ..feed("/test/stream?count=3&auth=s3cret")
    };
    let (_app, root) = mount::<Feed>(props);
    wait_until(&root, "3 items", || texts(&root, "li").len() == 3).await;
    assert_eq!(texts(&root, "li"), one_to(3));
}

#[wasm_bindgen_test]
async fn a_failure_on_fetch_shows_on_the_handle_with_its_status() {
    // (what, path, options, the error's kind and HTTP status)
    let cases = [
        (
            "a wrong token",
            "/test/stream?count=3&auth=s3cret",
            UseEventSourceOptions {
                headers: bearer("wrong"),
                ..Default::default()
            },
            ErrorKind::Failed,
            Some(401),
        ),
        (
            "an event past max_event_size",
            "/test/stream?count=3&data=0123456789abcdef{id}",
            UseEventSourceOptions {
                transport: Some(Transport::Fetch),
                max_event_size: Some(8),
                ..Default::default()
            },
            ErrorKind::TooLarge,
            None,
        ),
    ];
    for (what, path, options, kind, status) in cases {
        let props = FeedProps {
            options,
            ..feed(path)
        };
        let probe = props.probe.clone();
        let (_app, root) = mount::<Feed>(props);
        wait_until(&root, what, || {
            text(&root, ".state") == "closed" && !text(&root, ".error").is_empty()
        })
        .await;
        match probe.error() {
            Some(UseEventSourceError::Connection(err)) => {
                assert_eq!((err.kind(), err.status()), (kind, status), "{what}: {err}");
                assert!(err.is_final(), "{what}: {err}");
            }
            other => panic!("{what}: expected a connection error, got {other:?}"),
        }
        if let Some(status) = status {
            let shown = text(&root, ".error");
            assert!(shown.contains(&status.to_string()), "{what}: {shown}");
        }
        assert!(texts(&root, "li").is_empty(), "{what}: no event");
    }
}

/// A component that makes its `headers_with` closure anew in every render, as code
/// written inline does, sending `token`.
#[derive(Properties, PartialEq)]
struct TokenProps {
    url: AttrValue,
    token: AttrValue,
    probe: Probe,
}

#[component]
fn Token(props: &TokenProps) -> Html {
    let token = props.token.clone();
    let options = UseEventSourceOptions {
        headers_with: Some(Callback::from(move |()| bearer(&token))),
        ..Default::default()
    };
    let es = use_event_source_with_options(&props.url, options);
    props.probe.renders.set(props.probe.renders.get() + 1);
    props.probe.handle.replace(Some(es.clone()));
    let history = use_event_source_history(&es, "message", 100);
    html! {
        <>
            <p class="state">{ es.ready_state().to_string() }</p>
            <ul>{ for history.iter().map(|msg| html! { <li>{ msg.data() }</li> }) }</ul>
        </>
    }
}

#[wasm_bindgen_test]
async fn a_new_headers_with_closure_each_render_is_used_without_reopening() {
    // A closure compares by pointer: were a new one a change of options, every render
    // (the one for `open` first) would reopen the source, and that reopening render
    // again, for ever.
    let key = unique("headers-with");
    let props = |token: &str, probe: &Probe| TokenProps {
        url: server_url(&format!("/test/echo?key={key}&hold=1")).into(),
        token: token.to_owned().into(),
        probe: probe.clone(),
    };
    let probe = Probe::default();
    let (mut app, root) = mount::<Token>(props("a", &probe));
    wait_until(&root, "the first echo", || texts(&root, "li").len() == 1).await;
    let renders_before = probe.renders.get();
    app.update(props("b", &probe));
    app.update(props("c", &probe));
    sleep(300).await;
    // Yew may render both updates at once: one render or two, each with a new closure.
    assert!(
        probe.renders.get() > renders_before,
        "renders: {} after {renders_before}",
        probe.renders.get()
    );
    assert_eq!(requests_on_server(&key).await, 1, "no reopen on a render");
    assert_eq!(text(&root, ".state"), "open");

    // The next request asks the latest render's closure.
    let handle = probe.handle.borrow().clone().expect("rendered");
    handle.reopen();
    wait_until(&root, "the second echo", || texts(&root, "li").len() == 2).await;
    let echoes = echoes(&root);
    assert_eq!(authorizations(&echoes), ["Bearer a", "Bearer c"]);
    assert_eq!(
        resumed_after(&echoes[1]),
        Some("1"),
        "the reopened request resumes in the header too"
    );
    assert_eq!(requests_on_server(&key).await, 2);
}
