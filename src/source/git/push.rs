//! Pre-push: the ref updates git's pre-push hook passes on standard input, and the
//! commits a push sends.

use gix::ObjectId;

use super::refs::{RefSet, commit_tips};
use super::repository::{GitContext, GitError, Repository};

/// One ref update git's pre-push hook gets on standard input, or the pre-commit
/// framework passes as `PRE_COMMIT_FROM_REF`/`PRE_COMMIT_TO_REF`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushedRef {
    /// The commit being pushed; `None` when the remote ref is being deleted.
    pub local: Option<ObjectId>,
    /// What the remote has now; `None` for a new remote ref.
    pub remote: Option<ObjectId>,
}

/// Parses git's pre-push input: `<local ref> <local sha> <remote ref> <remote sha>` lines.
pub fn parse_pre_push(text: &str) -> Result<Vec<PushedRef>, GitError> {
    let mut refs = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let parsed = match fields.as_slice() {
            [_, local, _, remote] => non_null_id(local).zip(non_null_id(remote)),
            _ => None,
        };
        let Some((local, remote)) = parsed else {
            return Err(GitError::PrePushLine {
                line: number + 1,
                text: line.to_string(),
            });
        };
        refs.push(PushedRef { local, remote });
    }
    Ok(refs)
}

/// `Some(None)` for the all-zero id, `Some(Some(id))` for another id, `None` if not hex.
pub(super) fn non_null_id(hex: &str) -> Option<Option<ObjectId>> {
    let id = ObjectId::from_hex(hex.as_bytes()).ok()?;
    Some((!id.is_null()).then_some(id))
}

/// The commits a push sends: for each ref, those reachable from the local commit but not
/// from what the remote has; for a new remote ref, those not reachable from any
/// remote-tracking branch. Oldest first, each once.
pub fn pushed_commits(
    repository: &Repository,
    refs: &[PushedRef],
) -> Result<Vec<ObjectId>, GitError> {
    let repo = repository.gix();
    let mut commits = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut remote_tips: Option<Vec<ObjectId>> = None;
    for pushed in refs {
        let Some(local) = pushed.local else { continue };
        let hidden = match pushed.remote.filter(|remote| repo.has_object(remote)) {
            Some(remote) => vec![remote],
            None => match &remote_tips {
                Some(tips) => tips.clone(),
                None => remote_tips
                    .insert(commit_tips(repo, RefSet::RemoteTracking)?)
                    .clone(),
            },
        };
        let walk = repo
            .rev_walk([local])
            .with_hidden(hidden)
            .all()
            .git_context(|| format!("listing the commits of {local}"))?;
        let mut these = Vec::new();
        for info in walk {
            let info = info.git_context(|| format!("listing the commits of {local}"))?;
            if seen.insert(info.id) {
                these.push(info.id);
            }
        }
        these.reverse();
        commits.extend(these);
    }
    Ok(commits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pre_push_lines_parse_with_zero_ids_as_none() {
        let zeros = "0".repeat(40);
        let local = "1".repeat(40);
        let text = format!(
            "refs/heads/main {local} refs/heads/main {zeros}\n\nrefs/heads/x {zeros} refs/heads/x {local}\n"
        );
        let refs = parse_pre_push(&text).unwrap();
        let id = ObjectId::from_hex(local.as_bytes()).unwrap();
        assert_eq!(
            refs,
            [
                PushedRef {
                    local: Some(id),
                    remote: None
                },
                PushedRef {
                    local: None,
                    remote: Some(id)
                }
            ]
        );
    }

    #[test]
    fn malformed_pre_push_line_names_its_number() {
        let error = parse_pre_push("refs/heads/main abc\n").unwrap_err();
        assert!(error.to_string().starts_with("pre-push input line 1:"));
    }
}
