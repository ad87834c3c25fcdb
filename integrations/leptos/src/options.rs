//! [`UseEventSourceOptions`]: what the `_with_options` hooks accept.

use std::fmt;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::untrack;
use web_eventsource::{Builder, Reconnect, ShareAcrossTabs, Transport};

use crate::UseEventSourceMessage;

/// A callback called for every received event, in order.
pub(crate) type OnEvent = Rc<dyn Fn(&UseEventSourceMessage)>;

/// A callback asked for headers before every request.
pub(crate) type HeadersWith = Rc<dyn Fn() -> Vec<(String, String)>>;

/// Passes the request options (the transport and what chooses fetch) to the core's
/// builder: stored by their setters only, so that an app that sets none of them links
/// none of the fetch transport (the core's `Builder` links it only when asked for).
pub(crate) type RequestOptions = fn(Builder, &UseEventSourceOptions) -> Builder;

/// Options for [`use_event_source_with_options`](crate::use_event_source_with_options) and
/// [`use_event_source_json_with_options`](crate::use_event_source_json_with_options).
///
/// Defaults: open at once, no credentials, the default [`Reconnect`] policy (backoff from
/// 1 s, resume after the last event id, unlimited retries), listen to `"message"` events,
/// no history, no `on_event`, the browser's own `EventSource` (no headers, GET), a
/// connection of its own.
///
/// The fetch transport's options ([`transport`](Self::transport),
/// [`headers`](Self::headers), [`headers_with`](Self::headers_with),
/// [`method`](Self::method), [`body`](Self::body), [`max_event_size`](Self::max_event_size))
/// are the core [`Builder`](web_eventsource::Builder)'s, passed through: see there for
/// what each does on the wire. One the core refuses (a header that is not valid HTTP, a
/// body on a GET, a fetch-only option with [`Transport::Native`]) opens nothing: the
/// state is `Closed` and the `error` signal holds
/// [`UseEventSourceError::Open`](crate::UseEventSourceError::Open) with
/// [`Error::InvalidOption`](crate::Error::InvalidOption) naming the option.
///
/// # Examples
///
/// ```no_run
/// use std::time::Duration;
/// use leptos::prelude::*;
/// use web_eventsource_leptos::{use_event_source_with_options, Reconnect, UseEventSourceOptions};
///
/// #[component]
/// fn Pings() -> impl IntoView {
///     let pings = use_event_source_with_options(
///         "/sse",
///         UseEventSourceOptions::default()
///             .event_types(["ping"])
///             .history(50)
///             .reconnect(Reconnect::default().max_retries(Some(10)))
///             .pause_when_hidden(Duration::from_secs(30)),
///     );
///     view! {
///         <ul>
///             <For each=move || pings.history.get() key=|msg| msg.seq let:msg>
///                 <li>{msg.data}</li>
///             </For>
///         </ul>
///     }
/// }
/// ```
#[derive(Clone)]
#[must_use = "options do nothing until given to a hook"]
pub struct UseEventSourceOptions {
    pub(crate) immediate: bool,
    pub(crate) with_credentials: bool,
    pub(crate) reconnect: Option<Reconnect>,
    pub(crate) pause_when_hidden: Option<Duration>,
    pub(crate) event_types: Vec<String>,
    pub(crate) history: usize,
    pub(crate) on_event: Option<OnEvent>,
    pub(crate) transport: Option<Transport>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) headers_with: Option<HeadersWith>,
    pub(crate) method: Option<String>,
    pub(crate) body: Option<String>,
    pub(crate) max_event_size: Option<usize>,
    /// Set by the setters of the fields above (from `transport` on).
    pub(crate) request_options: Option<RequestOptions>,
    /// A [`ShareAcrossTabs`], not a `bool`: it links the sharing code only into an app
    /// that asks for it (see [`share_across_tabs`](Self::share_across_tabs)).
    pub(crate) share_across_tabs: ShareAcrossTabs,
}

impl Default for UseEventSourceOptions {
    fn default() -> Self {
        Self {
            immediate: true,
            with_credentials: false,
            reconnect: Some(Reconnect::default()),
            pause_when_hidden: None,
            event_types: vec!["message".to_owned()],
            history: 0,
            on_event: None,
            transport: None,
            headers: Vec::new(),
            headers_with: None,
            method: None,
            body: None,
            max_event_size: None,
            request_options: None,
            share_across_tabs: ShareAcrossTabs::OFF,
        }
    }
}

impl UseEventSourceOptions {
    /// Whether the hook opens the source by itself, in an effect once the component is
    /// created (default `true`). With `false`, nothing opens until `open()` is called or
    /// the URL signal changes.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source_with_options, UseEventSourceOptions};
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// let source = use_event_source_with_options("/sse", UseEventSourceOptions::default().immediate(false));
    /// let open = source.open.clone();
    /// view! { <button on:click=move |_| open()>"Connect"</button> }
    /// # }
    /// ```
    pub fn immediate(mut self, immediate: bool) -> Self {
        self.immediate = immediate;
        self
    }

    /// Sends cookies and HTTP authentication cross-origin (`withCredentials`; default
    /// `false`).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source_with_options, UseEventSourceOptions};
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// let _source = use_event_source_with_options(
    ///     "https://api.example.com/sse",
    ///     UseEventSourceOptions::default().with_credentials(true),
    /// );
    /// # view! {}
    /// # }
    /// ```
    pub fn with_credentials(mut self, with_credentials: bool) -> Self {
        self.with_credentials = with_credentials;
        self
    }

    /// The reconnect policy for connections the browser gives up on (a non-200 status, a
    /// wrong `Content-Type`): backoff, jitter, a retry limit, an idle timeout, and resume
    /// after the last event id. `None` leaves only the browser's own reconnects after a
    /// dropped connection. Default: `Some(Reconnect::default())`.
    ///
    /// A zero idle timeout is refused: nothing opens, the state is `Closed` and the
    /// `error` signal holds [`UseEventSourceError::Open`](crate::UseEventSourceError::Open)
    /// naming `idle_timeout` (use `None` for no idle timeout).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source_with_options, Reconnect, UseEventSourceOptions};
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// let _source = use_event_source_with_options(
    ///     "/sse",
    ///     UseEventSourceOptions::default().reconnect(
    ///         Reconnect::default()
    ///             .initial_delay(Duration::from_millis(500))
    ///             .max_retries(Some(5)),
    ///     ),
    /// );
    /// let _browser_only = use_event_source_with_options("/sse", UseEventSourceOptions::default().reconnect(None));
    /// # view! {}
    /// # }
    /// ```
    pub fn reconnect(mut self, policy: impl Into<Option<Reconnect>>) -> Self {
        self.reconnect = policy.into();
        self
    }

    /// Closes the connection after the page has been hidden for `grace` and reopens it,
    /// resuming after the last event id, when the page is visible again (the state is
    /// `Paused` meanwhile). `None` (the default) keeps it open, and so does a
    /// [`method`](Self::method) other than GET, whose body reopening would send again.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source_with_options, UseEventSourceOptions};
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// let _source = use_event_source_with_options(
    ///     "/sse",
    ///     UseEventSourceOptions::default().pause_when_hidden(Duration::from_secs(30)),
    /// );
    /// # view! {}
    /// # }
    /// ```
    pub fn pause_when_hidden(mut self, grace: impl Into<Option<Duration>>) -> Self {
        self.pause_when_hidden = grace.into();
        self
    }

    /// The event types to receive, replacing the default `["message"]` (`"message"` is
    /// the type of events without an `event:` field). Events of several types arrive in
    /// the server's order. A type given twice is received once.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source_with_options, UseEventSourceOptions};
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// // Only `event: ping` events.
    /// let _pings = use_event_source_with_options("/sse", UseEventSourceOptions::default().event_types(["ping"]));
    /// # view! {}
    /// # }
    /// ```
    pub fn event_types<S: Into<String>>(
        mut self,
        event_types: impl IntoIterator<Item = S>,
    ) -> Self {
        self.event_types.clear();
        for event_type in event_types.into_iter().map(Into::into) {
            // One listener per type: a repeated one would deliver each event twice.
            if !self.event_types.contains(&event_type) {
                self.event_types.push(event_type);
            }
        }
        self
    }

    /// Named event types to receive besides `"message"`, as leptos-use's option of the
    /// same name does: adds `"message"` and these to the types received (naming one
    /// again changes nothing), where [`event_types`](Self::event_types) replaces them.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source_with_options, UseEventSourceOptions};
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// // Plain messages, `notice` and `update` events.
    /// let _source = use_event_source_with_options(
    ///     "/sse",
    ///     UseEventSourceOptions::default().named_events(["notice", "update"]),
    /// );
    /// # view! {}
    /// # }
    /// ```
    pub fn named_events<S: Into<String>>(
        mut self,
        named_events: impl IntoIterator<Item = S>,
    ) -> Self {
        let types = std::mem::take(&mut self.event_types)
            .into_iter()
            .chain(std::iter::once("message".to_owned()))
            .chain(named_events.into_iter().map(Into::into));
        self.event_types(types)
    }

    /// Keeps the last `size` events in the `history` signal, oldest first, for `<For/>`
    /// lists (default 0: `history` stays empty). Every event counts, however many
    /// arrive in one chunk.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source_with_options, UseEventSourceOptions};
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// let feed = use_event_source_with_options("/sse", UseEventSourceOptions::default().history(100));
    /// view! {
    ///     <ol>
    ///         <For each=move || feed.history.get() key=|msg| msg.seq let:msg>
    ///             <li>{msg.last_event_id} ": " {msg.data}</li>
    ///         </For>
    ///     </ol>
    /// }
    /// # }
    /// ```
    pub fn history(mut self, size: usize) -> Self {
        self.history = size;
        self
    }

    /// Calls `callback` for every event received, in order, as it arrives: unlike the
    /// `message` signal, which holds only the latest, a burst of events in one chunk
    /// makes one call each. Called after the `last_event_id` signal is set and before
    /// the others are, with the event's text (for the JSON hooks too, so an event that
    /// fails to decode still reaches it). A JavaScript exception it throws
    /// (`unwrap_throw`, say) ends that call alone: the event still reaches the signals
    /// and the history.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source_with_options, UseEventSourceOptions};
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// let (total, set_total) = signal(0_u64);
    /// let _source = use_event_source_with_options(
    ///     "/sse",
    ///     UseEventSourceOptions::default().on_event(move |msg| {
    ///         set_total.update(|total| *total += msg.data.len() as u64);
    ///     }),
    /// );
    /// view! { <p>{total} " bytes"</p> }
    /// # }
    /// ```
    pub fn on_event(mut self, callback: impl Fn(&UseEventSourceMessage) + 'static) -> Self {
        self.on_event = Some(Rc::new(callback));
        self
    }

    /// What carries the events (see
    /// [`Builder::transport`](web_eventsource::Builder::transport)): the browser's own
    /// `EventSource` ([`Transport::Native`]) or `fetch` with the body parsed in Rust
    /// ([`Transport::Fetch`]: a real `Last-Event-ID` on every reconnect, the HTTP status
    /// of a failure in [`ConnectionFailure::status`](crate::ConnectionFailure::status), no
    /// DOM event per message). `None` (the default): native, unless
    /// [`headers`](Self::headers), [`headers_with`](Self::headers_with),
    /// [`method`](Self::method) or [`body`](Self::body) is set, which choose fetch.
    ///
    /// # Errors
    ///
    /// `Transport::Native` together with any of those four opens nothing: the `error`
    /// signal holds [`Error::InvalidOption`](crate::Error::InvalidOption) naming the
    /// first of them.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source_with_options, Transport, UseEventSourceOptions};
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// let _source = use_event_source_with_options(
    ///     "/sse",
    ///     UseEventSourceOptions::default().transport(Transport::Fetch),
    /// );
    /// # view! {}
    /// # }
    /// ```
    pub fn transport(mut self, transport: impl Into<Option<Transport>>) -> Self {
        self.transport = transport.into();
        self.request_options = Some(with_request_options);
        self
    }

    /// Headers sent with every request, in this order, replacing any given before (fetch
    /// transport, which a non-empty list chooses; see
    /// [`Builder::header`](web_eventsource::Builder::header)). A cross-origin request
    /// with a custom header is preflighted: the server must allow it (CORS).
    ///
    /// # Errors
    ///
    /// A name or value that is not valid HTTP (`"bad name"`, a value with a line break)
    /// opens nothing: the `error` signal holds
    /// [`Error::InvalidOption`](crate::Error::InvalidOption) naming `header`. So does a
    /// header the browser keeps to itself (`Cookie`, `Host`...), which it would drop
    /// without a word.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source_with_options, UseEventSourceOptions};
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// let _source = use_event_source_with_options(
    ///     "/private/sse",
    ///     UseEventSourceOptions::default().headers([("Authorization", "Bearer my-token")]),
    /// );
    /// # view! {}
    /// # }
    /// ```
    pub fn headers<N, V>(mut self, headers: impl IntoIterator<Item = (N, V)>) -> Self
    where
        N: Into<String>,
        V: Into<String>,
    {
        self.headers = headers
            .into_iter()
            .map(|(name, value)| (name.into(), value.into()))
            .collect();
        self.request_options = Some(with_request_options);
        self
    }

    /// Calls `headers` before every request, the first and each reconnect (the
    /// transport's own, the policy's, and `open()`), and sends what it returns after
    /// [`headers`](Self::headers) (fetch transport, which this chooses; see
    /// [`Builder::headers_with`](web_eventsource::Builder::headers_with)): a token
    /// refreshed meanwhile is the one the next reconnect sends.
    ///
    /// # Errors
    ///
    /// A header it returns that is not valid HTTP: on the first request nothing opens
    /// (the `error` signal holds [`Error::InvalidOption`](crate::Error::InvalidOption)
    /// naming `header`); on a reconnect that attempt fails
    /// ([`ErrorKind::Failed`](crate::ErrorKind::Failed), retried by the
    /// [`reconnect`](Self::reconnect) policy), and the failure's
    /// [`request_error`](crate::ConnectionFailure::request_error) is that `InvalidOption`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source_with_options, UseEventSourceOptions};
    ///
    /// fn current_token() -> String {
    ///     "my-token".to_owned()
    /// }
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// let _source = use_event_source_with_options(
    ///     "/private/sse",
    ///     UseEventSourceOptions::default().headers_with(|| {
    ///         vec![("Authorization".into(), format!("Bearer {}", current_token()))]
    ///     }),
    /// );
    /// # view! {}
    /// # }
    /// ```
    pub fn headers_with(mut self, headers: impl Fn() -> Vec<(String, String)> + 'static) -> Self {
        self.headers_with = Some(Rc::new(headers));
        self.request_options = Some(with_request_options);
        self
    }

    /// The request method, e.g. `"POST"` (fetch transport, which this chooses; default
    /// GET; see [`Builder::method`](web_eventsource::Builder::method)). With a method
    /// other than GET the end of the response body closes the source (the state becomes
    /// `Closed`), and the request, body included, is sent again only by the
    /// [`reconnect`](Self::reconnect) policy after a failure, or by `open()`.
    ///
    /// # Errors
    ///
    /// A method the browser forbids (`CONNECT`, `TRACE`, `TRACK`), HEAD (whose answer has
    /// no body) or one that is no HTTP token opens nothing: the `error` signal holds
    /// [`Error::InvalidOption`](crate::Error::InvalidOption) naming `method`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source_with_options, UseEventSourceOptions};
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// let answer = RwSignal::new(String::new());
    /// let _chat = use_event_source_with_options(
    ///     "/chat",
    ///     UseEventSourceOptions::default()
    ///         .method("POST")
    ///         .headers([("Content-Type", "application/json")])
    ///         .body(r#"{"prompt": "hello"}"#)
    ///         // Every event, however long the answer (`history` keeps a bounded window).
    ///         .on_event(move |msg| answer.update(|text| text.push_str(&msg.data))),
    /// );
    /// view! { <p>{move || answer.get()}</p> }
    /// # }
    /// ```
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into());
        self.request_options = Some(with_request_options);
        self
    }

    /// The request body (fetch transport, which this chooses; see
    /// [`Builder::body`](web_eventsource::Builder::body)). Needs a
    /// [`method`](Self::method) other than GET.
    ///
    /// # Errors
    ///
    /// A body without a method, or with `GET` or `HEAD`, opens nothing: the `error`
    /// signal holds [`Error::InvalidOption`](crate::Error::InvalidOption) naming `body`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source_with_options, UseEventSourceOptions};
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// let _results = use_event_source_with_options(
    ///     "/search",
    ///     UseEventSourceOptions::default().method("POST").body("q=rust"),
    /// );
    /// # view! {}
    /// # }
    /// ```
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self.request_options = Some(with_request_options);
        self
    }

    /// The most one event may buffer on the fetch transport, in bytes (default: the
    /// core's, 16 MiB; see
    /// [`Builder::max_event_size`](web_eventsource::Builder::max_event_size)). Past it the
    /// connection fails with [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge), retried
    /// by the [`reconnect`](Self::reconnect) policy, final without one. It does not
    /// choose the fetch transport by itself; the browser's own `EventSource` has no such
    /// limit.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source_with_options, Transport, UseEventSourceOptions};
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// let _source = use_event_source_with_options(
    ///     "/sse",
    ///     UseEventSourceOptions::default()
    ///         .transport(Transport::Fetch)
    ///         .max_event_size(1 << 20),
    /// );
    /// # view! {}
    /// # }
    /// ```
    pub fn max_event_size(mut self, bytes: usize) -> Self {
        self.max_event_size = Some(bytes);
        self.request_options = Some(with_request_options);
        self
    }

    /// Shares one connection with every other source of the browser (this tab's or
    /// another tab's, same origin) that opens the same stream: the same resolved URL,
    /// credentials, transport and headers (a [`headers_with`](Self::headers_with)
    /// callback cannot be compared: sources that have one share with those that have one
    /// too; only a GET is shared, and another method's source stays private). One tab
    /// holds the connection and passes its events on, so that many tabs do not use up the
    /// browser's 6 connections per host (without HTTP/2); the hook still sees a source of
    /// its own, with its state, errors and last event id, and every event of its
    /// [`event_types`](Self::event_types). Default `false`: a connection of its own.
    ///
    /// Where the browser lacks Web Locks or `BroadcastChannel` (an insecure context, an
    /// old browser), the source is a private one, as without this option. A shared source
    /// does not use [`pause_when_hidden`](Self::pause_when_hidden). What the leading
    /// tab's options decide for all (its [`reconnect`](Self::reconnect) policy among
    /// them), and how another tab takes over: see
    /// [`Builder::share_across_tabs`](web_eventsource::Builder::share_across_tabs).
    ///
    /// `share` is a `bool` or a [`ShareAcrossTabs`], as the core's builder takes: an app
    /// that never calls this method, or only with a constant, links none of the sharing
    /// code; a `bool` read at run time links it (about 18 KB gzipped) whatever its value,
    /// where a [`ShareAcrossTabs`] links it only if [`ShareAcrossTabs::ON`] is named.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use web_eventsource_leptos::{use_event_source_with_options, UseEventSourceOptions};
    ///
    /// # #[component]
    /// # fn Demo() -> impl IntoView {
    /// let _source = use_event_source_with_options(
    ///     "/sse",
    ///     UseEventSourceOptions::default().share_across_tabs(true),
    /// );
    /// # view! {}
    /// # }
    /// ```
    pub fn share_across_tabs(mut self, share: impl Into<ShareAcrossTabs>) -> Self {
        self.share_across_tabs = share.into();
        self
    }
}

/// `builder` with the fetch transport's options. With `Native`, the core refuses the
/// first fetch-only option, naming it.
fn with_request_options(mut builder: Builder, options: &UseEventSourceOptions) -> Builder {
    if let Some(transport) = options.transport {
        builder = builder.transport(transport);
    }
    for (name, value) in &options.headers {
        builder = builder.header(name, value);
    }
    if let Some(headers_with) = &options.headers_with {
        let headers_with = Rc::clone(headers_with);
        // Untracked: it is called as a request is made, inside whatever effect opened
        // the source, which must not come to depend on the signals it reads (a new token
        // would rerun that effect, and reopen the source).
        builder = builder.headers_with(move || untrack(|| headers_with()));
    }
    if let Some(method) = &options.method {
        builder = builder.method(method);
    }
    if let Some(body) = &options.body {
        builder = builder.body(body.clone());
    }
    if let Some(bytes) = options.max_event_size {
        builder = builder.max_event_size(bytes);
    }
    builder
}

impl fmt::Debug for UseEventSourceOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UseEventSourceOptions")
            .field("immediate", &self.immediate)
            .field("with_credentials", &self.with_credentials)
            .field("reconnect", &self.reconnect)
            .field("pause_when_hidden", &self.pause_when_hidden)
            .field("event_types", &self.event_types)
            .field("history", &self.history)
            .field("on_event", &self.on_event.as_ref().map(|_| "Fn"))
            .field("transport", &self.transport)
            .field("headers", &self.headers)
            .field("headers_with", &self.headers_with.as_ref().map(|_| "Fn"))
            .field("method", &self.method)
            .field("body", &self.body)
            .field("max_event_size", &self.max_event_size)
            .field("share_across_tabs", &self.share_across_tabs.is_on())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::UseEventSourceOptions;

    #[test]
    fn named_events_adds_message_and_its_names_where_event_types_replaces() {
        let added = UseEventSourceOptions::default()
            .event_types(["ping"])
            .named_events(["pong", "ping"]);
        assert_eq!(added.event_types, ["ping", "message", "pong"]);
        let replaced = added.event_types(["tick"]);
        assert_eq!(replaced.event_types, ["tick"]);
    }
}
