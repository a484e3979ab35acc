//! Secrets hidden one encoding deep: base64 blobs that decode to text are scanned again
//! with the same rules, and what is found there is reported at the blob's location.

use std::ops::Range;
use std::sync::LazyLock;

use base64::Engine;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use super::base64_runs::{Run, kind, long_runs};

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

    #[test]
    fn url_safe_base64_is_decoded() {
        let encoded =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("token=ab??cd>>ef~~gh<<ij??kl");
        assert!(encoded.contains('_') || encoded.contains('-'), "{encoded}");
        assert_eq!(blobs(&encoded)[0].1, "token=ab??cd>>ef~~gh<<ij??kl");
    }
}
