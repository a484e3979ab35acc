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

    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty() && self.positional.is_empty()
    }

    /// Drops suppressed findings; returns how many were dropped.
    pub fn apply(&self, findings: &mut Vec<Finding>) -> usize {
        if self.is_empty() {
            return 0;
        }
        let before = findings.len();
        findings.retain(|finding| !self.suppresses(finding));
        before - findings.len()
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
