//! The building blocks every leakhound HTML page is made of: escaping, and the page's
//! shell (a Content-Security-Policy that admits only the page's own inline style and
//! script, by their hashes; the style sheet; the script).
//!
//! Knows nothing about findings: the report ([`super`]) and the scrub plan's `PLAN.html`
//! ([`crate::scrub`]) both build on it.

use std::fmt;
use std::io;

use base64::Engine as _;
use sha2::{Digest, Sha256};

/// The style sheet of every page: light and dark, screen and print.
const STYLE: &str = include_str!("report.css");
/// The report's script: sorting, filtering and search. The page works without it.
const SCRIPT: &str = include_str!("report.js");

/// Whether a page carries the report's script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Sorting, filtering and search over the findings table.
    Report,
    /// No script at all (the policy then allows none).
    None,
}

/// Text made safe for HTML text and attribute values. File names, commit messages and
/// author names come from the scanned content and are attacker-controlled: `<`, `>`, `&`
/// and both quotes become references, control characters visible escapes (`\n`,
/// `\u{1b}`) and bidirectional overrides too, so a name cannot reorder what is shown.
pub struct Escaped<'a>(pub &'a str);

/// Escapes `text` for HTML (see [`Escaped`]).
pub fn escape(text: &str) -> Escaped<'_> {
    Escaped(text)
}

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        let mut start = 0;
        for (index, character) in text.char_indices() {
            let replacement: Option<&str> = match character {
                '&' => Some("&amp;"),
                '<' => Some("&lt;"),
                '>' => Some("&gt;"),
                '"' => Some("&quot;"),
                '\'' => Some("&#39;"),
                '\n' => Some("\\n"),
                '\r' => Some("\\r"),
                '\t' => Some("\\t"),
                c if c.is_control() || is_bidi_control(c) => None,
                _ => continue,
            };
            f.write_str(&text[start..index])?;
            match replacement {
                Some(replacement) => f.write_str(replacement)?,
                None => write!(f, "\\u{{{:x}}}", u32::from(character))?,
            }
            start = index + character.len_utf8();
        }
        f.write_str(&text[start..])
    }
}

/// Characters that reorder the text around them (Trojan-source style names).
fn is_bidi_control(character: char) -> bool {
    matches!(
        character,
        '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

fn sha256_source(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The page's policy: nothing from anywhere, but for its own style sheet and script,
/// named by their hashes; no DOM sink may take a string (Trusted Types).
pub fn content_security_policy(script: Script) -> String {
    let script_source = match script {
        Script::Report => sha256_source(SCRIPT),
        Script::None => "'none'".to_string(),
    };
    format!(
        "default-src 'none'; style-src {}; script-src {script_source}; \
         require-trusted-types-for 'script'; trusted-types 'none'; \
         base-uri 'none'; form-action 'none'",
        sha256_source(STYLE)
    )
}

/// Writes everything up to and including `<body>`.
pub fn write_head(out: &mut dyn io::Write, title: &str, script: Script) -> io::Result<()> {
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n\
         <meta name=\"generator\" content=\"leakhound {}\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        content_security_policy(script),
        env!("CARGO_PKG_VERSION"),
        escape(title)
    )
}

/// Writes the script (if any) and closes the page.
pub fn write_tail(out: &mut dyn io::Write, script: Script) -> io::Result<()> {
    if script == Script::Report {
        writeln!(out, "<script>{SCRIPT}</script>")?;
    }
    writeln!(out, "</body>\n</html>")
}

/// `1536` -> `1.5 KiB`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// `one` or `many` after `count`.
pub fn plural(count: usize, one: &'static str, many: &'static str) -> &'static str {
    if count == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_quotes_and_controls_are_escaped() {
        assert_eq!(
            escape("<img src=x onerror=alert(1)>.env").to_string(),
            "&lt;img src=x onerror=alert(1)&gt;.env"
        );
        assert_eq!(
            escape("a\"b'c&d</script>\n\u{1b}[31m").to_string(),
            "a&quot;b&#39;c&amp;d&lt;/script&gt;\\n\\u{1b}[31m"
        );
        assert_eq!(escape("é ✓ plain").to_string(), "é ✓ plain");
    }

    #[test]
    fn bidirectional_overrides_are_shown_not_applied() {
        assert_eq!(
            escape("invoice\u{202e}fdp.exe").to_string(),
            "invoice\\u{202e}fdp.exe"
        );
    }

    #[test]
    fn the_policy_admits_exactly_the_inline_style_and_script() {
        let policy = content_security_policy(Script::Report);
        assert!(policy.starts_with("default-src 'none'; "), "{policy}");
        assert!(policy.contains(&sha256_source(STYLE)), "{policy}");
        assert!(policy.contains(&sha256_source(SCRIPT)), "{policy}");
        assert!(!policy.contains("unsafe"), "{policy}");
        let without = content_security_policy(Script::None);
        assert!(without.contains("script-src 'none'"), "{without}");
    }

    #[test]
    fn the_inline_script_and_style_cannot_close_their_elements_early() {
        assert!(!SCRIPT.to_ascii_lowercase().contains("</script"));
        assert!(!STYLE.to_ascii_lowercase().contains("</style"));
    }
}
