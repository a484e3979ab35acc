//! Tells random strings (keys, tokens) from words, identifiers, paths and sentences, for
//! the values of generic rules, which have no provider shape to lean on.
//!
//! Shannon entropy counts characters but not their order, so `ConfigurationManagerFactory`
//! scores like a key. A character-bigram model of identifiers and words does better: it
//! knows how often each character follows another in code and prose, and a random string
//! surprises it at almost every step. The model is 41 x 41 costs in sixteenths of a bit,
//! trained by `benches/randomness/train.py` on source code and documentation; the README's
//! accuracy section says how it compared with entropy and with a BPE vocabulary.
//!
//! Knows only the value's bytes.

/// `-log2 P(next | previous)` in sixteenths of a bit, row by row (see [`symbol`]).
static BIGRAMS: &[u8; SYMBOLS * SYMBOLS] = include_bytes!("bigrams.bin");

const SYMBOLS: usize = 41;
const BOUNDARY: usize = 40;

/// Below this many bits per character a value reads like text or code. Measured on random
/// strings of the alphabets leakhound looks for (hex, base62, base64, lower-case alnum)
/// against identifiers, paths and words from code the model was not trained on (Perl and
/// Node.js sources): every random string of 12 characters or more, and 99.8% of those of 8
/// to 11, cost 5.0 bits or more; 95% of the identifiers cost less.
pub const RANDOM_BITS_PER_CHAR: f64 = 5.0;

fn symbol(byte: u8) -> usize {
    match byte.to_ascii_lowercase() {
        letter @ b'a'..=b'z' => usize::from(letter - b'a'),
        digit @ b'0'..=b'9' => 26 + usize::from(digit - b'0'),
        b'_' | b'-' | b'.' => 36,
        b'/' => 37,
        b' ' => 38,
        _ => 39,
    }
}

/// The model's average surprise, in bits per character (with the end of the value as one
/// more step, so short words pay for ending where words do not).
pub fn bits_per_char(value: &[u8]) -> f64 {
    if value.is_empty() {
        return 0.0;
    }
    let mut previous = BOUNDARY;
    let mut total = 0u32;
    for &byte in value {
        let current = symbol(byte);
        total += u32::from(BIGRAMS[previous * SYMBOLS + current]);
        previous = current;
    }
    total += u32::from(BIGRAMS[previous * SYMBOLS + BOUNDARY]);
    f64::from(total) / 16.0 / (value.len() + 1) as f64
}

/// Whether a value reads like a machine-made secret rather than words or an identifier.
pub fn looks_random(value: &[u8]) -> bool {
    bits_per_char(value) >= RANDOM_BITS_PER_CHAR
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_keys_look_random() {
        for key in [
            "q8ZrT2xLmN4vB7kPw9sD3fGh",
            "3f1c0b8e9d7a6f5e4d3c2b1a09f8e7d6",
            "AbX9+fQ2/LmZ8kPq7RtV1wYc4Hn6JdSe",
            "KjoudnDcoFOZENcFgsNVELhj",
        ] {
            assert!(
                looks_random(key.as_bytes()),
                "{key}: {}",
                bits_per_char(key.as_bytes())
            );
        }
    }

    #[test]
    fn identifiers_paths_and_sentences_do_not() {
        for text in [
            "ConfigurationManagerFactory",
            "authenticity_token_field_name",
            "src/main/resources/application.properties",
            "please enter the name of the database",
            "NEXT_PUBLIC_ANALYTICS_WRITE_KEY",
            "defaultConnectionString",
        ] {
            assert!(
                !looks_random(text.as_bytes()),
                "{text}: {}",
                bits_per_char(text.as_bytes())
            );
        }
    }

    #[test]
    fn the_model_is_a_full_table() {
        assert_eq!(BIGRAMS.len(), SYMBOLS * SYMBOLS);
        assert!(BIGRAMS.iter().all(|&cost| cost > 0));
    }
}
