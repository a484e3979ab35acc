//! Allow comments written next to a false positive in the scanned content itself:
//! `leakhound:allow` on the line of the match (or its last line), `leakhound:allow-next-line`
//! on the line before it, and the markers teams migrating from other scanners already have
//! (`gitleaks:allow`, `pragma: allowlist secret`).

use std::ops::Range;

use memchr::memmem;

/// Markers that allow a match on the same line.
const SAME_LINE: &[&[u8]] = &[
    b"leakhound:allow",
    b"gitleaks:allow",
    b"pragma: allowlist secret",
];
/// The marker that allows a match on the following line.
const NEXT_LINE: &[u8] = b"leakhound:allow-next-line";

/// Whether an allow comment covers the match at `span` of `data`.
pub fn is_allowed(data: &[u8], span: Range<usize>) -> bool {
    let first_line = line_at(data, span.start);
    let last_line = line_at(data, span.end.saturating_sub(1).max(span.start));
    let same_line = |line: Range<usize>| {
        let text = &data[line];
        SAME_LINE.iter().any(|marker| {
            // `leakhound:allow-next-line` also contains `leakhound:allow`; it speaks only of
            // the next line.
            memmem::find_iter(text, marker).any(|at| !text[at..].starts_with(NEXT_LINE))
        })
    };
    if same_line(first_line.clone()) || (last_line != first_line && same_line(last_line)) {
        return true;
    }
    first_line.start > 0 && {
        let previous = line_at(data, first_line.start - 1);
        memmem::find(&data[previous], NEXT_LINE).is_some()
    }
}

/// The byte range of the line holding `offset`, without its newline.
fn line_at(data: &[u8], offset: usize) -> Range<usize> {
    let offset = offset.min(data.len());
    let start = memchr::memrchr(b'\n', &data[..offset]).map_or(0, |newline| newline + 1);
    let end = memchr::memchr(b'\n', &data[offset..]).map_or(data.len(), |newline| offset + newline);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(text: &str, needle: &str) -> bool {
        let start = text.find(needle).unwrap();
        is_allowed(text.as_bytes(), start..start + needle.len())
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
