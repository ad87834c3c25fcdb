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

use std::cell::{OnceCell, RefCell};
use std::fmt;
use std::ops::Range;
use std::rc::Rc;

use js_sys::JsString;

use crate::parser::Text;

/// The JavaScript strings of the messages delivered from one read of the body: shared by
/// those messages, and dropped with the last of them.
#[derive(Default)]
pub(crate) struct JsChunk {
    /// The chunk the first data asked for lies in, as a JavaScript string. Data of an
    /// event that began in the chunk before lies in that one, and crosses on its own.
    chunk: OnceCell<Decoded>,
    /// The last id that lay in another chunk, as a JavaScript string: the id an event
    /// carries was often set by an earlier event, and is then the same one message after
    /// message.
    other_id: RefCell<Option<(Text, JsString)>>,
}

impl JsChunk {
    /// `data` as a JavaScript string.
    pub(crate) fn data(&self, data: &Text) -> JsString {
        if let Some((chunk, range)) = data.in_chunk() {
            let decoded = self.chunk.get_or_init(|| Decoded::new(chunk));
            if let Some(string) = decoded.slice(chunk, range) {
                return string;
            }
        }
        JsString::from(data.as_str())
    }

    /// `id` (the last event id as of a message) as a JavaScript string.
    pub(crate) fn id(&self, id: &Text) -> JsString {
        if let (Some(decoded), Some((chunk, range))) = (self.chunk.get(), id.in_chunk()) {
            if let Some(string) = decoded.slice(chunk, range) {
                return string;
            }
        }
        let mut other_id = self.other_id.borrow_mut();
        match &*other_id {
            Some((text, string)) if text.as_str() == id.as_str() => string.clone(),
            _ => {
                let string = JsString::from(id.as_str());
                *other_id = Some((id.clone(), string.clone()));
                string
            }
        }
    }
}

impl fmt::Debug for JsChunk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsChunk")
            .field("decoded", &self.chunk.get().is_some())
            .finish()
    }
}

/// A chunk, and the same text as a JavaScript string.
struct Decoded {
    chunk: Rc<String>,
    string: JsString,
    /// Where UTF-16 offsets are needed (the chunk is not ASCII): the UTF-16 length of the
    /// chunk's first `i * BLOCK` bytes, for each `i`.
    units_before_block: Vec<u32>,
}

/// The bytes between two entries of `units_before_block`: an offset's UTF-16 position is
/// found by reading at most this many bytes.
const BLOCK: usize = 1024;

impl Decoded {
    fn new(chunk: &Rc<String>) -> Self {
        let bytes = chunk.as_bytes();
        let units_before_block = if bytes.is_ascii() {
            Vec::new()
        } else {
            let mut before = 0;
            let mut blocks = vec![0];
            for block in bytes.chunks(BLOCK) {
                before += utf16_units(block);
                blocks.push(before);
            }
            blocks
        };
        Self {
            chunk: Rc::clone(chunk),
            string: JsString::from(chunk.as_str()),
            units_before_block,
        }
    }

    /// Bytes `range` of `chunk` as a slice of the JavaScript string, if `chunk` is this
    /// one.
    fn slice(&self, chunk: &Rc<String>, range: Range<usize>) -> Option<JsString> {
        Rc::ptr_eq(&self.chunk, chunk).then(|| {
            self.string
                .slice(self.unit(range.start), self.unit(range.end))
        })
    }

    /// The UTF-16 offset of byte `offset` of the chunk (a character boundary).
    fn unit(&self, offset: usize) -> u32 {
        if self.units_before_block.is_empty() {
            return to_u32(offset);
        }
        let block = offset / BLOCK;
        let before = self.units_before_block.get(block).copied().unwrap_or(0);
        let bytes = self.chunk.as_bytes();
        before + utf16_units(bytes.get(block * BLOCK..offset).unwrap_or_default())
    }
}

/// The UTF-16 length of the characters that start in `bytes`: one unit per lead byte, two
/// for a four-byte character. Counted on bytes, so a range may cut a character; the counts
/// of ranges that tile a string add up to the string's length.
pub(crate) fn utf16_units(bytes: &[u8]) -> u32 {
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
    use super::utf16_units;

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
