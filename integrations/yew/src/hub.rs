//! [`Hub`]: the shared hub ([`web_eventsource_hooks_core::Hub`]) with the Yew hook's side:
//! its options, and the reducer that shows the source.

use web_eventsource::{Error, EventSource, Listener, ReadyState};
use web_eventsource_hooks_core::Frontend;
use yew::UseReducerDispatcher;

use crate::options::Open;
use crate::status::{Report, Status};
use crate::UseEventSourceOptions;

/// Where the hooks of one source meet.
pub(crate) type Hub = web_eventsource_hooks_core::Hub<Reducer>;

/// How a Yew hook opens its source, and the reducer that shows it.
pub(crate) struct Reducer {
    /// Where the source's state and errors go.
    report: UseReducerDispatcher<Status>,
    /// How to open a source with the hook's options.
    open: Open,
}

impl Reducer {
    pub(crate) fn new(report: UseReducerDispatcher<Status>, open: Open) -> Self {
        Self { report, open }
    }
}

/// The hook calls [`Hub::mount`](web_eventsource_hooks_core::Hub::mount) only when its URL
/// or options changed (they are its effect's dependencies), so the default
/// [`Frontend::opens_like`], never, applies.
impl Frontend for Reducer {
    type Options = UseEventSourceOptions;

    fn open(
        &self,
        options: &UseEventSourceOptions,
        url: &str,
        resume_from: &str,
    ) -> Result<EventSource, Error> {
        (self.open)(options, url, resume_from)
    }

    /// Another method or body is another request: another stream, which starts afresh.
    fn resumes(open: &UseEventSourceOptions, asked: &UseEventSourceOptions) -> bool {
        open.method == asked.method && open.body == asked.body
    }

    fn method(options: &UseEventSourceOptions) -> Option<&str> {
        options.method.as_deref()
    }

    fn opened(&self, state: ReadyState, _fresh: bool) {
        self.report.dispatch(Report::Opened(state));
    }

    fn open_failed(&self, error: Error, _fresh: bool) {
        self.report.dispatch(Report::OpenFailed(error));
    }

    /// They hold the reducer's dispatcher, never the hub or the source.
    fn reporters(&self, source: &EventSource) -> Vec<Listener> {
        vec![
            source.on_state_change({
                let report = self.report.clone();
                move |state| report.dispatch(Report::State(state))
            }),
            source.on_error({
                let report = self.report.clone();
                move |err| report.dispatch(Report::Error(err))
            }),
        ]
    }
}
