//! What one complete line means: the field rules and the dispatch of WHATWG HTML §9.2.6.

use std::borrow::Cow;
use std::rc::Rc;

use super::{bounded_capacity, Item, ParsedEvent, TooLarge};

/// The buffers the standard associates with a stream.
#[derive(Debug)]
pub(super) struct Fields {
    /// The data buffer: each `data:` value followed by an LF.
    data: String,
    /// The event type buffer.
    event_type: String,
    /// The last event ID buffer, which `id:` lines set.
    id: String,
    /// An `id:` line came since the last dispatch: only then can the buffer differ from
    /// the last event ID string, so a dispatch compares them only then.
    id_set: bool,
    /// The last event ID string, which a dispatch sets from the buffer. Events share it.
    last_event_id: Rc<str>,
}

impl Fields {
    pub(super) fn new(last_event_id: &str) -> Self {
        Self {
            data: String::new(),
            event_type: String::new(),
            id: last_event_id.to_owned(),
            id_set: false,
            last_event_id: Rc::from(last_event_id),
        }
    }

    pub(super) fn last_event_id(&self) -> &Rc<str> {
        &self.last_event_id
    }

    pub(super) fn data_len(&self) -> usize {
        self.data.len()
    }

    #[cfg(test)]
    pub(super) fn data_capacity(&self) -> usize {
        self.data.capacity()
    }

    /// Whether lines since the last dispatch would change what the next one does.
    pub(super) fn has_pending_event(&self) -> bool {
        !self.data.is_empty() || !self.event_type.is_empty() || self.id_changed()
    }

    /// Handles one line, without its line ending.
    ///
    /// `Err` when a `data:` line would take the data past `max_event_size` bytes (decoding
    /// can make a value longer than its bytes).
    pub(super) fn take_line(
        &mut self,
        line: &[u8],
        max_event_size: usize,
        emit: &mut impl FnMut(Item),
    ) -> Result<(), TooLarge> {
        if line.is_empty() {
            self.dispatch(emit);
            return Ok(());
        }
        // The first colon splits name from value: `:` is ASCII, so searching the bytes
        // finds the same colon as searching the decoded text.
        let (name, value) = match line.iter().position(|&byte| byte == b':') {
            Some(0) => return Ok(()), // a comment
            Some(colon) => {
                // One leading space is stripped (matched as a pattern: `strip_prefix` would
                // call memcmp for one byte).
                let value = match &line[colon + 1..] {
                    [b' ', value @ ..] | value => value,
                };
                (&line[..colon], value)
            }
            None => (line, &[][..]),
        };
        // A name with a bad byte decodes to U+FFFD, so it cannot equal a known name: the
        // names compare as bytes.
        // (Array patterns compile to a length test and byte compares, not a memcmp call.)
        match name {
            [b'd', b'a', b't', b'a'] => return self.append_data(value, max_event_size),
            [b'e', b'v', b'e', b'n', b't'] => replace(&mut self.event_type, value),
            // A NUL byte can only be U+0000: decoding never makes one.
            [b'i', b'd'] if !value.contains(&0) => {
                replace(&mut self.id, value);
                self.id_set = true;
            }
            [b'r', b'e', b't', b'r', b'y']
                if !value.is_empty() && value.iter().all(u8::is_ascii_digit) =>
            {
                emit(Item::Retry(parse_decimal(value)));
            }
            _ => {}
        }
        Ok(())
    }

    fn append_data(&mut self, value: &[u8], max_event_size: usize) -> Result<(), TooLarge> {
        let text = decode(value);
        let needed = self.data.len() + text.len() + 1;
        if needed > max_event_size {
            return Err(TooLarge {
                limit: max_event_size,
            });
        }
        let target = bounded_capacity(self.data.capacity(), needed, max_event_size);
        self.data.reserve_exact(target - self.data.len());
        self.data.push_str(&text);
        self.data.push('\n');
        Ok(())
    }

    fn id_changed(&self) -> bool {
        self.id_set && *self.id != *self.last_event_id
    }

    fn dispatch(&mut self, emit: &mut impl FnMut(Item)) {
        let id_changed = self.id_changed();
        self.id_set = false;
        if id_changed {
            self.last_event_id = Rc::from(self.id.as_str());
        }
        if self.data.is_empty() {
            self.event_type.clear();
            if id_changed {
                emit(Item::LastEventId(Rc::clone(&self.last_event_id)));
            }
            return;
        }
        self.data.pop(); // the LF after the last data line
        let event_type = if self.event_type.is_empty() || self.event_type == "message" {
            self.event_type.clear();
            None
        } else {
            Some(std::mem::take(&mut self.event_type))
        };
        emit(Item::Event(ParsedEvent {
            event_type,
            data: std::mem::take(&mut self.data),
            last_event_id: Rc::clone(&self.last_event_id),
        }));
    }

    /// The stream ended: the unfinished event is dropped, and the id buffer goes back to
    /// the last dispatched id, which the next stream starts from.
    pub(super) fn end_stream(&mut self) {
        self.data.clear();
        self.event_type.clear();
        replace_str(&mut self.id, &self.last_event_id);
        self.id_set = false;
    }

    /// Gives the buffers' memory back after a failure.
    pub(super) fn free(&mut self) {
        self.data = String::new();
        self.event_type = String::new();
        self.id = self.last_event_id.to_string();
        self.id_set = false;
    }
}

/// UTF-8 with U+FFFD for bad bytes; borrowed (no copy) when the bytes are valid.
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    // `from_utf8` validates ASCII a word at a time; `from_utf8_lossy` walks every byte.
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

fn replace(buffer: &mut String, value: &[u8]) {
    replace_str(buffer, &decode(value));
}

fn replace_str(buffer: &mut String, value: &str) {
    buffer.clear();
    buffer.push_str(value);
}

/// A string of ASCII digits as a number; one too large for `u64` saturates (a reconnection
/// time of 584 million years is as good as never).
fn parse_decimal(digits: &[u8]) -> u64 {
    digits.iter().fold(0, |value: u64, digit| {
        value
            .saturating_mul(10)
            .saturating_add(u64::from(digit - b'0'))
    })
}
