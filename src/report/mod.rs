//! Writers for every output format, one file per format. Each takes the same
//! [`ReportInput`] and writes to any `io::Write`; none of them prints anything else.
//!
//! Secrets reach output only through [`crate::finding::redact`], called here.

mod github;
mod gitleaks;
pub mod html;
mod json;
mod jsonl;
mod location;
pub mod merge;
mod sarif;
mod sarif_rules;
mod text;

#[cfg(test)]
mod snapshot_tests;
#[cfg(test)]
mod validation_snapshot_tests;

use std::io;

pub use crate::finding::escape_control;
use crate::finding::{Finding, Redaction, ScanStats};
use crate::rules::Rule;

/// An output format (`--format`); clap takes the names from the variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Findings grouped by file, for a person at a terminal.
    Text,
    /// One JSON document with a summary and every finding.
    Json,
    /// JSON Lines: one finding per line.
    Jsonl,
    /// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands that annotate the files.
    Github,
    /// The JSON report gitleaks writes, for tools that ingest it.
    Gitleaks,
    /// One self-contained page for people: summary, timeline, tables, every finding.
    Html,
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
    /// What the run was, beyond its findings (the HTML page shows it).
    pub run: &'a RunInfo,
}

/// What a report may say about the run that produced it.
#[derive(Debug, Clone, Default)]
pub struct RunInfo {
    /// The command line, program first.
    pub command: Vec<String>,
    /// The repository a history scan of one repository read (its findings name none:
    /// every one is from this repository).
    pub repository: Option<Repository>,
    /// A scan of several repositories (`history --repos`, `merge`): one line each, in
    /// name order (empty for an empty shard); every finding names its repository.
    /// `None` for a scan of one repository or of files.
    pub repositories: Option<Vec<RepositorySummary>>,
}

/// One repository of a scan of several, as the summary shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RepositorySummary {
    /// As the list named it, credentials stripped.
    pub name: String,
    pub commits_scanned: u64,
    pub findings: usize,
    /// Why it was not scanned (or only in part), in one line.
    #[serde(default)]
    pub error: Option<String>,
}

/// A scanned repository, as far as reports need it.
#[derive(Debug, Clone, Default)]
pub struct Repository {
    /// As the user named it (a path).
    pub name: String,
    /// The URL of its default remote, as configured (it may hold credentials: reports
    /// strip them).
    pub remote_url: Option<String>,
    /// The commit HEAD points at, when it was among the commits scanned: then whether a
    /// finding is still in HEAD is known.
    pub head: Option<String>,
    pub commits_scanned: u64,
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
        Format::Jsonl => jsonl::write_jsonl(input, out),
        Format::Sarif => sarif::write_sarif(input, out),
        Format::Github => github::write_github(input, out),
        Format::Gitleaks => gitleaks::write_gitleaks(input, out),
        Format::Html => html::write_html(input, out),
    }
}

/// A warning for stderr when `format` cannot hold all of `findings` findings (SARIF
/// keeps at most [`sarif::MAX_RESULTS`], the limit of GitHub code scanning).
pub fn capacity_warning(format: Format, findings: usize) -> Option<String> {
    (format == Format::Sarif && findings > sarif::MAX_RESULTS).then(|| {
        format!(
            "{findings} findings, but code scanning accepts at most {} results per run: \
             the SARIF report lists the {} most severe; use another --format to see all",
            sarif::MAX_RESULTS,
            sarif::MAX_RESULTS
        )
    })
}

/// The first 12 characters of a commit id, as people quote them.
fn short_commit(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sarif_over_its_limit_warns() {
        assert!(capacity_warning(Format::Sarif, sarif::MAX_RESULTS).is_none());
        assert!(capacity_warning(Format::Json, sarif::MAX_RESULTS + 1).is_none());
        let warning = capacity_warning(Format::Sarif, sarif::MAX_RESULTS + 1).unwrap();
        assert!(warning.contains("25001 findings"), "{warning}");
    }
}
