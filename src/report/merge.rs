//! `leakhound merge`: reads leakhound JSON reports back (shard runs of one repository
//! list, or any history and scan reports) and merges them into one set of findings,
//! summaries and totals, for the writers of every format.
//!
//! A finding is the same finding when its fingerprint and repository are the same; the
//! first report that has it wins. Findings of a report of one repository take that
//! repository's name. Secrets stay as the reports hold them: redacted ones are not
//! redacted again (see [`Redaction::Done`]). Knows nothing about files or the command line.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use crate::finding::{
    CommitInfo, Finding, FindingKind, Occurrences, Position, Redaction, ScanStats, Validation,
    redact, redact_within,
};
use crate::rules::{Confidence, Severity};

use super::RepositorySummary;
use super::json::SCHEMA;

/// Why a report could not be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("not a leakhound JSON report: {0}")]
    Malformed(#[from] serde_json::Error),
    #[error(
        "not a leakhound JSON report (its schema is {0:?}, not {SCHEMA:?}); merge reads reports written with --format json"
    )]
    Schema(Option<String>),
    #[error("its secrets are redacted, so --show-secrets cannot show them")]
    Redacted,
}

/// One report, read back.
#[derive(Debug, Default)]
pub struct ReadReport {
    findings: Vec<Finding>,
    /// Per finding: whether the report holds its secret redacted.
    redacted: Vec<bool>,
    stats: ScanStats,
    /// `None` for a report of files, not of repositories.
    repositories: Option<Vec<RepositorySummary>>,
}

/// Reports merged: findings in repository-name order (each repository's in the order of
/// its report), summaries by name, totals added.
#[derive(Debug)]
pub struct Merged {
    pub findings: Vec<Finding>,
    pub stats: ScanStats,
    /// `None` when no report was of repositories.
    pub repositories: Option<Vec<RepositorySummary>>,
    /// How the writers must treat the secrets.
    pub redaction: Redaction,
}

#[derive(Deserialize)]
struct ReportFile {
    schema: Option<String>,
    #[serde(default)]
    summary: ScanStatsIn,
    #[serde(default)]
    repository: Option<RepositoryIn>,
    #[serde(default)]
    repositories: Option<Vec<RepositorySummary>>,
    findings: Vec<FindingIn>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ScanStatsIn {
    files_scanned: u64,
    bytes_scanned: u64,
    files_skipped: u64,
    duration_ms: u64,
}

#[derive(Deserialize)]
struct RepositoryIn {
    name: String,
    #[serde(default)]
    commits_scanned: u64,
}

#[derive(Deserialize)]
struct FindingIn {
    rule_id: String,
    #[serde(default)]
    description: String,
    severity: String,
    confidence: String,
    #[serde(default)]
    confidence_reason: Option<String>,
    kind: String,
    path: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    secret: String,
    #[serde(rename = "match")]
    matched: String,
    redacted: bool,
    #[serde(default)]
    entropy: f64,
    fingerprint: String,
    #[serde(default)]
    remediation: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    repository: Option<String>,
    #[serde(default)]
    commit: Option<CommitInfo>,
    #[serde(default)]
    occurrences: Option<Occurrences>,
    #[serde(default)]
    validation: Option<Validation>,
}

/// Reads one leakhound JSON report.
pub fn read_report(text: &str) -> Result<ReadReport, MergeError> {
    let file: ReportFile = serde_json::from_str(text)?;
    if file.schema.as_deref() != Some(SCHEMA) {
        return Err(MergeError::Schema(file.schema));
    }
    let repository = file.repository.as_ref().map(|r| r.name.clone());
    let mut reasons = ReasonNames::default();
    let mut read = ReadReport {
        stats: ScanStats {
            files_scanned: file.summary.files_scanned,
            bytes_scanned: file.summary.bytes_scanned,
            files_skipped: file.summary.files_skipped,
            duration_ms: file.summary.duration_ms,
        },
        repositories: file.repositories,
        ..ReadReport::default()
    };
    for found in file.findings {
        read.redacted.push(found.redacted);
        read.findings
            .push(into_finding(found, repository.as_deref(), &mut reasons)?);
    }
    if read.repositories.is_none()
        && let Some(repository) = file.repository
    {
        read.repositories = Some(vec![RepositorySummary {
            name: repository.name,
            commits_scanned: repository.commits_scanned,
            findings: read.findings.len(),
            error: None,
        }]);
    }
    Ok(read)
}

fn into_finding(
    found: FindingIn,
    repository: Option<&str>,
    reasons: &mut ReasonNames,
) -> Result<Finding, MergeError> {
    let unknown = |field: &str, value: &str| {
        MergeError::Malformed(serde::de::Error::custom(format!(
            "finding {}: unknown {field} `{value}`",
            found.fingerprint
        )))
    };
    Ok(Finding {
        severity: Severity::parse(&found.severity)
            .ok_or_else(|| unknown("severity", &found.severity))?,
        confidence: Confidence::parse(&found.confidence)
            .ok_or_else(|| unknown("confidence", &found.confidence))?,
        kind: match found.kind.as_str() {
            "content" => FindingKind::Content,
            "file" => FindingKind::File,
            "posture" => FindingKind::Posture,
            other => return Err(unknown("kind", other)),
        },
        confidence_reason: found
            .confidence_reason
            .as_deref()
            .map(|reason| reasons.name(reason)),
        rule_id: found.rule_id,
        description: found.description,
        remediation: found.remediation,
        tags: found.tags,
        path: found.path,
        start: Position {
            line: found.line,
            column: found.column,
        },
        end: Position {
            line: found.end_line,
            column: found.end_column,
        },
        secret: found.secret,
        matched: found.matched,
        entropy: found.entropy,
        fingerprint: found.fingerprint,
        commit: found.commit,
        occurrences: found.occurrences,
        repository: found.repository.or_else(|| repository.map(str::to_string)),
        validation: found.validation,
    })
}

/// `Finding::confidence_reason` is a `&'static str` (the engine's reasons are literals):
/// each distinct reason read back is leaked once, which bounds it by the reasons there
/// are, not by the findings.
#[derive(Default)]
struct ReasonNames {
    known: HashMap<String, &'static str>,
}

impl ReasonNames {
    fn name(&mut self, reason: &str) -> &'static str {
        if let Some(&known) = self.known.get(reason) {
            return known;
        }
        let leaked: &'static str = Box::leak(reason.to_string().into_boxed_str());
        self.known.insert(reason.to_string(), leaked);
        leaked
    }
}

/// Merges reports in the order given. With `show_secrets`, every report must hold its
/// secrets in full; without, secrets held in full are redacted here, once.
pub fn merge(reports: Vec<ReadReport>, show_secrets: bool) -> Result<Merged, MergeError> {
    let mut merged = Merged {
        redaction: if show_secrets {
            Redaction::None
        } else {
            Redaction::Done
        },
        findings: Vec::new(),
        stats: ScanStats::default(),
        repositories: None,
    };
    let mut seen: HashSet<(String, Option<String>)> = HashSet::new();
    let mut named: HashSet<String> = HashSet::new();
    for report in reports {
        merged.stats.files_scanned += report.stats.files_scanned;
        merged.stats.bytes_scanned += report.stats.bytes_scanned;
        merged.stats.files_skipped += report.stats.files_skipped;
        merged.stats.duration_ms += report.stats.duration_ms;
        if let Some(summaries) = report.repositories {
            let repositories = merged.repositories.get_or_insert_with(Vec::new);
            for summary in summaries {
                if named.insert(summary.name.clone()) {
                    repositories.push(summary);
                }
            }
        }
        for (mut finding, redacted) in report.findings.into_iter().zip(report.redacted) {
            if !seen.insert((finding.fingerprint.clone(), finding.repository.clone())) {
                continue;
            }
            let secret_shown = finding.kind != FindingKind::Posture;
            if show_secrets && redacted && secret_shown {
                return Err(MergeError::Redacted);
            }
            if !show_secrets && !redacted && secret_shown {
                finding.matched =
                    redact_within(&finding.matched, &finding.secret, Redaction::Partial);
                finding.secret = redact(&finding.secret, Redaction::Partial);
            }
            merged.findings.push(finding);
        }
    }
    // Stable: each repository's findings keep the order of its report.
    merged
        .findings
        .sort_by(|a, b| a.repository.cmp(&b.repository));
    if let Some(repositories) = &mut merged.repositories {
        repositories.sort_by(|a, b| a.name.cmp(&b.name));
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(repository: &str, fingerprints: &[&str], redacted: bool) -> String {
        let secret = ["not-a-real", "-Passw0rd!"].concat();
        let findings: Vec<serde_json::Value> = fingerprints
            .iter()
            .map(|fingerprint| {
                serde_json::json!({
                    "rule_id": "generic-password", "severity": "medium", "confidence": "medium",
                    "kind": "content", "path": "app.env", "line": 1, "column": 1,
                    "end_line": 1, "end_column": 9,
                    "secret": if redacted { "not-*****".to_string() } else { secret.clone() },
                    "match": if redacted { "P=not-*****".to_string() } else { format!("P={secret}") },
                    "redacted": redacted, "fingerprint": fingerprint,
                })
            })
            .collect();
        serde_json::json!({
            "schema": SCHEMA,
            "summary": {"findings": findings.len(), "files_scanned": 2, "bytes_scanned": 10,
                        "files_skipped": 0, "duration_ms": 5},
            "repository": {"name": repository, "commits_scanned": 3},
            "findings": findings,
        })
        .to_string()
    }

    #[test]
    fn the_same_fingerprint_in_one_repository_is_one_finding() {
        let reports = [
            report("b", &["f1", "f2"], true),
            report("a", &["f1"], true),
            report("b", &["f2", "f3"], true),
        ];
        let read = reports
            .iter()
            .map(|text| read_report(text).unwrap())
            .collect();
        let merged = merge(read, false).unwrap();
        let found: Vec<(&str, &str)> = merged
            .findings
            .iter()
            .map(|f| (f.repository.as_deref().unwrap(), f.fingerprint.as_str()))
            .collect();
        assert_eq!(found, [("a", "f1"), ("b", "f1"), ("b", "f2"), ("b", "f3")]);
        assert_eq!(merged.stats.files_scanned, 6);
        let names: Vec<&str> = merged
            .repositories
            .iter()
            .flatten()
            .map(|r| r.name.as_str())
            .collect();
        assert_eq!(names, ["a", "b"]);
    }

    #[test]
    fn secrets_in_full_are_redacted_once_and_redacted_ones_kept() {
        let read = vec![
            read_report(&report("a", &["f1"], false)).unwrap(),
            read_report(&report("b", &["f2"], true)).unwrap(),
        ];
        let merged = merge(read, false).unwrap();
        assert_eq!(merged.redaction, Redaction::Done);
        assert_eq!(merged.findings[0].secret, "not-*****");
        assert_eq!(merged.findings[1].secret, "not-*****");
        let read = vec![read_report(&report("b", &["f2"], true)).unwrap()];
        assert!(matches!(merge(read, true), Err(MergeError::Redacted)));
    }

    #[test]
    fn other_json_is_refused_with_the_reason() {
        let truncated = &report("a", &["f1"], true)[..40];
        assert!(matches!(
            read_report(truncated),
            Err(MergeError::Malformed(_))
        ));
        let error = read_report(r#"{"findings": []}"#).unwrap_err();
        assert!(error.to_string().contains("--format json"), "{error}");
        assert!(read_report("[]").is_err());
    }
}
