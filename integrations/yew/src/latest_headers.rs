//! [`LatestHeadersWith`]: the hook's own stand-in for the `headers_with` callback of its
//! options, so that a closure made anew in every render does not reopen the source.

use std::cell::RefCell;
use std::rc::Rc;

use yew::Callback;

use crate::UseEventSourceOptions;

/// What [`UseEventSourceOptions::headers_with`] holds.
type HeadersWith = Callback<(), Vec<(String, String)>>;

/// A [`Callback`] compares by pointer, so a closure written inline in a component is a
/// new value in every render. Were that a change of options, each render would reopen
/// the source; the source's next state would render again, and reopen again, for ever.
/// Instead the hook gives the source a stand-in made once per hook, which calls the
/// callback of the latest render: the options compare equal while only the callback
/// changed, and the next request still asks the newest one.
pub(crate) struct LatestHeadersWith {
    latest: Rc<RefCell<Option<HeadersWith>>>,
    stand_in: HeadersWith,
}

impl LatestHeadersWith {
    pub(crate) fn new() -> Self {
        let latest = Rc::new(RefCell::new(None::<HeadersWith>));
        let stand_in = Callback::from({
            let latest = Rc::clone(&latest);
            move |()| {
                // Cloned out first: no borrow is held while the user's code runs.
                let current = latest.borrow().clone();
                current
                    .map(|headers_with| headers_with.emit(()))
                    .unwrap_or_default()
            }
        });
        Self { latest, stand_in }
    }

    /// Keeps `options`' callback as the latest, and returns `options` with the stand-in
    /// in its place (still `None` when there is none: that choice is the transport's,
    /// and changing it reopens the source).
    pub(crate) fn stand_in_for(&self, mut options: UseEventSourceOptions) -> UseEventSourceOptions {
        let headers_with = options.headers_with.take();
        if headers_with.is_some() {
            options.headers_with = Some(self.stand_in.clone());
        }
        self.latest.replace(headers_with);
        options
    }
}
