//! `--format github`: GitHub Actions workflow commands, one annotation per finding:
//! `::error file=…,line=…,endLine=…,col=…,endColumn=…,title=…::message`.
//!
//! Critical and high findings are errors, medium ones warnings, the rest notices. File
//! content is untrusted, so every value is escaped by GitHub's rules (and control
//! characters made visible): a crafted file name cannot start a workflow command of its own.

use std::io;
use std::path::Path;

use crate::finding::{Finding, FindingKind, redact};
use crate::rules::Severity;

use super::location::ReportPath;
use super::{ReportInput, escape_control, short_commit};

pub fn write_github(input: &ReportInput<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    let current_dir = std::env::current_dir().ok();
    for finding in input.findings {
        writeln!(
            out,
            "{}",
            annotation(finding, input, current_dir.as_deref())
        )?;
    }
    Ok(())
}

fn annotation(finding: &Finding, input: &ReportInput<'_>, current_dir: Option<&Path>) -> String {
    let path = ReportPath::of(&finding.path, current_dir);
    let mut properties = vec![("file", escape_control(path.as_str()))];
    match finding.kind {
        FindingKind::Content | FindingKind::Posture => properties.extend([
            ("line", finding.start.line.to_string()),
            ("endLine", finding.end.line.to_string()),
            ("col", finding.start.column.to_string()),
            ("endColumn", finding.end.column.to_string()),
        ]),
        FindingKind::File => properties.push(("line", "1".to_string())),
    }
    let title = format!(
        "{} ({})",
        escape_control(finding.description.trim()),
        finding.rule_id
    );
    properties.push(("title", title));
    let properties: Vec<String> = properties
        .into_iter()
        .map(|(name, value)| format!("{name}={}", escape_property(&value)))
        .collect();
    format!(
        "::{} {}::{}",
        command(finding.severity),
        properties.join(","),
        escape_data(&message(finding, input))
    )
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "notice",
    }
}

/// What was found (the secret redacted), where it came from, and how to fix it.
fn message(finding: &Finding, input: &ReportInput<'_>) -> String {
    let mut lines = Vec::with_capacity(3);
    lines.push(match finding.kind {
        FindingKind::Content => format!(
            "{} (rule {}, confidence {}): secret {}",
            escape_control(finding.description.trim()),
            finding.rule_id,
            finding.confidence,
            escape_control(&redact(&finding.secret, input.redaction))
        ),
        FindingKind::Posture => format!(
            "{} (rule {}): resource {}",
            escape_control(finding.description.trim()),
            finding.rule_id,
            escape_control(&finding.secret)
        ),
        FindingKind::File => format!(
            "{} (rule {}): this file should not be committed",
            escape_control(finding.description.trim()),
            finding.rule_id
        ),
    });
    if let Some(repository) = &finding.repository {
        lines.push(format!("In repository {}", escape_control(repository)));
    }
    if let Some(validation) = &finding.validation {
        lines.push(format!(
            "Validation: {}",
            escape_control(&validation.summary())
        ));
    }
    if let Some(commit) = &finding.commit {
        lines.push(format!(
            "Introduced in commit {} by {} <{}> on {}",
            short_commit(&commit.id),
            escape_control(&commit.author_name),
            escape_control(&commit.author_email),
            commit.date
        ));
    }
    if !finding.remediation.trim().is_empty() {
        lines.push(format!(
            "How to fix: {}",
            escape_control(finding.remediation.trim())
        ));
    }
    lines.join("\n")
}

/// The message after `::`: `%`, CR and LF are encoded.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A `name=value` property: as [`escape_data`], and `:` and `,` too.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_first_then_line_breaks() {
        assert_eq!(escape_data("50%\r\nnext"), "50%25%0D%0Anext");
        assert_eq!(escape_data("a:b,c"), "a:b,c");
    }

    #[test]
    fn properties_also_escape_colons_and_commas() {
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn severities_choose_the_command() {
        assert_eq!(command(Severity::Critical), "error");
        assert_eq!(command(Severity::High), "error");
        assert_eq!(command(Severity::Medium), "warning");
        assert_eq!(command(Severity::Low), "notice");
        assert_eq!(command(Severity::Info), "notice");
    }
}
