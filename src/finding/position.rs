//! Line and column of a byte offset, computed only for buffers that have matches.

use serde::Serialize;

/// A 1-based line and a 1-based column counted in Unicode scalar values (bytes of
/// invalid UTF-8 count one each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Newline offsets of one buffer, built on first use and shared by all its matches.
///
/// A column counts the characters between the start of its line and the offset. On a
/// long line (minified JSON, a megabyte or more) counting them afresh for each of thousands
/// of matches made time grow with the square of the findings; past a few blocks, the count
/// comes from per-block character counts of the whole buffer instead, built once.
#[derive(Debug, Default)]
pub struct LineIndex {
    newlines: Option<Vec<usize>>,
    /// Characters before each [`CHAR_BLOCK`]-byte block of the buffer.
    chars_before_block: Option<Vec<usize>>,
}

/// Bytes per block of character counts: a column costs at most two blocks of counting.
const CHAR_BLOCK: usize = 512;

impl LineIndex {
    pub fn new() -> LineIndex {
        LineIndex::default()
    }

    /// The position of byte `offset` of `data` (the buffer this index belongs to).
    pub fn position(&mut self, data: &[u8], offset: usize) -> Position {
        let newlines = self
            .newlines
            .get_or_insert_with(|| memchr::memchr_iter(b'\n', data).collect());
        let line_index = newlines.partition_point(|&newline| newline < offset);
        let line_start = if line_index == 0 {
            0
        } else {
            newlines[line_index - 1] + 1
        };
        let end = offset.min(data.len());
        let start = line_start.min(end);
        let characters = if end - start <= 2 * CHAR_BLOCK {
            count_chars(&data[start..end])
        } else {
            let blocks = self
                .chars_before_block
                .get_or_insert_with(|| block_counts(data));
            chars_before(blocks, data, end) - chars_before(blocks, data, start)
        };
        Position {
            line: line_index + 1,
            column: characters + 1,
        }
    }
}

/// Characters (bytes that do not continue a UTF-8 sequence) in `bytes`.
fn count_chars(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .filter(|&&byte| !is_utf8_continuation(byte))
        .count()
}

/// Entry `i`: the characters in `data[..i * CHAR_BLOCK]`.
fn block_counts(data: &[u8]) -> Vec<usize> {
    let mut counts = Vec::with_capacity(data.len() / CHAR_BLOCK + 1);
    let mut total = 0;
    counts.push(0);
    for block in data.chunks(CHAR_BLOCK) {
        total += count_chars(block);
        counts.push(total);
    }
    counts
}

/// The characters in `data[..at]`.
fn chars_before(blocks: &[usize], data: &[u8], at: usize) -> usize {
    let block = at / CHAR_BLOCK;
    blocks[block] + count_chars(&data[block * CHAR_BLOCK..at])
}

fn is_utf8_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_byte_is_line_one_column_one() {
        assert_eq!(
            LineIndex::new().position(b"abc", 0),
            Position { line: 1, column: 1 }
        );
    }

    #[test]
    fn offsets_after_newlines_start_new_lines() {
        let data = b"ab\ncd\n\nef";
        let mut index = LineIndex::new();
        assert_eq!(index.position(data, 4), Position { line: 2, column: 2 });
        assert_eq!(index.position(data, 7), Position { line: 4, column: 1 });
        assert_eq!(index.position(data, 2), Position { line: 1, column: 3 });
    }

    #[test]
    fn columns_far_along_a_long_line_count_characters() {
        let line = "é".repeat(3000) + "x = 1";
        let data = format!("a\n{line}\nb");
        let mut index = LineIndex::new();
        let x = data.find('x').unwrap();
        assert_eq!(
            index.position(data.as_bytes(), x),
            Position {
                line: 2,
                column: 3001
            }
        );
        assert_eq!(
            index.position(data.as_bytes(), 2 + 2 * 1500),
            Position {
                line: 2,
                column: 1501
            }
        );
        assert_eq!(
            index.position(data.as_bytes(), data.len() - 1),
            Position { line: 3, column: 1 }
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let data = "é = x".as_bytes();
        assert_eq!(
            LineIndex::new().position(data, 5),
            Position { line: 1, column: 5 }
        );
    }
}
