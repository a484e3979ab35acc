//! The finding type and what is derived from a match to make one: line and column
//! ([`position`]), a stable fingerprint ([`fingerprint`]) and the redacted form of the
//! secret ([`redact`]).
//!
//! A [`Finding`] keeps the raw secret in memory, because filters and fingerprints need it;
//! only [`redact`] decides what of it is ever shown, and the report module calls it.

mod fingerprint;
mod position;
mod redact;
mod validation;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::engine::{Match, MatchKind};
use crate::rules::{Confidence, Rule, Severity};

pub use fingerprint::fingerprint;
pub use position::{LineIndex, Position};
pub use redact::{Redaction, escape_control, redact, redact_within};
pub use validation::Validation;

/// What a finding points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingKind {
    /// A secret in the content.
    Content,
    /// The file itself, by its path (a key store, a committed credentials file).
    File,
    /// How secrets are kept, not a secret: a posture check on infrastructure code points
    /// at a resource (`secret` holds its name, which is not redacted).
    Posture,
}

/// Where, in a git history, a finding was introduced. Filled in by history scans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitInfo {
    pub id: String,
    pub author_name: String,
    pub author_email: String,
    /// RFC 3339.
    pub date: String,
    pub summary: String,
}

/// Where else a history finding occurs: every (commit, path) that carries the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occurrences {
    /// How many commits carry the secret.
    pub commits: usize,
    /// How many refs (branches, tags, ...) reach one of those commits.
    pub refs: usize,
    /// Every commit and path, oldest first.
    pub places: Vec<Occurrence>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occurrence {
    /// Shared: one commit or path is named by many occurrences (a file that lived
    /// through thousands of commits), so each is kept once.
    pub commit: Arc<str>,
    pub path: Arc<str>,
}

/// One secret found in one place.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule_id: String,
    pub description: String,
    pub severity: Severity,
    /// How sure the finding is that it is a live secret.
    pub confidence: Confidence,
    /// What lowered the confidence, if anything.
    pub confidence_reason: Option<&'static str>,
    pub remediation: String,
    pub tags: Vec<String>,
    pub kind: FindingKind,
    /// '/'-separated path as the user named it (`src/app.py`, `<stdin>`).
    pub path: String,
    /// 1-based start of the match; for [`FindingKind::File`], line 1, column 1.
    pub start: Position,
    /// 1-based, inclusive end of the match.
    pub end: Position,
    /// The raw secret. Never print it without going through [`redact`].
    pub secret: String,
    /// The raw text the rule matched, which contains the secret.
    pub matched: String,
    pub entropy: f64,
    pub fingerprint: String,
    /// History scans: the commit that introduced the secret at this path.
    pub commit: Option<CommitInfo>,
    /// History scans: every commit and path that carries it.
    pub occurrences: Option<Occurrences>,
    /// Scans of several repositories (`history --repos`, `merge`): the repository it is
    /// in, as the list named it (credentials stripped). `None` for a single scan.
    pub repository: Option<String>,
    /// Whether the provider accepts the secret; `None` unless validation ran.
    pub validation: Option<Validation>,
}

impl Finding {
    /// Builds a finding from an engine match in `data`, the content of `path`.
    /// `lines` must index the same `data`.
    /// `path` is what reports show; `identity_path` (the path relative to the scanned root)
    /// goes into the fingerprint, so it does not change with how the user named the root.
    pub fn from_match(
        rule: &Rule,
        found: &Match,
        data: &[u8],
        path: &str,
        identity_path: &str,
        lines: &mut LineIndex,
    ) -> Finding {
        let (kind, start, end, secret, matched) = match found.kind {
            MatchKind::Path => {
                let origin = Position { line: 1, column: 1 };
                (
                    FindingKind::File,
                    origin,
                    origin,
                    path.to_string(),
                    path.to_string(),
                )
            }
            MatchKind::Content => {
                let matched = String::from_utf8_lossy(&data[found.span.clone()]).into_owned();
                let secret = match &found.decoded {
                    Some(decoded) => String::from_utf8_lossy(&decoded.secret).into_owned(),
                    None => String::from_utf8_lossy(&data[found.secret.clone()]).into_owned(),
                };
                (
                    if rule.is_posture() {
                        FindingKind::Posture
                    } else {
                        FindingKind::Content
                    },
                    lines.position(data, found.span.start),
                    lines.position(data, found.span.end.saturating_sub(1).max(found.span.start)),
                    secret,
                    matched,
                )
            }
        };
        Finding {
            fingerprint: fingerprint(&rule.id, identity_path, secret.as_bytes()),
            rule_id: rule.id.clone(),
            description: rule.description.clone(),
            severity: rule.severity,
            confidence: found.confidence,
            confidence_reason: found.confidence_reason,
            remediation: rule.remediation.clone(),
            tags: match &found.decoded {
                // Say where the secret hides: the match is the encoded blob.
                Some(decoded) => rule
                    .tags
                    .iter()
                    .cloned()
                    .chain([format!("decoded:{}", decoded.encoding)])
                    .collect(),
                None => rule.tags.clone(),
            },
            kind,
            path: path.to_string(),
            start,
            end,
            secret,
            matched,
            entropy: found.entropy,
            commit: None,
            occurrences: None,
            repository: None,
            validation: None,
        }
    }

    /// The secret as reports show it: redacted as asked, except the resource a posture
    /// finding names, which is not a secret.
    pub fn shown_secret(&self, redaction: Redaction) -> String {
        match self.kind {
            FindingKind::Posture => self.secret.clone(),
            _ => redact(&self.secret, redaction),
        }
    }

    /// The matched text as reports show it (see [`Finding::shown_secret`]).
    pub fn shown_match(&self, redaction: Redaction) -> String {
        match self.kind {
            FindingKind::Posture => self.matched.clone(),
            _ => redact_within(&self.matched, &self.secret, redaction),
        }
    }

    /// The order reports list findings in: by path, then position, then rule.
    pub fn sort_key(&self) -> (&str, Position, &str) {
        (&self.path, self.start, &self.rule_id)
    }
}

/// Totals of one scan, for summaries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ScanStats {
    pub files_scanned: u64,
    pub bytes_scanned: u64,
    pub files_skipped: u64,
    pub duration_ms: u64,
}
