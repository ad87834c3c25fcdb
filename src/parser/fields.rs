//! What one complete line means: the field rules and the dispatch of WHATWG HTML §9.2.6.

use std::borrow::Cow;
use std::rc::Rc;

use super::{bounded_capacity, Item, ParsedEvent, Text, TooLarge, KEPT_CAPACITY};

/// Where a line lies: in a chunk shared as text, at this byte offset.
pub(super) type Place<'a> = Option<(&'a Rc<String>, usize)>;

/// The field a line names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Data,
    Event,
    Id,
    Retry,
    /// Any other name, which the standard ignores.
    Other,
}

impl Field {
    /// The field called `name`. A name with a bad byte decodes to U+FFFD, so it cannot
    /// equal a known name: the names compare as bytes (array patterns compile to a length
    /// test and byte compares, not a memcmp call).
    fn named(name: &[u8]) -> Self {
        match name {
            [b'd', b'a', b't', b'a'] => Self::Data,
            [b'e', b'v', b'e', b'n', b't'] => Self::Event,
            [b'i', b'd'] => Self::Id,
            [b'r', b'e', b't', b'r', b'y'] => Self::Retry,
            _ => Self::Other,
        }
    }
}

/// The buffers the standard associates with a stream.
#[derive(Debug)]
pub(super) struct Fields {
    /// The data buffer: each `data:` value followed by an LF.
    data: String,
    /// The event's first `data:` value while it is its only one and lies in a chunk
    /// shared as text: kept as a slice of that chunk (the buffer is then empty), and
    /// copied into the buffer only if a second `data:` line comes.
    data_slice: Option<Text>,
    /// The event type buffer.
    event_type: String,
    /// The last event ID buffer, which `id:` lines set.
    id: Text,
    /// An `id:` line came since the last dispatch: only then can the buffer differ from
    /// the last event ID string, so a dispatch compares them only then.
    id_set: bool,
    /// The last event ID string, which a dispatch sets from the buffer. Events share it.
    last_event_id: Text,
}

impl Fields {
    pub(super) fn new(last_event_id: &str) -> Self {
        Self {
            data: String::new(),
            data_slice: None,
            event_type: String::new(),
            id: Text::shared(last_event_id.to_owned()),
            id_set: false,
            last_event_id: Text::shared(last_event_id.to_owned()),
        }
    }

    pub(super) fn last_event_id(&self) -> &Text {
        &self.last_event_id
    }

    /// The data buffer's length, counting a slice and its LF.
    #[inline(always)]
    pub(super) fn data_len(&self) -> usize {
        match &self.data_slice {
            Some(slice) => slice.len() + 1,
            None => self.data.len(),
        }
    }

    /// The capacity of the buffers that grow with the input: the data and the type.
    #[cfg(test)]
    pub(super) fn buffered_capacity(&self) -> usize {
        self.data.capacity() + self.event_type.capacity()
    }

    /// Whether lines since the last dispatch would change what the next one does.
    pub(super) fn has_pending_event(&self) -> bool {
        self.data_len() != 0 || !self.event_type.is_empty() || self.id_changed()
    }

    /// Handles one line, without its line ending, which lies at `place` when it is in a
    /// chunk shared as text.
    ///
    /// `Err` when a `data:` line would take the data past `max_event_size` bytes (decoding
    /// can make a value longer than its bytes).
    // Inlined into its one caller, the parser's loop over a chunk's lines.
    #[inline(always)]
    pub(super) fn take_line(
        &mut self,
        line: &[u8],
        place: Place<'_>,
        max_event_size: usize,
        emit: &mut impl FnMut(Item),
    ) -> Result<(), TooLarge> {
        // The first colon splits name from value: `:` is ASCII, so searching the bytes
        // finds the same colon as searching the decoded text. The two fields most lines
        // are, `data:` and `id:`, are matched whole first, which finds their colon without
        // a search and their field without comparing the name again.
        let (field, after_colon): (Field, &[u8]) = match line {
            [] => {
                self.dispatch(emit);
                return Ok(());
            }
            [b'd', b'a', b't', b'a', b':', rest @ ..] => (Field::Data, rest),
            [b'i', b'd', b':', rest @ ..] => (Field::Id, rest),
            _ => match line.iter().position(|&byte| byte == b':') {
                Some(0) => return Ok(()), // a comment
                Some(colon) => (
                    Field::named(line.get(..colon).unwrap_or_default()),
                    line.get(colon + 1..).unwrap_or_default(),
                ),
                None => (Field::named(line), &[]),
            },
        };
        // One leading space is stripped (matched as a pattern: `strip_prefix` would call
        // memcmp for one byte).
        let value = match after_colon {
            [b' ', value @ ..] | value => value,
        };
        // The value ends the line, so it starts this far into the chunk.
        let place = place.map(|(text, at)| (text, at + line.len() - value.len()));
        match field {
            Field::Data => return self.append_data(value, place, max_event_size),
            Field::Event => replace(&mut self.event_type, value),
            // A NUL byte can only be U+0000: decoding never makes one.
            Field::Id if value.iter().all(|&byte| byte != 0) => {
                self.id = match place {
                    Some((text, start)) => Text::slice(text, start, value.len()),
                    None => Text::shared(decode(value).into_owned()),
                };
                self.id_set = true;
            }
            Field::Retry if !value.is_empty() && value.iter().all(u8::is_ascii_digit) => {
                emit(Item::Retry(parse_decimal(value)));
            }
            Field::Id | Field::Retry | Field::Other => {}
        }
        Ok(())
    }

    fn append_data(
        &mut self,
        value: &[u8],
        place: Place<'_>,
        max_event_size: usize,
    ) -> Result<(), TooLarge> {
        let too_large = TooLarge {
            limit: max_event_size,
        };
        if let Some((text, start)) = place.filter(|_| self.data_len() == 0) {
            if value.len() >= max_event_size {
                return Err(too_large);
            }
            self.data_slice = Some(Text::slice(text, start, value.len()));
            return Ok(());
        }
        self.unshare_data();
        let text = decode(value);
        let needed = self.data.len() + text.len() + 1;
        if needed > max_event_size {
            return Err(too_large);
        }
        let target = bounded_capacity(self.data.capacity(), needed, max_event_size);
        self.data.reserve_exact(target - self.data.len());
        self.data.push_str(&text);
        self.data.push('\n');
        Ok(())
    }

    /// Copies a data slice into the buffer, for a second `data:` line to join.
    fn unshare_data(&mut self) {
        if let Some(slice) = self.data_slice.take() {
            let value = slice.as_str();
            self.data.reserve_exact(value.len() + 1);
            self.data.push_str(value);
            self.data.push('\n');
        }
    }

    fn id_changed(&self) -> bool {
        self.id_set && self.id != self.last_event_id
    }

    pub(super) fn dispatch(&mut self, emit: &mut impl FnMut(Item)) {
        let id_set = std::mem::replace(&mut self.id_set, false);
        let data = match self.data_slice.take() {
            Some(slice) => slice,
            None if self.data.is_empty() => {
                empty(&mut self.event_type);
                // Only here does it matter whether the id changed: the change is an item
                // of its own.
                if id_set && self.id != self.last_event_id {
                    self.last_event_id = self.id.share();
                    emit(Item::LastEventId(self.last_event_id.share()));
                }
                return;
            }
            None => {
                let mut data = std::mem::take(&mut self.data);
                // The LF after the last data line.
                data.pop();
                // The buffer grew by doubling: a message kept (a page's history of the last
                // few) would hold up to twice its size. Shrinking gives the rest back in
                // place.
                if data.capacity() - data.len() > SPARE_KEPT {
                    data.shrink_to_fit();
                }
                Text::shared(data)
            }
        };
        if id_set {
            // Equal or not, the buffer becomes the last event id: comparing would cost
            // more than sharing.
            self.last_event_id = self.id.share();
        }
        let event_type = if self.event_type.is_empty() || self.event_type == "message" {
            empty(&mut self.event_type);
            None
        } else {
            // Copied out at its length, and the buffer kept: moving the buffer out as a
            // `Box<str>` would reallocate it to its length anyway, then allocate anew for
            // the next `event:` line.
            let event_type = Box::<str>::from(self.event_type.as_str());
            empty(&mut self.event_type);
            Some(event_type)
        };
        emit(Item::Event(ParsedEvent {
            event_type,
            data,
            last_event_id: self.last_event_id.share(),
        }));
    }

    /// The stream ended: the unfinished event is dropped, and the id buffer goes back to
    /// the last dispatched id, which the next stream starts from.
    pub(super) fn end_stream(&mut self) {
        // A large unfinished event's buffers are given back, not kept for the next stream.
        empty(&mut self.data);
        self.data_slice = None;
        empty(&mut self.event_type);
        self.id = self.last_event_id.clone();
        self.id_set = false;
    }

    /// Makes the last event id (and the id buffer, which holds the same after
    /// [`free`](Self::free)) a string of its own, keeping no chunk alive.
    pub(super) fn detach_last_event_id(&mut self) {
        self.last_event_id = self.last_event_id.detached();
        self.id = self.last_event_id.clone();
    }

    /// Gives the buffers' memory back after a failure.
    pub(super) fn free(&mut self) {
        self.data = String::new();
        self.data_slice = None;
        self.event_type = String::new();
        self.id = self.last_event_id.clone();
        self.id_set = false;
    }
}

/// The most spare capacity a dispatched event's data keeps; more is given back.
const SPARE_KEPT: usize = 4 * 1024;

/// UTF-8 with U+FFFD for bad bytes; borrowed (no copy) when the bytes are valid.
///
/// What [`String::from_utf8_lossy`] returns (each maximal subpart of a bad sequence, and
/// an unfinished one at the end, becomes one U+FFFD, as `TextDecoder` decodes), spelled
/// with `from_utf8`, which the parser calls for every chunk anyway: `from_utf8_lossy` and
/// its `Utf8Chunks` cost the fetch transport about 1.1 KB of code before wasm-opt.
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let mut error = match std::str::from_utf8(bytes) {
        Ok(text) => return Cow::Borrowed(text),
        Err(error) => error,
    };
    let mut rest = bytes;
    let mut text = String::with_capacity(bytes.len());
    loop {
        let (valid, bad) = rest
            .split_at_checked(error.valid_up_to())
            .unwrap_or_default();
        // Valid up to there: the fallback is never taken.
        text.push_str(std::str::from_utf8(valid).unwrap_or_default());
        text.push(char::REPLACEMENT_CHARACTER);
        let Some(bad_len) = error.error_len() else {
            return Cow::Owned(text); // an unfinished character at the end
        };
        rest = bad.get(bad_len..).unwrap_or_default();
        error = match std::str::from_utf8(rest) {
            Ok(valid) => {
                text.push_str(valid);
                return Cow::Owned(text);
            }
            Err(error) => error,
        };
    }
}

/// Empties `buffer`, giving back what a long value grew it to (an `event:` line may be
/// as long as `max_event_size`): only a small buffer is kept for the next value.
fn empty(buffer: &mut String) {
    if buffer.capacity() > KEPT_CAPACITY {
        *buffer = String::new();
    } else {
        buffer.clear();
    }
}

fn replace(buffer: &mut String, value: &[u8]) {
    replace_str(buffer, &decode(value));
}

fn replace_str(buffer: &mut String, value: &str) {
    buffer.clear();
    buffer.push_str(value);
}

/// A string of ASCII digits as a number; one too large for `u32` saturates: 49 days in
/// milliseconds, which is past the longest delay a browser's timer takes (24.8 days), so
/// a reconnection time is as good as never from far below it.
fn parse_decimal(digits: &[u8]) -> u32 {
    digits.iter().fold(0, |value: u32, digit| {
        value
            .saturating_mul(10)
            .saturating_add(u32::from(digit - b'0'))
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod decode_tests {
    use super::decode;

    proptest::proptest! {
        // Bytes drawn mostly from around the UTF-8 boundaries: lead bytes, continuation
        // bytes, surrogates and overlong forms, so that most inputs are bad somewhere.
        #[test]
        fn decodes_any_bytes_as_from_utf8_lossy_does(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    0x00..0x80_u8,
                    0x80..0xC2_u8,
                    0xC2..0xF5_u8,
                    0xF5..=0xFF_u8,
                ],
                0..24,
            )
        ) {
            proptest::prop_assert_eq!(decode(&bytes), String::from_utf8_lossy(&bytes));
        }
    }

    #[test]
    fn each_maximal_subpart_is_one_replacement_character() {
        for (bytes, decoded) in [
            (&b"a\xF0\x9F\x98"[..], "a\u{FFFD}"),
            (b"\xF0\x9F\x98a", "\u{FFFD}a"),
            (b"\xED\xA0\x80", "\u{FFFD}\u{FFFD}\u{FFFD}"),
            (b"\xC0\xAFz\xFF", "\u{FFFD}\u{FFFD}z\u{FFFD}"),
            (b"ok \xE2\x82\xAC", "ok \u{20AC}"),
        ] {
            assert_eq!(decode(bytes), decoded, "{bytes:?}");
        }
    }
}
