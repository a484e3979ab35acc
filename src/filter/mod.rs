//! Filters that drop findings the user has already judged: the ignore files at the
//! repository root (`.leakhoundignore` with value fingerprints, `.gitleaksignore` with
//! gitleaks' positional entries) and baselines (a previous leakhound or gitleaks JSON
//! report). Allow comments in the content are honoured earlier, by the engine.
//!
//! Knows findings only: callers load a [`Filters`] once and apply it to a report.

mod baseline;
mod ignore_file;

use std::collections::HashSet;
use std::path::Path;

use crate::finding::Finding;
use crate::rules::Confidence;

pub use ignore_file::{IGNORE_FILE, append_fingerprints, is_fingerprint};

/// A gitleaks-style positional entry: `[commit:]path:rule:line`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PositionalEntry {
    pub commit: Option<String>,
    pub path: String,
    pub rule: String,
    pub line: usize,
}

impl PositionalEntry {
    /// Parses `commit:path:rule:line` or `path:rule:line`; the path may hold colons.
    pub fn parse(text: &str) -> Option<PositionalEntry> {
        let (rest, line) = text.rsplit_once(':')?;
        let line = line.trim().parse().ok()?;
        let (rest, rule) = rest.rsplit_once(':')?;
        let (commit, path) = match rest.split_once(':') {
            Some((commit, path)) if is_commit_id(commit) => (Some(commit.to_string()), path),
            _ => (None, rest),
        };
        Some(PositionalEntry {
            commit,
            path: path.to_string(),
            rule: rule.to_string(),
            line,
        })
    }

    fn matches(&self, finding: &Finding) -> bool {
        self.rule == finding.rule_id
            && self.line == finding.start.line
            && same_path(&self.path, &finding.path)
            && match (&self.commit, &finding.commit) {
                (None, _) => true,
                (Some(commit), Some(found)) => found.id.starts_with(commit.as_str()),
                (Some(_), None) => false,
            }
    }
}

fn is_commit_id(text: &str) -> bool {
    (7..=64).contains(&text.len()) && text.chars().all(|c| c.is_ascii_hexdigit())
}

fn same_path(a: &str, b: &str) -> bool {
    a.trim_start_matches("./") == b.trim_start_matches("./")
}

/// Everything that suppresses findings after a scan.
#[derive(Debug, Default)]
pub struct Filters {
    fingerprints: HashSet<String>,
    positional: Vec<PositionalEntry>,
    /// Findings less sure than this are not reported (`--confidence`).
    min_confidence: Confidence,
}

/// What [`Filters::apply`] dropped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dropped {
    /// By an ignore file or the baseline.
    pub suppressed: usize,
    /// For being less sure than `--confidence`.
    pub below_confidence: usize,
}

impl Filters {
    /// Reads the ignore files in `root` (if given) and the baseline (if given).
    pub fn load(root: Option<&Path>, baseline: Option<&Path>) -> anyhow::Result<Filters> {
        let mut filters = Filters::default();
        if let Some(root) = root {
            ignore_file::read_ignore_files(root, &mut filters)?;
        }
        if let Some(path) = baseline {
            baseline::read_baseline(path, &mut filters)?;
        }
        Ok(filters)
    }

    /// Reports only findings at least this sure.
    pub fn with_min_confidence(mut self, level: Confidence) -> Filters {
        self.min_confidence = level;
        self
    }

    pub fn min_confidence(&self) -> Confidence {
        self.min_confidence
    }

    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty() && self.positional.is_empty()
    }

    /// Drops findings below the confidence level, then suppressed ones.
    pub fn apply(&self, findings: &mut Vec<Finding>) -> Dropped {
        let before = findings.len();
        findings.retain(|finding| finding.confidence >= self.min_confidence);
        let below_confidence = before - findings.len();
        if self.is_empty() {
            return Dropped {
                suppressed: 0,
                below_confidence,
            };
        }
        let before = findings.len();
        findings.retain(|finding| !self.suppresses(finding));
        Dropped {
            suppressed: before - findings.len(),
            below_confidence,
        }
    }

    fn suppresses(&self, finding: &Finding) -> bool {
        self.fingerprints.contains(&finding.fingerprint)
            || self.positional.iter().any(|entry| entry.matches(finding))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positional_entries_parse_with_and_without_commit() {
        let with = PositionalEntry::parse(
            "0123456789abcdef0123456789abcdef01234567:src/a.py:aws-access-key-id:12",
        )
        .unwrap();
        assert_eq!(
            with.commit.as_deref(),
            Some("0123456789abcdef0123456789abcdef01234567")
        );
        assert_eq!(
            (with.path.as_str(), with.rule.as_str(), with.line),
            ("src/a.py", "aws-access-key-id", 12)
        );
        let without = PositionalEntry::parse("src/a.py:generic-api-key:3").unwrap();
        assert_eq!(without.commit, None);
        assert_eq!(without.path, "src/a.py");
        assert!(PositionalEntry::parse("no line here").is_none());
    }

    #[test]
    fn paths_with_colons_survive() {
        let entry = PositionalEntry::parse("C:/work/a.py:rule:4").unwrap();
        assert_eq!(entry.path, "C:/work/a.py");
    }
}
