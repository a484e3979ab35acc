//! Line diffs, as git's line diff sees files: which lines of a new version are added or
//! changed, and how alike two versions are (for rename detection).

use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};

/// A line diff that takes longer than this counts the rest of the file as added.
const DIFF_DEADLINE: Duration = Duration::from_secs(2);

/// The lines of a buffer, each with its line ending, as git's line diff sees them.
pub fn lines(data: &[u8]) -> Vec<&[u8]> {
    data.split_inclusive(|&byte| byte == b'\n').collect()
}

/// For each line of `new`, whether a line diff from `old` marks it inserted or replaced.
pub fn added_lines(old: &[&[u8]], new: &[&[u8]]) -> Vec<bool> {
    let mut added = vec![false; new.len()];
    let deadline = Instant::now() + DIFF_DEADLINE;
    for op in capture_diff_slices_deadline(Algorithm::Myers, old, new, Some(deadline)) {
        match op {
            DiffOp::Insert {
                new_index, new_len, ..
            }
            | DiffOp::Replace {
                new_index, new_len, ..
            } => added[new_index..new_index + new_len].fill(true),
            DiffOp::Equal { .. } | DiffOp::Delete { .. } => {}
        }
    }
    added
}

/// The share of lines two versions have in common (0 to 1), as a line diff pairs them.
pub fn similarity(old: &[&[u8]], new: &[&[u8]]) -> f64 {
    if old.is_empty() && new.is_empty() {
        return 1.0;
    }
    let deadline = Instant::now() + DIFF_DEADLINE;
    let equal: usize = capture_diff_slices_deadline(Algorithm::Myers, old, new, Some(deadline))
        .iter()
        .map(|op| match op {
            DiffOp::Equal { len, .. } => *len,
            _ => 0,
        })
        .sum();
    2.0 * equal as f64 / (old.len() + new.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn added(old: &str, new: &str) -> Vec<usize> {
        let old = lines(old.as_bytes());
        let new = lines(new.as_bytes());
        added_lines(&old, &new)
            .iter()
            .enumerate()
            .filter(|(_, is_added)| **is_added)
            .map(|(index, _)| index + 1)
            .collect()
    }

    #[test]
    fn appended_and_changed_lines_are_added_others_are_not() {
        assert_eq!(added("a\nb\nc\n", "a\nB\nc\nd\n"), [2, 4]);
        assert_eq!(added("", "x\ny\n"), [1, 2]);
        assert!(added("a\nb\n", "a\n").is_empty());
    }

    #[test]
    fn a_duplicated_line_is_added_once_not_hidden_by_its_twin() {
        // A hash set of old lines would call both copies unchanged.
        assert_eq!(added("key\nx\n", "key\nx\nkey\n"), [3]);
    }

    #[test]
    fn a_moved_line_counts_as_added_where_the_diff_cannot_pair_it() {
        assert_eq!(added("a\nb\nc\n", "c\na\nb\n"), [1]);
    }

    #[test]
    fn a_final_line_losing_its_newline_is_changed() {
        assert_eq!(added("a\nb\n", "a\nb"), [2]);
    }

    #[test]
    fn similarity_counts_shared_lines() {
        let old = lines(b"a\nb\nc\nd\n");
        let new = lines(b"a\nb\nc\nX\n");
        assert!((similarity(&old, &new) - 0.75).abs() < 1e-9);
        assert_eq!(similarity(&old, &lines(b"z\n")), 0.0);
    }
}
