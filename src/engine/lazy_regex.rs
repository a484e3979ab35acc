//! A regex compiled on first use, so start-up does not pay for rules that never run.

use std::sync::OnceLock;

use regex::bytes::{Regex, RegexBuilder};

/// Rule regexes can be large (long alternations); allow more than the crate's default.
const SIZE_LIMIT: usize = 64 << 20;

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
                    .size_limit(SIZE_LIMIT)
                    .dfa_size_limit(SIZE_LIMIT)
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
