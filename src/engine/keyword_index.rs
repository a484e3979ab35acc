//! Keyword search without an automaton, for the first bytes of a run: a table of the
//! keywords by their first three letters, looked up at every offset.
//!
//! Building an Aho-Corasick automaton over several hundred keywords costs about as much
//! as scanning a megabyte, so a pre-commit scan of a few changed lines would spend most
//! of its time building it. This index is built in a fraction of that (one pass over the
//! keywords) and costs a few table loads per byte: at most offsets the first two letters
//! already rule every keyword out. Matching is ASCII-case-insensitive and reports every
//! occurrence of every keyword, overlapping ones included, as the automata do.

/// Keywords by their first three letters (lowercased); shorter keywords apart.
pub struct KeywordIndex {
    /// Lowercased keywords, by pattern id.
    keywords: Vec<Box<[u8]>>,
    /// Per pattern id: the keyword's first eight bytes (lowercased, little-endian, zero
    /// padded) and the mask of the bytes it has, compared with eight bytes of the buffer
    /// at once.
    heads: Vec<(u64, u64)>,
    /// A bit per hash of a three-letter prefix (lowercased), set for the prefixes some
    /// keyword starts with: the cheap first test at every offset, which about one offset
    /// in a hundred passes without a keyword there.
    starts: Box<[u64; 1024]>,
    /// Whether a keyword of one or two letters starts with this (lowercased) byte.
    short_first: [bool; 256],
    /// Open-addressing table from a three-letter prefix to its run in `by_prefix`.
    slots: Vec<Slot>,
    slot_shift: u32,
    /// Pattern ids grouped by prefix.
    by_prefix: Vec<u32>,
    /// Keywords of one or two letters: checked at every offset.
    short: Vec<u32>,
}

#[derive(Clone, Copy, Default)]
struct Slot {
    /// The prefix, plus one so that 0 marks an empty slot.
    key: u32,
    start: u32,
    len: u32,
}

impl KeywordIndex {
    pub fn new(keywords: &[String]) -> KeywordIndex {
        let lowered: Vec<Box<[u8]>> = keywords
            .iter()
            .map(|keyword| keyword.as_bytes().to_ascii_lowercase().into_boxed_slice())
            .collect();
        let mut starts = Box::new([0u64; 1024]);
        let mut short_first = [false; 256];
        let mut short = Vec::new();
        let mut long: Vec<(u32, u32)> = Vec::new();
        for (pattern, keyword) in lowered.iter().enumerate() {
            match keyword.as_ref() {
                [a, b, c, ..] => {
                    let key = prefix_key(*a, *b, *c);
                    let bit = start_bit(key);
                    starts[bit / 64] |= 1 << (bit % 64);
                    long.push((key, pattern as u32));
                }
                [] => {}
                [first, ..] => {
                    short_first[usize::from(*first)] = true;
                    short.push(pattern as u32);
                }
            }
        }
        long.sort_unstable();
        let slot_count = (long.len() * 2).next_power_of_two().max(2);
        let heads = lowered
            .iter()
            .map(|keyword| {
                let len = keyword.len().min(8);
                let mut head = [0u8; 8];
                head[..len].copy_from_slice(&keyword[..len]);
                let mask = if len == 8 {
                    u64::MAX
                } else {
                    (1u64 << (8 * len)) - 1
                };
                (u64::from_le_bytes(head), mask)
            })
            .collect();
        let mut index = KeywordIndex {
            heads,
            keywords: lowered,
            starts,
            short_first,
            slots: vec![Slot::default(); slot_count],
            slot_shift: 32 - slot_count.trailing_zeros(),
            by_prefix: long.iter().map(|&(_, pattern)| pattern).collect(),
            short,
        };
        let mut at = 0;
        while at < long.len() {
            let key = long[at].0;
            let len = long[at..].iter().take_while(|entry| entry.0 == key).count();
            let mut slot = index.slot_of(key);
            while index.slots[slot].key != 0 {
                slot = (slot + 1) & (slot_count - 1);
            }
            index.slots[slot] = Slot {
                key: key + 1,
                start: at as u32,
                len: len as u32,
            };
            at += len;
        }
        index
    }

    fn slot_of(&self, key: u32) -> usize {
        (key.wrapping_mul(0x9E37_79B1) >> self.slot_shift) as usize
    }

    /// The pattern ids of the keywords of three or more letters starting with `key`.
    fn with_prefix(&self, key: u32) -> &[u32] {
        let mask = self.slots.len() - 1;
        let mut slot = self.slot_of(key);
        loop {
            let entry = self.slots[slot];
            if entry.key == 0 {
                return &[];
            }
            if entry.key == key + 1 {
                let start = entry.start as usize;
                return &self.by_prefix[start..start + entry.len as usize];
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Calls `found(pattern, end)` for every occurrence of every keyword in `haystack`.
    pub fn find(&self, haystack: &[u8], mut found: impl FnMut(usize, usize)) {
        let mut window = 0u32;
        for (at, &byte) in haystack.iter().enumerate() {
            if self.short_first[usize::from(byte.to_ascii_lowercase())] {
                let head = lower_head(haystack, at);
                for &pattern in &self.short {
                    if self.matches_at(haystack, at, head, pattern as usize) {
                        found(pattern as usize, at + self.keywords[pattern as usize].len());
                    }
                }
            }
            // The three lowercased bytes ending here, as a prefix key for the keywords
            // starting two bytes back.
            window = (window << 8 | u32::from(byte.to_ascii_lowercase())) & 0xff_ffff;
            if at < 2 {
                continue;
            }
            let bit = start_bit(window);
            if self.starts[bit / 64] & (1 << (bit % 64)) == 0 {
                continue;
            }
            let start = at - 2;
            let head = lower_head(haystack, start);
            for &pattern in self.with_prefix(window) {
                if self.matches_at(haystack, start, head, pattern as usize) {
                    found(
                        pattern as usize,
                        start + self.keywords[pattern as usize].len(),
                    );
                }
            }
        }
    }

    /// Whether keyword `pattern` occurs (ignoring ASCII case) at `at`, where the buffer's
    /// next eight bytes, lowercased, are `head`: most keywords fit in those eight bytes,
    /// so one comparison decides; longer ones compare the rest byte by byte.
    #[inline]
    fn matches_at(&self, haystack: &[u8], at: usize, head: u64, pattern: usize) -> bool {
        let (keyword_head, mask) = self.heads[pattern];
        if head & mask != keyword_head {
            return false;
        }
        let keyword = &self.keywords[pattern];
        // Past the buffer's end `head` holds zeros, which no keyword has: a keyword of
        // eight bytes or fewer that matched lies within the buffer.
        keyword.len() <= 8
            || haystack
                .get(at + 8..at + keyword.len())
                .is_some_and(|rest| rest.eq_ignore_ascii_case(&keyword[8..]))
    }
}

/// The eight bytes at `at` (zeros past the end), lowercased, as a little-endian number.
fn lower_head(haystack: &[u8], at: usize) -> u64 {
    let rest = &haystack[at..];
    let word = match rest.first_chunk::<8>() {
        Some(bytes) => u64::from_le_bytes(*bytes),
        None => {
            let mut bytes = [0u8; 8];
            bytes[..rest.len()].copy_from_slice(rest);
            u64::from_le_bytes(bytes)
        }
    };
    // Sets bit 5 of each byte from `A` to `Z`: per byte (below 0x80), adding 0x3f
    // carries into the top bit from `A` up, adding 0x25 from past `Z` up; no byte's sum
    // reaches the next byte.
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const TOP: u64 = 0x8080_8080_8080_8080;
    let low = word & LOW7;
    let from_a = low + 0x3f3f_3f3f_3f3f_3f3f;
    let past_z = low + 0x2525_2525_2525_2525;
    let upper = from_a & !past_z & !word & TOP;
    word | (upper >> 2)
}

/// Which bit of [`KeywordIndex::starts`] stands for a three-letter prefix.
fn start_bit(key: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B1) >> 16) as usize
}

fn prefix_key(a: u8, b: u8, c: u8) -> u32 {
    u32::from(a) << 16 | u32::from(b) << 8 | u32::from(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(keywords: &[&str], haystack: &str) -> Vec<(usize, usize)> {
        let keywords: Vec<String> = keywords.iter().map(|k| k.to_string()).collect();
        let mut out = Vec::new();
        KeywordIndex::new(&keywords)
            .find(haystack.as_bytes(), |pattern, end| out.push((pattern, end)));
        out.sort_unstable();
        out
    }

    #[test]
    fn finds_overlapping_keywords_of_every_length_in_any_case() {
        assert_eq!(
            all(&["key", "api_key", ":", "sk", "KEYS"], "API_KEYs: sk"),
            vec![(0, 7), (1, 7), (2, 9), (3, 12), (4, 8)]
        );
    }

    #[test]
    fn eight_bytes_are_lowercased_at_once_as_ascii_only() {
        let all: Vec<u8> = (0..=255).collect();
        for chunk in all.chunks(8) {
            let expected: Vec<u8> = chunk.iter().map(u8::to_ascii_lowercase).collect();
            assert_eq!(
                lower_head(chunk, 0).to_le_bytes()[..chunk.len()],
                expected[..]
            );
        }
        assert_eq!(
            lower_head(b"xAB", 1),
            u64::from_le_bytes(*b"ab\0\0\0\0\0\0")
        );
    }

    #[test]
    fn keywords_sharing_a_prefix_are_all_checked() {
        assert_eq!(
            all(&["token", "tok", "tokens"], "xTOKENS"),
            vec![(0, 6), (1, 4), (2, 7)]
        );
        assert_eq!(all(&["abc"], "ab"), vec![]);
        assert_eq!(all(&["long_keyword_x"], "a LONG_KEYWORD_X"), vec![(0, 16)]);
        assert_eq!(all(&["long_keyword_x"], "a LONG_KEYWORD_"), vec![]);
    }
}
