//! Where a history scan starts: the refs and HEAD, peeled to commits of the object table,
//! and the revisions the user names. Refs that cannot be read, that dangle, or that name
//! objects the database lacks are gathered into [`Unread`] instead of being dropped.

use gix::ObjectId;
use gix::objs::Kind;

use super::history::CommitRange;
use super::objects::{ObjectDatabase, read_object};
use super::repository::{GitContext, GitError};
use super::unread::Unread;

pub struct Tips {
    pub include: Vec<u32>,
    pub exclude: Vec<u32>,
}

/// Every ref (and a detached HEAD) that peels to a commit, with that commit.
pub struct RefTips {
    pub tips: Vec<(String, u32)>,
    /// The branch an unborn HEAD names (a repository without commits on it yet).
    pub unborn_head: Option<String>,
}

/// The commit a revision names, as an index into the commit table.
fn resolve_commit(
    repo: &gix::Repository,
    database: &ObjectDatabase,
    spec: &str,
) -> Result<u32, GitError> {
    let bad = || GitError::BadRevision {
        spec: spec.to_string(),
        path: repo.git_dir().display().to_string(),
    };
    let id = repo.rev_parse_single(spec).map_err(|_| bad())?;
    let commit = id
        .object()
        .ok()
        .and_then(|object| object.peel_to_commit().ok())
        .ok_or_else(bad)?;
    database
        .lookup(&commit.id)
        .filter(|slot| slot.kind == Kind::Commit)
        .map(|slot| slot.index)
        .ok_or_else(bad)
}

pub fn resolve_range(
    repo: &gix::Repository,
    database: &ObjectDatabase,
    refs: &RefTips,
    range: &CommitRange,
) -> Result<Tips, GitError> {
    let all = || refs.tips.iter().map(|(_, commit)| *commit).collect();
    Ok(match range {
        CommitRange::AllRefs => Tips {
            include: all(),
            exclude: Vec::new(),
        },
        CommitRange::Branch(name) => Tips {
            include: vec![resolve_commit(repo, database, name)?],
            exclude: Vec::new(),
        },
        CommitRange::Range { exclude, tip } => Tips {
            include: vec![resolve_commit(repo, database, tip)?],
            exclude: vec![resolve_commit(repo, database, exclude)?],
        },
        CommitRange::SinceCommit(since) => Tips {
            include: all(),
            exclude: vec![resolve_commit(repo, database, since)?],
        },
    })
}

/// What an object id peels to.
enum Peeled {
    Commit(u32),
    /// A tree or blob (a tag can point at one): nothing to walk.
    Other,
    Missing(ObjectId),
}

/// Follows annotated tags to the first object that is not a tag.
fn peel(repo: &gix::Repository, database: &ObjectDatabase, mut id: ObjectId) -> Peeled {
    let mut buffer = Vec::new();
    // Tags of tags are legal; a cycle is not possible with hashes, but damage is.
    for _ in 0..64 {
        match database.lookup(&id) {
            None => return Peeled::Missing(id),
            Some(slot) if slot.kind == Kind::Commit => return Peeled::Commit(slot.index),
            Some(slot) if slot.kind == Kind::Tag => {
                let target = match read_object(repo, &id, &mut buffer) {
                    Ok(Some(Kind::Tag)) => tag_target(&buffer),
                    _ => None,
                };
                match target {
                    Some(target) => id = target,
                    None => return Peeled::Missing(id),
                }
            }
            Some(_) => return Peeled::Other,
        }
    }
    Peeled::Missing(id)
}

/// The `object` line of a tag.
fn tag_target(tag: &[u8]) -> Option<ObjectId> {
    let line = tag.split(|&byte| byte == b'\n').next()?;
    ObjectId::from_hex(line.strip_prefix(b"object ")?).ok()
}

/// Every ref (and a detached HEAD) that peels to a commit. Refs that do not are noted in
/// `unread`, unless they point at a tree or blob.
pub fn ref_tips(repo: &gix::Repository, database: &ObjectDatabase, unread: &mut Unread) -> RefTips {
    let mut refs = RefTips {
        tips: Vec::new(),
        unborn_head: None,
    };
    let mut add = |name: String, id: ObjectId, unread: &mut Unread| match peel(repo, database, id) {
        Peeled::Commit(commit) => refs.tips.push((name, commit)),
        Peeled::Other => {}
        Peeled::Missing(id) => unread.refs.push((name, id)),
    };
    match repo.head() {
        Ok(head) => match head.kind {
            gix::head::Kind::Detached { target, .. } => add("HEAD".to_string(), target, unread),
            gix::head::Kind::Unborn(name) => {
                let name = name.as_bstr().to_string();
                refs.unborn_head = Some(name.strip_prefix("refs/heads/").unwrap_or(&name).into());
            }
            // The branch HEAD names is listed with the other refs.
            gix::head::Kind::Symbolic(_) => {}
        },
        Err(error) => unread
            .broken_refs
            .push(("HEAD".to_string(), one_line(&error))),
    }
    let platform = match repo.references() {
        Ok(platform) => platform,
        Err(error) => {
            unread
                .broken_refs
                .push(("refs".to_string(), one_line(&error)));
            return refs;
        }
    };
    let all = match platform.all() {
        Ok(all) => all,
        Err(error) => {
            unread
                .broken_refs
                .push(("refs".to_string(), one_line(&error)));
            return refs;
        }
    };
    for reference in all {
        let mut reference = match reference {
            Ok(reference) => reference,
            Err(error) => {
                unread.broken_refs.push(unreadable_ref(&one_line(&error)));
                continue;
            }
        };
        let name = reference.name().as_bstr().to_string();
        match reference.follow_to_object() {
            Ok(id) => add(name, id.detach(), unread),
            Err(_) if matches!(reference.target(), gix::refs::TargetRef::Symbolic(_)) => {
                unread.dangling_refs.push(name)
            }
            Err(error) => unread.broken_refs.push((name, one_line(&error))),
        }
    }
    refs
}

/// Which refs [`commit_tips`] lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefSet {
    /// Branches, tags, remote-tracking branches, notes, stash (not HEAD).
    All,
    /// `refs/remotes/*`: what the remotes are known to have.
    RemoteTracking,
}

/// The commit each ref of `which` peels to, once per ref; refs that do not peel to a
/// commit are left out (the careful reader for audits is [`ref_tips`]).
pub fn commit_tips(repo: &gix::Repository, which: RefSet) -> Result<Vec<ObjectId>, GitError> {
    let context = || "listing refs".to_string();
    let platform = repo.references().git_context(context)?;
    let references = match which {
        RefSet::All => platform.all().git_context(context)?,
        RefSet::RemoteTracking => platform.remote_branches().git_context(context)?,
    };
    Ok(references
        .flatten()
        .filter_map(|mut reference| {
            let id = reference.peel_to_id().ok()?;
            Some(id.object().ok()?.peel_to_commit().ok()?.id)
        })
        .collect())
}

/// A ref file that does not parse: its name (gix quotes it) and a short reason, without
/// the file's content.
fn unreadable_ref(message: &str) -> (String, String) {
    let name = message
        .split_once("reference at \"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(name, _)| name.to_string());
    match name {
        Some(name) => (name, "not an object id or a `ref:` line".to_string()),
        None => ("refs".to_string(), message.to_string()),
    }
}

fn one_line(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    crate::source::git::objects::one_line(&message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_target_is_the_object_line() {
        let tag = b"object 1111111111111111111111111111111111111111\ntype commit\ntag v1\n";
        assert_eq!(
            tag_target(tag).unwrap().to_string(),
            "1111111111111111111111111111111111111111"
        );
        assert!(tag_target(b"garbage").is_none());
    }
}
