//! [`ShareAcrossTabs`]: whether to share, as a value that links the sharing code only
//! where it is on.

use std::fmt;

use super::{start, Start};

/// Whether a source shares its connection with the browser's other tabs: see
/// [`Builder::share_across_tabs`](crate::Builder::share_across_tabs) for what sharing does.
///
/// A `bool` says the same, but code that reads a `bool` at run time must link the sharing
/// code (about 18 KB of gzipped wasm, BENCHMARKS.md) whether or not it is ever true. This value holds
/// the code itself: an app links it only if it names [`ShareAcrossTabs::ON`] (or converts a
/// `bool` that is not a constant). That is why options structs (the Yew and Dioxus hooks')
/// hold one.
///
/// The constants cannot be used as patterns (the value holds a function): test a value
/// with [`is_on`](Self::is_on), or compare it with `==`.
///
/// # Examples
///
/// ```no_run
/// use web_eventsource::{EventSource, ShareAcrossTabs};
///
/// let es = EventSource::builder("/sse")
///     .share_across_tabs(ShareAcrossTabs::ON)
///     .open()?;
/// # Ok::<(), web_eventsource::Error>(())
/// ```
///
/// ```
/// use web_eventsource::ShareAcrossTabs;
///
/// assert!(ShareAcrossTabs::ON.is_on());
/// assert_eq!(ShareAcrossTabs::default(), ShareAcrossTabs::OFF);
/// assert_eq!(ShareAcrossTabs::from(true), ShareAcrossTabs::ON);
/// assert_eq!(format!("{:?}", ShareAcrossTabs::OFF), "ShareAcrossTabs::OFF");
/// ```
#[derive(Clone, Copy, Default)]
pub struct ShareAcrossTabs(Option<Start>);

impl ShareAcrossTabs {
    /// A connection of the source's own (the default).
    pub const OFF: Self = Self(None);
    /// One connection for every source of the browser that opens the same stream.
    pub const ON: Self = Self(Some(start));

    /// Whether sharing is asked for.
    ///
    /// # Examples
    ///
    /// ```
    /// use web_eventsource::ShareAcrossTabs;
    ///
    /// assert!(!ShareAcrossTabs::OFF.is_on());
    /// ```
    pub const fn is_on(self) -> bool {
        self.0.is_some()
    }

    /// The function that wraps the opener, when sharing is on.
    pub(crate) fn start(self) -> Option<Start> {
        self.0
    }
}

impl From<bool> for ShareAcrossTabs {
    /// [`ON`](Self::ON) for `true`, [`OFF`](Self::OFF) for `false`. Inlined, so that a
    /// constant `false` links nothing.
    #[inline]
    fn from(share: bool) -> Self {
        if share {
            Self::ON
        } else {
            Self::OFF
        }
    }
}

// By what they ask for: there is only one sharing function, and comparing function
// pointers is not reliable (the same function may have two addresses).
impl PartialEq for ShareAcrossTabs {
    fn eq(&self, other: &Self) -> bool {
        self.is_on() == other.is_on()
    }
}

impl Eq for ShareAcrossTabs {}

impl std::hash::Hash for ShareAcrossTabs {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.is_on().hash(state);
    }
}

impl fmt::Debug for ShareAcrossTabs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.is_on() {
            "ShareAcrossTabs::ON"
        } else {
            "ShareAcrossTabs::OFF"
        })
    }
}
