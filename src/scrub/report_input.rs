//! Reads the findings of a `leakhound history --format json --show-secrets` report back
//! into [`Finding`]s, for planning without scanning again.

use serde::Deserialize;

use crate::finding::{CommitInfo, Finding, FindingKind, Occurrence, Occurrences, Position};
use crate::rules::{Confidence, Severity};

#[derive(Debug, thiserror::Error)]
pub enum ReportInputError {
    #[error("not a leakhound JSON report: {0}")]
    Malformed(#[from] serde_json::Error),
    #[error("the report's secrets are redacted, and the plan needs them to replace them")]
    Redacted,
}

#[derive(Deserialize)]
struct ReportFile {
    findings: Vec<ReportFinding>,
}

#[derive(Deserialize)]
struct ReportFinding {
    rule_id: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    confidence: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    path: String,
    #[serde(default)]
    line: usize,
    #[serde(default)]
    column: usize,
    #[serde(default)]
    end_line: usize,
    #[serde(default)]
    end_column: usize,
    secret: String,
    #[serde(rename = "match", default)]
    matched: String,
    #[serde(default)]
    redacted: bool,
    #[serde(default)]
    entropy: f64,
    #[serde(default)]
    fingerprint: String,
    #[serde(default)]
    remediation: String,
    #[serde(default)]
    tags: Vec<String>,
    commit: Option<ReportCommit>,
    occurrences: Option<ReportOccurrences>,
    /// Present in reports made with `--validate`.
    #[serde(default)]
    validation: Option<crate::finding::Validation>,
}

#[derive(Deserialize)]
struct ReportCommit {
    id: String,
    #[serde(default)]
    author_name: String,
    #[serde(default)]
    author_email: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    summary: String,
}

#[derive(Deserialize)]
struct ReportOccurrences {
    commits: usize,
    refs: usize,
    places: Vec<ReportPlace>,
}

#[derive(Deserialize)]
struct ReportPlace {
    commit: String,
    path: String,
}

/// The findings of a JSON report. Fails when any secret in it is redacted.
pub fn findings_from_report(text: &str) -> Result<Vec<Finding>, ReportInputError> {
    let report: ReportFile = serde_json::from_str(text)?;
    if report.findings.iter().any(|finding| finding.redacted) {
        return Err(ReportInputError::Redacted);
    }
    Ok(report.findings.into_iter().map(into_finding).collect())
}

fn into_finding(found: ReportFinding) -> Finding {
    Finding {
        rule_id: found.rule_id,
        description: found.description,
        severity: found
            .severity
            .as_deref()
            .and_then(Severity::parse)
            .unwrap_or(Severity::High),
        confidence: found
            .confidence
            .as_deref()
            .and_then(Confidence::parse)
            .unwrap_or_default(),
        confidence_reason: None,
        remediation: found.remediation,
        tags: found.tags,
        kind: match found.kind.as_deref() {
            Some("file") => FindingKind::File,
            Some("posture") => FindingKind::Posture,
            _ => FindingKind::Content,
        },
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
        commit: found.commit.map(|commit| CommitInfo {
            id: commit.id,
            author_name: commit.author_name,
            author_email: commit.author_email,
            date: commit.date,
            summary: commit.summary,
        }),
        repository: None,
        validation: found.validation,
        occurrences: found.occurrences.map(|occurrences| Occurrences {
            commits: occurrences.commits,
            refs: occurrences.refs,
            places: occurrences
                .places
                .into_iter()
                .map(|place| Occurrence {
                    commit: place.commit.into(),
                    path: place.path.into(),
                })
                .collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacted_reports_are_refused() {
        let text =
            r#"{"findings":[{"rule_id":"x","path":"a","secret":"ab*****","redacted":true}]}"#;
        assert!(matches!(
            findings_from_report(text),
            Err(ReportInputError::Redacted)
        ));
    }

    #[test]
    fn raw_reports_give_findings_with_their_history() {
        let text = r#"{"findings":[{"rule_id":"pkcs12-file","kind":"file","path":"a.p12","secret":"a.p12","redacted":false,
            "commit":{"id":"c1","date":"2024"},"occurrences":{"commits":2,"refs":1,"places":[{"commit":"c1","path":"a.p12"}]}}]}"#;
        let findings = findings_from_report(text).unwrap();
        assert_eq!(findings[0].kind, FindingKind::File);
        assert_eq!(findings[0].occurrences.as_ref().unwrap().commits, 2);
    }

    #[test]
    fn other_json_is_malformed() {
        assert!(matches!(
            findings_from_report("[]"),
            Err(ReportInputError::Malformed(_))
        ));
    }
}
