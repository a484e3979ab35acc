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
#[derive(Debug, Default)]
pub struct LineIndex {
    newlines: Option<Vec<usize>>,
}

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
        let column = data[line_start.min(end)..end]
            .iter()
            .filter(|&&byte| !is_utf8_continuation(byte))
            .count()
            + 1;
        Position {
            line: line_index + 1,
            column,
        }
    }
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
    fn columns_count_characters_not_bytes() {
        let data = "é = x".as_bytes();
        assert_eq!(
            LineIndex::new().position(data, 5),
            Position { line: 1, column: 5 }
        );
    }
}
