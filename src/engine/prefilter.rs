//! The keyword prefilter: one ASCII-case-insensitive Aho-Corasick automaton over the
//! keywords of every rule, run once per buffer, tells which rules may match at all and
//! where their keywords occur, so their regexes run only near those places.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::rules::Rule;

pub struct Prefilter {
    /// `None` when no rule has keywords.
    automaton: Option<AhoCorasick>,
    /// For each automaton pattern, the rules that named it as a keyword.
    rules_of_pattern: Vec<Vec<u32>>,
}

impl Prefilter {
    pub fn new(rules: &[Rule]) -> Prefilter {
        let mut keywords: Vec<&str> = Vec::new();
        let mut rules_of_pattern: Vec<Vec<u32>> = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            for keyword in &rule.keywords {
                let pattern = match keywords.iter().position(|known| known == keyword) {
                    Some(pattern) => pattern,
                    None => {
                        keywords.push(keyword);
                        rules_of_pattern.push(Vec::new());
                        keywords.len() - 1
                    }
                };
                if !rules_of_pattern[pattern].contains(&(index as u32)) {
                    rules_of_pattern[pattern].push(index as u32);
                }
            }
        }
        let automaton = (!keywords.is_empty()).then(|| {
            // A DFA costs a millisecond or two more to build than the default NFA but
            // scans about twice as fast, and every byte of every file goes through it.
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&keywords)
                .expect("keyword automaton: keywords are short literals")
        });
        Prefilter {
            automaton,
            rules_of_pattern,
        }
    }

    /// Records in `hits` where each rule's keywords occur in `haystack`. Overlapping
    /// search, so a keyword inside another (`pass` in `password`) is still seen.
    pub fn find_hits(&self, haystack: &[u8], hits: &mut KeywordHits) {
        let Some(automaton) = &self.automaton else {
            return;
        };
        for hit in automaton.find_overlapping_iter(haystack) {
            for &rule in &self.rules_of_pattern[hit.pattern().as_usize()] {
                hits.push(rule as usize, hit.range());
            }
        }
    }
}

/// Keyword occurrences per rule, reused from buffer to buffer.
#[derive(Default)]
pub struct KeywordHits {
    per_rule: Vec<Vec<Range<usize>>>,
    /// Rules with at least one hit, in the order first seen.
    touched: Vec<usize>,
}

impl KeywordHits {
    /// Forgets the previous buffer's hits; `rules` is the size of the rule set.
    pub fn reset(&mut self, rules: usize) {
        for &rule in &self.touched {
            self.per_rule[rule].clear();
        }
        self.touched.clear();
        self.per_rule.resize_with(rules, Vec::new);
    }

    pub fn push(&mut self, rule: usize, range: Range<usize>) {
        let list = &mut self.per_rule[rule];
        if list.is_empty() {
            self.touched.push(rule);
        }
        list.push(range);
    }

    /// The rules with at least one hit.
    pub fn touched(&self) -> &[usize] {
        &self.touched
    }

    /// Where the keywords of `rule` occur, in order of their end.
    pub fn of(&self, rule: usize) -> &[Range<usize>] {
        &self.per_rule[rule]
    }
}
