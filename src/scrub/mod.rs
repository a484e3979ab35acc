//! The history-scrub planner: turns the findings of a history scan into a plan to rotate
//! each leaked secret and to rewrite the history without it, for git-filter-repo.
//!
//! It groups findings by secret value ([`build_plan`]), picks a rotation checklist per
//! secret ([`rotation`]), writes the filter-repo input files and a script that applies them
//! to a fresh mirror clone ([`write`]). It plans only: nothing here changes a repository.
//!
//! Which findings remove a whole file from history (`paths-to-remove.txt`) rather than
//! only replacing the secret inside it: path rules (`kind: file`, e.g. PKCS#12 files and
//! key stores), `dotenv-committed`, and private-key rules when the file's name says it is a
//! key file (`id_rsa`, `*.pem`, `*.key`, ...). A private key inside a source or config file
//! is replaced in place, so the rest of the file survives. Secrets of removed files are
//! kept in the replacements too, in case they were copied elsewhere.
//!
//! A short secret (under [`SHORT_SECRET`] characters, such as a hand-picked password) is
//! not replaced everywhere it occurs, which would also rewrite unrelated text that happens
//! to hold it: the text the rule matched is replaced instead, with only the secret masked
//! in it (`password = "***REMOVED***"`).

mod html;
pub mod replace;
pub mod report_input;
pub mod rotation;
pub mod write;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

use crate::finding::{Finding, FindingKind, Redaction, redact};
use crate::source::git::HeadView;

pub use report_input::{ReportInputError, findings_from_report};
pub use write::write_plan;

pub const SCHEMA: &str = "leakhound/scrub-plan/v1";

/// The whole plan: every secret, and what the rewrite replaces and removes.
#[derive(Debug, Serialize)]
pub struct Plan {
    pub schema: &'static str,
    /// The repository the findings came from, as the user named it.
    pub repository: String,
    pub secrets: Vec<PlannedSecret>,
    /// Paths to remove from every commit (`--invert-paths --paths-from-file`).
    pub paths_to_remove: Vec<String>,
    /// Raw texts to replace, longest first (so a secret inside a longer match goes with it).
    #[serde(skip)]
    pub replacements: Vec<Replacement>,
}

/// One `--replace-text` entry: raw text, and what it becomes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Replacement {
    pub text: String,
    pub with: String,
}

/// Secrets shorter than this are replaced only where a rule matched them (see module docs).
pub const SHORT_SECRET: usize = 8;

/// One leaked secret, with everything the plan says about it.
#[derive(Debug, Serialize)]
pub struct PlannedSecret {
    /// 1-based, in plan order.
    pub number: usize,
    /// The secret as it may be shown (a short prefix and a mask; a path for files).
    pub redacted: String,
    pub kind: FindingKind,
    pub family: &'static str,
    pub family_title: &'static str,
    pub rules: Vec<String>,
    pub description: String,
    pub fingerprints: Vec<String>,
    pub first_seen: Option<FirstSeen>,
    /// How many commits carry the secret.
    pub commits: usize,
    /// How many refs reach one of those commits.
    pub refs: usize,
    /// Whether HEAD still holds it; `None` when the repository could not be read.
    pub in_head: Option<bool>,
    /// What a provider said of it, when the report was made with `--validate`
    /// (`valid`, `invalid`, `unavailable`, `not-checked`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation: Option<&'static str>,
    /// Every path it was seen at.
    pub paths: Vec<String>,
    /// Whether its files leave history entirely.
    pub remove_files: bool,
    pub rotation: Vec<String>,
}

/// The commit that introduced a secret.
#[derive(Debug, Clone, Serialize)]
pub struct FirstSeen {
    pub commit: String,
    pub author_name: String,
    pub author_email: String,
    pub date: String,
    pub summary: String,
    pub path: String,
}

/// Groups `findings` by secret and plans each one. `repo_path` is read (never written) to
/// tell which secrets HEAD still holds.
pub fn build_plan(findings: &[Finding], repo_path: &Path) -> Plan {
    let mut groups: BTreeMap<(u8, &str), Vec<&Finding>> = BTreeMap::new();
    // Posture findings hold no secret: nothing to rotate or rewrite.
    for finding in findings.iter().filter(|f| f.kind != FindingKind::Posture) {
        // A path rule's "secret" is the path: group those by path, apart from values.
        let key = match finding.kind {
            FindingKind::Content | FindingKind::Posture => (0, finding.secret.as_str()),
            FindingKind::File => (1, finding.path.as_str()),
        };
        groups.entry(key).or_default().push(finding);
    }
    let head = HeadView::open(repo_path);

    let mut secrets = Vec::new();
    let mut replacements: BTreeMap<String, String> = BTreeMap::new();
    let mut paths_to_remove = BTreeSet::new();
    for group in groups.values() {
        let planned = plan_secret(group, head.as_ref());
        for finding in group {
            for replacement in replacements_for(finding) {
                replacements.insert(replacement.text, replacement.with);
            }
        }
        if planned.remove_files {
            // A member of an archive (`lib/app.jar!conf/x`) leaves with its archive.
            paths_to_remove.extend(
                planned
                    .paths
                    .iter()
                    .map(|path| path.split('!').next().unwrap_or(path).to_string()),
            );
        }
        secrets.push(planned);
    }
    // Secrets a provider confirmed live first (rotate those now), then the earliest leak
    // first: the oldest secrets have been exposed longest.
    secrets.sort_by(|a, b| {
        let date =
            |secret: &PlannedSecret| secret.first_seen.as_ref().map(|seen| seen.date.clone());
        let live = |secret: &PlannedSecret| secret.validation != Some("valid");
        live(a)
            .cmp(&live(b))
            .then_with(|| date(a).cmp(&date(b)))
            .then_with(|| a.redacted.cmp(&b.redacted))
    });
    for (index, secret) in secrets.iter_mut().enumerate() {
        secret.number = index + 1;
    }
    let mut replacements: Vec<Replacement> = replacements
        .into_iter()
        .map(|(text, with)| Replacement { text, with })
        .collect();
    replacements.sort_by(|a, b| {
        b.text
            .len()
            .cmp(&a.text.len())
            .then_with(|| a.text.cmp(&b.text))
    });
    Plan {
        schema: SCHEMA,
        repository: std::fs::canonicalize(repo_path)
            .unwrap_or_else(|_| repo_path.to_path_buf())
            .display()
            .to_string(),
        secrets,
        paths_to_remove: paths_to_remove.into_iter().collect(),
        replacements,
    }
}

fn plan_secret(group: &[&Finding], head: Option<&HeadView>) -> PlannedSecret {
    let family = group
        .iter()
        .map(|finding| rotation::family_for(&finding.rule_id, &finding.tags))
        .min_by_key(|family| rotation::specificity(family))
        .unwrap_or(&rotation::GENERIC);
    let lead = group
        .iter()
        .find(|finding| rotation::family_for(&finding.rule_id, &finding.tags).id == family.id)
        .unwrap_or(&group[0]);

    let mut paths = BTreeSet::new();
    let mut commits = BTreeSet::new();
    let mut refs = 0;
    for finding in group {
        paths.insert(finding.path.clone());
        if let Some(commit) = &finding.commit {
            commits.insert(commit.id.clone());
        }
        if let Some(occurrences) = &finding.occurrences {
            refs = refs.max(occurrences.refs);
            for place in &occurrences.places {
                commits.insert(place.commit.to_string());
                paths.insert(place.path.to_string());
            }
        }
    }
    let first_seen = group
        .iter()
        .filter_map(|finding| Some((finding.commit.as_ref()?, &finding.path)))
        .min_by(|(a, _), (b, _)| {
            // Commits made in the same second: the ancestor came first.
            a.date.cmp(&b.date).then_with(|| match head {
                Some(head) if head.reaches(&a.id, &b.id) => std::cmp::Ordering::Less,
                Some(head) if head.reaches(&b.id, &a.id) => std::cmp::Ordering::Greater,
                _ => std::cmp::Ordering::Equal,
            })
        })
        .map(|(commit, path)| FirstSeen {
            commit: commit.id.clone(),
            author_name: commit.author_name.clone(),
            author_email: commit.author_email.clone(),
            date: commit.date.clone(),
            summary: commit.summary.clone(),
            path: path.clone(),
        });
    // A report from another repository: its commits are not here, so neither is its answer.
    let head = head.filter(|head| commits.is_empty() || commits.iter().any(|id| head.knows(id)));
    if let Some(head) = head {
        // Refs cannot be added up across findings; the commit graph counts them exactly.
        refs = refs.max(head.refs_reaching(&commits));
    }
    let in_head = head.map(|head| {
        commits.contains(&head.commit)
            || paths.iter().any(|path| head.holds(path, head_needle(lead)))
    });

    let mut rotation: Vec<String> = family.steps.iter().map(|step| step.to_string()).collect();
    if family.id == rotation::GENERIC.id && !lead.remediation.is_empty() {
        rotation.insert(0, lead.remediation.clone());
    }
    let rules: BTreeSet<String> = group
        .iter()
        .map(|finding| finding.rule_id.clone())
        .collect();
    let fingerprints: BTreeSet<String> = group
        .iter()
        .map(|finding| finding.fingerprint.clone())
        .collect();
    PlannedSecret {
        number: 0,
        redacted: match lead.kind {
            FindingKind::Content | FindingKind::Posture => redact(&lead.secret, Redaction::Partial),
            FindingKind::File => lead.path.clone(),
        },
        kind: lead.kind,
        family: family.id,
        family_title: family.title,
        rules: rules.into_iter().collect(),
        description: lead.description.clone(),
        fingerprints: fingerprints.into_iter().collect(),
        first_seen,
        commits: commits.len(),
        refs,
        in_head,
        validation: group
            .iter()
            .filter_map(|finding| finding.validation.as_ref())
            .max_by_key(|outcome| outcome_rank(outcome.status()))
            .map(|outcome| outcome.status()),
        remove_files: group.iter().any(|finding| removes_file(finding)),
        paths: paths.into_iter().collect(),
        rotation,
    }
}

/// Which outcome speaks for a secret found several times: the surest.
fn outcome_rank(status: &str) -> u8 {
    match status {
        "valid" => 3,
        "invalid" => 2,
        "unavailable" => 1,
        _ => 0,
    }
}

/// What to replace for one finding: the secret, and the encoded blob it hides in; for a
/// short secret, only the matched text around it (see the module docs).
/// Whether a finding is in a member of an archive (`outer.zip!inner/file`).
fn in_archive(finding: &Finding) -> bool {
    finding.path.contains('!')
}

fn replacements_for(finding: &Finding) -> Vec<Replacement> {
    if finding.kind != FindingKind::Content || finding.secret.is_empty() || in_archive(finding) {
        return Vec::new();
    }
    let removed = || Replacement {
        text: finding.secret.clone(),
        with: replace::REPLACEMENT.to_string(),
    };
    if finding.tags.iter().any(|tag| tag.starts_with("decoded:")) {
        // The secret hides in an encoded blob: the blob goes too.
        let blob = Replacement {
            text: finding.matched.clone(),
            with: replace::REPLACEMENT.to_string(),
        };
        return vec![removed(), blob];
    }
    let in_context = finding.secret.chars().count() < SHORT_SECRET
        && finding.matched.len() > finding.secret.len()
        && finding.matched.contains(&finding.secret)
        && !replace::needs_regex(&finding.matched);
    if in_context {
        let with = finding
            .matched
            .replace(&finding.secret, replace::REPLACEMENT);
        return vec![Replacement {
            text: finding.matched.clone(),
            with,
        }];
    }
    vec![removed()]
}

/// Whether a finding means its file should leave history entirely (see the module docs).
/// What must be in HEAD's file for the secret to be still there: nothing for a file
/// finding (the file itself is the secret), the secret for the others.
fn head_needle(finding: &Finding) -> Option<&[u8]> {
    match finding.kind {
        FindingKind::File => None,
        FindingKind::Content | FindingKind::Posture => Some(finding.secret.as_bytes()),
    }
}

pub fn removes_file(finding: &Finding) -> bool {
    finding.kind == FindingKind::File
        // Text replacement cannot reach into a compressed archive: the archive goes.
        || in_archive(finding)
        || finding.rule_id == "dotenv-committed"
        || (rotation::family_for(&finding.rule_id, &finding.tags).id == "private-key"
            && is_key_file_name(&finding.path))
}

fn is_key_file_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let key_names = [
        "id_rsa",
        "id_dsa",
        "id_ecdsa",
        "id_ed25519",
        "id_ecdsa_sk",
        "id_ed25519_sk",
    ];
    let key_extensions = [
        ".pem", ".key", ".p8", ".ppk", ".asc", ".gpg", ".pk8", ".der",
    ];
    key_names.contains(&name.as_str())
        || key_extensions
            .iter()
            .any(|extension| name.ends_with(extension))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::finding::Position;
    use crate::rules::Severity;

    fn finding(secret: &str, matched: &str, tags: &[&str]) -> Finding {
        let origin = Position { line: 1, column: 1 };
        Finding {
            rule_id: "generic-password".to_string(),
            description: String::new(),
            severity: Severity::High,
            confidence: Default::default(),
            confidence_reason: None,
            remediation: String::new(),
            tags: tags.iter().map(|tag| tag.to_string()).collect(),
            kind: FindingKind::Content,
            path: "app.py".to_string(),
            start: origin,
            end: origin,
            secret: secret.to_string(),
            matched: matched.to_string(),
            entropy: 0.0,
            fingerprint: String::new(),
            commit: None,
            occurrences: None,
            repository: None,
            validation: None,
        }
    }

    fn pairs(replacements: Vec<Replacement>) -> Vec<(String, String)> {
        replacements
            .into_iter()
            .map(|replacement| (replacement.text, replacement.with))
            .collect()
    }

    #[test]
    fn a_long_secret_is_replaced_wherever_it_occurs() {
        let found = finding("s3cret-long-value", "password = \"s3cret-long-value\"", &[]); // leakhound:allow (a test value)
        assert_eq!(
            pairs(replacements_for(&found)),
            [("s3cret-long-value".to_string(), "***REMOVED***".to_string())]
        );
    }

    #[test]
    fn a_short_secret_is_replaced_only_where_it_was_matched() {
        let found = finding("hunter2", "password = \"hunter2\"", &[]); // leakhound:allow (a test value)
        assert_eq!(
            pairs(replacements_for(&found)),
            [(
                "password = \"hunter2\"".to_string(), // leakhound:allow (a test value)
                "password = \"***REMOVED***\"".to_string()
            )]
        );
    }

    #[test]
    fn an_encoded_secret_takes_its_encoding_with_it() {
        let found = finding(
            "hunter2-and-more",
            "aHVudGVyMi1hbmQtbW9yZQ==",
            &["decoded:base64"],
        );
        let texts: Vec<String> = pairs(replacements_for(&found))
            .into_iter()
            .map(|(text, _)| text)
            .collect();
        assert_eq!(texts, ["hunter2-and-more", "aHVudGVyMi1hbmQtbW9yZQ=="]);
    }

    #[test]
    fn a_path_rule_replaces_nothing() {
        let mut found = finding("keys/a.p12", "keys/a.p12", &[]);
        found.kind = FindingKind::File;
        assert!(replacements_for(&found).is_empty());
        assert!(removes_file(&found));
    }

    #[test]
    fn key_files_are_recognised_by_name() {
        assert!(is_key_file_name("deploy/id_rsa"));
        assert!(is_key_file_name("certs/server.KEY"));
        assert!(!is_key_file_name("src/config.py"));
    }
}
