//! A regex compiled on first use, so start-up does not pay for rules that never run.
//!
//! Regexes are compiled without Unicode mode, as Go's regexp (gitleaks) treats them:
//! `\w`, `\d`, `\s`, `\b` and `(?i)` are ASCII-only, which keeps the lazy DFAs small and
//! fast. A regex that needs Unicode classes (`\p{..}`) is compiled with Unicode on.

use std::sync::OnceLock;

use regex::bytes::{Regex, RegexBuilder};

/// Rule regexes can be large (long alternations); allow more than the crate's default.
const SIZE_LIMIT: usize = 32 << 20;
/// Per-thread lazy DFA cache of each regex; the crate's default is 2 MiB.
const DFA_CACHE_LIMIT: usize = 32 << 20;

pub struct LazyRegex {
    source: String,
    compiled: OnceLock<Result<Regex, String>>,
    max_len: OnceLock<Option<usize>>,
}

impl LazyRegex {
    pub fn new(source: impl Into<String>) -> LazyRegex {
        LazyRegex {
            source: source.into(),
            compiled: OnceLock::new(),
            max_len: OnceLock::new(),
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

    /// The longest match the regex can produce, in bytes, or `None` when unbounded.
    pub fn max_len(&self) -> Option<usize> {
        *self.max_len.get_or_init(|| {
            crate::rules::parse_regex(&self.source)
                .ok()
                .and_then(|hir| hir.properties().maximum_len())
        })
    }

    /// Whether the regex matches; a regex that does not compile matches nothing.
    pub fn is_match(&self, haystack: &[u8]) -> bool {
        self.get().is_ok_and(|regex| regex.is_match(haystack))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_ascii_so_a_key_after_a_non_ascii_letter_starts_a_word() {
        assert!(LazyRegex::new(r"\bAKIA").is_match("éAKIA".as_bytes()));
    }

    #[test]
    fn a_regex_that_needs_unicode_still_compiles() {
        assert!(LazyRegex::new(r"\p{Greek}+").is_match("αβγ".as_bytes()));
        assert!(LazyRegex::new(r"\p{Greek}+").max_len().is_none());
    }
}
