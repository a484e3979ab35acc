//! The compact form of a provider-context rule: a key with no prefix of its own, recognisable
//! only because the provider's name stands near it (`LANGUAGELAYER_KEY=…`,
//! `"zerobounce": {"apiKey": "…"}`, a log line `nimble SECRET N2kx…`).
//!
//! A rule names the provider (`names`) and the key's shape (`token = "hex32"`); this module
//! expands that into the regex, keywords and entropy floor the engine runs, so a long-tail
//! rule is a few lines of data instead of a hand-written regex. Knows nothing about scanning.

use std::fmt::Write as _;
use std::ops::Range;

/// How far after a name the key may start by default, in bytes.
pub const DEFAULT_NEAR: usize = 40;
/// The most a rule may ask for: the regex grows with it.
pub const MAX_NEAR: usize = 200;
/// The shortest name: every name is a keyword searched in every file.
const MIN_NAME_LEN: usize = 3;

/// Words that make a value in a key's shape a placeholder (`yourapikeyhere0000...`).
const PLACEHOLDER_WORDS: &[&[u8]] = &[
    b"example",
    b"xxxx",
    b"your",
    b"placeholder",
    b"sample",
    b"dummy",
    b"fake",
    b"changeme",
    b"insert",
    b"replace",
    b"redacted",
    b"0000000",
];

/// Whether a value in a compact rule's key shape is a placeholder (ASCII case-insensitive).
pub fn is_placeholder_key(value: &[u8]) -> bool {
    PLACEHOLDER_WORDS.iter().any(|word| {
        value
            .windows(word.len())
            .any(|window| window.eq_ignore_ascii_case(word))
    })
}

/// The key a compact rule looks for after a provider's name, for the engine's direct
/// search (the same matches as the expanded regex, without compiling it).
#[derive(Debug, Clone, PartialEq)]
pub struct KeySpec {
    shapes: Vec<Shape>,
    near: usize,
    prefix: Vec<u8>,
}

impl KeySpec {
    /// The first key after a name that ends at `name_end`, as the expanded regex finds
    /// it: `(secret, match end)`. The nearest start wins, then the first shape.
    pub fn find_after(&self, data: &[u8], name_end: usize) -> Option<(Range<usize>, usize)> {
        // The byte before the key is the filler's last byte, so at least one byte follows
        // the name and at most `near` do.
        let last_start = name_end.saturating_add(self.near).min(data.len());
        for start in name_end + 1..=last_start {
            for shape in &self.shapes {
                if shape.continues_before(data[start - 1]) {
                    continue;
                }
                if let Some((end, match_end)) = shape.key_at(data, start, &self.prefix) {
                    return Some((start..end, match_end));
                }
            }
        }
        None
    }
}

/// What a compact rule expands into.
#[derive(Debug, Clone, PartialEq)]
pub struct Expanded {
    pub key: KeySpec,
    pub regex: String,
    /// Lower-cased names.
    pub keywords: Vec<String>,
    /// The default entropy floor for the shapes (the lowest of them).
    pub entropy: f64,
}

/// The alphabet of a token shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Hex,
    UpperHex,
    Alnum,
    Lower,
    Upper,
    Base64Url,
    Base64,
    Digits,
}

impl Class {
    const NAMES: &[(&str, Class)] = &[
        ("hex", Class::Hex),
        ("HEX", Class::UpperHex),
        ("alnum", Class::Alnum),
        ("lower", Class::Lower),
        ("upper", Class::Upper),
        ("b64url", Class::Base64Url),
        ("b64", Class::Base64),
        ("digits", Class::Digits),
    ];

    /// The characters of the token, as a regex class body.
    fn body(self) -> &'static str {
        match self {
            Class::Hex => "0-9a-f",
            Class::UpperHex => "0-9A-F",
            Class::Alnum => "A-Za-z0-9",
            Class::Lower => "a-z0-9",
            Class::Upper => "A-Z0-9",
            Class::Base64Url => "A-Za-z0-9_\\-",
            Class::Base64 => "A-Za-z0-9+/",
            Class::Digits => "0-9",
        }
    }

    /// What may not stand right before the token: any character that could continue it,
    /// so a key is never cut out of a longer run. (`=` may: `KEY=<base64>`.)
    fn continuation(self) -> &'static str {
        match self {
            Class::Base64Url => "A-Za-z0-9_\\-",
            Class::Base64 => "A-Za-z0-9+/",
            _ => "A-Za-z0-9",
        }
    }

    /// What may not stand right after the token: padding too, for base64.
    fn continuation_after(self) -> &'static str {
        match self {
            Class::Base64 => "A-Za-z0-9+/=",
            other => other.continuation(),
        }
    }

    /// Whether `byte` belongs to the token's alphabet.
    fn holds(self, byte: u8) -> bool {
        match self {
            Class::Hex => matches!(byte, b'0'..=b'9' | b'a'..=b'f'),
            Class::UpperHex => matches!(byte, b'0'..=b'9' | b'A'..=b'F'),
            Class::Alnum => byte.is_ascii_alphanumeric(),
            Class::Lower => matches!(byte, b'0'..=b'9' | b'a'..=b'z'),
            Class::Upper => matches!(byte, b'0'..=b'9' | b'A'..=b'Z'),
            Class::Base64Url => byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-',
            Class::Base64 => byte.is_ascii_alphanumeric() || byte == b'+' || byte == b'/',
            Class::Digits => byte.is_ascii_digit(),
        }
    }

    /// The byte form of [`Class::continuation`].
    fn continues_before(self, byte: u8) -> bool {
        match self {
            Class::Base64Url => byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-',
            Class::Base64 => byte.is_ascii_alphanumeric() || byte == b'+' || byte == b'/',
            _ => byte.is_ascii_alphanumeric(),
        }
    }

    /// The byte form of [`Class::continuation_after`].
    fn continues_after(self, byte: u8) -> bool {
        self.continues_before(byte) || (self == Class::Base64 && byte == b'=')
    }

    /// Random keys of this alphabet and length clear this Shannon entropy with room to
    /// spare; words, repeated characters and counting sequences do not.
    fn entropy_floor(self, min_len: usize) -> f64 {
        match self {
            Class::Digits => 2.5,
            Class::Hex | Class::UpperHex => {
                if min_len >= 24 {
                    3.0
                } else {
                    2.7
                }
            }
            _ => {
                if min_len >= 20 {
                    3.5
                } else {
                    3.0
                }
            }
        }
    }
}

/// One parsed `token` shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Uuid,
    Run {
        class: Class,
        min: usize,
        max: usize,
    },
}

impl Shape {
    fn parse(text: &str) -> Result<Shape, String> {
        if text.eq_ignore_ascii_case("uuid") {
            return Ok(Shape::Uuid);
        }
        let (class, lengths) = Class::NAMES
            .iter()
            // "b64url" before "b64": the longer name must win.
            .filter_map(|(name, class)| text.strip_prefix(name).map(|rest| (*class, rest)))
            .min_by_key(|(_, rest)| rest.len())
            .ok_or_else(|| format!("token shape `{text}` has no known class"))?;
        let number = |digits: &str| {
            digits.parse::<usize>().map_err(|_| {
                format!("token shape `{text}` needs a length, as in hex32 or alnum20-40")
            })
        };
        let (min, max) = match lengths.split_once('-') {
            Some((min, max)) => (number(min)?, number(max)?),
            None => {
                let len = number(lengths)?;
                (len, len)
            }
        };
        if min < 8 || max > 256 || min > max {
            return Err(format!(
                "token shape `{text}`: lengths must be from 8 to 256, the smaller first"
            ));
        }
        Ok(Shape::Run { class, min, max })
    }

    /// Where a key of this shape that starts at `start` (after `prefix`) ends, with what
    /// the regex's right boundary consumes: `(token end, match end)`.
    fn key_at(self, data: &[u8], start: usize, prefix: &[u8]) -> Option<(usize, usize)> {
        let body = start + prefix.len();
        if data.len() < body || !data[start..body].eq(prefix) {
            return None;
        }
        let (end, continues): (usize, fn(u8) -> bool) = match self {
            Shape::Uuid => {
                const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
                let mut at = body;
                for (index, len) in GROUPS.into_iter().enumerate() {
                    if index > 0 {
                        if data.get(at) != Some(&b'-') {
                            return None;
                        }
                        at += 1;
                    }
                    let group = data.get(at..at + len)?;
                    if !group.iter().all(u8::is_ascii_hexdigit) {
                        return None;
                    }
                    at += len;
                }
                (at, |byte| byte.is_ascii_alphanumeric() || byte == b'-')
            }
            Shape::Run { class, min, max } => {
                let run = data[body..]
                    .iter()
                    .take(max + 1)
                    .take_while(|&&byte| class.holds(byte))
                    .count();
                if run < min || run > max {
                    return None;
                }
                let mut end = body + run;
                if class == Class::Base64 {
                    end += data[end..]
                        .iter()
                        .take(2)
                        .take_while(|&&b| b == b'=')
                        .count();
                }
                // The continuations differ by class; see `continues_after`.
                let continues: fn(u8) -> bool = match class {
                    Class::Base64 => |byte| Class::Base64.continues_after(byte),
                    Class::Base64Url => |byte| Class::Base64Url.continues_after(byte),
                    _ => |byte| byte.is_ascii_alphanumeric(),
                };
                (end, continues)
            }
        };
        match data.get(end) {
            None => Some((end, end)),
            Some(&next) if !continues(next) => Some((end, end + 1)),
            Some(_) => None,
        }
    }

    fn continues_before(self, byte: u8) -> bool {
        match self {
            Shape::Uuid => byte.is_ascii_alphanumeric() || byte == b'-',
            Shape::Run { class, .. } => class.continues_before(byte),
        }
    }

    fn entropy_floor(self) -> f64 {
        match self {
            Shape::Uuid => 3.0,
            Shape::Run { class, min, .. } => class.entropy_floor(min),
        }
    }

    /// `(?:[^cont](PREFIX TOKEN)(?:[^cont]|$))`: the token with its boundaries.
    fn write_regex(self, prefix: &str, out: &mut String) {
        let (before, after, token) = match self {
            Shape::Uuid => (
                "A-Za-z0-9\\-",
                "A-Za-z0-9\\-",
                "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
                    .to_string(),
            ),
            Shape::Run { class, min, max } => {
                let repeat = if min == max {
                    format!("{{{min}}}")
                } else {
                    format!("{{{min},{max}}}")
                };
                let mut token = format!("[{}]{repeat}", class.body());
                if class == Class::Base64 {
                    token.push_str("={0,2}");
                }
                (class.continuation(), class.continuation_after(), token)
            }
        };
        let _ = write!(
            out,
            "[^{before}]({}{token})(?:[^{after}]|$)",
            regex_syntax::escape(prefix)
        );
    }
}

/// Expands a compact rule's `names`, `token` shapes, `near` and `prefix`.
pub fn expand(
    names: &[String],
    tokens: &[String],
    near: Option<usize>,
    prefix: Option<&str>,
) -> Result<Expanded, String> {
    if names.is_empty() {
        return Err("`names` is empty: give the provider's name as it appears near the key".into());
    }
    for name in names {
        if name.len() < MIN_NAME_LEN || !name.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
            return Err(format!(
                "name `{name}` must be at least {MIN_NAME_LEN} printable ASCII characters"
            ));
        }
    }
    if tokens.is_empty() {
        return Err("`token` names no shape".into());
    }
    let shapes = tokens
        .iter()
        .map(|token| Shape::parse(token))
        .collect::<Result<Vec<_>, _>>()?;
    // The byte before the key belongs to the filler, so a key is at least one byte away.
    let near = near.unwrap_or(DEFAULT_NEAR).max(1);
    if near > MAX_NEAR {
        return Err(format!("near = {near} is more than {MAX_NEAR}"));
    }
    let prefix = prefix.unwrap_or_default();

    let mut keywords: Vec<String> = names.iter().map(|name| name.to_ascii_lowercase()).collect();
    keywords.sort();
    keywords.dedup();
    let alternatives: Vec<String> = keywords
        .iter()
        .map(|name| regex_syntax::escape(name))
        .collect();
    // The filler is lazy, so the nearest key after the name is the one reported; the last
    // filler byte is the token's left boundary, which each shape writes itself.
    let mut regex = format!(
        "(?i-u:{})(?s-u:.){{0,{}}}?(?-u:",
        alternatives.join("|"),
        near.saturating_sub(1)
    );
    for (index, shape) in shapes.iter().enumerate() {
        if index > 0 {
            regex.push('|');
        }
        shape.write_regex(prefix, &mut regex);
    }
    regex.push(')');
    let entropy = shapes
        .iter()
        .map(|shape| shape.entropy_floor())
        .fold(f64::INFINITY, f64::min);
    Ok(Expanded {
        key: KeySpec {
            shapes,
            near,
            prefix: prefix.as_bytes().to_vec(),
        },
        regex,
        keywords,
        entropy,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::bytes::Regex;

    fn secret(expanded: &Expanded, text: &str) -> Option<String> {
        let regex = Regex::new(&expanded.regex).unwrap();
        let captures = regex.captures(text.as_bytes())?;
        let group = captures.iter().skip(1).flatten().next()?;
        Some(String::from_utf8_lossy(group.as_bytes()).into_owned())
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| name.to_string()).collect()
    }

    #[test]
    fn a_hex_key_after_the_name_is_the_secret() {
        let rule = expand(&names(&["languagelayer"]), &names(&["hex32"]), None, None).unwrap();
        // Made at run time, so this file does not trip its own scan.
        let key = &["3f1c0b8e9d7a6f5e", "4d3c2b1a09f8e7d6"].concat()[..];
        assert_eq!(
            secret(&rule, &format!("LANGUAGELAYER_KEY={key}\n")).as_deref(),
            Some(key)
        );
        assert_eq!(
            secret(
                &rule,
                &format!("\"languagelayer\": {{\"apiKey\": \"{key}\"}}")
            )
            .as_deref(),
            Some(key)
        );
        assert_eq!(
            secret(&rule, &format!("languagelayer:\n  access_key: {key}\n")).as_deref(),
            Some(key)
        );
    }

    #[test]
    fn a_key_is_never_cut_out_of_a_longer_run() {
        let rule = expand(&names(&["languagelayer"]), &names(&["hex32"]), None, None).unwrap();
        let forty = "3f1c0b8e9d7a6f5e4d3c2b1a09f8e7d6aabbccdd";
        assert_eq!(secret(&rule, &format!("LANGUAGELAYER_KEY={forty}")), None);
        assert_eq!(
            secret(&rule, "LANGUAGELAYER_KEY=g3f1c0b8e9d7a6f5e4d3c2b1a09f8e7d6"),
            None
        );
    }

    #[test]
    fn a_base64_key_may_follow_an_equals_sign() {
        let rule = expand(&names(&["kraken"]), &names(&["b6488"]), None, None).unwrap();
        let key = format!("{}==", "Zm9vYmFy".repeat(11));
        assert_eq!(
            secret(&rule, &format!("KRAKEN_SECRET={key}\n")).as_deref(),
            Some(key.as_str())
        );
    }

    #[test]
    fn a_key_beyond_near_is_not_found() {
        let rule = expand(&names(&["nimble"]), &names(&["alnum20"]), Some(10), None).unwrap();
        assert!(secret(&rule, "nimble SECRET N2kxQ8vT4mLp0ZrW7yHb").is_some());
        assert_eq!(
            secret(&rule, "nimble is a word, and later N2kxQ8vT4mLp0ZrW7yHb"),
            None
        );
    }

    #[test]
    fn several_shapes_and_a_prefix_expand_to_alternatives() {
        let rule = expand(
            &names(&["Acme"]),
            &names(&["uuid", "b64url24-30"]),
            None,
            Some("ak_"),
        )
        .unwrap();
        assert_eq!(rule.keywords, vec!["acme"]);
        let uuid = "ak_0F8FAD5B-D9CB-469F-A165-70867728950E";
        assert_eq!(
            secret(&rule, &format!("acme_key = '{uuid}'")).as_deref(),
            Some(uuid)
        );
        let b64 = "ak_Zm9vYmFyYmF6cXV4LXF1dXhfY29yZ";
        assert_eq!(
            secret(&rule, &format!("ACME token: {b64}")).as_deref(),
            Some(b64)
        );
    }

    #[test]
    fn malformed_shapes_names_and_nearness_are_rejected() {
        let hex = names(&["hex32"]);
        assert!(expand(&[], &hex, None, None).is_err());
        assert!(expand(&names(&["ab"]), &hex, None, None).is_err());
        assert!(expand(&names(&["acme"]), &names(&["hexagon"]), None, None).is_err());
        assert!(expand(&names(&["acme"]), &names(&["alnum40-20"]), None, None).is_err());
        assert!(expand(&names(&["acme"]), &names(&["word32"]), None, None).is_err());
        assert!(expand(&names(&["acme"]), &hex, Some(MAX_NEAR + 1), None).is_err());
        assert!(expand(&names(&["acme"]), &[], None, None).is_err());
    }

    #[test]
    fn placeholders_in_the_key_shape_are_recognised() {
        assert!(is_placeholder_key(b"YOURAPIKEY000000000000000000000a"));
        assert!(is_placeholder_key(b"abcdefExample1234567890"));
        assert!(!is_placeholder_key(b"3f1c0b8e9d7a6f5e4d3c2b1a09f8e7d6"));
    }

    #[test]
    fn entropy_floor_is_the_lowest_of_the_shapes() {
        let rule = expand(&names(&["acme"]), &names(&["alnum32", "hex32"]), None, None).unwrap();
        assert_eq!(rule.entropy, 3.0);
    }
}
