//! The keyword automaton's transition table, laid out for the scan loop.
//!
//! aho-corasick builds the automaton; this module copies its unanchored DFA into a table
//! shaped for the one thing the prefilter does with it, a byte-at-a-time walk over every
//! byte of every file:
//! - byte classes of our own: one per case-folded byte that occurs in a keyword, one for
//!   every other byte, so the rows are as short as the keywords allow;
//! - states numbered match states first, then breadth-first from the start, so the
//!   shallow states that a walk over ordinary text stays in share a few cache lines, and
//!   "is this a match state" is one comparison;
//! - a step without a bounds check: every entry of the table is a state, and a state
//!   plus a class is always inside the table (checked when the table is built).

use aho_corasick::Anchored;
use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;

pub struct KeywordDfa {
    /// Byte to class; a row of `trans` has one entry per class.
    classes: [u8; 256],
    /// Next state, indexed by `state + class`; states are premultiplied by the row length.
    trans: Box<[u32]>,
    start: u32,
    /// States below this are match states.
    match_limit: u32,
    stride: u32,
    /// For each match state (`state / stride`), the keywords that end there.
    patterns: Vec<Vec<u32>>,
}

impl KeywordDfa {
    /// Copies the unanchored automaton of `dfa`, built ASCII-case-insensitively over
    /// `keywords`.
    pub fn new(dfa: &DFA, keywords: &[&str]) -> KeywordDfa {
        let (classes, representatives) = classes_of(keywords);
        let stride = representatives.len();
        let start = dfa
            .start_state(Anchored::No)
            .expect("an unanchored DFA has an unanchored start state");

        // Every state the walk can reach, breadth-first from the start, and its row of
        // next states as breadth-first indices. aho-corasick's state ids index its own
        // transition table (most of its memory), so a vector indexed by them is the
        // cheapest map.
        const UNSEEN: u32 = u32::MAX;
        let mut bfs_index: Vec<u32> = vec![UNSEEN; dfa.memory_usage() / 4 + 1];
        let mut order = Vec::new();
        let mut rows: Vec<u32> = Vec::with_capacity(bfs_index.len());
        let mut visit = |state: StateID, order: &mut Vec<StateID>| -> u32 {
            if bfs_index.len() <= state.as_usize() {
                bfs_index.resize(state.as_usize() + 1, UNSEEN);
            }
            if bfs_index[state.as_usize()] == UNSEEN {
                bfs_index[state.as_usize()] = order.len() as u32;
                order.push(state);
            }
            bfs_index[state.as_usize()]
        };
        visit(start, &mut order);
        let mut next_to_visit = 0;
        while let Some(&state) = order.get(next_to_visit) {
            next_to_visit += 1;
            for &byte in &representatives {
                let next = dfa.next_state(Anchored::No, state, byte);
                rows.push(visit(next, &mut order));
            }
        }

        // Match states first, the others after them, each in breadth-first order.
        let (mut numbered, rest): (Vec<usize>, Vec<usize>) =
            (0..order.len()).partition(|&index| dfa.is_match(order[index]));
        let match_states = numbered.len();
        numbered.extend(rest);
        let mut premultiplied = vec![0u32; order.len()];
        for (number, &index) in numbered.iter().enumerate() {
            premultiplied[index] = (number * stride) as u32;
        }
        let mut trans = vec![0u32; order.len() * stride].into_boxed_slice();
        for (index, row) in rows.chunks_exact(stride).enumerate() {
            let at = premultiplied[index] as usize;
            for (entry, &next) in trans[at..at + stride].iter_mut().zip(row) {
                *entry = premultiplied[next as usize];
            }
        }
        let patterns = numbered[..match_states]
            .iter()
            .map(|&index| {
                let state = order[index];
                (0..dfa.match_len(state))
                    .map(|nth| dfa.match_pattern(state, nth).as_u32())
                    .collect()
            })
            .collect();
        // What `next` relies on: every entry is the first of a row, and every class
        // is inside a row.
        assert!(trans.iter().all(
            |&state| (state as usize).is_multiple_of(stride) && (state as usize) < trans.len()
        ));
        assert!(classes.iter().all(|&class| usize::from(class) < stride));
        KeywordDfa {
            classes,
            trans,
            start: premultiplied[0],
            match_limit: (match_states * stride) as u32,
            stride: stride as u32,
            patterns,
        }
    }

    pub fn start(&self) -> usize {
        self.start as usize
    }

    /// The state after `byte` from `state`.
    ///
    /// # Safety
    ///
    /// `state` must be this DFA's start or a state this DFA's `next` returned.
    #[inline(always)]
    pub unsafe fn next(&self, state: usize, byte: u8) -> usize {
        let at = state + usize::from(self.classes[usize::from(byte)]);
        debug_assert!(at < self.trans.len());
        // SAFETY: such a state is the first entry of a row (the start, or an entry of the
        // table, all of which `new` checked) and a class is less than a row's length, so
        // `at` is inside the table. This runs for every byte scanned; a bounds check
        // here costs two instructions of about seven.
        unsafe { *self.trans.get_unchecked(at) as usize }
    }

    #[inline(always)]
    pub fn is_match(&self, state: usize) -> bool {
        state < self.match_limit as usize
    }

    /// The keywords (by pattern id) that end in match state `state`.
    pub fn patterns(&self, state: usize) -> &[u32] {
        &self.patterns[state / self.stride as usize]
    }
}

/// Byte classes for `keywords`, matched ASCII-case-insensitively: a class for each
/// distinct case-folded byte they hold, class 0 for the rest. Also returns one byte of
/// each class.
fn classes_of(keywords: &[&str]) -> ([u8; 256], Vec<u8>) {
    // Keywords are UTF-8, which never holds 0xFF: it stands for class 0.
    let mut classes = [0u8; 256];
    let mut representatives = vec![0xFF];
    for keyword in keywords {
        for byte in keyword.bytes() {
            let folded = byte.to_ascii_lowercase();
            if classes[usize::from(folded)] == 0 {
                let class = u8::try_from(representatives.len())
                    .expect("at most 255 distinct bytes besides 0xFF");
                representatives.push(folded);
                classes[usize::from(folded)] = class;
                classes[usize::from(folded.to_ascii_uppercase())] = class;
            }
        }
    }
    (classes, representatives)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::MatchKind;

    fn build(keywords: &[&str]) -> (DFA, KeywordDfa) {
        let dfa = DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .build(keywords)
            .unwrap();
        let flat = KeywordDfa::new(&dfa, keywords);
        (dfa, flat)
    }

    /// (end, pattern) of every keyword occurrence, by walking `flat`.
    fn walk(flat: &KeywordDfa, haystack: &[u8]) -> Vec<(usize, u32)> {
        let mut state = flat.start();
        let mut found = Vec::new();
        for (index, &byte) in haystack.iter().enumerate() {
            // SAFETY: `state` is the start or what `next` returned.
            state = unsafe { flat.next(state, byte) };
            if flat.is_match(state) {
                found.extend(flat.patterns(state).iter().map(|&p| (index + 1, p)));
            }
        }
        found.sort_unstable();
        found
    }

    fn reference(dfa: &DFA, haystack: &[u8]) -> Vec<(usize, u32)> {
        let mut found: Vec<(usize, u32)> = dfa
            .try_find_overlapping_iter(aho_corasick::Input::new(haystack))
            .unwrap()
            .map(|found| (found.end(), found.pattern().as_u32()))
            .collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn finds_what_the_automaton_it_copies_finds_in_either_case() {
        let keywords = ["key", "api_key", "secret", "sk", "AKIA", "://", "ey"];
        let (dfa, flat) = build(&keywords);
        for haystack in [
            &b"let API_KEY = \"x\"; sk-live https://h SECRET akia Keyey"[..],
            b"",
            b"\xff\x00kkkeyyy",
        ] {
            assert_eq!(walk(&flat, haystack), reference(&dfa, haystack));
        }
    }

    #[test]
    fn every_byte_outside_the_keywords_shares_one_class() {
        let (classes, representatives) = classes_of(&["ab", "B:"]);
        assert_eq!(representatives.len(), 4);
        assert_eq!(classes[usize::from(b'A')], classes[usize::from(b'a')]);
        assert_eq!(classes[usize::from(b'b')], classes[usize::from(b'B')]);
        assert_eq!(classes[usize::from(b'z')], 0);
        assert_eq!(classes[0xff], 0);
        assert_ne!(classes[usize::from(b':')], 0);
    }

    proptest::proptest! {
        #[test]
        fn walks_like_the_automaton_on_any_bytes(
            keywords in proptest::collection::vec("[a-dA-D:_]{1,5}", 1..8),
            haystack in proptest::collection::vec(
                proptest::sample::select(b"abcdABCD:_ x\xff".to_vec()), 0..200),
        ) {
            let keywords: Vec<&str> = keywords.iter().map(String::as_str).collect();
            let (dfa, flat) = build(&keywords);
            proptest::prop_assert_eq!(walk(&flat, &haystack), reference(&dfa, &haystack));
        }
    }
}
