//! Member names as they are shown: archive names are untrusted input, so control
//! characters (a terminal escape, a NUL, a newline that would forge a report line) are
//! escaped, and names that are not UTF-8 are shown lossily.
//!
//! Knows nothing about formats. Names are never used to build a file system path: a
//! member named `../../etc/passwd` is reported under that name and nothing else.

/// `raw` as a UTF-8 name with its control characters escaped (`\u{1b}`, `\0`, `\n`).
pub fn escape_name(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    if !text.chars().any(char::is_control) {
        return text.into_owned();
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        if character == '\0' {
            escaped.push_str("\\0");
        } else if character.is_control() {
            escaped.extend(character.escape_default());
        } else {
            escaped.push(character);
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_traversal_names_are_kept_as_written() {
        assert_eq!(escape_name(b"dir/app.conf"), "dir/app.conf");
        assert_eq!(escape_name(b"../../etc/passwd"), "../../etc/passwd");
        assert_eq!(escape_name(b"/abs/path"), "/abs/path");
        assert_eq!(escape_name("caf\u{e9}.txt".as_bytes()), "caf\u{e9}.txt");
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape_name(b"a\x1b[31mred"), "a\\u{1b}[31mred");
        assert_eq!(escape_name(b"nul\0name"), "nul\\0name");
        assert_eq!(escape_name(b"two\nlines"), "two\\nlines");
    }

    #[test]
    fn names_that_are_not_utf8_are_shown_lossily() {
        assert_eq!(escape_name(b"bad\xffname"), "bad\u{fffd}name");
    }
}
