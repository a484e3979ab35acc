//! The lines of the buffer being scanned, indexed once per buffer: where its line breaks
//! are and where its allow comments are. The checks made on every candidate (its line, for
//! allowlists on `line`; an allow comment on its line or the one before) then cost a binary
//! search, not a pass over the line: on a minified file of megabytes in one line, that pass
//! per candidate made time grow with the square of the findings.
//!
//! The first few questions about a buffer are answered by reading the lines concerned, as
//! a buffer with a handful of candidates is the common case; the buffer is indexed when
//! more come, so the work stays linear however many there are.

use std::ops::Range;

use super::inline_allow;

/// Per-buffer indexes, kept in a thread's scratch space and reset for each buffer.
#[derive(Debug, Default)]
pub struct BufferLines {
    newlines: Vec<usize>,
    newlines_built: bool,
    /// Allow markers that speak of their own line, by offset.
    same_line: Vec<usize>,
    /// Allow markers that speak of the next line, by offset.
    next_line: Vec<usize>,
    markers_built: bool,
    /// Questions answered so far by reading lines directly.
    direct_lines: usize,
    direct_allows: usize,
}

/// How many questions of each kind a buffer gets answered by reading its lines, before it
/// is indexed: each costs a pass over a line, so this bounds that work to a few passes.
const DIRECT_ANSWERS: usize = 8;

impl BufferLines {
    /// Forgets the previous buffer.
    pub fn reset(&mut self) {
        self.newlines.clear();
        self.newlines_built = false;
        self.same_line.clear();
        self.next_line.clear();
        self.markers_built = false;
        self.direct_lines = 0;
        self.direct_allows = 0;
    }

    /// The line holding byte `at` of `data`, without its line break.
    pub fn line_of(&mut self, data: &[u8], at: usize) -> Range<usize> {
        let at = at.min(data.len());
        if !self.newlines_built && self.direct_lines < DIRECT_ANSWERS {
            self.direct_lines += 1;
            let start = memchr::memrchr(b'\n', &data[..at]).map_or(0, |newline| newline + 1);
            let end = memchr::memchr(b'\n', &data[at..]).map_or(data.len(), |newline| at + newline);
            return start..end;
        }
        if !self.newlines_built {
            self.newlines.extend(memchr::memchr_iter(b'\n', data));
            self.newlines_built = true;
        }
        let index = self.newlines.partition_point(|&newline| newline < at);
        let start = if index == 0 {
            0
        } else {
            self.newlines[index - 1] + 1
        };
        let end = self.newlines.get(index).copied().unwrap_or(data.len());
        start..end
    }

    /// The lines that hold `span`, without their line terminators.
    pub fn around(&mut self, data: &[u8], span: Range<usize>) -> Range<usize> {
        let start = self.line_of(data, span.start).start;
        let end = self.line_of(data, span.end).end;
        start..end.max(start)
    }

    /// Whether an allow comment covers the match at `span` of `data`: a same-line marker
    /// on its first or last line, or a next-line marker on the line before it.
    pub fn is_allowed(&mut self, data: &[u8], span: Range<usize>) -> bool {
        let first = self.line_of(data, span.start);
        let last = self.line_of(data, span.end.saturating_sub(1).max(span.start));
        let previous = (first.start > 0).then(|| self.line_of(data, first.start - 1));
        if !self.markers_built && self.direct_allows < DIRECT_ANSWERS {
            self.direct_allows += 1;
            return inline_allow::allows_own_line(&data[first.clone()])
                || (last != first && inline_allow::allows_own_line(&data[last]))
                || previous.is_some_and(|line| inline_allow::allows_next_line(&data[line]));
        }
        if !self.markers_built {
            inline_allow::find_markers(data, &mut self.same_line, &mut self.next_line);
            self.markers_built = true;
        }
        any_within(&self.same_line, &first)
            || any_within(&self.same_line, &last)
            || previous.is_some_and(|line| any_within(&self.next_line, &line))
    }
}

/// Whether a sorted list of offsets has one in `range` (a marker holds no line break, so a
/// marker that starts on a line lies within it).
fn any_within(offsets: &[usize], range: &Range<usize>) -> bool {
    let first = offsets.partition_point(|&offset| offset < range.start);
    offsets.get(first).is_some_and(|&offset| offset < range.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_found_without_their_breaks() {
        let data = b"ab\ncd\n\nef";
        let mut lines = BufferLines::default();
        assert_eq!(lines.line_of(data, 0), 0..2);
        assert_eq!(lines.line_of(data, 2), 0..2);
        assert_eq!(lines.line_of(data, 4), 3..5);
        assert_eq!(lines.line_of(data, 6), 6..6);
        assert_eq!(lines.line_of(data, 8), 7..9);
        assert_eq!(lines.line_of(data, 9), 7..9);
        assert_eq!(lines.around(data, 4..8), 3..9);
    }

    #[test]
    fn indexed_answers_equal_direct_ones() {
        let data =
            b"a = 1 # leakhound:allow\n# leakhound:allow-next-line\nb = 2\nc\n\nd # gitleaks:allow";
        let mut indexed = BufferLines::default();
        for _ in 0..2 * DIRECT_ANSWERS {
            indexed.line_of(data, 0);
            indexed.is_allowed(data, 0..1);
        }
        for start in 0..data.len() {
            for end in start + 1..=data.len() {
                let mut direct = BufferLines::default();
                assert_eq!(
                    direct.is_allowed(data, start..end),
                    indexed.is_allowed(data, start..end),
                    "{start}..{end}"
                );
                assert_eq!(
                    direct.around(data, start..end),
                    indexed.around(data, start..end)
                );
            }
        }
    }

    #[test]
    fn reset_forgets_the_previous_buffer() {
        let mut lines = BufferLines::default();
        assert_eq!(lines.line_of(b"a\nb", 2), 2..3);
        lines.reset();
        assert_eq!(lines.line_of(b"abc", 2), 0..3);
    }

    #[test]
    fn many_candidates_on_one_long_line_share_one_index() {
        let line = "k='v' ".repeat(100_000) + "# leakhound:allow";
        let data = format!("first\n{line}\nlast");
        let mut lines = BufferLines::default();
        for at in (6..6 + line.len() - 20).step_by(6) {
            assert!(lines.is_allowed(data.as_bytes(), at..at + 5));
        }
        let last = data.len() - 2;
        assert!(!lines.is_allowed(data.as_bytes(), last..last + 2));
        assert!(!lines.is_allowed(data.as_bytes(), 0..5));
    }
}
