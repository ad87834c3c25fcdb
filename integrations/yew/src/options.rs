//! [`UseEventSourceOptions`]: how the hook opens its source.

use std::time::Duration;

use web_eventsource::{Builder, Error, EventSource, Reconnect, ShareAcrossTabs, Transport};
#[cfg(not(feature = "fetch"))]
use web_eventsource_hooks_core::FetchFields;
use yew::Callback;

/// Options of [`use_event_source_with_options`](crate::use_event_source_with_options), in
/// the style of yew-hooks' `UseWebSocketOptions`: public fields and a [`Default`] that
/// behaves like the browser's own `EventSource` (no credentials, no policy, no pause, the
/// native transport, a connection of its own).
///
/// A change of options between renders closes the source and opens a new one with the new
/// options, resuming after the last event id (a new token in
/// [`headers`](Self::headers), say, continues the stream); a new
/// [`headers_with`](Self::headers_with) callback is the one change that reopens nothing
/// (see there). A change of URL starts afresh, and so does a new
/// [`method`](Self::method) or [`body`](Self::body) (a chat's next prompt, say): another
/// request is another stream, whose event ids do not go on from the first's.
///
/// The fetch transport's options ([`transport`](Self::transport),
/// [`headers`](Self::headers), [`headers_with`](Self::headers_with),
/// [`method`](Self::method), [`body`](Self::body), [`max_event_size`](Self::max_event_size))
/// are the core [`Builder`](web_eventsource::Builder)'s, passed through: see there for
/// what each does on the wire. Those the core refuses (a header the browser refuses, a
/// body on a GET, a fetch-only option with [`Transport::Native`]) open nothing: the state
/// is `Closed` and the handle's [`error`](crate::UseEventSourceHandle::error) is
/// [`UseEventSourceError::Open`](crate::UseEventSourceError::Open) with
/// [`Error::InvalidOption`] naming the option.
///
/// **`transport: Some(Transport::Fetch)`, `headers`, `headers_with`, `method` and `body`
/// need the crate's `fetch` feature** (`web-eventsource-yew = { ..., features = ["fetch"] }`):
/// plain fields cannot choose at compile time what an app links, so without the feature
/// the hook links none of the fetch transport (about 9 KB gzipped), and any of those
/// fields opens nothing, with [`Error::InvalidOption`] naming the option as the core does
/// (`header` for `headers`) and the feature.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use web_eventsource::Reconnect;
/// use web_eventsource_yew::UseEventSourceOptions;
///
/// let options = UseEventSourceOptions {
///     with_credentials: true,
///     reconnect: Some(Reconnect::default().max_retries(Some(10))),
///     pause_when_hidden: Some(Duration::from_secs(30)),
///     ..Default::default()
/// };
/// assert_ne!(options, UseEventSourceOptions::default());
/// ```
///
/// A bearer token, which the browser's own `EventSource` cannot send (this chooses the
/// fetch transport, and needs the `fetch` feature):
///
/// ```
/// use web_eventsource_yew::UseEventSourceOptions;
///
/// let options = UseEventSourceOptions {
///     headers: vec![("Authorization".into(), "Bearer my-token".into())],
///     ..Default::default()
/// };
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UseEventSourceOptions {
    /// Send cookies and HTTP authentication with a cross-origin request (see
    /// [`Builder::with_credentials`](web_eventsource::Builder::with_credentials)).
    pub with_credentials: bool,
    /// Replace a connection the browser gives up on, after a backoff, resuming after the
    /// last event id (see [`Reconnect`]). `None`: a failure is final, as in the browser.
    /// A zero idle timeout is refused: nothing opens, the state is `Closed` and the
    /// handle's [`error`](crate::UseEventSourceHandle::error) is
    /// [`UseEventSourceError::Open`](crate::UseEventSourceError::Open) naming
    /// `idle_timeout` (use `None` for no idle timeout).
    pub reconnect: Option<Reconnect>,
    /// Close the connection while the page is hidden for longer than this, and resume it
    /// when the page is visible again (see
    /// [`Builder::pause_when_hidden`](web_eventsource::Builder::pause_when_hidden)).
    pub pause_when_hidden: Option<Duration>,
    /// What carries the events (see
    /// [`Builder::transport`](web_eventsource::Builder::transport)). `None` (the
    /// default): the browser's own `EventSource`, unless one of `headers`,
    /// `headers_with`, `method` or `body` is set, which choose [`Transport::Fetch`].
    ///
    /// # Errors
    ///
    /// `Some(Transport::Native)` together with any of those four opens nothing: the
    /// handle's error is [`Error::InvalidOption`] naming the first of them.
    ///
    /// # Examples
    ///
    /// ```
    /// use web_eventsource::Transport;
    /// use web_eventsource_yew::UseEventSourceOptions;
    ///
    /// // Fetch without any header: a real `Last-Event-ID` on every reconnect, the HTTP
    /// // status of a failure, no DOM event per message.
    /// let options = UseEventSourceOptions {
    ///     transport: Some(Transport::Fetch),
    ///     ..Default::default()
    /// };
    /// ```
    pub transport: Option<Transport>,
    /// Headers sent with every request (fetch transport, which a non-empty list chooses;
    /// see [`Builder::header`](web_eventsource::Builder::header)). A cross-origin request
    /// with a custom header is preflighted: the server must allow it (CORS). The order of
    /// different names is no change: a list collected from a `HashMap` on each render
    /// does not reopen the source (the headers of one name keep their order).
    ///
    /// # Errors
    ///
    /// A name or value that is not valid HTTP (`"bad name"`, a value with a line break)
    /// opens nothing: the handle's error is [`Error::InvalidOption`] naming `header`. So
    /// does a header the browser keeps to itself (`Cookie`, `Host`...), which it would
    /// drop without a word.
    ///
    /// # Examples
    ///
    /// ```
    /// use web_eventsource_yew::UseEventSourceOptions;
    ///
    /// let options = UseEventSourceOptions {
    ///     headers: vec![
    ///         ("Authorization".into(), "Bearer my-token".into()),
    ///         ("X-Client".into(), "dashboard".into()),
    ///     ],
    ///     ..Default::default()
    /// };
    /// ```
    pub headers: Vec<(String, String)>,
    /// Called before every request, the first and each reconnect, for headers to send
    /// after [`headers`](Self::headers) (fetch transport, which this chooses; see
    /// [`Builder::headers_with`](web_eventsource::Builder::headers_with)): a token
    /// refreshed meanwhile is the one the next reconnect sends.
    ///
    /// A [`Callback`] compares by pointer, so a closure made anew in every render would
    /// differ every time. The hook does not reopen for that: it keeps the callback of
    /// the latest render and calls it before the next request. Only a change between
    /// `None` and `Some` reopens the source (it changes the transport).
    ///
    /// # Errors
    ///
    /// A header it returns that is not valid HTTP: on the first request nothing opens
    /// (the handle's error is [`Error::InvalidOption`] naming `header`); on a reconnect
    /// that attempt fails ([`ErrorKind::Failed`](web_eventsource::ErrorKind::Failed),
    /// final without a [`reconnect`](Self::reconnect) policy), and the error's
    /// [`request_error`](web_eventsource::ConnectionError::request_error) is that
    /// `InvalidOption`.
    ///
    /// # Examples
    ///
    /// ```
    /// use web_eventsource_yew::{use_event_source_with_options, UseEventSourceOptions};
    /// use yew::prelude::*;
    ///
    /// fn current_token() -> String {
    ///     "my-token".to_owned()
    /// }
    ///
    /// #[component]
    /// fn Private() -> Html {
    ///     let es = use_event_source_with_options(
    ///         "/private/sse",
    ///         UseEventSourceOptions {
    ///             headers_with: Some(Callback::from(|()| {
    ///                 vec![("Authorization".into(), format!("Bearer {}", current_token()))]
    ///             })),
    ///             ..Default::default()
    ///         },
    ///     );
    ///     html! { <p>{ es.ready_state().to_string() }</p> }
    /// }
    /// ```
    pub headers_with: Option<Callback<(), Vec<(String, String)>>>,
    /// The request method, e.g. `"POST"` (fetch transport, which this chooses; `None`:
    /// GET). With a method other than GET the end of the response body closes the source
    /// (the state becomes `Closed`), and the request, body included, is sent again only
    /// by a [`reconnect`](Self::reconnect) policy after a failure, or by
    /// [`reopen`](crate::UseEventSourceHandle::reopen) (see
    /// [`Builder::method`](web_eventsource::Builder::method)). New options with the same
    /// method and body (a new token, say) reopen the source while it runs, but once it
    /// has ended they wait for `reopen`: a chat's prompt is not asked again by itself.
    ///
    /// # Errors
    ///
    /// A method the browser forbids (`CONNECT`, `TRACE`, `TRACK`), HEAD (whose answer has
    /// no body) or one that is no HTTP token opens nothing: the handle's error is [`Error::InvalidOption`] naming
    /// `method`.
    ///
    /// # Examples
    ///
    /// ```
    /// use web_eventsource_yew::UseEventSourceOptions;
    ///
    /// let options = UseEventSourceOptions {
    ///     method: Some("POST".into()),
    ///     headers: vec![("Content-Type".into(), "application/json".into())],
    ///     body: Some(r#"{"prompt": "hello"}"#.into()),
    ///     ..Default::default()
    /// };
    /// ```
    pub method: Option<String>,
    /// The request body (fetch transport, which this chooses; see
    /// [`Builder::body`](web_eventsource::Builder::body)). Needs a
    /// [`method`](Self::method) other than GET.
    ///
    /// # Errors
    ///
    /// A body without a method, or with `GET` or `HEAD`, opens nothing: the handle's
    /// error is [`Error::InvalidOption`] naming `body`.
    ///
    /// # Examples
    ///
    /// ```
    /// use web_eventsource_yew::UseEventSourceOptions;
    ///
    /// let options = UseEventSourceOptions {
    ///     method: Some("POST".into()),
    ///     body: Some("q=rust".into()),
    ///     ..Default::default()
    /// };
    /// ```
    pub body: Option<String>,
    /// The most one event may buffer on the fetch transport, in bytes (`None`: the core's
    /// default, 16 MiB; see
    /// [`Builder::max_event_size`](web_eventsource::Builder::max_event_size)). Past it the
    /// connection fails with [`ErrorKind::TooLarge`](web_eventsource::ErrorKind::TooLarge),
    /// final without a policy. It does not choose the fetch transport by itself, and the
    /// browser's own `EventSource` has no such limit.
    ///
    /// # Examples
    ///
    /// ```
    /// use web_eventsource::Transport;
    /// use web_eventsource_yew::UseEventSourceOptions;
    ///
    /// let options = UseEventSourceOptions {
    ///     transport: Some(Transport::Fetch),
    ///     max_event_size: Some(1 << 20),
    ///     ..Default::default()
    /// };
    /// ```
    pub max_event_size: Option<usize>,
    /// Share one connection with every other source of the browser (this tab's or another
    /// tab's, same origin) that opens the same stream: the same resolved URL, credentials,
    /// transport and headers (a [`headers_with`](Self::headers_with) callback cannot be
    /// compared: sources that have one share with those that have one too; only a GET is
    /// shared, and another method's source stays private). One tab holds the
    /// connection and passes its events on, so that many tabs do not use up the browser's
    /// 6 connections per host (without HTTP/2); the hook still sees a source of its own,
    /// with its state, errors and last event id, and its listener and history hooks get
    /// every event. [`ShareAcrossTabs::OFF`] (the default): a connection of its own.
    ///
    /// A [`ShareAcrossTabs`], not a `bool`: a `bool` read at run time would link the
    /// sharing code (about 18 KB of gzipped wasm) into every app that uses these options,
    /// whether or not it shares; a [`ShareAcrossTabs`] links it only into an app that
    /// names [`ShareAcrossTabs::ON`] (or converts a `bool` to one, with `.into()`).
    ///
    /// Where the browser lacks Web Locks or `BroadcastChannel` (an insecure context, an
    /// old browser), the source is a private one, as without this option. A shared source
    /// does not use [`pause_when_hidden`](Self::pause_when_hidden). What the leading
    /// tab's options decide for all, and how another tab takes over: see
    /// [`Builder::share_across_tabs`](web_eventsource::Builder::share_across_tabs). This
    /// tab's role is [`EventSource::sharing`] of the handle's
    /// [`source`](crate::UseEventSourceHandle::source).
    ///
    /// # Examples
    ///
    /// ```
    /// use web_eventsource::{ShareAcrossTabs, Sharing};
    /// use web_eventsource_yew::{use_event_source_with_options, UseEventSourceOptions};
    /// use yew::prelude::*;
    ///
    /// #[component]
    /// fn Ticker() -> Html {
    ///     let es = use_event_source_with_options(
    ///         "/sse",
    ///         UseEventSourceOptions {
    ///             share_across_tabs: ShareAcrossTabs::ON,
    ///             ..Default::default()
    ///         },
    ///     );
    ///     // As of this render: a change of role alone does not render.
    ///     let role = match es.source().map(|source| source.sharing()) {
    ///         Some(Sharing::Leader { tabs }) => format!("holds the connection for {tabs} tabs"),
    ///         Some(Sharing::Follower { .. }) => "another tab holds the connection".to_owned(),
    ///         _ => "a connection of its own".to_owned(),
    ///     };
    ///     html! { <p>{ format!("{} ({role})", es.ready_state()) }</p> }
    /// }
    /// ```
    pub share_across_tabs: ShareAcrossTabs,
}

/// How a hook opens its source: a function chosen at compile time, so that an app that
/// never asks for options links none of the policy's, the pause's, the fetch
/// transport's or the sharing code (the core's [`Builder`](web_eventsource::Builder) links
/// them only when asked for, likewise; the options link the fetch transport only with the
/// `fetch` feature).
pub(crate) type Open = fn(&UseEventSourceOptions, &str, &str) -> Result<EventSource, Error>;

/// Opens a plain source, as the browser's `EventSource` does, resuming after
/// `resume_from` if it is not empty: for [`use_event_source`](crate::use_event_source),
/// whose options are always the default.
pub(crate) fn open_plain(
    _: &UseEventSourceOptions,
    url: &str,
    resume_from: &str,
) -> Result<EventSource, Error> {
    EventSource::builder(url).last_event_id(resume_from).open()
}

impl UseEventSourceOptions {
    /// Opens a source at `url` with these options, resuming after `resume_from` if it is
    /// not empty.
    pub(crate) fn open(&self, url: &str, resume_from: &str) -> Result<EventSource, Error> {
        let mut builder = EventSource::builder(url)
            .with_credentials(self.with_credentials)
            .last_event_id(resume_from);
        if let Some(policy) = &self.reconnect {
            builder = builder.reconnect(policy.clone());
        }
        if let Some(grace) = self.pause_when_hidden {
            builder = builder.pause_when_hidden(grace);
        }
        if let Some(bytes) = self.max_event_size {
            builder = builder.max_event_size(bytes);
        }
        self.with_fetch_options(builder)?
            .share_across_tabs(self.share_across_tabs)
            .open()
    }

    /// `builder` with the fetch transport's options. With `Native`, the core refuses the
    /// first fetch-only option, naming it.
    #[cfg(feature = "fetch")]
    fn with_fetch_options(&self, builder: Builder) -> Result<Builder, Error> {
        let headers_with = self.headers_with.clone();
        Ok(web_eventsource_hooks_core::apply_fetch_options(
            builder,
            self.transport,
            &self.headers,
            headers_with.map(|callback| move || callback.emit(())),
            self.method.as_deref(),
            self.body.as_deref(),
        ))
    }

    /// Without the `fetch` feature: `builder` as it is when no fetch field is set (the
    /// builder's `transport` is not called even for `Native`, the default, as it names the
    /// fetch transport's code), else the error naming the first.
    #[cfg(not(feature = "fetch"))]
    fn with_fetch_options(&self, builder: Builder) -> Result<Builder, Error> {
        let fields = FetchFields {
            transport: self.transport,
            headers: !self.headers.is_empty(),
            headers_with: self.headers_with.is_some(),
            method: self.method.is_some(),
            body: self.body.is_some(),
        };
        fields
            .refuse_without_fetch(web_eventsource_hooks_core::fetch_feature_message!())
            .map(|()| builder)
    }
}

#[cfg(all(test, not(feature = "fetch")))]
mod tests {
    use super::UseEventSourceOptions;
    use web_eventsource::{Error, Transport};

    #[test]
    fn without_the_fetch_feature_a_fetch_field_opens_nothing_and_names_the_feature() {
        let options = UseEventSourceOptions {
            transport: Some(Transport::Native),
            headers: vec![("Authorization".into(), "Bearer token".into())],
            ..Default::default()
        };
        match options.open("/sse", "") {
            Err(Error::InvalidOption { option, message }) => {
                assert_eq!(option, "header", "as the core names it");
                assert!(
                    message.contains("web-eventsource-yew links only with its `fetch` feature"),
                    "{message}"
                );
            }
            other => panic!("expected the fetch feature's refusal, got {other:?}"),
        }
    }
}
