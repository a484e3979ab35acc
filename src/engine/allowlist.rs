//! Allowlists, compiled: decide whether a candidate match is a known false positive.

use crate::rules::{Allowlist, Condition, RegexTarget};

use std::sync::Arc;

use super::lazy_regex::{LazyRegex, RegexInterner};

/// What an allowlist can look at for one candidate.
pub struct Candidate<'a> {
    pub secret: &'a [u8],
    pub matched: &'a [u8],
    pub line: &'a [u8],
    pub path: Option<&'a str>,
}

pub struct CompiledAllowlist {
    condition: Condition,
    regex_target: RegexTarget,
    regexes: Vec<Arc<LazyRegex>>,
    stopwords: Vec<String>,
    paths: Vec<Arc<LazyRegex>>,
    /// Commit criteria can only be judged per commit, after attribution; see
    /// [`CompiledAllowlist::allows_commit`].
    commits: Vec<String>,
}

impl CompiledAllowlist {
    /// Compiles `allowlist`, taking its regexes from `interner` (shared with other rules).
    pub fn new(allowlist: &Allowlist, interner: &mut RegexInterner) -> CompiledAllowlist {
        CompiledAllowlist {
            condition: allowlist.condition,
            regex_target: allowlist.regex_target,
            regexes: allowlist.regexes.iter().map(|r| interner.get(r)).collect(),
            stopwords: allowlist.stopwords.clone(),
            paths: allowlist.paths.iter().map(|r| interner.get(r)).collect(),
            commits: allowlist.commits.clone(),
        }
    }

    /// True when only `paths` is given, so the allowlist can skip whole files.
    pub fn is_path_only(&self) -> bool {
        !self.paths.is_empty()
            && self.regexes.is_empty()
            && self.stopwords.is_empty()
            && self.commits.is_empty()
    }

    pub fn allows_path(&self, path: Option<&str>) -> bool {
        path.is_some_and(|path| {
            self.paths
                .iter()
                .any(|regex| regex.is_match(path.as_bytes()))
        })
    }

    /// Whether this allowlist drops the candidate. Commit criteria count as not matched
    /// here, so an AND allowlist with commits never drops a candidate at this stage.
    pub fn allows(&self, candidate: &Candidate<'_>) -> bool {
        let mut verdicts = [None; 4];
        if !self.paths.is_empty() {
            verdicts[0] = Some(self.allows_path(candidate.path));
        }
        if !self.regexes.is_empty() {
            let target = match self.regex_target {
                RegexTarget::Secret => candidate.secret,
                RegexTarget::Match => candidate.matched,
                RegexTarget::Line => candidate.line,
            };
            verdicts[1] = Some(self.regexes.iter().any(|regex| regex.is_match(target)));
        }
        if !self.stopwords.is_empty() {
            verdicts[2] = Some(contains_stopword(candidate.secret, &self.stopwords));
        }
        if !self.commits.is_empty() {
            verdicts[3] = Some(false);
        }
        combine(self.condition, &verdicts)
    }

    /// Whether this allowlist drops a match found in `commit`: used by history scans.
    pub fn lists_commits(&self) -> bool {
        !self.commits.is_empty()
    }

    pub fn allows_commit(&self, commit: &str) -> bool {
        self.commits
            .iter()
            .any(|allowed| !allowed.is_empty() && commit.starts_with(allowed.as_str()))
    }
}

fn combine(condition: Condition, verdicts: &[Option<bool>]) -> bool {
    let mut given = verdicts.iter().flatten().peekable();
    if given.peek().is_none() {
        return false;
    }
    match condition {
        Condition::Or => given.any(|&verdict| verdict),
        Condition::And => given.all(|&verdict| verdict),
    }
}

fn contains_stopword(secret: &[u8], stopwords: &[String]) -> bool {
    let lower = secret.to_ascii_lowercase();
    stopwords
        .iter()
        .any(|word| memchr::memmem::find(&lower, word.as_bytes()).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate<'a>(secret: &'a [u8], path: Option<&'a str>) -> Candidate<'a> {
        Candidate {
            secret,
            matched: secret,
            line: secret,
            path,
        }
    }

    #[test]
    fn or_allowlist_drops_on_any_criterion() {
        let allowlist = CompiledAllowlist::new(
            &Allowlist {
                stopwords: vec!["dummy".into()],
                paths: vec!["^tests/".into()],
                ..Allowlist::default()
            },
            &mut RegexInterner::default(),
        );
        assert!(allowlist.allows(&candidate(b"DUMMYvalue", Some("src/a.rs"))));
        assert!(allowlist.allows(&candidate(b"realvalue", Some("tests/a.rs"))));
        assert!(!allowlist.allows(&candidate(b"realvalue", Some("src/a.rs"))));
    }

    #[test]
    fn and_allowlist_needs_every_given_criterion() {
        let allowlist = CompiledAllowlist::new(
            &Allowlist {
                condition: Condition::And,
                regexes: vec!["^test".into()],
                paths: vec!["^tests/".into()],
                ..Allowlist::default()
            },
            &mut RegexInterner::default(),
        );
        assert!(allowlist.allows(&candidate(b"test123", Some("tests/a.rs"))));
        assert!(!allowlist.allows(&candidate(b"test123", Some("src/a.rs"))));
        assert!(!allowlist.allows(&candidate(b"prod123", Some("tests/a.rs"))));
    }

    #[test]
    fn empty_allowlist_drops_nothing() {
        let allowlist =
            CompiledAllowlist::new(&Allowlist::default(), &mut RegexInterner::default());
        assert!(!allowlist.allows(&candidate(b"anything", None)));
    }

    #[test]
    fn line_target_looks_at_the_whole_line() {
        let allowlist = CompiledAllowlist::new(
            &Allowlist {
                regex_target: RegexTarget::Line,
                regexes: vec!["# test fixture".into()],
                ..Allowlist::default()
            },
            &mut RegexInterner::default(),
        );
        let line = b"key = abc # test fixture";
        let found = Candidate {
            secret: b"abc",
            matched: b"key = abc",
            line,
            path: None,
        };
        assert!(allowlist.allows(&found));
    }

    #[test]
    fn commit_allowlist_matches_commit_prefixes() {
        let allowlist = CompiledAllowlist::new(
            &Allowlist {
                commits: vec!["abc123".into()],
                ..Allowlist::default()
            },
            &mut RegexInterner::default(),
        );
        assert!(allowlist.allows_commit("abc123def"));
        assert!(!allowlist.allows_commit("ffff"));
        assert!(!allowlist.allows(&candidate(b"x", None)));
    }
}
