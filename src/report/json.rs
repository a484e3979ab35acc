//! `--format json`: one document with a summary and every finding. The schema is
//! versioned (`schema`) and documented in the README; fields are only ever added.

use std::io;

use serde::Serialize;

use crate::finding::{CommitInfo, Finding, FindingKind, Occurrences, ScanStats, Validation};
use crate::rules::{Confidence, Severity};

use super::{ReportInput, RepositorySummary};

pub const SCHEMA: &str = "leakhound/report/v1";

#[derive(Serialize)]
struct JsonReport<'a> {
    schema: &'static str,
    tool: Tool,
    summary: Summary<'a>,
    /// History scans of one repository: which.
    #[serde(skip_serializing_if = "Option::is_none")]
    repository: Option<JsonRepository<'a>>,
    /// Scans of several repositories: one summary each.
    #[serde(skip_serializing_if = "Option::is_none")]
    repositories: Option<&'a [RepositorySummary]>,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonRepository<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    remote_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    head: Option<&'a str>,
    commits_scanned: u64,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary<'a> {
    findings: usize,
    #[serde(flatten)]
    stats: &'a ScanStats,
}

/// One finding as `json` and `jsonl` show it.
#[derive(Serialize)]
pub(super) struct JsonFinding<'a> {
    rule_id: &'a str,
    description: &'a str,
    severity: Severity,
    confidence: Confidence,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence_reason: Option<&'static str>,
    kind: FindingKind,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    secret: String,
    #[serde(rename = "match")]
    matched: String,
    redacted: bool,
    entropy: f64,
    fingerprint: &'a str,
    remediation: &'a str,
    tags: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    repository: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<&'a CommitInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    occurrences: Option<&'a Occurrences>,
    /// `--validate`: `{"status": "valid", "identity": ...}` and the like.
    #[serde(skip_serializing_if = "Option::is_none")]
    validation: Option<&'a Validation>,
}

pub fn write_json(input: &ReportInput<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    let report = JsonReport {
        schema: SCHEMA,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: Summary {
            findings: input.findings.len(),
            stats: input.stats,
        },
        repository: input
            .run
            .repository
            .as_ref()
            .map(|repository| JsonRepository {
                name: &repository.name,
                remote_url: repository
                    .remote_url
                    .as_deref()
                    .map(super::html::display_remote),
                head: repository.head.as_deref(),
                commits_scanned: repository.commits_scanned,
            }),
        repositories: input.run.repositories.as_deref(),
        findings: input
            .findings
            .iter()
            .map(|finding| json_finding(finding, input))
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}

pub(super) fn json_finding<'a>(finding: &'a Finding, input: &ReportInput<'_>) -> JsonFinding<'a> {
    JsonFinding {
        rule_id: &finding.rule_id,
        description: &finding.description,
        severity: finding.severity,
        confidence: finding.confidence,
        confidence_reason: finding.confidence_reason,
        kind: finding.kind,
        path: &finding.path,
        line: finding.start.line,
        column: finding.start.column,
        end_line: finding.end.line,
        end_column: finding.end.column,
        secret: finding.shown_secret(input.redaction),
        matched: finding.shown_match(input.redaction),
        redacted: input.redaction != crate::finding::Redaction::None
            && finding.kind != FindingKind::Posture,
        entropy: (finding.entropy * 1000.0).round() / 1000.0,
        fingerprint: &finding.fingerprint,
        remediation: &finding.remediation,
        tags: &finding.tags,
        repository: finding.repository.as_deref(),
        commit: finding.commit.as_ref(),
        occurrences: finding.occurrences.as_ref(),
        validation: finding.validation.as_ref(),
    }
}
