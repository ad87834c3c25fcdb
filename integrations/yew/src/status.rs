//! [`Status`]: what the hook renders from (the ready state and the last error), kept in a
//! Yew reducer so that each report applies to the latest value, never to a stale copy.

use std::rc::Rc;

use web_eventsource::{ConnectionError, Error, ReadyState};
use web_eventsource_hooks_core::{ends_at, first_state};
use yew::Reducible;

use crate::UseEventSourceError;

/// The state of the hook's source as of the last report.
#[derive(Debug, Clone)]
pub(crate) struct Status {
    pub(crate) ready_state: ReadyState,
    pub(crate) error: Option<UseEventSourceError>,
    /// Bumped by every change, so that equality (for props) needs no `PartialEq` on
    /// errors, which hold JS values.
    revision: u64,
}

impl Status {
    /// Before the first effect runs (and always on the server): see
    /// [`first_state`](web_eventsource_hooks_core::first_state).
    pub(crate) fn initial(url: &str) -> Self {
        Self {
            ready_state: first_state(url),
            error: None,
            revision: 0,
        }
    }
}

impl PartialEq for Status {
    fn eq(&self, other: &Self) -> bool {
        self.revision == other.revision && self.ready_state == other.ready_state
    }
}

/// A report from the source, applied in the order it happened.
#[derive(Debug)]
pub(crate) enum Report {
    /// A new source was opened (a new URL, new options, or `reopen()`): its first state,
    /// and no error yet.
    Opened(ReadyState),
    /// The source could not be opened (a refused URL or option).
    OpenFailed(Error),
    /// The source changed state.
    State(ReadyState),
    /// The source reported an error.
    Error(ConnectionError),
}

impl Reducible for Status {
    type Action = Report;

    fn reduce(self: Rc<Self>, report: Report) -> Rc<Self> {
        let (ready_state, error) = match report {
            // Nothing to show: returning the same value spares a render.
            Report::State(state) if state == self.ready_state => return self,
            // A "will reconnect" error is over once the source is open again, or closed.
            Report::State(state) if self.error.as_ref().is_some_and(|err| ends_at(err, state)) => {
                (state, None)
            }
            Report::State(state) => (state, self.error.clone()),
            // A new source in the state already shown, with no error to clear.
            Report::Opened(state) if state == self.ready_state && self.error.is_none() => {
                return self
            }
            Report::Opened(state) => (state, None),
            Report::OpenFailed(err) => (ReadyState::Closed, Some(UseEventSourceError::Open(err))),
            // The state the error carries agrees with it (`Closed` in a final one).
            Report::Error(err) => (
                err.ready_state(),
                Some(UseEventSourceError::Connection(err)),
            ),
        };
        Rc::new(Self {
            ready_state,
            error,
            revision: self.revision + 1,
        })
    }
}
