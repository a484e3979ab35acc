//! A regex compiled on first use, so start-up does not pay for rules that never run.
//!
//! Regexes are compiled without Unicode mode, as Go's regexp (gitleaks) treats them:
//! `\w`, `\d`, `\s`, `\b` and `(?i)` are ASCII-only, which keeps the lazy DFAs small and
//! fast. A regex that needs Unicode classes (`\p{..}`) is compiled with Unicode on.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use regex::bytes::{Regex, RegexBuilder};
use regex_syntax::hir::{Class, Hir, HirKind};

use super::windows::Reach;

/// Rule regexes can be large (long alternations); allow more than the crate's default.
const SIZE_LIMIT: usize = 32 << 20;
/// Per-thread lazy DFA cache of each regex; the crate's default is 2 MiB.
const DFA_CACHE_LIMIT: usize = 32 << 20;

pub struct LazyRegex {
    source: String,
    compiled: OnceLock<Result<Regex, String>>,
    reach: OnceLock<Reach>,
}

impl LazyRegex {
    pub fn new(source: impl Into<String>) -> LazyRegex {
        LazyRegex {
            source: source.into(),
            compiled: OnceLock::new(),
            reach: OnceLock::new(),
        }
    }

    /// The compiled regex, or the compile error (which the rule loader's checks make rare:
    /// only a size limit can still fail here).
    pub fn get(&self) -> Result<&Regex, &str> {
        self.compiled
            .get_or_init(|| {
                // ASCII first (see the module doc); a regex that needs Unicode classes
                // (`\p{..}`) compiles with Unicode on.
                let build = |unicode: bool| {
                    RegexBuilder::new(&self.source)
                        .unicode(unicode)
                        .size_limit(SIZE_LIMIT)
                        .dfa_size_limit(DFA_CACHE_LIMIT)
                        .build()
                };
                build(false)
                    .or_else(|_| build(true))
                    .map_err(|error| error.to_string())
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// How far from a keyword its matches can lie: the longest match the regex can
    /// produce, and whether a match can span lines.
    pub fn reach(&self) -> Reach {
        *self
            .reach
            .get_or_init(|| match crate::rules::parse_regex(&self.source) {
                Ok(hir) => Reach {
                    max_len: hir.properties().maximum_len(),
                    single_line: newlines(&hir) != Newlines::Anywhere,
                },
                Err(_) => Reach {
                    max_len: None,
                    single_line: false,
                },
            })
    }

    /// Whether the regex matches; a regex that does not compile matches nothing.
    pub fn is_match(&self, haystack: &[u8]) -> bool {
        self.get().is_ok_and(|regex| regex.is_match(haystack))
    }
}

/// One [`LazyRegex`] per distinct source: rules share allowlist regexes (the same
/// placeholder and identifier patterns under many rules), and each is then compiled, and
/// its lazy DFA warmed, once instead of once per rule.
#[derive(Default)]
pub struct RegexInterner {
    known: HashMap<String, Arc<LazyRegex>>,
}

impl RegexInterner {
    pub fn get(&mut self, source: &str) -> Arc<LazyRegex> {
        if let Some(regex) = self.known.get(source) {
            return Arc::clone(regex);
        }
        let regex = Arc::new(LazyRegex::new(source));
        self.known.insert(source.to_owned(), Arc::clone(&regex));
        regex
    }
}

/// Where the strings a regex matches can hold `\n`. Look-arounds such as `$` only look
/// at one, so they do not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Newlines {
    Never,
    /// Only as the last byte, as in a trailing boundary `(?:[^A-Za-z0-9]|$)`.
    AtEnd,
    Anywhere,
}

fn newlines(hir: &Hir) -> Newlines {
    let class = |holds_newline: bool, single_byte: bool| match (holds_newline, single_byte) {
        (false, _) => Newlines::Never,
        (true, true) => Newlines::AtEnd,
        (true, false) => Newlines::Anywhere,
    };
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Newlines::Never,
        HirKind::Literal(literal) => match literal.0.iter().position(|&b| b == b'\n') {
            None => Newlines::Never,
            Some(at) if at + 1 == literal.0.len() => Newlines::AtEnd,
            Some(_) => Newlines::Anywhere,
        },
        // A Unicode class can match several bytes; a newline is one, the last, only when
        // the class matches nothing longer than one byte.
        HirKind::Class(Class::Unicode(unicode)) => class(
            unicode
                .ranges()
                .iter()
                .any(|range| range.start() <= '\n' && '\n' <= range.end()),
            unicode.maximum_len() == Some(1),
        ),
        HirKind::Class(Class::Bytes(bytes)) => class(
            bytes
                .ranges()
                .iter()
                .any(|range| range.start() <= b'\n' && b'\n' <= range.end()),
            true,
        ),
        HirKind::Capture(capture) => newlines(&capture.sub),
        HirKind::Repetition(repetition) => match newlines(&repetition.sub) {
            Newlines::AtEnd if repetition.max != Some(1) => Newlines::Anywhere,
            inner => inner,
        },
        HirKind::Alternation(branches) => branches
            .iter()
            .map(newlines)
            .max()
            .unwrap_or(Newlines::Never),
        HirKind::Concat(parts) => {
            // A newline can be last only in the last part that consumes anything.
            let consuming = parts
                .iter()
                .rposition(|part| part.properties().maximum_len() != Some(0));
            let mut verdict = Newlines::Never;
            for (index, part) in parts.iter().enumerate() {
                match newlines(part) {
                    Newlines::Never => {}
                    Newlines::AtEnd if Some(index) == consuming => verdict = Newlines::AtEnd,
                    _ => return Newlines::Anywhere,
                }
            }
            verdict
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interner_gives_one_regex_per_source() {
        let mut interner = RegexInterner::default();
        let a = interner.get("^test");
        let b = interner.get("^test");
        let c = interner.get("^other");
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
        assert!(b.is_match(b"testing") && !c.is_match(b"testing"));
    }

    #[test]
    fn classes_are_ascii_so_a_key_after_a_non_ascii_letter_starts_a_word() {
        assert!(LazyRegex::new(r"\bAKIA").is_match("éAKIA".as_bytes()));
    }

    #[test]
    fn a_regex_that_needs_unicode_still_compiles() {
        assert!(LazyRegex::new(r"\p{Greek}+").is_match("αβγ".as_bytes()));
        assert!(LazyRegex::new(r"\p{Greek}+").reach().max_len.is_none());
    }

    #[test]
    fn a_regex_without_line_breaks_is_single_line_however_long() {
        let reach = LazyRegex::new(r"(?m)^[ \t]*pass[ \t]*=[ \t]*(\S+)\r?$").reach();
        assert_eq!(reach.max_len, None);
        assert!(reach.single_line);
    }

    #[test]
    fn classes_that_hold_a_line_break_span_lines() {
        for regex in [
            r"key\s*=\s*(\w+)",
            r"key=[^;]+",
            r"(?s)key.+",
            "key\nx",
            r"key(?:[^a-z]|$)x",
            r"key(?:[^a-z]|$)+",
            r"key(?:[^a-z]|$)\s?",
        ] {
            assert!(!LazyRegex::new(regex).reach().single_line, "{regex}");
        }
    }

    #[test]
    fn a_line_break_as_the_last_byte_keeps_a_regex_single_line() {
        for regex in [
            r"key.+",
            r"key[a-z]+(?:[^a-z]|$)",
            r"key[a-z]+(?:[^a-z]|$)\b",
            r"key[a-z]+(?:\n|;)",
            r"key[a-z]+(?:[^a-z])?$",
        ] {
            assert!(LazyRegex::new(regex).reach().single_line, "{regex}");
        }
    }
}
