//! The keyword prefilter: ASCII-case-insensitive Aho-Corasick automata over the keywords of
//! the rules, run once per buffer, tell which rules may match at all and where their
//! keywords occur, so their regexes run only near those places.
//!
//! Rules limited to certain paths (`.npmrc`, `.pgpass`, ...) get an automaton of their
//! own, run only on buffers whose path one of them matches: their keywords (often as
//! common as `:`) then cost nothing on every other file.
//!
//! Each automaton starts as a [`KeywordIndex`] (keywords by their first letters, cheap to
//! build) and becomes a DFA, fast to run, once the run has scanned enough bytes to repay
//! building it: a pre-commit scan of a few changed lines builds no automaton at all.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use aho_corasick::MatchKind;
use aho_corasick::dfa::DFA;

use crate::rules::Rule;

use super::keyword_dfa::KeywordDfa;
use super::keyword_index::KeywordIndex;

pub struct Prefilter {
    /// Per rule: its keywords, and whether it has a `path`.
    keywords: Vec<(Vec<String>, bool)>,
    /// Built on the first buffer, so a run with nothing to scan does not pay for it.
    automata: OnceLock<Automata>,
    /// Bytes an automaton scans with its index before it builds its DFA.
    dfa_after: u64,
}

/// Building the DFA costs about as much as scanning this much with the index instead.
const DFA_AFTER: u64 = 1 << 20;

struct Automata {
    /// Keywords of the rules that apply to every path.
    general: Option<KeywordAutomaton>,
    /// Keywords of the rules with a `path`.
    path_scoped: Option<KeywordAutomaton>,
}

impl Prefilter {
    pub fn new(rules: &[Rule]) -> Prefilter {
        Prefilter::with_dfa_after(rules, DFA_AFTER)
    }

    fn with_dfa_after(rules: &[Rule], dfa_after: u64) -> Prefilter {
        Prefilter {
            keywords: rules
                .iter()
                .map(|rule| (rule.keywords.clone(), rule.path.is_some()))
                .collect(),
            automata: OnceLock::new(),
            dfa_after,
        }
    }

    fn automata(&self) -> &Automata {
        self.automata.get_or_init(|| Automata {
            general: KeywordAutomaton::new(&self.keywords, |has_path| !has_path, self.dfa_after),
            path_scoped: KeywordAutomaton::new(&self.keywords, |has_path| has_path, self.dfa_after),
        })
    }

    /// Records in `hits` where each rule's keywords occur in `haystack`. `path_active`
    /// tells which path-scoped rules apply to this buffer (indexed by rule).
    /// Kept out of line: inlined into the engine's scan, the keyword walk shares its
    /// registers with it and runs measurably slower.
    #[inline(never)]
    pub fn find_hits(&self, haystack: &[u8], path_active: &[bool], hits: &mut KeywordHits) {
        hits.limit = if hits.keep_all {
            usize::MAX
        } else {
            hits_limit(haystack.len())
        };
        let automata = self.automata();
        if let Some(general) = &automata.general {
            general.find_hits(haystack, hits, |_| true);
        }
        if let Some(scoped) = &automata.path_scoped
            && scoped.rules.iter().any(|&rule| path_active[rule])
        {
            scoped.find_hits(haystack, hits, |rule| path_active[rule]);
        }
    }
}

/// An automaton over a set of keywords, and the rules that named each one.
struct KeywordAutomaton {
    /// Pattern id to keyword.
    keywords: Vec<String>,
    /// For the first bytes of a run.
    index: KeywordIndex,
    /// For every byte after the first `dfa_after` of a run.
    dfa: OnceLock<KeywordDfa>,
    scanned: AtomicU64,
    dfa_after: u64,
    /// For each pattern, the rules that named it as a keyword.
    rules_of_pattern: Vec<Vec<u32>>,
    /// Every rule with a keyword here.
    rules: Vec<usize>,
    longest: usize,
}

/// Independent walks interleaved in one loop. A DFA walk is bound by the latency of its
/// table loads, one after the other; several walks over different parts of the buffer
/// keep the CPU's load units busy instead.
const LANES: usize = 4;
const _: () = assert!(LANES == 4, "the walk zips four lanes");
/// Below this, one walk: splitting is not worth it.
const MIN_SPLIT_LEN: usize = 4096;

impl KeywordAutomaton {
    /// An automaton over the keywords of the rules for which `include(has_path)` holds.
    fn new(
        rules: &[(Vec<String>, bool)],
        include: impl Fn(bool) -> bool,
        dfa_after: u64,
    ) -> Option<KeywordAutomaton> {
        let mut keywords: Vec<&str> = Vec::new();
        let mut pattern_of: HashMap<&str, usize> = HashMap::new();
        let mut rules_of_pattern: Vec<Vec<u32>> = Vec::new();
        let mut included = Vec::new();
        for (index, (rule_keywords, _)) in rules
            .iter()
            .enumerate()
            .filter(|(_, (_, has_path))| include(*has_path))
        {
            if !rule_keywords.is_empty() {
                included.push(index);
            }
            for keyword in rule_keywords {
                let pattern = *pattern_of.entry(keyword).or_insert_with(|| {
                    keywords.push(keyword);
                    rules_of_pattern.push(Vec::new());
                    keywords.len() - 1
                });
                if !rules_of_pattern[pattern].contains(&(index as u32)) {
                    rules_of_pattern[pattern].push(index as u32);
                }
            }
        }
        if keywords.is_empty() {
            return None;
        }
        let keywords: Vec<String> = keywords.iter().map(|keyword| keyword.to_string()).collect();
        let longest = keywords
            .iter()
            .map(|keyword| keyword.len())
            .max()
            .unwrap_or(1);
        Some(KeywordAutomaton {
            index: KeywordIndex::new(&keywords),
            keywords,
            dfa: OnceLock::new(),
            scanned: AtomicU64::new(0),
            dfa_after,
            longest,
            rules_of_pattern,
            rules: included,
        })
    }

    /// The DFA, once this run has scanned enough to repay building it.
    fn dfa_for(&self, haystack: &[u8]) -> Option<&KeywordDfa> {
        if let Some(dfa) = self.dfa.get() {
            return Some(dfa);
        }
        let scanned = self
            .scanned
            .fetch_add(haystack.len() as u64, Ordering::Relaxed);
        if scanned + (haystack.len() as u64) < self.dfa_after {
            return None;
        }
        Some(self.dfa.get_or_init(|| {
            let dfa = DFA::builder()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .prefilter(false)
                .build(&self.keywords)
                .expect("keyword automaton: keywords are short literals");
            let keywords: Vec<&str> = self.keywords.iter().map(String::as_str).collect();
            KeywordDfa::new(&dfa, &keywords)
        }))
    }

    fn find_hits(&self, haystack: &[u8], hits: &mut KeywordHits, wanted: impl Fn(usize) -> bool) {
        let Some(dfa) = self.dfa_for(haystack) else {
            self.index.find(haystack, |pattern, end| {
                self.record_pattern(pattern, end, usize::MAX, hits, &wanted);
            });
            return;
        };
        self.walk(dfa, haystack, hits, wanted);
    }

    fn walk(
        &self,
        dfa: &KeywordDfa,
        haystack: &[u8],
        hits: &mut KeywordHits,
        wanted: impl Fn(usize) -> bool,
    ) {
        let start_state = dfa.start();
        if haystack.len() < MIN_SPLIT_LEN {
            let mut state = start_state;
            for (index, &byte) in haystack.iter().enumerate() {
                // SAFETY: `state` is the DFA's start or what its `next` returned.
                state = unsafe { dfa.next(state, byte) };
                if dfa.is_match(state) {
                    self.record(dfa, state, index + 1, usize::MAX, hits, &wanted);
                }
            }
            return;
        }
        // Lane k walks from `begin[k]` and owns the keywords that start before
        // `begin[k + 1]`; it reads on past that by the longest keyword's length, so a
        // keyword that straddles the boundary is seen whole by the lane it starts in.
        let chunk = haystack.len() / LANES;
        let begin: [usize; LANES] = std::array::from_fn(|lane| lane * chunk);
        let owned_end: [usize; LANES] = std::array::from_fn(|lane| {
            if lane + 1 == LANES {
                usize::MAX
            } else {
                begin[lane + 1]
            }
        });
        let read_end: [usize; LANES] = std::array::from_fn(|lane| {
            if lane + 1 == LANES {
                haystack.len()
            } else {
                (begin[lane + 1] + self.longest - 1).min(haystack.len())
            }
        });
        let mut states = [start_state; LANES];
        // The walk calls nothing: a call would make the compiler keep the four states,
        // the four lanes and the table on the stack instead of in registers. Match states
        // wait in `pending` until a block of steps is done; a block is short enough that
        // every lane matching at every step still fits.
        const BLOCK: usize = 16;
        let mut pending = [(0usize, 0usize); BLOCK * LANES];
        let blocks = |lane: usize| haystack[begin[lane]..begin[lane] + chunk].chunks(BLOCK);
        let all_blocks = blocks(0).zip(blocks(1)).zip(blocks(2)).zip(blocks(3));
        for (block, (((bytes0, bytes1), bytes2), bytes3)) in all_blocks.enumerate() {
            let mut waiting = 0;
            let steps = bytes0.iter().zip(bytes1).zip(bytes2).zip(bytes3);
            for (step, (((&b0, &b1), &b2), &b3)) in steps.enumerate() {
                for (lane, byte) in [b0, b1, b2, b3].into_iter().enumerate() {
                    // SAFETY: each lane's state is the start or what `next` returned.
                    states[lane] = unsafe { dfa.next(states[lane], byte) };
                    if dfa.is_match(states[lane]) {
                        pending[waiting] = (states[lane], begin[lane] + block * BLOCK + step + 1);
                        waiting += 1;
                    }
                }
            }
            // A keyword that ends inside a lane's own stretch starts inside it too.
            for &(state, end) in &pending[..waiting] {
                self.record(dfa, state, end, usize::MAX, hits, &wanted);
            }
        }
        for lane in 0..LANES {
            let mut state = states[lane];
            let tail_start = begin[lane] + chunk;
            for (offset, &byte) in haystack[tail_start..read_end[lane]].iter().enumerate() {
                // SAFETY: `state` is the DFA's start or what its `next` returned.
                state = unsafe { dfa.next(state, byte) };
                if dfa.is_match(state) {
                    self.record(
                        dfa,
                        state,
                        tail_start + offset + 1,
                        owned_end[lane],
                        hits,
                        &wanted,
                    );
                }
            }
        }
    }

    /// Records the keywords that end at `end` in match state `state` of `dfa`, if they
    /// start before `owned_end`. Kept out of line: the walk's registers are for the walk.
    #[inline(never)]
    fn record(
        &self,
        dfa: &KeywordDfa,
        state: usize,
        end: usize,
        owned_end: usize,
        hits: &mut KeywordHits,
        wanted: &impl Fn(usize) -> bool,
    ) {
        for &pattern in dfa.patterns(state) {
            self.record_pattern(pattern as usize, end, owned_end, hits, wanted);
        }
    }

    /// Records keyword `pattern` ending at `end`, if it starts before `owned_end`.
    fn record_pattern(
        &self,
        pattern: usize,
        end: usize,
        owned_end: usize,
        hits: &mut KeywordHits,
        wanted: &impl Fn(usize) -> bool,
    ) {
        let start = end - self.keywords[pattern].len();
        if start >= owned_end {
            return;
        }
        for &rule in &self.rules_of_pattern[pattern] {
            if wanted(rule as usize) {
                hits.push(rule as usize, start..end);
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
    /// Rules whose hits reached `limit`: they run on the whole buffer instead.
    everywhere: Vec<bool>,
    /// The most hits kept per rule for the current buffer.
    limit: usize,
    /// Tests that compare every hit with a naive search keep them all.
    keep_all: bool,
}

/// The most keyword hits kept per rule for a buffer of `len` bytes. A keyword of repeated
/// letters (`AAAA`) occurs at every offset of a run of `A` (base64 of zero bytes, common in
/// data files): 16 bytes of hit and 24 of window per byte of input. Past this many, the
/// rule's regex runs over the whole buffer, which is what the hits would have come to.
fn hits_limit(len: usize) -> usize {
    len / 64 + 1024
}

impl KeywordHits {
    /// Forgets the previous buffer's hits; `rules` is the size of the rule set.
    pub fn reset(&mut self, rules: usize) {
        for &rule in &self.touched {
            self.per_rule[rule].clear();
            self.everywhere[rule] = false;
        }
        self.touched.clear();
        self.per_rule.resize_with(rules, Vec::new);
        self.everywhere.resize(rules, false);
        self.limit = usize::MAX;
    }

    pub fn push(&mut self, rule: usize, range: Range<usize>) {
        let list = &mut self.per_rule[rule];
        if list.is_empty() {
            self.touched.push(rule);
        }
        if list.len() < self.limit {
            list.push(range);
        } else {
            self.everywhere[rule] = true;
        }
    }

    /// Hits that keep every occurrence, however many (for tests that compare them all).
    #[cfg(test)]
    fn keeping_all() -> KeywordHits {
        KeywordHits {
            keep_all: true,
            ..KeywordHits::default()
        }
    }

    /// Where the regex of `rule` must look: near its keyword hits, or (`None`) everywhere,
    /// when there were too many hits to keep.
    pub fn near(&self, rule: usize) -> Option<&[Range<usize>]> {
        (!self.everywhere[rule]).then(|| self.per_rule[rule].as_slice())
    }

    /// The rules with at least one hit.
    pub fn touched(&self) -> &[usize] {
        &self.touched
    }

    /// Where the keywords of `rule` occur (in no particular order).
    #[cfg(test)]
    fn of(&self, rule: usize) -> &[Range<usize>] {
        &self.per_rule[rule]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: &str, keywords: &[&str]) -> Rule {
        Rule::for_test(id, "x", keywords)
    }

    fn sorted_hits(
        prefilter: &Prefilter,
        haystack: &[u8],
        rules: usize,
    ) -> Vec<(usize, Range<usize>)> {
        let mut hits = KeywordHits::keeping_all();
        hits.reset(rules);
        prefilter.find_hits(haystack, &vec![true; rules], &mut hits);
        let mut all: Vec<_> = (0..rules)
            .flat_map(|rule| hits.of(rule).iter().map(move |range| (rule, range.clone())))
            .collect();
        all.sort_by_key(|(rule, range)| (*rule, range.start));
        all
    }

    fn naive_hits(rules: &[Rule], haystack: &[u8]) -> Vec<(usize, Range<usize>)> {
        let lower = haystack.to_ascii_lowercase();
        let lower = lower.as_slice();
        let mut all = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            let mut ranges: Vec<Range<usize>> = rule
                .keywords
                .iter()
                .flat_map(|keyword| {
                    let keyword = keyword.as_bytes();
                    (0..lower.len().saturating_sub(keyword.len() - 1))
                        .filter(move |&at| lower[at..].starts_with(keyword))
                        .map(move |at| at..at + keyword.len())
                        .collect::<Vec<_>>()
                })
                .collect();
            ranges.sort_by_key(|range| (range.start, range.end));
            ranges.dedup();
            all.extend(ranges.into_iter().map(|range| (index, range)));
        }
        all.sort_by_key(|(rule, range)| (*rule, range.start));
        all
    }

    #[test]
    fn hits_of_a_keyword_at_every_offset_stay_bounded() {
        let rules = vec![rule("r", &["AAAA"])];
        let prefilter = Prefilter::new(&rules);
        let haystack = vec![b'A'; 1 << 20];
        let mut hits = KeywordHits::default();
        hits.reset(rules.len());
        prefilter.find_hits(&haystack, &[true], &mut hits);
        assert_eq!(hits.touched(), [0]);
        assert!(hits.of(0).len() <= hits_limit(haystack.len()));
        assert!(hits.near(0).is_none(), "the rule runs everywhere instead");
        hits.reset(rules.len());
        prefilter.find_hits(b"xx AAAA yy", &[true], &mut hits);
        assert_eq!(hits.near(0), Some(std::slice::from_ref(&(3..7))));
    }

    #[test]
    fn interleaved_lanes_find_every_keyword_across_lane_boundaries() {
        let rules = vec![
            rule("a", &["abcd"]),
            rule("b", &["bcd", "cdef"]),
            rule("c", &["ghp_"]),
        ];
        let prefilter = Prefilter::with_dfa_after(&rules, 0);
        for len in [
            MIN_SPLIT_LEN,
            MIN_SPLIT_LEN + 1,
            MIN_SPLIT_LEN + 3,
            // Lanes that end in a part block.
            MIN_SPLIT_LEN + 4 * 7 + 1,
            3 * MIN_SPLIT_LEN + 2,
        ] {
            let chunk = len / LANES;
            for shift in 0..8 {
                let mut haystack = vec![b'x'; len];
                for lane in 1..=LANES {
                    let at = (lane * chunk).saturating_sub(shift).min(len - 6);
                    haystack[at..at + 6].copy_from_slice(b"ABcdef");
                }
                haystack[len - 4..].copy_from_slice(b"ghP_");
                assert_eq!(
                    sorted_hits(&prefilter, &haystack, rules.len()),
                    naive_hits(&rules, &haystack),
                    "len {len} shift {shift}"
                );
            }
        }
    }

    #[test]
    fn a_keyword_at_every_byte_of_every_lane_is_recorded_every_time() {
        let rules = vec![rule("x", &["x"]), rule("xx", &["xx"])];
        let prefilter = Prefilter::with_dfa_after(&rules, 0);
        let haystack = vec![b'X'; MIN_SPLIT_LEN + 37];
        assert_eq!(
            sorted_hits(&prefilter, &haystack, rules.len()),
            naive_hits(&rules, &haystack)
        );
    }

    #[test]
    fn the_dfa_is_built_once_the_run_has_scanned_enough() {
        let rules = vec![rule("a", &["key"])];
        let prefilter = Prefilter::with_dfa_after(&rules, 100);
        let automaton = || prefilter.automata().general.as_ref().unwrap();
        let haystack = b"a KEY in sixty bytes of text, and some more text after it.";
        assert_eq!(
            sorted_hits(&prefilter, haystack, 1),
            naive_hits(&rules, haystack)
        );
        assert!(automaton().dfa.get().is_none(), "60 bytes: still the index");
        assert_eq!(
            sorted_hits(&prefilter, haystack, 1),
            naive_hits(&rules, haystack)
        );
        assert!(automaton().dfa.get().is_some(), "120 bytes: the DFA");
    }

    proptest::proptest! {
        #[test]
        fn the_index_and_the_dfa_find_the_same_hits(
            keywords in proptest::collection::vec("[a-c_]{1,4}", 1..6),
            haystack in proptest::collection::vec(
                proptest::sample::select(b"abcABC_ x".to_vec()), 0..(3 * MIN_SPLIT_LEN)),
        ) {
            let rules: Vec<Rule> = keywords
                .iter()
                .enumerate()
                .map(|(index, keyword)| rule(&format!("r{index}"), &[keyword.as_str()]))
                .collect();
            let index = Prefilter::with_dfa_after(&rules, u64::MAX);
            let dfa = Prefilter::with_dfa_after(&rules, 0);
            let expected = naive_hits(&rules, &haystack);
            proptest::prop_assert_eq!(sorted_hits(&index, &haystack, rules.len()), expected.clone());
            proptest::prop_assert_eq!(sorted_hits(&dfa, &haystack, rules.len()), expected);
        }
    }
}
