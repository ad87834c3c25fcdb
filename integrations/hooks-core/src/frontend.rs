//! [`Frontend`]: what a framework's hooks give the [`Hub`](crate::Hub): how to open a
//! source with their options, and where its state, errors and messages go.

use web_eventsource::{Error, EventSource, Listener, Message, ReadyState};

/// A framework's side of a [`Hub`](crate::Hub): the hook's options, how to open a source
/// with them, and how the hook's state follows the source. The Yew hooks report into a
/// reducer, the Dioxus hooks into signals.
pub trait Frontend: 'static {
    /// The hook's options.
    type Options: Clone;

    /// Opens a source at `url` with `options`, resuming after `resume_from` when it is not
    /// empty.
    ///
    /// # Errors
    ///
    /// What [`Builder::open`](web_eventsource::Builder::open) says of the URL or the
    /// options.
    fn open(
        &self,
        options: &Self::Options,
        url: &str,
        resume_from: &str,
    ) -> Result<EventSource, Error>;

    /// Whether a source opened with `open` serves a hook now asking for `asked` at the same
    /// URL, so that the hub keeps it. By default never: the framework calls
    /// [`Hub::mount`](crate::Hub::mount) only when the URL or the options changed.
    fn opens_like(open: &Self::Options, asked: &Self::Options) -> bool {
        let _ = (open, asked);
        false
    }

    /// Whether a source opened with `open` and one asked for with `asked` at the same URL
    /// are the same stream, so that the new source resumes after the last event id. By
    /// default always: a new token or a new policy goes on with the stream. A different
    /// request is another stream (another method or body: a chat's next prompt, say),
    /// which starts afresh, as a new URL does; a framework whose options carry the request
    /// says so here.
    fn resumes(open: &Self::Options, asked: &Self::Options) -> bool {
        let _ = (open, asked);
        true
    }

    /// The request method `options` name (`None`: GET, the default). A source whose
    /// method is not GET sends its request once: once it has ended, new options that
    /// [resume](Self::resumes) it do not send it again, only [`Hub::reopen`](crate::Hub::reopen)
    /// does. By default GET.
    fn method(options: &Self::Options) -> Option<&str> {
        let _ = options;
        None
    }

    /// A source opened in `state`; `fresh` when it is not the stream open before (a new URL,
    /// or another request, starts afresh; at the same stream the new source resumes after
    /// the last event id, which the hook goes on showing).
    fn opened(&self, state: ReadyState, fresh: bool);

    /// No source opened: `error` says why, and the hook's state is `Closed`; `fresh` as
    /// for [`opened`](Self::opened): at a new URL (or for another request) there is no
    /// resume point left, while at the same stream the last event id is kept for the next
    /// open ([`Hub::last_event_id`](crate::Hub::last_event_id)).
    fn open_failed(&self, error: Error, fresh: bool);

    /// The listeners that report `source`'s state and errors (and messages, if the hook
    /// shows them) to the hook, attached before any hook listener. They must hold no
    /// [`Hub`](crate::Hub) nor the source: no reference cycle may keep a connection open.
    fn reporters(&self, source: &EventSource) -> Vec<Listener>;

    /// A hook listener is about to be handed `message`: the hook's resume point may follow
    /// it, now (so that the callback reads the id it is handed) or later (once a burst of
    /// events is over). By default nothing.
    fn seen(&self, message: &Message) {
        let _ = message;
    }
}
