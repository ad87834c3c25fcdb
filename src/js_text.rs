//! JavaScript strings of what the fetch transport parsed, cut from one JavaScript string
//! per chunk of the body ([`Message::data_js`](crate::Message::data_js)).
//!
//! Each string that crosses from wasm into JavaScript is a `TextDecoder.decode` call in
//! wasm-bindgen's glue, whose cost hardly depends on the string's length: one per message
//! was about half of the npm package's time per event on the fetch transport. A chunk's
//! values are slices of the chunk ([`Text`]), so the chunk crosses once, when a message of
//! it is first asked for a JavaScript string, and each value is `String.prototype.slice`
//! of that string: V8 makes such a slice without copying, as it does for a JavaScript
//! parser's values.

use std::cell::{Cell, OnceCell, RefCell};
use std::fmt;
use std::rc::Rc;

use js_sys::JsString;

use crate::cells;
use crate::parser::Text;

/// The JavaScript strings of the messages delivered from one read of the body: shared by
/// those messages, and dropped with the last of them.
pub(crate) struct JsChunk {
    /// The chunk the read's events lie in (that of its last event's data), if it is shared
    /// as text. An event whose blank line began the read has its data in the chunk
    /// before, and crosses on its own.
    chunk: Option<Rc<String>>,
    /// `chunk` as a JavaScript string, made when a message first asks.
    decoded: OnceCell<Decoded>,
    /// The last id that lay in another chunk, as a JavaScript string: the id an event
    /// carries was often set by an earlier event, and is then the same one message after
    /// message.
    other_id: RefCell<Option<(Text, JsString)>>,
}

impl JsChunk {
    /// The strings of the messages of one read, whose events lie in `chunk`.
    pub(crate) fn new(chunk: Option<Rc<String>>) -> Self {
        Self {
            chunk,
            decoded: OnceCell::new(),
            other_id: RefCell::new(None),
        }
    }

    /// `data` as a JavaScript string.
    pub(crate) fn data(&self, data: &Text) -> JsString {
        self.slice(data)
            .unwrap_or_else(|| JsString::from(data.as_str()))
    }

    /// `id` (the last event id as of a message) as a JavaScript string.
    pub(crate) fn id(&self, id: &Text) -> JsString {
        if let Some(string) = self.slice(id) {
            return string;
        }
        let mut other_id = cells::borrow_mut(&self.other_id);
        match &*other_id {
            Some((text, string)) if text.as_str() == id.as_str() => string.clone(),
            _ => {
                let string = JsString::from(id.as_str());
                *other_id = Some((id.clone(), string.clone()));
                string
            }
        }
    }

    /// `text` as a slice of the chunk's JavaScript string, if it lies in the chunk.
    fn slice(&self, text: &Text) -> Option<JsString> {
        let chunk = self.chunk.as_ref()?;
        let (of, range) = text.in_chunk()?;
        if !Rc::ptr_eq(chunk, of) {
            return None;
        }
        let decoded = self.decoded.get_or_init(|| Decoded::new(chunk));
        let start = decoded.unit(chunk, range.start);
        let end = decoded.unit(chunk, range.end);
        Some(decoded.string.slice(start, end))
    }
}

impl fmt::Debug for JsChunk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsChunk")
            .field("decoded", &self.decoded.get().is_some())
            .finish()
    }
}

/// A chunk as a JavaScript string, and what finds a byte offset's UTF-16 offset in it.
struct Decoded {
    string: JsString,
    offsets: Utf16Offsets,
}

impl Decoded {
    fn new(chunk: &str) -> Self {
        let string = JsString::from(chunk);
        // Valid UTF-8 is ASCII exactly when it is as long in UTF-16 units as in bytes (a
        // character of two or more bytes takes one or two units): asking the string its
        // length spares reading the chunk a second time (`is_ascii` was 3% of the parser
        // benchmark's time for a JavaScript caller, in a profile).
        let ascii = string.length() as usize == chunk.len();
        Self {
            string,
            offsets: Utf16Offsets::new(chunk, ascii),
        }
    }

    /// The UTF-16 offset of byte `offset` of `chunk` (a character boundary).
    fn unit(&self, chunk: &str, offset: usize) -> u32 {
        self.offsets.unit(chunk, offset)
    }
}

/// Finds the UTF-16 offsets of a chunk's byte offsets, in about one reading of the chunk
/// when asked in stream order.
struct Utf16Offsets {
    /// Empty when the chunk is ASCII (the offsets are the same); otherwise the UTF-16
    /// length of the chunk's first `i * BLOCK` bytes, for each `i`.
    units_before_block: Vec<u32>,
    /// The furthest offset found, in bytes and in UTF-16 units: messages ask in stream
    /// order (an event's id, then its data, then the next event's), so each count starts
    /// where the last one ended. An offset behind it is counted from the start of its
    /// block and leaves it where it is: moved back there, the next data's count would read
    /// the chunk again from there.
    cursor: Cell<(usize, u32)>,
    /// The last two offsets found behind the cursor, in bytes and in UTF-16 units: the
    /// start and end of the id an `id:` line set, which every message after it until the
    /// next `id:` asks for again. Counted once, not once per message.
    behind: Cell<[(usize, u32); 2]>,
    /// The bytes read to find offsets, for the tests to bound.
    #[cfg(test)]
    read: Cell<usize>,
}

/// The bytes between two entries of `units_before_block`: an offset is found by reading
/// at most this many bytes, or from the cursor on.
const BLOCK: usize = 1024;

impl Utf16Offsets {
    fn new(chunk: &str, ascii: bool) -> Self {
        let units_before_block = if ascii {
            Vec::new()
        } else {
            let mut before = 0;
            let mut blocks = vec![0];
            for block in chunk.as_bytes().chunks(BLOCK) {
                before += utf16_units(block);
                blocks.push(before);
            }
            blocks
        };
        Self {
            units_before_block,
            cursor: Cell::new((0, 0)),
            behind: Cell::new([(usize::MAX, 0); 2]),
            #[cfg(test)]
            read: Cell::new(0),
        }
    }

    /// The UTF-16 offset of byte `offset` of `chunk` (a character boundary).
    fn unit(&self, chunk: &str, offset: usize) -> u32 {
        if self.units_before_block.is_empty() {
            return to_u32(offset);
        }
        let behind = self.behind.get();
        if let Some(&(_, unit)) = behind.iter().find(|(byte, _)| *byte == offset) {
            return unit;
        }
        let block = offset / BLOCK;
        let block_start = block * BLOCK;
        let (byte, units) = self.cursor.get();
        let (from, units) = if (block_start..=offset).contains(&byte) {
            (byte, units)
        } else {
            let before = self.units_before_block.get(block).copied().unwrap_or(0);
            (block_start, before)
        };
        let counted = chunk.as_bytes().get(from..offset).unwrap_or_default();
        #[cfg(test)]
        self.read.set(self.read.get() + counted.len());
        let unit = units + utf16_units(counted);
        if offset >= byte {
            self.cursor.set((offset, unit));
        } else {
            self.behind.set([behind[1], (offset, unit)]);
        }
        unit
    }
}

/// The UTF-16 length of the characters that start in `bytes`: one unit per lead byte, two
/// for a four-byte character. Counted on bytes, so a range may cut a character; the counts
/// of ranges that tile a string add up to the string's length.
fn utf16_units(bytes: &[u8]) -> u32 {
    let units = bytes
        .iter()
        .map(|&byte| usize::from(byte & 0xC0 != 0x80) + usize::from(byte >= 0xF0))
        .sum();
    to_u32(units)
}

/// A chunk's offset (at most the fetch transport's 64 KiB read) as a `u32`.
fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::{utf16_units, Utf16Offsets};

    /// The UTF-16 offset of every byte offset of `chunk` that is a character boundary.
    fn units_at(chunk: &str) -> Vec<usize> {
        let mut units_at = vec![0; chunk.len() + 1];
        let mut units = 0;
        for (at, c) in chunk.char_indices() {
            units_at[at] = units;
            units += c.len_utf16();
        }
        units_at[chunk.len()] = units;
        units_at
    }

    /// One `id:` line, then events without one: every message's id is the same slice,
    /// asked for before its data, as the npm package asks. Each id moved the cursor back
    /// to it, and each data's count read the chunk again from there: 238 million bytes for
    /// this 64 KiB chunk with the id at its start. Counted from its block instead, it was
    /// still 14 million with the id 1,000 bytes in.
    #[test]
    fn an_id_asked_before_each_data_does_not_read_the_chunk_again() {
        for id_at in [0, 500, 1_000, 30_000] {
            let mut chunk = "data:\u{e9}\n\n".repeat(id_at / 9);
            let id_start = chunk.len() + 3;
            chunk.push_str("id:1\n");
            while chunk.len() + 9 <= 64 * 1024 {
                chunk.push_str("data:\u{e9}\n\n");
            }
            let units_at = units_at(&chunk);
            let offsets = Utf16Offsets::new(&chunk, false);
            for (at, _) in chunk
                .match_indices("data:")
                .filter(|&(at, _)| at > id_start)
            {
                let (start, end) = (at + 5, at + 5 + "\u{e9}".len());
                for offset in [id_start, id_start + 1, start, end] {
                    let unit = offsets.unit(&chunk, offset) as usize;
                    assert_eq!(unit, units_at[offset], "at {offset}");
                }
            }
            let read = offsets.read.get();
            assert!(
                read <= 2 * chunk.len(),
                "id at {id_at}: {read} bytes read for {}",
                chunk.len()
            );
        }
    }

    /// Offsets asked in any order are right: from the cursor, or from their block.
    #[test]
    fn offsets_in_any_order_are_the_utf16_ones() {
        let chunk = "aé€😀b".repeat(700);
        let units_at = units_at(&chunk);
        let boundaries: Vec<usize> = (0..=chunk.len())
            .filter(|&at| chunk.is_char_boundary(at))
            .collect();
        let offsets = Utf16Offsets::new(&chunk, false);
        // Forward, backward, and jumping about.
        let order = boundaries
            .iter()
            .chain(boundaries.iter().rev())
            .chain(boundaries.iter().step_by(7).rev())
            .chain(boundaries.iter().step_by(13));
        for &offset in order {
            assert_eq!(offsets.unit(&chunk, offset) as usize, units_at[offset]);
        }
        let ascii = Utf16Offsets::new("abc", true);
        assert_eq!(ascii.unit("abc", 2), 2);
    }

    #[test]
    fn utf16_units_count_each_character_once_and_astral_ones_twice() {
        for text in [
            "",
            "abc",
            "é",
            "aé€😀b",
            "😀😀",
            "\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}",
        ] {
            let expected = u32::try_from(text.encode_utf16().count()).unwrap();
            assert_eq!(utf16_units(text.as_bytes()), expected, "{text:?}");
            // Cut anywhere, even inside a character, the parts add up.
            for cut in 0..=text.len() {
                let (head, tail) = text.as_bytes().split_at(cut);
                assert_eq!(
                    utf16_units(head) + utf16_units(tail),
                    expected,
                    "{text:?} at {cut}"
                );
            }
        }
    }
}
