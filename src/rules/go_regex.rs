//! gitleaks configs are written for Go's RE2 syntax; the `regex` crate is close but not the
//! same. This rewrites the constructs that differ and have a faithful equivalent:
//!
//! - `\Q...\E` (a quoted literal) becomes the escaped literal;
//! - a `{` that does not start a repetition (`{{`, `${x}`) is a literal in Go and becomes `\{`.
//!
//! Constructs neither engine supports (look-around, backreferences) are left for the regex
//! check, which names them.

/// The pattern with Go-only syntax rewritten for the `regex` crate.
pub fn translate(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len());
    let mut index = 0;
    while index < chars.len() {
        match chars[index] {
            '\\' if chars.get(index + 1) == Some(&'Q') => {
                let start = index + 2;
                let mut end = start;
                while end < chars.len() && !(chars[end] == '\\' && chars.get(end + 1) == Some(&'E'))
                {
                    end += 1;
                }
                let literal: String = chars[start..end].iter().collect();
                out.push_str(&regex_syntax::escape(&literal));
                index = (end + 2).min(chars.len().max(end));
            }
            '\\' => {
                out.push('\\');
                if let Some(&next) = chars.get(index + 1) {
                    out.push(next);
                }
                index += 2;
            }
            '[' => {
                let end = class_end(&chars, index);
                out.extend(&chars[index..end]);
                index = end;
            }
            '{' if !starts_repetition(&chars[index..]) => {
                out.push_str("\\{");
                index += 1;
            }
            other => {
                out.push(other);
                index += 1;
            }
        }
    }
    out
}

/// The index just past the character class that opens at `start`.
fn class_end(chars: &[char], start: usize) -> usize {
    let mut index = start + 1;
    if chars.get(index) == Some(&'^') {
        index += 1;
    }
    // A `]` right after `[` or `[^` is a literal.
    if chars.get(index) == Some(&']') {
        index += 1;
    }
    while index < chars.len() {
        match chars[index] {
            '\\' => index += 2,
            '[' if chars.get(index + 1) == Some(&':') => {
                // POSIX class such as [:alpha:]
                index += 2;
                while index < chars.len()
                    && !(chars[index] == ':' && chars.get(index + 1) == Some(&']'))
                {
                    index += 1;
                }
                index += 2;
            }
            ']' => return index + 1,
            _ => index += 1,
        }
    }
    chars.len()
}

/// `{n}`, `{n,}` or `{n,m}`.
fn starts_repetition(chars: &[char]) -> bool {
    let mut index = 1;
    let digits = |from: usize| {
        chars[from..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let first = digits(index);
    if first == 0 {
        return false;
    }
    index += first;
    if chars.get(index) == Some(&',') {
        index += 1;
        index += digits(index);
    }
    chars.get(index) == Some(&'}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_literal_is_escaped() {
        assert_eq!(translate(r"\Qa.b*c\E[0-9]+"), r"a\.b\*c[0-9]+");
        assert_eq!(translate(r"x\Q(unterminated"), r"x\(unterminated");
    }

    #[test]
    fn braces_that_are_not_repetitions_become_literals() {
        assert_eq!(translate(r"\$\{{2}[a-z]+}"), r"\$\{{2}[a-z]+}");
        assert_eq!(translate(r"{{ .Values.x }}"), r"\{\{ .Values.x }}");
        assert_eq!(translate(r"a{2,}b{1,3}c{3}"), r"a{2,}b{1,3}c{3}");
    }

    #[test]
    fn classes_and_escapes_are_copied() {
        assert_eq!(translate(r"[{}\]]{4}\{"), r"[{}\]]{4}\{");
        assert_eq!(translate(r"[[:alpha:]{]x"), r"[[:alpha:]{]x");
    }

    #[test]
    fn translated_patterns_compile() {
        for pattern in [r"\Q$$\E{{x}}", r"(?i)token\s*[:=]\s*\{([a-z]{8})}"] {
            regex::Regex::new(&translate(pattern)).unwrap();
        }
    }
}
