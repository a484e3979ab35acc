//! Which rules' `path` regexes match a buffer's path, decided with one `RegexSet` pass
//! instead of one regex per rule (every file asks).

use std::sync::OnceLock;

use regex::bytes::{RegexSet, RegexSetBuilder};

use crate::rules::Rule;

use super::lazy_regex::LazyRegex;

pub struct PathMatcher {
    /// For each rule, its path regex (for the rare fallback), or `None`.
    regexes: Vec<Option<LazyRegex>>,
    /// Rule index of each pattern in the set.
    rule_of_pattern: Vec<usize>,
    /// Per rule: true for rules without a path, which every buffer runs; copied per buffer
    /// (a copy of hundreds of flags is cheaper than deciding each again).
    pathless: Vec<bool>,
    sources: Vec<String>,
    set: OnceLock<Option<RegexSet>>,
}

impl PathMatcher {
    pub fn new(rules: &[Rule]) -> PathMatcher {
        let mut rule_of_pattern = Vec::new();
        let mut sources = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            if let Some(path) = &rule.path {
                rule_of_pattern.push(index);
                sources.push(path.clone());
            }
        }
        PathMatcher {
            pathless: rules.iter().map(|rule| rule.path.is_none()).collect(),
            regexes: rules
                .iter()
                .map(|rule| rule.path.as_deref().map(LazyRegex::new))
                .collect(),
            rule_of_pattern,
            sources,
            set: OnceLock::new(),
        }
    }

    /// Fills `active` (one flag per rule): true for rules without a path, and for rules
    /// whose path regex matches `path`. With no path (stdin), path rules are inactive.
    pub fn mark(&self, path: Option<&str>, active: &mut Vec<bool>) {
        active.clear();
        active.extend_from_slice(&self.pathless);
        let Some(path) = path else {
            return;
        };
        if self.sources.is_empty() {
            return;
        }
        let set = self.set.get_or_init(|| {
            RegexSetBuilder::new(&self.sources)
                .unicode(false)
                .size_limit(32 << 20)
                .build()
                .ok()
        });
        match set {
            Some(set) => {
                for pattern in set.matches(path.as_bytes()).iter() {
                    active[self.rule_of_pattern[pattern]] = true;
                }
            }
            // One regex did not compile into the set: ask each (a broken one matches nothing).
            None => {
                for &rule in &self.rule_of_pattern {
                    active[rule] = self.regexes[rule]
                        .as_ref()
                        .is_some_and(|regex| regex.is_match(path.as_bytes()));
                }
            }
        }
    }

    /// The compiled path regex of a rule (for `rules check`).
    pub fn regex(&self, rule: usize) -> Option<&LazyRegex> {
        self.regexes[rule].as_ref()
    }
}
