//! A regex compiled on first use, so start-up does not pay for rules that never run.
//!
//! Regexes are compiled without Unicode mode, as Go's regexp (gitleaks) treats them:
//! `\w`, `\d`, `\s`, `\b` and `(?i)` are ASCII-only, which keeps the lazy DFAs small and
//! fast. A rule that needs Unicode classes can turn it on locally with `(?u)`.

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
                RegexBuilder::new(&self.source)
                    .unicode(false)
                    .size_limit(SIZE_LIMIT)
                    .dfa_size_limit(DFA_CACHE_LIMIT)
                    .build()
                    .map_err(|error| error.to_string())
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// The longest match the regex can produce, in bytes, or `None` when unbounded.
    pub fn max_len(&self) -> Option<usize> {
        *self.max_len.get_or_init(|| {
            regex_syntax::ParserBuilder::new()
                .utf8(false)
                .unicode(false)
                .build()
                .parse(&self.source)
                .ok()
                .and_then(|hir| hir.properties().maximum_len())
        })
    }

    /// Whether the regex matches; a regex that does not compile matches nothing.
    pub fn is_match(&self, haystack: &[u8]) -> bool {
        self.get().is_ok_and(|regex| regex.is_match(haystack))
    }
}
