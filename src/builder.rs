//! [`Builder`]: the options of a new [`EventSource`].

use std::rc::Rc;
use std::time::Duration;

use crate::connection::{carries_resume_point, Connection, DEFAULT_RESUME_PARAM};
use crate::first_request::{self, ResumeFrom};
use crate::transport::fetch::{self, FetchOptions};
use crate::transport::{AnyOpener, Opener, Transport};
use crate::{recovery, share, visibility};
use crate::{Error, EventSource, Reconnect, ShareAcrossTabs};

/// Options for opening an [`EventSource`]; made by [`EventSource::builder`].
///
/// # Examples
///
/// ```no_run
/// use web_eventsource::EventSource;
///
/// let es = EventSource::builder("https://api.example.com/sse")
///     .with_credentials(true)
///     .open()?;
/// # Ok::<(), web_eventsource::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use = "a Builder does nothing until `open()` is called"]
pub struct Builder {
    url: String,
    with_credentials: bool,
    /// The policy, and how to start it. A function pointer stored only by
    /// [`reconnect`](Self::reconnect): without that call the policy's code is not linked.
    reconnect: Option<(Reconnect, recovery::Start)>,
    /// The grace period of [`pause_when_hidden`](Self::pause_when_hidden), and how to
    /// start watching the page (linked only when asked for, likewise).
    pause_when_hidden: Option<(Duration, visibility::Start)>,
    /// The id to resume after from the first request, and how to build that request
    /// (linked only when asked for, likewise).
    last_event_id: Option<ResumeFrom>,
    /// The transport asked for with [`transport`](Self::transport), if any.
    transport: Option<Transport>,
    /// The fetch transport's request options.
    fetch: FetchOptions,
    /// The first fetch-only option set (`"header"`, `"method"`...), which selects the
    /// fetch transport and conflicts with `Transport::Native`.
    fetch_only: Option<&'static str>,
    /// How to start the fetch transport, stored once it is asked for, by
    /// [`transport`](Self::transport) or a fetch-only option (linked only then, likewise).
    fetch_start: Option<fetch::Start>,
    /// How to share the connection across tabs, stored only by
    /// [`share_across_tabs`](Self::share_across_tabs) (linked only when asked for,
    /// likewise).
    share: Option<share::Start>,
}

impl Builder {
    pub(crate) fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            with_credentials: false,
            reconnect: None,
            pause_when_hidden: None,
            last_event_id: None,
            transport: None,
            fetch: FetchOptions::default(),
            fetch_only: None,
            fetch_start: None,
            share: None,
        }
    }

    /// Records that `option`, which only the fetch transport has, asks for it.
    fn choose_fetch(&mut self, option: &'static str) {
        self.fetch_only.get_or_insert(option);
        self.fetch_start = Some(fetch::start);
    }

    /// Sends cookies and HTTP authentication with a cross-origin request (the
    /// `withCredentials` option). The server must answer with
    /// `Access-Control-Allow-Credentials: true` and its exact origin. Off by default.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use web_eventsource::EventSource;
    /// let es = EventSource::builder("https://api.example.com/sse")
    ///     .with_credentials(true)
    ///     .open()?;
    /// assert!(es.with_credentials());
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn with_credentials(mut self, with_credentials: bool) -> Self {
        self.with_credentials = with_credentials;
        self
    }

    /// Replaces a connection the browser gives up on (a non-200 status, a wrong
    /// `Content-Type`, an aborted response), after a backoff, resuming after the last
    /// event id: see [`Reconnect`]. Without it the source behaves exactly as the
    /// browser's: such a failure is final.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use web_eventsource::{EventSource, Reconnect};
    ///
    /// let es = EventSource::builder("/sse")
    ///     .reconnect(Reconnect::default().max_retries(Some(10)))
    ///     .open()?;
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn reconnect(mut self, policy: Reconnect) -> Self {
        self.reconnect = Some((policy, recovery::start));
        self
    }

    /// Closes the connection once the page has been hidden (another tab, a minimised
    /// window) for longer than `grace`, and reopens it when the page is visible again,
    /// resuming after the last event id: nothing is lost or repeated. Off by default.
    ///
    /// While paused, [`ready_state`](EventSource::ready_state) is
    /// [`ReadyState::Paused`](crate::ReadyState::Paused) and
    /// [`state`](EventSource::state) says so; a pause is not an error, and streams keep
    /// running. The reopened connection carries the last event id in the resume
    /// parameter of the [`Reconnect`] policy (on the native transport, `lastEventId`
    /// without a policy), so the server must support resume by query for nothing to be
    /// lost (with a policy's [`resume_param(None)`](Reconnect::resume_param) nothing
    /// carries it, and the native transport starts over). The fetch transport sends it as `Last-Event-ID` too; without a policy it asks
    /// for the URL as given (unless the first request resumed by query), as its own
    /// reconnects do. A pause cancels any attempt the policy was waiting to make; the
    /// count of failed attempts stays, and the page shown again waits for what was left
    /// of the backoff (the state is `Connecting` meanwhile).
    ///
    /// A source whose [`method`](Self::method) is not GET is never paused: reopening
    /// would send its request, body included, again. Nor is one
    /// [shared across tabs](Self::share_across_tabs) while it shares.
    ///
    /// In a worker there is no page to hide: the option does nothing there. `grace` is
    /// clamped to about 24.8 days, the longest a browser timer waits.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use web_eventsource::EventSource;
    ///
    /// let es = EventSource::builder("/sse")
    ///     .pause_when_hidden(Duration::from_secs(30))
    ///     .open()?;
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn pause_when_hidden(mut self, grace: Duration) -> Self {
        self.pause_when_hidden = Some((grace, visibility::watch));
        self
    }

    /// Resumes after `id` from the first request, as a replacement connection would: the
    /// URL carries it in the resume parameter (`lastEventId`, or the one the
    /// [`Reconnect`] policy names), and [`last_event_id`](EventSource::last_event_id)
    /// returns it until the server sends another. [`url`](EventSource::url) stays the URL
    /// as given. Empty (the default) starts from the beginning. An id with a NUL, CR or
    /// LF, which no stream can send, makes [`open`](Self::open) return
    /// [`Error::InvalidOption`](crate::Error::InvalidOption). On the native transport with
    /// a policy's `resume_param(None)` nothing can carry the id (the browser's
    /// `EventSource` takes no header): the source starts from the beginning, as that
    /// policy's replacements do, and `last_event_id` is empty until the server sends one.
    /// The fetch transport sends it as `Last-Event-ID` in any case.
    ///
    /// For a source that takes over from another (a component reopening its stream, a
    /// page restoring a saved position): with a server that resumes by query, nothing
    /// already received comes again.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use web_eventsource::EventSource;
    ///
    /// let old = EventSource::new("/sse")?;
    /// // ... later, after old.close():
    /// let es = EventSource::builder("/sse")
    ///     .last_event_id(old.last_event_id())
    ///     .open()?;
    /// assert_eq!(es.url(), old.url());
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn last_event_id(mut self, id: impl Into<String>) -> Self {
        self.last_event_id = Some(ResumeFrom {
            id: id.into(),
            build: first_request::resuming,
        });
        self
    }

    /// Chooses what carries the events: the browser's own `EventSource`
    /// ([`Transport::Native`], the default) or `fetch` with the body parsed in Rust
    /// ([`Transport::Fetch`]). [`header`](Self::header),
    /// [`headers_with`](Self::headers_with), [`method`](Self::method) and
    /// [`body`](Self::body) choose `Fetch` by themselves.
    ///
    /// The fetch transport sends custom headers and any method, sends a real
    /// `Last-Event-ID` header on every reconnect, reports the HTTP status of a failure
    /// ([`ConnectionError::status`](crate::ConnectionError::status)) and makes no DOM
    /// event per message, so it delivers events faster. Its requests follow CORS: a
    /// cross-origin request with a custom header (or `Last-Event-ID`) is preflighted, so
    /// the server must answer `OPTIONS` and allow those headers. An app that never
    /// chooses it links none of its code.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use web_eventsource::{EventSource, Transport};
    ///
    /// let es = EventSource::builder("/sse").transport(Transport::Fetch).open()?;
    /// assert_eq!(es.transport(), Transport::Fetch);
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn transport(mut self, transport: Transport) -> Self {
        // The last call wins: only the options that need fetch conflict with `Native`.
        self.transport = Some(transport);
        if transport == Transport::Fetch {
            self.fetch_start = Some(fetch::start);
        }
        self
    }

    /// Adds a header to every request (fetch transport, which this chooses), e.g. an
    /// `Authorization` header. Headers added twice are both sent.
    ///
    /// A name or value that is not valid HTTP, and a header a page may not set (`Cookie`,
    /// `Origin`, `Connection`, `Sec-…`, `Proxy-…`: the Fetch standard's forbidden request
    /// headers, which the browser would drop without a word), make [`open`](Self::open)
    /// return [`Error::InvalidOption`](crate::Error::InvalidOption) naming `header`.
    ///
    /// An `Accept` header is sent in place of the default `Accept: text/event-stream`.
    /// A `Last-Event-ID` header is sent whenever the source has no event id: until it
    /// knows one, which then replaces it, and again after the server clears the id (an
    /// empty `id:` field), where a browser would send none. To resume from an id, as a
    /// browser would, use [`last_event_id`](Self::last_event_id). A value is given to the browser as it is: Chromium and Firefox send each
    /// character up to U+00FF as one byte and refuse one past it, WebKit sends UTF-8. For
    /// the same bytes everywhere, send text that is not ASCII encoded (percent-encoded,
    /// say).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use web_eventsource::EventSource;
    ///
    /// let es = EventSource::builder("/sse")
    ///     .header("Authorization", "Bearer my-token")
    ///     .open()?;
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.fetch.headers.push((name.into(), value.into()));
        self.choose_fetch("header");
        self
    }

    /// Calls `headers` before every request, the first and each reconnect, and sends
    /// what it returns after the [`header`](Self::header)s (fetch transport, which this
    /// chooses): a token refreshed meanwhile is used on the next reconnect.
    ///
    /// A header the browser refuses (see [`header`](Self::header)) makes
    /// [`open`](Self::open) return
    /// [`Error::InvalidOption`](crate::Error::InvalidOption) when it comes for the first
    /// request. For a reconnect, that request cannot be made: the connection fails
    /// ([`ErrorKind::Failed`](crate::ErrorKind::Failed), final without a policy), and the
    /// error's [`request_error`](crate::ConnectionError::request_error) is that same
    /// `InvalidOption`. So does a `headers` that throws a JavaScript exception or panics
    /// (the `InvalidOption` names `headers_with`; the browser reports what it threw). A
    /// source [shared across tabs](Self::share_across_tabs) sends its first request only
    /// once it leads, after `open()` has returned: a refusal then is always reported that
    /// way.
    ///
    /// The source keeps `headers` for its whole life, closed or not: a closure that holds
    /// the source's own [`EventSource`] keeps it from ever being freed. Hold a
    /// [`WeakEventSource`](crate::WeakEventSource) there instead.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use web_eventsource::EventSource;
    ///
    /// fn current_token() -> String {
    ///     "my-token".to_owned()
    /// }
    ///
    /// let es = EventSource::builder("/sse")
    ///     .headers_with(|| vec![("Authorization".into(), format!("Bearer {}", current_token()))])
    ///     .open()?;
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn headers_with(mut self, headers: impl Fn() -> Vec<(String, String)> + 'static) -> Self {
        self.fetch.headers_with = Some(Rc::new(headers));
        self.choose_fetch("headers_with");
        self
    }

    /// The request method, e.g. `"POST"` (fetch transport, which this chooses; default
    /// `"GET"`).
    ///
    /// With a method other than GET, the end of the response body is the end of the
    /// source (it closes, and its streams end), and the request is never sent again by
    /// the transport itself; a failure on the network, or a connection quiet for the
    /// policy's [`idle_timeout`](Reconnect::idle_timeout), is retried only by a
    /// [`Reconnect`] policy, which sends the request, body included, again.
    ///
    /// [`open`](Self::open) refuses a method the browser forbids (`CONNECT`, `TRACE`,
    /// `TRACK`), one that is no HTTP token, and HEAD, whose answer has no body to read
    /// events from, with [`Error::InvalidOption`](crate::Error::InvalidOption) naming
    /// `method`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use web_eventsource::EventSource;
    ///
    /// let es = EventSource::builder("/chat")
    ///     .method("POST")
    ///     .header("Content-Type", "application/json")
    ///     .body(r#"{"prompt": "hello"}"#)
    ///     .open()?;
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn method(mut self, method: &str) -> Self {
        self.fetch.method = Some(method.to_owned());
        self.choose_fetch("method");
        self
    }

    /// The request body (fetch transport, which this chooses). A GET request cannot
    /// have one: set a [`method`](Self::method) such as `"POST"` too.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use web_eventsource::EventSource;
    ///
    /// let es = EventSource::builder("/search").method("POST").body("q=rust").open()?;
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.fetch.body = Some(body.into());
        self.choose_fetch("body");
        self
    }

    /// The most one event may buffer on the fetch transport, in bytes of data and of
    /// the line being read, its field name included (default 16 MiB). Past it the
    /// attempt fails with [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge): final
    /// without a [`Reconnect`] policy. A policy retries it as any failure, resuming
    /// after the last event delivered: a server that sends the same event again fails it
    /// again, each time after up to this many bytes, until the policy's `max_retries`
    /// (none by default) runs out. 0, which would fail every line, makes a fetch
    /// source's [`open`](Self::open) return
    /// [`Error::InvalidOption`](crate::Error::InvalidOption).
    /// It does not choose the fetch transport by itself; the browser's own source has no
    /// such limit.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use web_eventsource::{EventSource, Transport};
    ///
    /// let es = EventSource::builder("/sse")
    ///     .transport(Transport::Fetch)
    ///     .max_event_size(1 << 20)
    ///     .open()?;
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn max_event_size(mut self, bytes: usize) -> Self {
        self.fetch.max_event_size = bytes;
        self
    }

    /// Shares one connection among every tab of the browser (same origin) that opens the
    /// same stream: the same resolved URL, credentials, transport and headers (a
    /// [`headers_with`](Self::headers_with) function cannot be compared, so sources that
    /// have one share with those that have one too, and the leading tab's function is
    /// used). Off by default.
    ///
    /// Only a GET is shared. A request with another [`method`](Self::method) is sent once
    /// and its answer belongs to the tab that sent it: another tab taking the lead over
    /// would send it again, and one joining would get the rest of another tab's answer.
    /// Such a source is a private one, as without the option.
    ///
    /// Without HTTP/2 a browser opens at most 6 connections to a host across all its
    /// tabs: a seventh tab's stream, and every other request to that host, waits. With
    /// this option one tab, the leader, holds the connection (elected with the Web Locks
    /// API) and passes its events on to the others over a `BroadcastChannel`. Each tab
    /// still sees a private source: its own listeners and streams, the leader's state
    /// (see [`EventSource::sharing`] for the role), its errors with their attempt and
    /// delay, and [`last_event_id`](EventSource::last_event_id). Followers announce the
    /// event types they subscribe to, and the leader listens for them all.
    ///
    /// When the leader closes, is dropped, or its page goes away (`pagehide`, `freeze`),
    /// another tab takes over, opening the connection after the last event id it saw
    /// (the server must resume by `Last-Event-ID` or the resume query parameter, as for a
    /// [`Reconnect`] policy); a leader that stops answering without letting go is taken
    /// over after about 5 s. Followers drop what they already delivered, so no event is
    /// lost or repeated in any tab; but for an event without an `id:` field that the new
    /// leader's server sends again, which is delivered again, as it cannot be told from a
    /// new one (dropping it could lose a new one). A tab that cannot tell the server where
    /// it resumes (the native transport, with a policy that names no resume parameter)
    /// gets the stream from its start when it takes over, as its own replacements do: the
    /// other tabs drop what they delivered, but its own listeners get it all again. A
    /// follower whose own page was frozen,
    /// or kept in the back/forward cache (the browser delivers nothing to such a page),
    /// asks the leader for what it missed when it is back: the leader keeps its last 256
    /// events, state changes and errors, at most 2^20 characters of event data (however
    /// long the stream was quiet). Past that, or from a leader that
    /// gave way to another meanwhile, it follows from the leader's position.
    ///
    /// What the leader's options decide for all: the [`Reconnect`] policy (a follower
    /// reports the leader's errors; a final one ends every tab's source; a tab that takes
    /// over while the policy waits to retry goes on from its count, after what is left of
    /// its backoff, so a handover does not start the count afresh; a tab that joined
    /// during the outage hears the count from the leader's next beat, within a second,
    /// and one that takes over before that still starts afresh),
    /// [`headers_with`](Self::headers_with) and
    /// [`max_event_size`](Self::max_event_size). A follower starts from the leader's live
    /// position, not from [`last_event_id`](Self::last_event_id).
    /// [`pause_when_hidden`](Self::pause_when_hidden) is not used by a shared source: a
    /// follower costs no connection, and a hidden leader's connection serves the others.
    ///
    /// Where the browser lacks Web Locks or `BroadcastChannel` (an insecure context, an
    /// old browser), or refuses the lock, the source is a private one, exactly as without
    /// the option (and [`pause_when_hidden`](Self::pause_when_hidden) pauses it; a hidden
    /// page's source that becomes private after its grace ran out is paused at the next
    /// check: every second, or every grace period if longer, or later where the browser
    /// throttles a hidden page's timers).
    ///
    /// `share` is a `bool` or a [`ShareAcrossTabs`]. An app that never asks for sharing
    /// links none of its code; a `bool` read at run time (from a setting, say) links it
    /// all, about 19 KB of gzipped wasm, whatever its value: an options struct that may
    /// or may not share holds a [`ShareAcrossTabs`] instead, which links the code only
    /// where [`ShareAcrossTabs::ON`] is named.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use web_eventsource::{EventSource, Reconnect};
    ///
    /// let es = EventSource::builder("/sse")
    ///     .reconnect(Reconnect::default())
    ///     .share_across_tabs(true)
    ///     .open()?;
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn share_across_tabs(mut self, share: impl Into<ShareAcrossTabs>) -> Self {
        self.share = share.into().start();
        self
    }

    /// Opens the source: the browser starts connecting at once.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidUrl`] with the browser's message when the URL does not parse
    /// (relative URLs resolve against the page), and [`Error::Js`] when `EventSource` (or
    /// `fetch`) is not available (outside a browser or worker). [`Error::InvalidOption`]
    /// for an option that cannot be used: an idle timeout or status probe under 1 ms, an
    /// empty resume parameter, a header the browser refuses (given, or returned by
    /// `headers_with` for the first request, or that function throwing), a forbidden
    /// method or HEAD, a body on a GET, a `max_event_size` of 0, a fetch-only option with
    /// [`Transport::Native`], or a [`last_event_id`](Self::last_event_id) with a NUL, CR
    /// or LF. On the fetch transport `InvalidUrl` also refuses a URL that parses but that
    /// `fetch` never loads: one with a user name or password, or a scheme such as `ws:`,
    /// `ftp:`, `file:` or `javascript:`. Any other URL that cannot be fetched is not an
    /// error here: it is reported as a [`ConnectionError`](crate::ConnectionError), final
    /// or retried as the engine, the transport and the policy decide (see
    /// [`ErrorKind`](crate::ErrorKind)).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use web_eventsource::EventSource;
    /// let es = EventSource::builder("/sse").open()?;
    /// # Ok::<(), web_eventsource::Error>(())
    /// ```
    pub fn open(self) -> Result<EventSource, Error> {
        if let Some((policy, _)) = &self.reconnect {
            policy.check()?;
        }
        if let Some(resume) = &self.last_event_id {
            resume.check()?;
        }
        let resume_param = self
            .reconnect
            .as_ref()
            .map_or(Some(DEFAULT_RESUME_PARAM), |(policy, _)| {
                policy.resume_parameter()
            });
        // The request's options name a shared stream; the fetch transport takes them.
        let (fetch, request) = match self.share {
            Some(_) => (self.fetch.clone(), Some(self.fetch)),
            None => (self.fetch, None),
        };
        let opener = match (self.transport, self.fetch_only, self.fetch_start) {
            (Some(Transport::Native), Some(option), _) => {
                return Err(Error::InvalidOption {
                    option,
                    message: "needs the fetch transport, and Transport::Native was asked for"
                        .to_owned(),
                })
            }
            (Some(Transport::Native), None, _) | (_, _, None) => AnyOpener::Native,
            (_, _, Some(start)) => start(&self.url, fetch)?,
        };
        // The browser's `EventSource` takes no header: with no parameter to carry it, the
        // id cannot be sent, and the source starts from the beginning, as the policy's
        // replacements do; `last_event_id()` says so (empty), rather than name a resume
        // point the server never heard of.
        let last_event_id = match self.last_event_id {
            Some(_) if !carries_resume_point(opener.transport(), resume_param) => None,
            resume => resume,
        };
        let opener = match (self.share, &request) {
            (Some(start), Some(request)) => {
                start(opener, &self.url, self.with_credentials, request)
            }
            _ => opener,
        };
        let recovery = self.reconnect.map(|(policy, start)| start(policy));
        let connection = Connection::open(
            &self.url,
            self.with_credentials,
            opener,
            recovery,
            last_event_id,
        )?;
        // Watched even when shared: the watcher pauses only a private source, which a
        // shared one becomes when the browser refuses its lock after all.
        if let Some((grace, watch)) = self.pause_when_hidden {
            watch(&connection, grace);
        }
        Ok(EventSource::from_connection(connection))
    }
}
