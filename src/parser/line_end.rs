//! The search for the next line end (CR or LF): the parser's innermost loop.
//!
//! It reads eight bytes at a time as a `u64` and tests them all at once ("SWAR"), which
//! wasm32 does natively, where a byte loop costs two compares and a branch per byte. No
//! dependency, and a few dozen bytes of code.

const ONES: u64 = u64::from_le_bytes([0x01; 8]);
const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);

/// The index of the first CR or LF in `bytes`.
pub(super) fn find(bytes: &[u8]) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    let mut offset = 0;
    for word in &mut words {
        let word = u64::from_le_bytes([
            word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7],
        ]);
        // CR and LF are below 0x0E: a word with no byte that low (most words) is passed
        // over with three operations; the exact test runs only on one that has.
        if below(word, 0x0E) != 0 {
            let found = zero_bytes(word ^ (ONES * u64::from(b'\n')))
                | zero_bytes(word ^ (ONES * u64::from(b'\r')));
            if found != 0 {
                // The lowest flagged byte is always a true match (a false flag can only
                // follow a true one), and little-endian puts the first byte lowest.
                return Some(offset + (found.trailing_zeros() / 8) as usize);
            }
        }
        offset += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&byte| byte == b'\n' || byte == b'\r')
        .map(|index| offset + index)
}

/// The high bit of each byte of `word` that is zero set (and maybe of bytes above one).
fn zero_bytes(word: u64) -> u64 {
    below(word, 1)
}

/// Nonzero when a byte of `word` is below `bound` (at most 0x80): the high bit of the
/// lowest such byte is set, and maybe of bytes above it.
fn below(word: u64, bound: u8) -> u64 {
    word.wrapping_sub(ONES * u64::from(bound)) & !word & HIGHS
}

#[cfg(test)]
mod tests {
    use super::find;

    #[test]
    fn finds_the_first_cr_or_lf_at_every_position_of_a_word() {
        for len in 0..40 {
            for at in 0..len {
                for end in [b'\n', b'\r'] {
                    // Bytes that trip naive word tricks: 0x0A/0x0D neighbours, high bytes.
                    let mut bytes: Vec<u8> = (0..len)
                        .map(|i| [0x0B, 0x0C, 0x8A, 0xFF, 0x09, 0x0E][i % 6])
                        .collect();
                    bytes[at] = end;
                    if at + 1 < len {
                        bytes[at + 1] = b'\r';
                    }
                    assert_eq!(find(&bytes), Some(at), "len {len}, at {at}");
                }
            }
            let clean: Vec<u8> = (0..len)
                .map(|i| [0x0B, 0x0C, 0x8A, 0xFF, 0x09, 0x0E, 0x00][i % 7])
                .collect();
            assert_eq!(find(&clean), None, "len {len}");
        }
    }
}
