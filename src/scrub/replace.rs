//! Lines for git-filter-repo's input files: `--replace-text` expressions and
//! `--paths-from-file` paths.
//!
//! filter-repo reads both files line by line, strips `\r\n`, splits a line at its last
//! `==>` (replacement or rename), and treats a `regex:` or `glob:` prefix as a pattern.
//! Text that would be misread that way (a newline, a carriage return, `==>`) is written as
//! a Python regex that matches it exactly; everything else is written as a literal.

/// What filter-repo writes in place of each secret (its own default, spelt out).
pub const REPLACEMENT: &str = "***REMOVED***";

/// The `--replace-text` line that replaces `text` with `with`. `with` must hold no line
/// break, `==>` or backslash (a regex replacement reads backslashes as group references);
/// [`REPLACEMENT`] and text that [`needs_regex`] says is a literal qualify.
pub fn replacement_line(text: &str, with: &str) -> String {
    if needs_regex(text) {
        format!("regex:{}==>{with}", python_regex_escape(text))
    } else {
        format!("literal:{text}==>{with}")
    }
}

/// The `--paths-from-file` line that selects exactly `path`.
pub fn path_line(path: &str) -> String {
    if needs_regex(path) || path.starts_with('#') {
        format!("regex:^{}$", python_regex_escape(path))
    } else {
        format!("literal:{path}")
    }
}

/// Whether filter-repo would misread `text` as a literal line.
pub fn needs_regex(text: &str) -> bool {
    text.contains(['\n', '\r']) || text.contains("==>")
}

/// `text` as a Python `re` pattern that matches it literally: every ASCII character that
/// is not a letter, digit or `_` is backslash-escaped (Python accepts that for all
/// punctuation), control characters become `\n`, `\r`, `\t` or `\xNN`, and non-ASCII
/// characters stay as they are (filter-repo compiles the pattern as bytes, so they match
/// their own UTF-8 bytes). The result never contains `==>` or a line break.
pub fn python_regex_escape(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() * 2);
    for character in text.chars() {
        match character {
            '\n' => pattern.push_str("\\n"),
            '\r' => pattern.push_str("\\r"),
            '\t' => pattern.push_str("\\t"),
            c if c.is_ascii_control() => pattern.push_str(&format!("\\x{:02x}", c as u32)),
            c if c.is_ascii_alphanumeric() || c == '_' || !c.is_ascii() => pattern.push(c),
            c => {
                pattern.push('\\');
                pattern.push(c);
            }
        }
    }
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_secrets_are_literals() {
        assert_eq!(
            replacement_line("abc$DEF.123", REPLACEMENT),
            "literal:abc$DEF.123==>***REMOVED***"
        );
    }

    #[test]
    fn a_secret_with_a_newline_becomes_an_exact_regex() {
        let line = replacement_line("-----BEGIN KEY-----\nAB+/=\n-----END KEY-----", REPLACEMENT);
        assert_eq!(
            line,
            "regex:\\-\\-\\-\\-\\-BEGIN\\ KEY\\-\\-\\-\\-\\-\\nAB\\+\\/\\=\\n\\-\\-\\-\\-\\-END\\ KEY\\-\\-\\-\\-\\-==>***REMOVED***"
        );
        assert!(!line.contains('\n'));
    }

    #[test]
    fn a_secret_holding_the_separator_becomes_a_regex_without_it() {
        let line = replacement_line("a==>b", REPLACEMENT);
        assert_eq!(line, "regex:a\\=\\=\\>b==>***REMOVED***");
        // filter-repo splits at the last `==>`: the pattern must come back whole.
        let (pattern, replacement) = line.rsplit_once("==>").unwrap();
        assert_eq!(pattern, "regex:a\\=\\=\\>b");
        assert_eq!(replacement, REPLACEMENT);
    }

    #[test]
    fn escaped_patterns_match_exactly_their_text() {
        // Rust's regex reads these escapes as Python does (no `<` or `>` here: Rust gives
        // `\<` and `\>` a meaning of their own).
        let text =
            "-----BEGIN KEY-----\n  a+b/c=d$e^f(g)[h]{i}|j?k*l.m\\n \t#\r\n-----END KEY-----";
        let pattern = format!("^{}$", python_regex_escape(text));
        let regex = regex::Regex::new(&pattern).unwrap();
        assert!(regex.is_match(text));
        assert!(!regex.is_match(&text.replace('+', "-")));
    }

    #[test]
    fn carriage_returns_and_controls_are_escaped() {
        assert_eq!(python_regex_escape("a\r\u{1}é"), "a\\r\\x01é");
    }

    #[test]
    fn paths_are_literal_unless_filter_repo_would_misread_them() {
        assert_eq!(path_line("config/.env"), "literal:config/.env");
        assert_eq!(path_line("#notes.env"), "regex:^\\#notes\\.env$");
        assert_eq!(path_line("a==>b/.env"), "regex:^a\\=\\=\\>b\\/\\.env$");
    }
}
