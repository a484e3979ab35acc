//! `--format gitleaks`: the JSON report gitleaks writes (an array of objects with
//! PascalCase keys), so tools and scripts that ingest gitleaks reports work unchanged.
//!
//! `Secret` and `Match` are redacted unless `--show-secrets`. Commit fields are empty
//! strings outside history scans, as gitleaks leaves them for directory scans. The
//! `Fingerprint` has gitleaks' shape (`commit:file:rule:line`, or `file:rule:line`
//! without a commit), which is what `.gitleaksignore` files list.

use std::io;

use serde::Serialize;

use crate::finding::Finding;

use super::ReportInput;
use super::location::ReportPath;

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct GitleaksFinding<'a> {
    description: &'a str,
    start_line: usize,
    end_line: usize,
    start_column: usize,
    end_column: usize,
    #[serde(rename = "Match")]
    matched: String,
    secret: String,
    file: &'a str,
    symlink_file: &'a str,
    commit: &'a str,
    entropy: f64,
    author: &'a str,
    email: &'a str,
    date: &'a str,
    message: &'a str,
    tags: Vec<String>,
    #[serde(rename = "RuleID")]
    rule_id: &'a str,
    fingerprint: String,
    /// Not a gitleaks key: scans of several repositories name the repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    repository: Option<&'a str>,
}

pub fn write_gitleaks(input: &ReportInput<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    let current_dir = std::env::current_dir().ok();
    let paths: Vec<ReportPath<'_>> = input
        .findings
        .iter()
        .map(|finding| ReportPath::of(&finding.path, current_dir.as_deref()))
        .collect();
    let findings: Vec<GitleaksFinding<'_>> = input
        .findings
        .iter()
        .zip(&paths)
        .map(|(finding, path)| gitleaks_finding(finding, path.as_str(), input))
        .collect();
    serde_json::to_writer_pretty(&mut *out, &findings)?;
    writeln!(out)
}

fn gitleaks_finding<'a>(
    finding: &'a Finding,
    file: &'a str,
    input: &ReportInput<'_>,
) -> GitleaksFinding<'a> {
    let commit = finding.commit.as_ref();
    let commit_id = commit.map_or("", |commit| commit.id.as_str());
    let fingerprint = if commit_id.is_empty() {
        format!("{file}:{}:{}", finding.rule_id, finding.start.line)
    } else {
        format!(
            "{commit_id}:{file}:{}:{}",
            finding.rule_id, finding.start.line
        )
    };
    GitleaksFinding {
        description: &finding.description,
        start_line: finding.start.line,
        end_line: finding.end.line,
        start_column: finding.start.column,
        end_column: finding.end.column,
        matched: finding.shown_match(input.redaction),
        secret: finding.shown_secret(input.redaction),
        file,
        symlink_file: "",
        commit: commit_id,
        entropy: (finding.entropy * 1000.0).round() / 1000.0,
        author: commit.map_or("", |commit| commit.author_name.as_str()),
        email: commit.map_or("", |commit| commit.author_email.as_str()),
        date: commit.map_or("", |commit| commit.date.as_str()),
        message: commit.map_or("", |commit| commit.summary.as_str()),
        tags: finding
            .tags
            .iter()
            .cloned()
            .chain([format!("confidence:{}", finding.confidence)])
            .chain(
                finding
                    .validation
                    .as_ref()
                    .map(|validation| format!("validation:{}", validation.status())),
            )
            .collect(),
        rule_id: &finding.rule_id,
        fingerprint,
        repository: finding.repository.as_deref(),
    }
}
