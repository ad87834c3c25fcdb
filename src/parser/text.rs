//! The text of a parsed field, shared with the chunk it arrived in where it can be.

use std::fmt;
use std::ops::Range;
use std::rc::Rc;

/// A field's text: a slice of the chunk it arrived in, or a string of its own.
///
/// A clone is a reference-count increment: a string of its own is held as a chunk of its
/// own (an id is shared by every event that carries it; data that joins several lines is
/// moved, never cloned).
///
/// A value that lies wholly in one chunk that is valid UTF-8 (almost every value) is a
/// slice of that chunk, shared by every event parsed from it: no allocation and no copy
/// per event, as V8 slices eventsource-parser's values out of the decoded chunk. A value
/// that spans chunks, joins several `data:` lines, or needed U+FFFD has a chunk of its
/// own.
///
/// Three words, with no variant to tell apart: the parser's events (two of these, and
/// the type) are moved from the parser to the transport's queue and on to a `Message`
/// once per event, and a move of more than 32 bytes is a `memory.copy` call in wasm at
/// opt-level "z", which costs V8 a call into the runtime each time.
///
/// A slice keeps its chunk (at most the fetch transport's 64 KiB copy slice) alive for as
/// long as it is held: an app that keeps one message in a thousand holds their chunks,
/// which is the same trade V8 makes for the slices of a JavaScript parser.
#[derive(Clone)]
pub(crate) struct Text {
    chunk: Rc<String>,
    /// Where the text lies in `chunk`: it starts and ends at ASCII bytes (after a `:` or a
    /// space, or at the line's end for the empty value of a line with no colon; before a
    /// line end) or at the chunk's ends, so always on character boundaries. A slice of a
    /// chunk of the stream never starts at 0, as the field's name comes before its value
    /// in the same chunk: a range from 0 is a chunk of its own.
    range: Range<usize>,
}

impl Text {
    /// The `len` bytes of `chunk` from `start` on, which is never 0 (see `range`).
    pub(crate) fn slice(chunk: &Rc<String>, start: usize, len: usize) -> Self {
        debug_assert_ne!(start, 0, "a value's field name comes first in its chunk");
        Self {
            chunk: Rc::clone(chunk),
            range: start..start + len,
        }
    }

    /// `text` as a chunk of its own, so that clones share it.
    pub(crate) fn shared(text: String) -> Self {
        let range = 0..text.len();
        Self {
            chunk: Rc::new(text),
            range,
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        self.chunk.get(self.range.clone()).unwrap_or_default()
    }

    /// The chunk of the stream this text is a slice of, and where in it, in bytes; `None`
    /// for a text with a chunk of its own.
    pub(crate) fn in_chunk(&self) -> Option<(&Rc<String>, Range<usize>)> {
        (self.range.start != 0).then(|| (&self.chunk, self.range.clone()))
    }

    /// A clone, inlined: the parser's dispatch clones the last event id for every event,
    /// and a clone is only a reference count increment.
    #[inline(always)]
    pub(crate) fn share(&self) -> Self {
        Self {
            chunk: Rc::clone(&self.chunk),
            range: self.range.clone(),
        }
    }

    /// The bytes the text keeps alive: its chunk's, all of them.
    #[cfg(test)]
    pub(crate) fn held_capacity(&self) -> usize {
        self.chunk.capacity()
    }

    pub(crate) fn len(&self) -> usize {
        self.range.len()
    }

    /// This text with a string of its own, so that it no longer keeps its chunk alive
    /// (a clone when it has one already).
    pub(crate) fn detached(&self) -> Self {
        match self.in_chunk() {
            Some(_) => Self::shared(self.as_str().to_owned()),
            None => self.share(),
        }
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Self::shared(text)
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
