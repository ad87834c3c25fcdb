//! [`Hub`]: the shared hub ([`web_eventsource_hooks_core::Hub`]) with the Dioxus hooks'
//! side: their options, and the signals that show the source.

use web_eventsource::{Error, EventSource, Listener, Message, ReadyState};
use web_eventsource_hooks_core::Frontend;

use crate::options::{LatestHeadersWith, Open};
use crate::report::Report;
use crate::UseEventSourceOptions;

/// Where the hooks of one source meet.
pub(crate) type Hub = web_eventsource_hooks_core::Hub<Signals>;

/// How a Dioxus hook opens its source, and the signals that show it.
pub(crate) struct Signals {
    /// Where the source's state, errors and messages go.
    pub(crate) report: Report,
    /// How to open a source with the hook's options.
    open: Open,
    /// The latest render's `headers_with` callback, which every request calls.
    latest_headers_with: LatestHeadersWith,
}

impl Signals {
    pub(crate) fn new(report: Report, open: Open, latest_headers_with: LatestHeadersWith) -> Self {
        Self {
            report,
            open,
            latest_headers_with,
        }
    }
}

impl Frontend for Signals {
    type Options = UseEventSourceOptions;

    fn open(
        &self,
        options: &UseEventSourceOptions,
        url: &str,
        resume_from: &str,
    ) -> Result<EventSource, Error> {
        (self.open)(options, url, resume_from, &self.latest_headers_with)
    }

    /// The hook's options are compared by value, but for the `headers_with` callback,
    /// which is made anew in every render (see [`UseEventSourceOptions::opens_like`]).
    fn opens_like(open: &UseEventSourceOptions, asked: &UseEventSourceOptions) -> bool {
        open.opens_like(asked)
    }

    /// Another method or body is another request: another stream, which starts afresh.
    fn resumes(open: &UseEventSourceOptions, asked: &UseEventSourceOptions) -> bool {
        open.method == asked.method && open.body == asked.body
    }

    fn method(options: &UseEventSourceOptions) -> Option<&str> {
        options.method.as_deref()
    }

    fn opened(&self, state: ReadyState, fresh: bool) {
        self.report.opened(state, fresh);
    }

    fn open_failed(&self, error: Error, fresh: bool) {
        self.report.open_failed(error, fresh);
    }

    /// They hold the signals, never the hub or the source. The `message` one comes first,
    /// so that its deferred writes of the message and id queue ahead of those of the
    /// listener hooks of `message` events, in the events' order.
    fn reporters(&self, source: &EventSource) -> Vec<Listener> {
        vec![
            source.on_message({
                let report = self.report.clone();
                move |message| report.message(&message)
            }),
            source.on_state_change({
                let report = self.report.clone();
                move |state| report.state(state)
            }),
            source.on_error({
                let report = self.report.clone();
                move |err| report.error(err)
            }),
        ]
    }

    fn seen(&self, message: &Message) {
        self.report.seen(message);
    }
}
