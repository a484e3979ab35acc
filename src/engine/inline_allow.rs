//! Allow comments written next to a false positive in the scanned content itself:
//! `leakhound:allow` on the line of the match (or its last line), `leakhound:allow-next-line`
//! on the line before it, and the markers teams migrating from other scanners already have
//! (`gitleaks:allow`, `pragma: allowlist secret`).

use memchr::memmem;

/// Markers that allow a match on the same line.
const SAME_LINE: &[&[u8]] = &[
    b"leakhound:allow",
    b"gitleaks:allow",
    b"pragma: allowlist secret",
];
/// The marker that allows a match on the following line.
const NEXT_LINE: &[u8] = b"leakhound:allow-next-line";

/// Whether `line` holds a marker that allows a match on it.
pub fn allows_own_line(line: &[u8]) -> bool {
    SAME_LINE.iter().any(|marker| {
        // `leakhound:allow-next-line` also contains `leakhound:allow`; it speaks only of
        // the next line.
        memmem::find_iter(line, marker).any(|at| !line[at..].starts_with(NEXT_LINE))
    })
}

/// Whether `line` holds a marker that allows a match on the next line.
pub fn allows_next_line(line: &[u8]) -> bool {
    memmem::find(line, NEXT_LINE).is_some()
}

/// Finds every allow marker of `data` once, in order: `same_line` gets the offsets of the
/// markers that allow their own line, `next_line` of those that allow the next one.
/// [`super::buffer_lines::BufferLines::is_allowed`] asks them about each candidate.
pub fn find_markers(data: &[u8], same_line: &mut Vec<usize>, next_line: &mut Vec<usize>) {
    for marker in SAME_LINE {
        same_line.extend(
            memmem::find_iter(data, marker).filter(|&at| !data[at..].starts_with(NEXT_LINE)),
        );
    }
    same_line.sort_unstable();
    next_line.extend(memmem::find_iter(data, NEXT_LINE));
}

#[cfg(test)]
mod tests {
    use super::super::buffer_lines::BufferLines;

    fn allowed(text: &str, needle: &str) -> bool {
        let start = text.find(needle).unwrap();
        BufferLines::default().is_allowed(text.as_bytes(), start..start + needle.len())
    }

    #[test]
    fn same_line_markers_allow_the_match() {
        assert!(allowed("key = 'SECRET' # leakhound:allow", "SECRET"));
        assert!(allowed("key = 'SECRET' // gitleaks:allow", "SECRET"));
        assert!(allowed(
            "key = 'SECRET'  # pragma: allowlist secret",
            "SECRET"
        ));
        assert!(!allowed("key = 'SECRET'", "SECRET"));
    }

    #[test]
    fn next_line_marker_allows_only_the_next_line() {
        let text = "# leakhound:allow-next-line\nkey = 'SECRET'\nother = 'OTHER'\n";
        assert!(allowed(text, "SECRET"));
        assert!(!allowed(text, "OTHER"));
    }

    #[test]
    fn next_line_marker_does_not_allow_its_own_line() {
        assert!(!allowed(
            "key = 'SECRET' # leakhound:allow-next-line",
            "SECRET"
        ));
    }

    #[test]
    fn marker_on_the_last_line_of_a_multi_line_match_counts() {
        let text = "-----BEGIN KEY-----\nabc\n-----END KEY----- # leakhound:allow\n";
        assert!(allowed(text, "-----BEGIN KEY-----\nabc\n-----END KEY-----"));
    }

    #[test]
    fn marker_on_another_line_does_not_count() {
        assert!(!allowed("# leakhound:allow\n\nkey = 'SECRET'\n", "SECRET"));
    }
}
