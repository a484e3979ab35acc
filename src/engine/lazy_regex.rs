//! A regex compiled on first use, so start-up does not pay for rules that never run.

use std::sync::OnceLock;

use regex::bytes::{Regex, RegexBuilder};

/// Rule regexes can be large (long alternations); allow more than the crate's default.
const SIZE_LIMIT: usize = 64 << 20;

pub struct LazyRegex {
    source: String,
    compiled: OnceLock<Result<Regex, String>>,
}

impl LazyRegex {
    pub fn new(source: impl Into<String>) -> LazyRegex {
        LazyRegex {
            source: source.into(),
            compiled: OnceLock::new(),
        }
    }

    /// The compiled regex, or the compile error (which the rule loader's checks make rare:
    /// only a size limit can still fail here).
    pub fn get(&self) -> Result<&Regex, &str> {
        self.compiled
            .get_or_init(|| {
                // ASCII classes first: secrets are ASCII, and Unicode-aware classes under
                // `(?i)` make large rules several times slower to compile (13 ms instead
                // of 1.6 ms for the generic secret rule), which a pre-commit run pays. A
                // regex that needs Unicode (`\p{..}`) compiles with it.
                let build = |unicode: bool| {
                    RegexBuilder::new(&self.source)
                        .unicode(unicode)
                        .size_limit(SIZE_LIMIT)
                        .dfa_size_limit(SIZE_LIMIT)
                        .build()
                };
                build(false)
                    .or_else(|_| build(true))
                    .map_err(|error| error.to_string())
            })
            .as_ref()
            .map_err(String::as_str)
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
    }
}
