//! `--format text`: findings grouped by file for a person at a terminal, with colour
//! when asked, and a one-line summary.

use std::io;

use crate::finding::{Finding, FindingKind, redact, redact_within};
use crate::rules::Severity;

use super::{Color, ReportInput, escape_control, short_commit};

/// ANSI styles; empty strings when colour is off.
struct Palette {
    bold: &'static str,
    dim: &'static str,
    reset: &'static str,
    color: Color,
}

impl Palette {
    fn new(color: Color) -> Palette {
        match color {
            Color::Always => Palette {
                bold: "\x1b[1m",
                dim: "\x1b[2m",
                reset: "\x1b[0m",
                color,
            },
            Color::Never => Palette {
                bold: "",
                dim: "",
                reset: "",
                color,
            },
        }
    }

    fn severity(&self, severity: Severity) -> &'static str {
        if self.color == Color::Never {
            return "";
        }
        match severity {
            Severity::Critical => "\x1b[1;31m",
            Severity::High => "\x1b[31m",
            Severity::Medium => "\x1b[33m",
            Severity::Low => "\x1b[36m",
            Severity::Info => "\x1b[2m",
        }
    }
}

pub fn write_text(input: &ReportInput<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    let palette = Palette::new(input.color);
    let mut current_path: Option<(Option<&str>, &str)> = None;
    for finding in input.findings {
        let group = (finding.repository.as_deref(), finding.path.as_str());
        if current_path != Some(group) {
            if current_path.is_some() {
                writeln!(out)?;
            }
            // Several repositories: the group names the repository before the path.
            let repository = finding
                .repository
                .as_deref()
                .map(|repository| format!("{}: ", escape_control(repository)))
                .unwrap_or_default();
            writeln!(
                out,
                "{}{repository}{}{}",
                palette.bold,
                escape_control(&finding.path),
                palette.reset
            )?;
            current_path = Some(group);
        }
        write_finding(finding, input, &palette, out)?;
    }
    if !input.findings.is_empty() {
        writeln!(out)?;
    }
    writeln!(out, "{}", summary_line(input))
}

fn write_finding(
    finding: &Finding,
    input: &ReportInput<'_>,
    palette: &Palette,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let place = match finding.kind {
        FindingKind::Content | FindingKind::Posture => {
            format!("{}:{}", finding.start.line, finding.start.column)
        }
        FindingKind::File => "file".to_string(),
    };
    writeln!(
        out,
        "  {place:<8} {}{:<8}{} {}{}{}  {}",
        palette.severity(finding.severity),
        finding.severity.as_str(),
        palette.reset,
        palette.bold,
        finding.rule_id,
        palette.reset,
        escape_control(&finding.description),
    )?;
    let indent = " ".repeat(11);
    let reason = finding
        .confidence_reason
        .map(|reason| format!(" ({reason})"))
        .unwrap_or_default();
    writeln!(
        out,
        "{indent}{}confidence{} {}{reason}",
        palette.dim, palette.reset, finding.confidence
    )?;
    if let Some(validation) = &finding.validation {
        // The identity comes from a provider's answer: untrusted, like file content.
        writeln!(
            out,
            "{indent}{}validation{} {}",
            palette.dim,
            palette.reset,
            escape_control(&validation.summary())
        )?;
    }
    if finding.kind == FindingKind::Posture {
        writeln!(
            out,
            "{indent}{}resource{} {}",
            palette.dim,
            palette.reset,
            escape_control(&finding.secret)
        )?;
    }
    if finding.kind == FindingKind::Content {
        let shown = escape_control(&redact(&finding.secret, input.redaction));
        writeln!(
            out,
            "{indent}{}secret{} {shown}",
            palette.dim, palette.reset
        )?;
        let matched = redact_within(&finding.matched, &finding.secret, input.redaction);
        writeln!(
            out,
            "{indent}{}match{}  {}",
            palette.dim,
            palette.reset,
            escape_control(&shorten(&matched, 120))
        )?;
    }
    if let Some(commit) = &finding.commit {
        writeln!(
            out,
            "{indent}{}commit{} {} {} <{}> {}",
            palette.dim,
            palette.reset,
            short_commit(&commit.id),
            escape_control(&commit.author_name),
            escape_control(&commit.author_email),
            commit.date
        )?;
        if let Some(occurrences) = finding
            .occurrences
            .as_ref()
            .filter(|o| o.commits > 1 || o.places.len() > 1)
        {
            writeln!(
                out,
                "{indent}{}seen{}   in {} {} on {} {}",
                palette.dim,
                palette.reset,
                occurrences.commits,
                plural(occurrences.commits, "commit", "commits"),
                occurrences.refs,
                plural(occurrences.refs, "ref", "refs"),
            )?;
        }
    }
    if !finding.remediation.is_empty() {
        writeln!(
            out,
            "{indent}{}fix{}    {}",
            palette.dim, palette.reset, finding.remediation
        )?;
    }
    writeln!(
        out,
        "{indent}{}id{}     {}",
        palette.dim, palette.reset, finding.fingerprint
    )
}

fn summary_line(input: &ReportInput<'_>) -> String {
    let stats = input.stats;
    let mut scanned = format!(
        "scanned {} {} ({}) in {} ms",
        stats.files_scanned,
        plural(stats.files_scanned as usize, "file", "files"),
        human_bytes(stats.bytes_scanned),
        stats.duration_ms
    );
    if stats.files_skipped > 0 {
        scanned.push_str(&format!(
            "; skipped {} {}",
            stats.files_skipped,
            plural(stats.files_skipped as usize, "file", "files")
        ));
    }
    if input.findings.is_empty() {
        return format!("no secrets found; {scanned}");
    }
    let mut files: Vec<(Option<&str>, &str)> = input
        .findings
        .iter()
        .map(|f| (f.repository.as_deref(), f.path.as_str()))
        .collect();
    files.dedup();
    let mut by_severity = Vec::new();
    for severity in [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ] {
        let count = input
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .count();
        if count > 0 {
            by_severity.push(format!("{count} {severity}"));
        }
    }
    format!(
        "{} {} ({}) in {} {}; {scanned}",
        input.findings.len(),
        plural(input.findings.len(), "finding", "findings"),
        by_severity.join(", "),
        files.len(),
        plural(files.len(), "file", "files"),
    )
}

fn plural(count: usize, one: &'static str, many: &'static str) -> &'static str {
    if count == 1 { one } else { many }
}

fn human_bytes(bytes: u64) -> String {
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

/// At most `limit` characters, with an ellipsis when cut.
fn shorten(text: &str, limit: usize) -> String {
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() <= limit && line.len() == text.len() {
        return text.to_string();
    }
    let cut: String = line.chars().take(limit).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_bytes_uses_binary_units() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(10 * 1024 * 1024), "10.0 MiB");
    }

    #[test]
    fn multi_line_matches_are_shortened_to_their_first_line() {
        assert_eq!(
            shorten("-----BEGIN KEY-----\nabc", 120),
            "-----BEGIN KEY-----…"
        );
        assert_eq!(shorten("short", 120), "short");
    }
}
