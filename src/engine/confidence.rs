//! How sure a match is that it holds a live secret: `high` for a unique prefix or a verified
//! checksum, `medium` for a provider's name in context or a strong shape, `low` for
//! published examples and for anything under a test path (one level down, so a `high`
//! still shows at the default level).
//!
//! Knows the rule and the secret's bytes, never the file's content beyond them. Judging a
//! generic value's randomness is [`super::randomness`]'s job.

use crate::rules::{Confidence, Rule};

use super::randomness;
use super::signed_url;

/// A level and, when something lowered it, why (shown under `-v`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Judgement {
    pub level: Confidence,
    pub reason: Option<&'static str>,
}

impl Judgement {
    fn new(level: Confidence) -> Judgement {
        Judgement {
            level,
            reason: None,
        }
    }

    fn lowered_to(level: Confidence, reason: &'static str) -> Judgement {
        Judgement {
            level,
            reason: Some(reason),
        }
    }
}

/// Judges a content match of `rule` whose secret is `secret` (within `matched`), in the
/// file at `path`.
pub fn judge(rule: &Rule, secret: &[u8], matched: &[u8], path: Option<&str>) -> Judgement {
    if is_published_example(secret) {
        return Judgement::lowered_to(Confidence::Low, "a credential published as an example");
    }
    if signed_url::has_expired(matched, std::time::SystemTime::now()) {
        return Judgement::lowered_to(Confidence::Low, "a signed URL that has expired");
    }
    if is_public_jwt(secret) {
        return Judgement::lowered_to(Confidence::Low, "a public (anon) key by its claims");
    }
    if expects_random(rule) && !randomness::looks_random(secret) {
        return in_place(
            Judgement::lowered_to(Confidence::Low, "reads like words or an identifier"),
            path,
        );
    }
    let judgement = match checksum(secret) {
        Some(true) => Judgement::new(Confidence::High),
        Some(false) => Judgement::lowered_to(Confidence::Medium, "its checksum does not match"),
        None => Judgement::new(rule.confidence.unwrap_or_else(|| shape_level(rule, secret))),
    };
    in_place(judgement, path)
}

/// Rules whose secrets are machine-made: keys in the compact provider-context form, and
/// generic rules tagged `random` (secrets, tokens and keys, not human passwords).
fn expects_random(rule: &Rule) -> bool {
    rule.context.is_some() || (rule.is_generic() && rule.tags.iter().any(|tag| tag == "random"))
}

/// A match by path alone (a key store, a committed credentials file).
pub fn judge_path(rule: &Rule, path: Option<&str>) -> Judgement {
    in_place(
        Judgement::new(rule.confidence.unwrap_or(Confidence::Medium)),
        path,
    )
}

/// Lowers a judgement by one level for files under a test path.
fn in_place(judgement: Judgement, path: Option<&str>) -> Judgement {
    if path.is_some_and(is_test_path) && judgement.level > Confidence::Low {
        return Judgement::lowered_to(judgement.level.lowered(), "a test or fixture path");
    }
    judgement
}

/// What a rule's shape says when the rule does not say: a secret that starts with one of
/// the rule's literal keywords (`ghp_`, `AKIA`, `xoxb-`) or holds a long one carries a
/// provider's unique prefix; names in context, detectors and generic names are `medium`.
fn shape_level(rule: &Rule, secret: &[u8]) -> Confidence {
    if rule.is_generic() || rule.context.is_some() || rule.detector.is_some() {
        return Confidence::Medium;
    }
    let prefixed = rule.keywords.iter().any(|keyword| {
        let keyword = keyword.as_bytes();
        (keyword.len() >= 3
            && secret.len() > keyword.len()
            && secret[..keyword.len()].eq_ignore_ascii_case(keyword))
            || (keyword.len() >= 8
                && secret
                    .windows(keyword.len())
                    .any(|window| window.eq_ignore_ascii_case(keyword)))
    });
    if prefixed {
        Confidence::High
    } else {
        Confidence::Medium
    }
}

/// Whether a provider-defined checksum holds: `Some(true)` verified, `Some(false)`
/// broken, `None` when the secret has no checksum we know.
fn checksum(secret: &[u8]) -> Option<bool> {
    const CHECKSUMMED: &[&[u8]] = &[b"ghp_", b"gho_", b"ghu_", b"ghs_", b"ghr_", b"npm_"];
    // GitHub's (and npm's) tokens: prefix, 30 base62 characters, then the CRC32 of those
    // 30 as 6 base62 digits.
    if secret.len() == 40 && CHECKSUMMED.iter().any(|prefix| secret.starts_with(prefix)) {
        let (body, check) = secret[4..].split_at(30);
        return Some(base62(check).is_some_and(|value| value == u64::from(crc32(body))));
    }
    if secret.starts_with(b"eyJ") {
        return Some(jwt_header_decodes(secret));
    }
    if let Some(macaroon) = secret.strip_prefix(b"pypi-") {
        return Some(pypi_macaroon_decodes(macaroon));
    }
    if secret.len() == 20 && AWS_KEY_ID_PREFIXES.iter().any(|p| secret.starts_with(p)) {
        // AWS key ids are a type prefix and 16 characters of base32 (A-Z, 2-7).
        return Some(
            secret[4..]
                .iter()
                .all(|&byte| byte.is_ascii_uppercase() || (b'2'..=b'7').contains(&byte)),
        );
    }
    None
}

/// The prefixes of AWS access key ids (long-term, temporary) and of the other unique ids
/// that share their form.
const AWS_KEY_ID_PREFIXES: &[&[u8]] = &[b"AKIA", b"ASIA", b"ABIA", b"ACCA"];

/// A PyPI API token is `pypi-` and a base64url macaroon whose location is pypi.org (or
/// test.pypi.org).
fn pypi_macaroon_decodes(macaroon: &[u8]) -> bool {
    use base64::Engine as _;
    let trimmed = macaroon
        .iter()
        .rposition(|&byte| byte != b'=')
        .map_or(&macaroon[..0], |last| &macaroon[..=last]);
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(trimmed)
        .is_ok_and(|decoded| memchr::memmem::find(&decoded, b"pypi.org").is_some())
}

/// A JSON Web Token whose claims make it a key meant for browsers: Supabase's `anon` role.
fn is_public_jwt(token: &[u8]) -> bool {
    use base64::Engine as _;
    if !token.starts_with(b"eyJ") {
        return false;
    }
    let Some(claims) = token.split(|&byte| byte == b'.').nth(1) else {
        return false;
    };
    let Ok(decoded) = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(claims.strip_suffix(b"=").unwrap_or(claims))
    else {
        return false;
    };
    serde_json::from_slice::<serde_json::Value>(&decoded)
        .is_ok_and(|value| value.get("role").and_then(serde_json::Value::as_str) == Some("anon"))
}

/// A JSON Web Token's first part decodes to a JSON object that names its algorithm.
fn jwt_header_decodes(token: &[u8]) -> bool {
    use base64::Engine as _;
    let header = token.split(|&byte| byte == b'.').next().unwrap_or_default();
    let Ok(decoded) = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header.strip_suffix(b"=").unwrap_or(header))
    else {
        return false;
    };
    serde_json::from_slice::<serde_json::Value>(&decoded)
        .is_ok_and(|value| value.get("alg").is_some_and(serde_json::Value::is_string))
}

fn base62(digits: &[u8]) -> Option<u64> {
    digits.iter().try_fold(0u64, |value, &digit| {
        let digit = match digit {
            b'0'..=b'9' => digit - b'0',
            b'A'..=b'Z' => digit - b'A' + 10,
            b'a'..=b'z' => digit - b'a' + 36,
            _ => return None,
        };
        Some(value * 62 + u64::from(digit))
    })
}

/// CRC-32 (IEEE 802.3, as zlib computes it).
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Credentials that providers print in their documentation. They fill READMEs and tests;
/// none of them opens anything.
const PUBLISHED_EXAMPLES: &[&[u8]] = &[
    // AWS's documentation key pair and session examples.
    b"AKIAIOSFODNN7EXAMPLE",
    b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    b"AKIAI44QH8DHBEXAMPLE",
    b"je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    // Stripe's documentation test keys.
    b"sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    b"pk_test_TYooMQauvdEDq54NiTphI7jx",
    b"sk_test_BQokikJOvBiI2HlWgH4olfQ2",
];

fn is_published_example(secret: &[u8]) -> bool {
    PUBLISHED_EXAMPLES.contains(&secret)
        // AWS marks every key in its docs this way.
        || (secret.len() >= 16 && (secret.ends_with(b"EXAMPLE") || secret.ends_with(b"EXAMPLEKEY")))
}

/// Paths that hold tests and fixtures: their secrets are usually fakes, but not always,
/// so they are lowered, never dropped.
pub fn is_test_path(path: &str) -> bool {
    const DIRECTORIES: &[&str] = &[
        "test",
        "tests",
        "__tests__",
        "spec",
        "specs",
        "testdata",
        "test_data",
        "test-data",
        "fixture",
        "fixtures",
        "__fixtures__",
        "mock",
        "mocks",
        "__mocks__",
        "testing",
        "e2e",
    ];
    let mut parts = path.split('/').peekable();
    while let Some(part) = parts.next() {
        let lower = part.to_ascii_lowercase();
        if parts.peek().is_some() {
            if DIRECTORIES.contains(&lower.as_str()) {
                return true;
            }
            continue;
        }
        // The file name.
        let stem = lower.split('.').next().unwrap_or_default();
        return stem.starts_with("test_")
            || stem.ends_with("_test")
            || stem.ends_with("_tests")
            || stem.ends_with("_spec")
            || lower.contains(".test.")
            || lower.contains(".spec.")
            || (part.ends_with("Test.java") || part.ends_with("Tests.java"))
            || part.ends_with("Tests.cs")
            || part.ends_with("Test.cs")
            || part.ends_with("Test.kt");
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(keywords: &[&str], tags: &[&str]) -> Rule {
        let mut rule = Rule::for_test("r", "x", keywords);
        rule.tags = tags.iter().map(|tag| tag.to_string()).collect();
        rule
    }

    fn github_token(body: &str) -> String {
        let mut check = crc32(body.as_bytes());
        let mut digits = Vec::new();
        for _ in 0..6 {
            let digit = (check % 62) as u8;
            check /= 62;
            digits.push(match digit {
                0..=9 => b'0' + digit,
                10..=35 => b'A' + digit - 10,
                _ => b'a' + digit - 36,
            });
        }
        digits.reverse();
        format!("ghp_{body}{}", String::from_utf8(digits).unwrap())
    }

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn a_github_token_with_its_checksum_is_high_and_without_it_medium() {
        let github = rule(&["ghp_"], &[]);
        let token = github_token("Rk2pVq8sX0bN4mLt7ZcW1yHd9jGf3a");
        assert_eq!(
            judge(&github, token.as_bytes(), b"", None).level,
            Confidence::High
        );
        let mut broken = token.into_bytes();
        broken[10] ^= 1;
        let judgement = judge(&github, &broken, b"", None);
        assert_eq!(judgement.level, Confidence::Medium);
        assert!(judgement.reason.is_some());
    }

    /// An AWS key id made at run time, so this file does not trip its own scan.
    fn key_id() -> Vec<u8> {
        ["AK", "IAZ3MSJV4WWEXPQ7NA"].concat().into_bytes()
    }

    #[test]
    fn a_unique_prefix_is_high_and_a_name_in_context_medium() {
        assert_eq!(
            judge(&rule(&["akia"], &[]), &key_id(), b"", None).level,
            Confidence::High
        );
        assert_eq!(
            judge(&rule(&["aws"], &[]), b"Zm9vYmFyYmF6cXV4", b"", None).level,
            Confidence::Medium
        );
        assert_eq!(
            judge(&rule(&["pass"], &["generic"]), b"password-9xQ!", b"", None).level,
            Confidence::Medium
        );
    }

    #[test]
    fn test_paths_lower_by_one_and_never_hide_a_high() {
        let prefixed = rule(&["akia"], &[]);
        let judgement = judge(&prefixed, &key_id(), b"", Some("src/test/Config.java"));
        assert_eq!(judgement.level, Confidence::Medium);
        assert_eq!(
            judge(
                &rule(&["aws"], &[]),
                b"Zm9vYmFyYmF6cXV4",
                b"",
                Some("pkg/a_test.go")
            )
            .level,
            Confidence::Low
        );
    }

    #[test]
    fn machine_secrets_that_read_like_identifiers_are_low() {
        let mut provider = rule(&["acme"], &[]);
        provider.context = crate::rules::builtin()
            .unwrap()
            .rules
            .into_iter()
            .find_map(|rule| rule.context);
        let judgement = judge(&provider, b"ConfigurationManagerFactory0", b"", None);
        assert_eq!(judgement.level, Confidence::Low);
        assert_eq!(
            judge(&provider, b"q8ZrT2xLmN4vB7kPw9sD3fGh", b"", None).level,
            Confidence::Medium
        );
        let generic = rule(&["secret"], &["generic", "random"]);
        assert_eq!(
            judge(&generic, b"defaultConnectionString", b"", None).level,
            Confidence::Low
        );
        // Human passwords are not judged by randomness.
        let password = rule(&["pass"], &["generic"]);
        assert_eq!(
            judge(&password, b"Summer!Qwerty#2023", b"", None).level,
            Confidence::Medium
        );
    }

    #[test]
    fn published_examples_are_low() {
        let judgement = judge(&rule(&["akia"], &[]), b"AKIAIOSFODNN7EXAMPLE", b"", None);
        assert_eq!(judgement.level, Confidence::Low);
        assert!(judgement.reason.unwrap().contains("example"));
    }

    #[test]
    fn a_supabase_anon_key_is_public() {
        use base64::Engine as _;
        let part = |json: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
        let token = |claims: &str| {
            format!(
                "{}.{}.c2lnbmF0dXJl",
                part(r#"{"alg":"HS256","typ":"JWT"}"#),
                part(claims)
            )
        };
        let jwt = rule(&["eyj"], &[]);
        let anon = token(r#"{"iss":"supabase","role":"anon"}"#);
        assert_eq!(
            judge(&jwt, anon.as_bytes(), b"", None).level,
            Confidence::Low
        );
        let service = token(r#"{"iss":"supabase","role":"service_role"}"#);
        assert_eq!(
            judge(&jwt, service.as_bytes(), b"", None).level,
            Confidence::High
        );
    }

    #[test]
    fn pypi_tokens_must_decode_to_a_pypi_macaroon() {
        use base64::Engine as _;
        let encode = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let real = format!(
            "pypi-{}",
            encode(b"\x02\x01\x08pypi.org\x02\x25identifier...")
        );
        assert_eq!(checksum(real.as_bytes()), Some(true));
        let other = format!("pypi-{}", encode(b"\x02\x01\x08example.com\x02"));
        assert_eq!(checksum(other.as_bytes()), Some(false));
        assert_eq!(checksum(b"pypi-AgE$not-base64"), Some(false));
    }

    #[test]
    fn aws_key_ids_must_be_base32_after_their_prefix() {
        assert_eq!(checksum(&key_id()), Some(true));
        let not_base32 = ["AK", "IAZ3MSJV4WWEXPQ7N1"].concat();
        assert_eq!(checksum(not_base32.as_bytes()), Some(false));
    }

    #[test]
    fn jwt_headers_must_decode_to_name_an_algorithm() {
        // {"alg":"HS256","typ":"JWT"}
        assert_eq!(
            checksum(b"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.c2ln"),
            Some(true)
        );
        assert_eq!(checksum(b"eyJub3RoaW5nIjoxfQ.e30.c2ln"), Some(false));
    }

    #[test]
    fn test_paths_are_recognised_by_directory_and_file_name() {
        for path in [
            "test/a.env",
            "src/__tests__/x.js",
            "pkg/testdata/config.yml",
            "spec/models/user_spec.rb",
            "app/foo_test.go",
            "web/app.spec.ts",
            "tests/test_settings.py",
            "src/main/java/ConfigTest.java",
        ] {
            assert!(is_test_path(path), "{path}");
        }
        for path in [
            "src/app.py",
            "contest/x.py",
            "latest/config.yml",
            "test",
            "attestation.go",
        ] {
            assert!(!is_test_path(path), "{path}");
        }
    }
}
