//! Where a rule's regex runs: the stretches of a buffer around its keyword occurrences in
//! which a match holding one of them can lie.
//!
//! A match contains a keyword occurrence (the rule loader's tests hold every built-in
//! rule to that), so it starts at or before the occurrence and ends after it. Two facts
//! about the regex narrow that down: the longest match it can produce, and whether it can
//! match a line break other than as its last byte (a trailing boundary). A regex that
//! cannot is confined to the line of the occurrence, however unbounded its repetitions
//! (`[ \t]+`, `\S*`).

use std::ops::Range;

/// What bounds a regex's matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reach {
    /// The longest match in bytes, `None` when unbounded.
    pub max_len: Option<usize>,
    /// A match can contain `\n` only as its last byte.
    pub single_line: bool,
}

impl Reach {
    /// Whether every match lies near its keyword; if not, the regex runs on the whole
    /// buffer.
    pub fn is_bounded(self) -> bool {
        self.max_len.is_some() || self.single_line
    }
}

/// Bytes past a match that look-arounds (`\b`, `$`) may need to see.
const LOOK_AHEAD: usize = 4;

/// A stretch to search: matches that start in `starts` (inclusive of its end) are
/// complete within `..limit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub starts: Range<usize>,
    pub limit: usize,
}

/// Fills `out` with the windows around `hits` (keyword occurrences in `data`), merged and
/// sorted by start.
pub fn around_hits(hits: &[Range<usize>], reach: Reach, data: &[u8], out: &mut Vec<Window>) {
    out.clear();
    let mut lines = LineCache::default();
    for hit in hits {
        let mut first_start = reach
            .max_len
            .map_or(0, |max_len| hit.start.saturating_sub(max_len));
        let mut limit = reach.max_len.map_or(data.len(), |max_len| {
            hit.start
                .saturating_add(max_len)
                .saturating_add(LOOK_AHEAD)
                .min(data.len())
        });
        if reach.single_line {
            let line = lines.line_of(data, hit.start);
            first_start = first_start.max(line.start);
            // The line break may end a match; look-arounds may look past it.
            let line_end = lines.line_of(data, hit.end.max(1) - 1).end;
            limit = limit.min(line_end.saturating_add(1 + LOOK_AHEAD).min(data.len()));
        }
        out.push(Window {
            starts: first_start..hit.start,
            limit,
        });
    }
    out.sort_unstable_by_key(|window| window.starts.start);
    let mut merged = 0;
    for index in 0..out.len() {
        if merged > 0 && out[index].starts.start <= out[merged - 1].starts.end {
            let (end, limit) = (out[index].starts.end, out[index].limit);
            let last = &mut out[merged - 1];
            last.starts.end = last.starts.end.max(end);
            last.limit = last.limit.max(limit);
        } else {
            out.swap(merged, index);
            merged += 1;
        }
    }
    out.truncate(merged);
}

/// The line last looked up: hits come in runs on the same line, and a line can be long
/// (minified code), so it is not searched for again.
#[derive(Default)]
struct LineCache {
    line: Option<Range<usize>>,
}

impl LineCache {
    /// The line holding byte `at`, without its line break.
    fn line_of(&mut self, data: &[u8], at: usize) -> Range<usize> {
        if let Some(line) = &self.line
            && line.start <= at
            && at <= line.end
        {
            return line.clone();
        }
        let start = memchr::memrchr(b'\n', &data[..at]).map_or(0, |newline| newline + 1);
        let end = memchr::memchr(b'\n', &data[at..]).map_or(data.len(), |newline| at + newline);
        self.line = Some(start..end);
        start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn windows(hits: &[Range<usize>], reach: Reach, data: &str) -> Vec<Window> {
        let mut out = Vec::new();
        around_hits(hits, reach, data.as_bytes(), &mut out);
        out
    }

    #[test]
    fn bounded_regex_starts_at_most_its_length_before_the_keyword() {
        let reach = Reach {
            max_len: Some(10),
            single_line: false,
        };
        let data = "x".repeat(100);
        assert_eq!(
            windows(std::slice::from_ref(&(50..53)), reach, &data),
            vec![Window {
                starts: 40..50,
                limit: 64
            }]
        );
    }

    #[test]
    fn single_line_regex_stays_on_the_line_of_the_keyword() {
        let reach = Reach {
            max_len: None,
            single_line: true,
        };
        let data = "aaa\nbb key cc\ndd";
        assert_eq!(
            windows(std::slice::from_ref(&(7..10)), reach, data),
            vec![Window {
                starts: 4..7,
                limit: 16
            }]
        );
    }

    #[test]
    fn keyword_on_the_last_line_reaches_the_end_of_the_buffer() {
        let reach = Reach {
            max_len: None,
            single_line: true,
        };
        assert_eq!(
            windows(std::slice::from_ref(&(4..7)), reach, "aa\nbkey"),
            vec![Window {
                starts: 3..4,
                limit: 7
            }]
        );
    }

    #[test]
    fn overlapping_windows_merge_and_keep_the_furthest_limit() {
        let reach = Reach {
            max_len: Some(5),
            single_line: false,
        };
        let data = "y".repeat(40);
        assert_eq!(
            windows(&[20..22, 10..12, 13..15], reach, &data),
            vec![
                Window {
                    starts: 5..13,
                    limit: 22
                },
                Window {
                    starts: 15..20,
                    limit: 29
                }
            ]
        );
    }
}
