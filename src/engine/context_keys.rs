//! Compact provider rules (`names` + `token`): the key after each name, found directly
//! instead of by the rule's expanded regex, so these hundreds of rules compile nothing.
//!
//! Knows the rule's key shape and the name occurrences the prefilter found.

use std::ops::Range;

use crate::rules::KeySpec;

use super::buffer_lines::BufferLines;
use super::{Match, RuleSet};

impl RuleSet {
    /// A compact provider rule: the key after each occurrence of a name, found directly
    /// instead of by the expanded regex (which finds the same, see `rules::context`), so
    /// these hundreds of rules compile nothing. Names are taken in the regex's order:
    /// leftmost first, the shorter of two that start together first, and none inside an
    /// earlier match.
    #[expect(
        clippy::too_many_arguments,
        reason = "the same state scan_rule passes around"
    )]
    pub(super) fn find_keys_after_names(
        &self,
        rule_index: usize,
        key: &KeySpec,
        hits: &[Range<usize>],
        data: &[u8],
        path: Option<&str>,
        names: &mut Vec<Range<usize>>,
        lines: &mut BufferLines,
        out: &mut Vec<Match>,
    ) {
        names.clear();
        names.extend_from_slice(hits);
        names.sort_unstable_by_key(|name| (name.start, name.end));
        let mut resume = 0;
        for name in names.iter() {
            if name.start < resume {
                continue;
            }
            if let Some((secret, match_end)) = key.find_after(data, name.end) {
                let found = (name.start..match_end, secret);
                self.confirm(rule_index, data, path, found, lines, out);
                resume = match_end.max(name.start + 1);
            }
        }
    }
}
