//! Secrets hidden one encoding deep: base64 blobs that decode to text are scanned again
//! with the same rules, and what is found there is reported at the blob's location.

use std::ops::Range;
use std::sync::LazyLock;

use base64::Engine;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// Shorter runs are too often identifiers or paths, and too short to hide a credential.
const MIN_BLOB_LEN: usize = 24;
/// Longer runs are skipped: they are data (images, fonts), not configuration.
const MAX_BLOB_LEN: usize = 64 * 1024;

/// A base64 run and what it decodes to.
pub struct Blob {
    pub span: Range<usize>,
    pub decoded: Vec<u8>,
}

static STANDARD: LazyLock<GeneralPurpose> = LazyLock::new(|| engine(&alphabet::STANDARD));
static URL_SAFE: LazyLock<GeneralPurpose> = LazyLock::new(|| engine(&alphabet::URL_SAFE));

fn engine(alphabet: &alphabet::Alphabet) -> GeneralPurpose {
    let config = GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true);
    GeneralPurpose::new(alphabet, config)
}

/// What kind of base64 character a byte is; 0 for a byte outside both alphabets. A run's
/// kinds, or-ed together as the run is found, decide whether it is worth decoding.
mod kind {
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

/// A maximal run of base64 characters, and the kinds of character it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Run {
    span: Range<usize>,
    kinds: u8,
}

/// Appends to `out` every base64 run of `data` that decodes to text.
pub fn text_blobs(data: &[u8], out: &mut Vec<Blob>) {
    long_runs(data, |run| consider_run(data, run, out));
}

fn consider_run(data: &[u8], run: Run, out: &mut Vec<Blob>) {
    let (start, stop) = (run.span.start, run.span.end);
    // Mixed case and a digit: identifiers, words and paths rarely have all three.
    let encoded_look = kind::UPPER | kind::LOWER | kind::DIGIT;
    let both_alphabets = kind::STANDARD_ONLY | kind::URL_ONLY;
    if stop - start > MAX_BLOB_LEN
        || run.kinds & encoded_look != encoded_look
        || run.kinds & both_alphabets == both_alphabets
    {
        return;
    }
    let text = &data[start..stop];
    let mut end = stop;
    while end < data.len() && end - stop < 2 && data[end] == b'=' {
        end += 1;
    }
    let engine: &GeneralPurpose = if run.kinds & kind::URL_ONLY != 0 {
        &URL_SAFE
    } else {
        &STANDARD
    };
    if let Ok(decoded) = engine.decode(text)
        && is_text(&decoded)
    {
        out.push(Blob {
            span: start..end,
            decoded,
        });
    }
}

/// Calls `visit` with every maximal run of base64 characters at least
/// [`MIN_BLOB_LEN`] long. Every byte of every file goes through here, so on x86-64 it
/// classifies 16 bytes at a time.
fn long_runs(data: &[u8], visit: impl FnMut(Run)) {
    #[cfg(target_arch = "x86_64")]
    {
        long_runs_sse2(data, visit)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        long_runs_scalar(data, visit)
    }
}

#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn long_runs_scalar(data: &[u8], mut visit: impl FnMut(Run)) {
    let mut index = 0;
    while index < data.len() {
        if kind_of(data[index]) == 0 {
            index += 1;
            continue;
        }
        let start = index;
        let mut kinds = 0;
        while index < data.len() && kind_of(data[index]) != 0 {
            kinds |= kind_of(data[index]);
            index += 1;
        }
        if index - start >= MIN_BLOB_LEN {
            visit(Run {
                span: start..index,
                kinds,
            });
        }
    }
}

/// A run of [`MIN_BLOB_LEN`] (24) bytes or more holds two consecutive whole 8-byte
/// blocks at 8-aligned offsets, so only where such a pair is all base64 does the finder
/// look further; the common case, source code whose words are shorter, costs one 16-byte
/// classification per 16 bytes.
#[cfg(target_arch = "x86_64")]
fn long_runs_sse2(data: &[u8], mut visit: impl FnMut(Run)) {
    const _: () = assert!(MIN_BLOB_LEN >= 23);
    let is_member = |byte: u8| kind_of(byte) != 0;
    let mut offset = 0;
    // The end of the last run looked at: nothing before it is looked at again.
    let mut floor = 0;
    // Whether the 8 bytes before `offset` are all base64.
    let mut previous_half_full = false;
    while offset + 16 <= data.len() {
        let members = base64_mask_16(&data[offset..offset + 16]);
        let anchor = if members == 0xFFFF {
            Some(offset)
        } else if previous_half_full && members & 0xFF == 0xFF {
            Some(offset - 8)
        } else {
            None
        };
        let Some(anchor) = anchor else {
            previous_half_full = members >> 8 == 0xFF;
            offset += 16;
            continue;
        };
        let mut kinds = 0;
        let mut start = anchor;
        while start > 0 && is_member(data[start - 1]) {
            start -= 1;
            kinds |= kind_of(data[start]);
        }
        let mut end = anchor;
        while end < data.len() && is_member(data[end]) {
            kinds |= kind_of(data[end]);
            end += 1;
        }
        if end - start >= MIN_BLOB_LEN {
            visit(Run {
                span: start..end,
                kinds,
            });
        }
        floor = end;
        // Go on at the next 16-byte boundary past the run; the bytes between its end and
        // that boundary can only start a run whose pair of blocks lies further on.
        offset = (end + 1).next_multiple_of(16);
        previous_half_full = offset >= 8
            && offset - 8 > end
            && offset <= data.len()
            && data[offset - 8..offset].iter().all(|&byte| is_member(byte));
    }
    // The last bytes: a run there that started earlier but had no whole pair of blocks
    // before `offset` is found from its start.
    let mut from = offset.min(data.len());
    while from > floor && is_member(data[from - 1]) {
        from -= 1;
    }
    long_runs_scalar(&data[from..], |run| {
        visit(Run {
            span: run.span.start + from..run.span.end + from,
            kinds: run.kinds,
        })
    });
}

/// Bit k set when byte k of `chunk` (16 bytes) is in either base64 alphabet.
#[cfg(target_arch = "x86_64")]
fn base64_mask_16(chunk: &[u8]) -> u32 {
    use std::arch::x86_64::*;
    debug_assert_eq!(chunk.len(), 16);
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

/// Valid UTF-8 without control characters other than whitespace.
fn is_text(decoded: &[u8]) -> bool {
    std::str::from_utf8(decoded).is_ok_and(|text| {
        text.chars()
            .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blobs(data: &str) -> Vec<(Range<usize>, String)> {
        let mut out = Vec::new();
        text_blobs(data.as_bytes(), &mut out);
        out.into_iter()
            .map(|blob| (blob.span, String::from_utf8(blob.decoded).unwrap()))
            .collect()
    }

    fn encode(text: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(text)
    }

    #[test]
    fn base64_text_is_decoded_with_its_span() {
        let encoded = encode("password=Tr0ub4dor&3horse-battery");
        let data = format!("value: {encoded}\n");
        assert_eq!(
            blobs(&data),
            [(
                7..7 + encoded.len(),
                "password=Tr0ub4dor&3horse-battery".to_string()
            )]
        );
    }

    #[test]
    fn binary_payloads_and_identifiers_are_not_blobs() {
        let binary = base64::engine::general_purpose::STANDARD.encode([
            0u8, 1, 2, 255, 254, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
        ]);
        assert!(blobs(&binary).is_empty());
        assert!(blobs("this_is_a_very_long_identifier_name_in_code").is_empty());
        assert!(blobs("short").is_empty());
    }

    proptest::proptest! {
        #[test]
        fn vectorised_run_finder_agrees_with_the_scalar_one(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Z", "0", "+", "/", "-", "_", "=", " ", "\n", "\u{80}", ".",
                    "Ab1", "abcdefgh", "QUJDREVGR0hJSktM", "x_y-z+w/", "0123456789",
                ]),
                0..60,
            )
        ) {
            let data = pieces.concat().into_bytes();
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            long_runs(&data, |run| fast.push(run));
            long_runs_scalar(&data, |run| slow.push(run));
            proptest::prop_assert_eq!(fast, slow);
        }
    }

    #[test]
    fn runs_at_chunk_boundaries_are_found_whole() {
        for start in 0..40 {
            let data = format!("{}{}{}", " ".repeat(start), "Ab1".repeat(10), " ".repeat(7));
            let mut runs = Vec::new();
            long_runs(data.as_bytes(), |run| runs.push(run));
            let spans: Vec<_> = runs.into_iter().map(|run| run.span).collect();
            assert_eq!(spans, vec![start..start + 30], "start {start}");
        }
    }

    #[test]
    fn url_safe_base64_is_decoded() {
        let encoded =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("token=ab??cd>>ef~~gh<<ij??kl");
        assert!(encoded.contains('_') || encoded.contains('-'), "{encoded}");
        assert_eq!(blobs(&encoded)[0].1, "token=ab??cd>>ef~~gh<<ij??kl");
    }
}
