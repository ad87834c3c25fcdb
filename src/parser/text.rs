//! The text of a parsed field, shared with the chunk it arrived in where it can be.

use std::fmt;
use std::ops::Range;
use std::rc::Rc;

/// A field's text: a slice of the chunk it arrived in, or a string of its own.
///
/// A clone is a reference-count increment, but for an owned string (only data is owned:
/// it is moved, never cloned; an id is always a slice, of its chunk or of a chunk of its
/// own, since every event carries a clone of it).
///
/// A value that lies wholly in one chunk that is valid UTF-8 (almost every value) is a
/// slice of that chunk, shared by every event parsed from it: no allocation and no copy
/// per event, as V8 slices eventsource-parser's values out of the decoded chunk. A value
/// that spans chunks, joins several `data:` lines, or needed U+FFFD owns its string.
///
/// A slice keeps its chunk (at most the fetch transport's 64 KiB copy slice) alive for as
/// long as it is held: an app that keeps one message in a thousand holds their chunks,
/// which is the same trade V8 makes for the slices of a JavaScript parser.
#[derive(Clone)]
pub(crate) enum Text {
    /// Bytes `range` of a chunk: `range` starts and ends at ASCII bytes (after a `:` or a
    /// space, before a line end), so it is always on character boundaries.
    Slice {
        chunk: Rc<String>,
        range: Range<usize>,
    },
    Owned(String),
}

impl Text {
    /// The `len` bytes of `chunk` from `start` on.
    pub(crate) fn slice(chunk: &Rc<String>, start: usize, len: usize) -> Self {
        Self::Slice {
            chunk: Rc::clone(chunk),
            range: start..start + len,
        }
    }

    /// `text` made shareable: a chunk of its own, so that clones share it.
    pub(crate) fn shared(text: String) -> Self {
        let range = 0..text.len();
        Self::Slice {
            chunk: Rc::new(text),
            range,
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        match self {
            Self::Slice { chunk, range } => chunk.get(range.clone()).unwrap_or_default(),
            Self::Owned(text) => text,
        }
    }

    /// The chunk this text is a slice of, and where in it, in bytes.
    pub(crate) fn in_chunk(&self) -> Option<(&Rc<String>, Range<usize>)> {
        match self {
            Self::Slice { chunk, range } => Some((chunk, range.clone())),
            Self::Owned(_) => None,
        }
    }

    /// A clone, inlined: the parser's dispatch clones the last event id for every event,
    /// and a slice's clone is only a reference count increment. (`clone` stays out of
    /// line, so that its other callers do not each grow by a copy of it.)
    #[inline(always)]
    pub(crate) fn share(&self) -> Self {
        match self {
            Self::Slice { chunk, range } => Self::Slice {
                chunk: Rc::clone(chunk),
                range: range.clone(),
            },
            Self::Owned(text) => owned_clone(text),
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            Self::Slice { range, .. } => range.len(),
            Self::Owned(text) => text.len(),
        }
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Self::Owned(text)
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// An owned text's clone, which the inlined [`Text::share`] calls rather than copies in.
#[inline(never)]
fn owned_clone(text: &str) -> Text {
    Text::Owned(text.to_owned())
}
