//! Finding base64 runs: every maximal run of base64 characters (either alphabet) at
//! least [`MIN_RUN_LEN`] bytes long, with the kinds of character it holds.
//!
//! Every byte of every file goes through here when decoding is on, so on x86-64 the
//! bytes are classified 32 at a time into a bit mask, and a run is looked at byte by byte
//! only once the masks show it is long enough.

use std::ops::Range;

/// Shorter runs are too often identifiers or paths, and too short to hide a credential.
pub const MIN_RUN_LEN: usize = 24;

/// What kind of base64 character a byte is; 0 for a byte outside both alphabets. A run's
/// kinds, or-ed together as the run is found, decide whether it is worth decoding.
pub mod kind {
    pub const UPPER: u8 = 1;
    pub const LOWER: u8 = 2;
    pub const DIGIT: u8 = 4;
    /// `+` or `/`: standard alphabet only.
    pub const STANDARD_ONLY: u8 = 8;
    /// `-` or `_`: URL-safe alphabet only.
    pub const URL_ONLY: u8 = 16;
}

static KINDS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = match b {
            b'A'..=b'Z' => kind::UPPER,
            b'a'..=b'z' => kind::LOWER,
            b'0'..=b'9' => kind::DIGIT,
            b'+' | b'/' => kind::STANDARD_ONLY,
            b'-' | b'_' => kind::URL_ONLY,
            _ => 0,
        };
        byte += 1;
    }
    table
};

fn kind_of(byte: u8) -> u8 {
    KINDS[usize::from(byte)]
}

fn is_member(byte: u8) -> bool {
    kind_of(byte) != 0
}

/// A maximal run of base64 characters, and the kinds of character it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub span: Range<usize>,
    pub kinds: u8,
}

/// Calls `visit` with every maximal base64 run of `data` at least [`MIN_RUN_LEN`] long,
/// in order.
pub fn long_runs(data: &[u8], mut visit: impl FnMut(Run)) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked just above.
            unsafe { long_runs_avx2(data, &mut visit) };
        } else {
            long_runs_by_masks(data, &mut visit, sse2::members_32);
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        long_runs_scalar(data, &mut visit)
    }
}

/// One byte at a time: the reference the vectorised finder is tested against, and the
/// finder for the last bytes of a buffer.
fn long_runs_scalar(data: &[u8], visit: &mut impl FnMut(Run)) {
    let mut index = 0;
    while index < data.len() {
        if !is_member(data[index]) {
            index += 1;
            continue;
        }
        let start = index;
        let mut kinds = 0;
        while index < data.len() && is_member(data[index]) {
            kinds |= kind_of(data[index]);
            index += 1;
        }
        if index - start >= MIN_RUN_LEN {
            visit(Run {
                span: start..index,
                kinds,
            });
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn long_runs_avx2(data: &[u8], visit: &mut impl FnMut(Run)) {
    // A closure here inherits AVX2, so the classifier inlines into the loop.
    long_runs_by_masks(data, visit, |block| avx2::members_32(block))
}

/// Bit k of `members` (64 bytes' worth) set where a run of [`MIN_RUN_LEN`] members starts
/// at byte k; only starts in the first 32 bytes are whole.
#[inline(always)]
fn long_run_starts(members: u64) -> u64 {
    const _: () = assert!(MIN_RUN_LEN == 24);
    // Each step doubles the run length a set bit vouches for: 2, 4, 8, 16, then 24.
    let mut starts = members & (members >> 1);
    starts &= starts >> 2;
    starts &= starts >> 4;
    starts &= starts >> 8;
    starts &= starts >> 8;
    starts & 0xFFFF_FFFF
}

/// The finder over 32-byte masks from `members_32` (bit k set when byte k of the 32 it is
/// given is base64). The first 24 bytes of a long run lie within two consecutive 32-byte
/// blocks, so each pair of blocks is checked for a run starting in its first block; source
/// code, whose words are shorter, costs one classification and a few shifts per block.
#[inline(always)]
fn long_runs_by_masks(data: &[u8], visit: &mut impl FnMut(Run), members_32: impl Fn(&[u8]) -> u32) {
    let mut offset = 0;
    if data.len() >= 64 {
        let mut first = members_32(&data[..32]);
        while offset + 64 <= data.len() {
            let second = members_32(&data[offset + 32..offset + 64]);
            let starts = long_run_starts(u64::from(first) | u64::from(second) << 32);
            if starts == 0 {
                offset += 32;
                first = second;
                continue;
            }
            // The first start in the block begins its run: an earlier start of the same
            // run would have been found in an earlier pair, and the walk resumed past it.
            let start = offset + starts.trailing_zeros() as usize;
            let mut end = start;
            let mut kinds = 0;
            while end < data.len() && is_member(data[end]) {
                kinds |= kind_of(data[end]);
                end += 1;
            }
            visit(Run {
                span: start..end,
                kinds,
            });
            // `data[end]` is not base64 (or is past the end): resume just after it.
            offset = end + 1;
            if offset + 64 <= data.len() {
                first = members_32(&data[offset..offset + 32]);
            }
        }
    }
    // The last bytes: a run starting at or after `offset` was not looked at yet; one that
    // started before it was either visited or is shorter than a long run.
    let from = offset.min(data.len());
    long_runs_scalar(&data[from..], &mut |run: Run| {
        visit(Run {
            span: run.span.start + from..run.span.end + from,
            kinds: run.kinds,
        })
    });
}

/// 16 bytes at a time with compares: SSE2 is in every x86-64 CPU.
#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::*;

    /// Bit k set when byte k of `block` (32 bytes) is in either base64 alphabet.
    pub fn members_32(block: &[u8]) -> u32 {
        members_16(&block[..16]) | members_16(&block[16..32]) << 16
    }

    fn members_16(chunk: &[u8]) -> u32 {
        assert_eq!(chunk.len(), 16);
        // SAFETY: SSE2 is part of the x86-64 baseline, and the load reads exactly the 16
        // bytes of `chunk` (unaligned load).
        unsafe {
            let v = _mm_loadu_si128(chunk.as_ptr().cast());
            // Signed compares: bytes >= 0x80 are negative and fall outside every ASCII range.
            let within = |low: u8, high: u8| {
                _mm_and_si128(
                    _mm_cmpgt_epi8(v, _mm_set1_epi8((low - 1) as i8)),
                    _mm_cmplt_epi8(v, _mm_set1_epi8((high + 1) as i8)),
                )
            };
            let equals = |byte: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(byte as i8));
            let letters_digits = _mm_or_si128(
                _mm_or_si128(within(b'A', b'Z'), within(b'a', b'z')),
                within(b'0', b'9'),
            );
            let symbols = _mm_or_si128(
                _mm_or_si128(equals(b'+'), equals(b'/')),
                _mm_or_si128(equals(b'-'), equals(b'_')),
            );
            _mm_movemask_epi8(_mm_or_si128(letters_digits, symbols)) as u32
        }
    }
}

/// 32 bytes at a time with two table lookups (`vpshufb`) per block.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    /// For each high nibble that base64 characters have (2 to 7), a bit; for each low
    /// nibble, the bits of the high nibbles it makes a base64 character with. A byte is
    /// base64 when the two lookups share a bit. High nibbles 8 to 15 (non-ASCII) have no
    /// bit, and neither do 0 and 1 (controls).
    static HIGH: [u8; 16] = [0, 0, 1, 2, 4, 8, 16, 32, 0, 0, 0, 0, 0, 0, 0, 0];
    static LOW: [u8; 16] = {
        let mut table = [0u8; 16];
        let mut byte = 0x20;
        while byte < 0x80 {
            if super::KINDS[byte] != 0 {
                table[byte & 0x0F] |= HIGH[byte >> 4];
            }
            byte += 1;
        }
        table
    };

    /// Bit k set when byte k of `block` (32 bytes) is in either base64 alphabet.
    #[inline]
    #[target_feature(enable = "avx2")]
    pub fn members_32(block: &[u8]) -> u32 {
        assert_eq!(block.len(), 32);
        // SAFETY: the load reads exactly the 32 bytes of `block` (unaligned load).
        let v = unsafe { _mm256_loadu_si256(block.as_ptr().cast()) };
        // SAFETY: each load reads exactly the 16 bytes of a table.
        let (high_table, low_table) = unsafe {
            (
                _mm256_broadcastsi128_si256(_mm_loadu_si128(HIGH.as_ptr().cast())),
                _mm256_broadcastsi128_si256(_mm_loadu_si128(LOW.as_ptr().cast())),
            )
        };
        let nibble = _mm256_set1_epi8(0x0F);
        let high = _mm256_and_si256(_mm256_srli_epi16::<4>(v), nibble);
        let low = _mm256_and_si256(v, nibble);
        let shared = _mm256_and_si256(
            _mm256_shuffle_epi8(high_table, high),
            _mm256_shuffle_epi8(low_table, low),
        );
        let outside = _mm256_cmpeq_epi8(shared, _mm256_setzero_si256());
        !(_mm256_movemask_epi8(outside) as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(data: &[u8]) -> Vec<Run> {
        let mut runs = Vec::new();
        long_runs_scalar(data, &mut |run| runs.push(run));
        runs
    }

    fn fast(data: &[u8]) -> Vec<Run> {
        let mut runs = Vec::new();
        long_runs(data, |run| runs.push(run));
        runs
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn both_vector_classifiers_agree_with_the_table_on_every_byte() {
        let mut block = [0u8; 32];
        for first in (0..=255u8).step_by(32) {
            for (offset, byte) in block.iter_mut().enumerate() {
                *byte = first.wrapping_add(offset as u8);
            }
            let expected = block
                .iter()
                .enumerate()
                .filter(|(_, byte)| is_member(**byte))
                .fold(0u32, |mask, (bit, _)| mask | 1 << bit);
            assert_eq!(sse2::members_32(&block), expected, "from {first}");
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU has AVX2, checked just above.
                assert_eq!(
                    unsafe { avx2::members_32(&block) },
                    expected,
                    "from {first}"
                );
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn the_sse2_finder_agrees_with_the_scalar_one() {
        let data = format!(
            "{}  x_{}=\n{}",
            "Ab1".repeat(30),
            "z".repeat(23),
            "Q".repeat(70)
        );
        let mut runs = Vec::new();
        long_runs_by_masks(data.as_bytes(), &mut |run| runs.push(run), sse2::members_32);
        assert_eq!(runs, scalar(data.as_bytes()));
        assert_eq!(runs.len(), 3);
    }

    #[test]
    fn runs_at_block_boundaries_are_found_whole() {
        for start in 0..100 {
            for len in [23, 24, 25, 31, 32, 33, 63, 64, 65] {
                let data = format!("{}{}{}", " ".repeat(start), "b".repeat(len), " ".repeat(7));
                let spans: Vec<(usize, usize)> = fast(data.as_bytes())
                    .into_iter()
                    .map(|run| (run.span.start, run.span.end))
                    .collect();
                let expected = if len >= MIN_RUN_LEN {
                    vec![(start, start + len)]
                } else {
                    vec![]
                };
                assert_eq!(spans, expected, "start {start} len {len}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn vectorised_run_finder_agrees_with_the_scalar_one(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Z", "0", "+", "/", "-", "_", "=", " ", "\n", "\u{80}", ".",
                    "Ab1", "abcdefgh", "QUJDREVGR0hJSktM", "x_y-z+w/", "0123456789",
                    "aaaaaaaaaaaaaaaaaaaaaaa",
                ]),
                0..80,
            )
        ) {
            let data = pieces.concat().into_bytes();
            proptest::prop_assert_eq!(fast(&data), scalar(&data));
        }
    }
}
