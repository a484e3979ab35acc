//! The one place that decides how much of a secret is shown.

/// How secrets appear in output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redaction {
    /// A short prefix and a mask: `ghp_*****`. The default.
    Partial,
    /// The raw secret (`--show-secrets`).
    None,
    /// Secrets redacted before (findings read back from redacted reports by `merge`):
    /// shown as they are, and reports still say they are redacted.
    Done,
}

const MASK: &str = "*****";

/// The secret as it may be shown: at most a quarter of it, and never more than 4
/// characters, followed by a fixed mask that does not reveal the length.
pub fn redact(secret: &str, redaction: Redaction) -> String {
    match redaction {
        Redaction::None | Redaction::Done => secret.to_string(),
        Redaction::Partial => {
            let shown = (secret.chars().count() / 4).min(4);
            let prefix: String = secret.chars().take(shown).collect();
            format!("{prefix}{MASK}")
        }
    }
}

/// `matched` with every occurrence of `secret` replaced by its redacted form. A match
/// that does not contain the secret as written (an encoded blob that decodes to it) is
/// redacted whole, since it reveals the secret to anyone who decodes it.
pub fn redact_within(matched: &str, secret: &str, redaction: Redaction) -> String {
    if matches!(redaction, Redaction::None | Redaction::Done) {
        return matched.to_string();
    }
    if secret.is_empty() || !matched.contains(secret) {
        return redact(matched, redaction);
    }
    matched.replace(secret, &redact(secret, redaction))
}

/// File content is untrusted: replaces control characters (terminal escapes among them)
/// with visible escapes before text reaches a terminal.
pub fn escape_control(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            c if c.is_control() => escaped.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_redaction_shows_at_most_four_characters() {
        let token = format!("ghp_{}", "a1".repeat(18));
        assert_eq!(redact(&token, Redaction::Partial), "ghp_*****");
        assert_eq!(redact("myPassword123!", Redaction::Partial), "myP*****");
    }

    #[test]
    fn short_secrets_show_nothing() {
        assert_eq!(redact("abc", Redaction::Partial), "*****");
    }

    #[test]
    fn match_without_the_literal_secret_is_redacted_whole() {
        assert_eq!(
            redact_within("dG9rZW46aHVudGVyMg==", "token:hunter2", Redaction::Partial),
            "dG9r*****"
        );
    }

    #[test]
    fn no_redaction_shows_the_secret() {
        assert_eq!(redact("abc", Redaction::None), "abc");
    }

    #[test]
    fn secret_inside_match_is_masked() {
        assert_eq!(
            redact_within(
                "pw = \"hunter2hunter2\"",
                "hunter2hunter2",
                Redaction::Partial
            ),
            "pw = \"hun*****\""
        );
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape_control("a\x1b[31mb\n"), "a\\u{1b}[31mb\\n");
    }
}
