//! Writers for every output format, one file per format. Each takes the same
//! [`ReportInput`] and writes to any `io::Write`; none of them prints anything else.
//!
//! Secrets reach output only through [`crate::finding::redact`], called here.

mod json;
mod text;

use std::io;
use std::str::FromStr;

use crate::finding::{Finding, Redaction, ScanStats};
use crate::rules::Rule;

/// An output format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

impl Format {
    pub const NAMES: &[&str] = &["text", "json"];
}

impl FromStr for Format {
    type Err = String;

    fn from_str(name: &str) -> Result<Format, String> {
        match name {
            "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            other => Err(format!(
                "unknown format `{other}` (expected one of: {})",
                Format::NAMES.join(", ")
            )),
        }
    }
}

/// Whether text output uses ANSI colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Always,
    Never,
}

/// Everything a writer may show.
pub struct ReportInput<'a> {
    pub findings: &'a [Finding],
    pub stats: &'a ScanStats,
    /// The rules that were loaded (SARIF lists them).
    pub rules: &'a [Rule],
    pub redaction: Redaction,
    pub color: Color,
}

/// Writes the report in `format`.
pub fn write_report(
    format: Format,
    input: &ReportInput<'_>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::write_text(input, out),
        Format::Json => json::write_json(input, out),
    }
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
    fn control_characters_are_escaped() {
        assert_eq!(escape_control("a\x1b[31mb\n"), "a\\u{1b}[31mb\\n");
    }

    #[test]
    fn format_names_parse() {
        for name in Format::NAMES {
            assert!(name.parse::<Format>().is_ok());
        }
        assert!(
            "xml"
                .parse::<Format>()
                .unwrap_err()
                .contains("expected one of")
        );
    }
}
