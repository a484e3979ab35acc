//! What the refs and HEAD of a repository say about commits a report names, for the
//! scrub plan: whether the refs reach a commit, which of two commits descends from the
//! other, how many refs reach some commits, and what HEAD's tree holds at a path.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use gix::ObjectId;

use super::refs::{RefSet, commit_tips};
use super::repository::Repository;

/// HEAD's commit and tree, and every commit the refs reach with its children.
pub struct HeadView {
    repo: gix::Repository,
    /// The commit HEAD points at (hex).
    pub commit: String,
    tree: ObjectId,
    ref_tips: Vec<ObjectId>,
    children: HashMap<ObjectId, Vec<ObjectId>>,
}

impl HeadView {
    /// `None` when there is no repository at `repo_path` or HEAD has no commit.
    pub fn open(repo_path: &Path) -> Option<HeadView> {
        let repo = Repository::discover(repo_path).ok()?.into_gix();
        let (commit, tree) = {
            let commit = repo.head_commit().ok()?;
            (commit.id.to_string(), commit.tree_id().ok()?.detach())
        };
        let ref_tips = commit_tips(&repo, RefSet::All).unwrap_or_default();
        let mut children: HashMap<ObjectId, Vec<ObjectId>> = HashMap::new();
        if let Ok(walk) = repo.rev_walk(ref_tips.iter().copied()).all() {
            for info in walk.flatten() {
                children.entry(info.id).or_default();
                for parent in info.parent_ids.iter() {
                    children.entry(*parent).or_default().push(info.id);
                }
            }
        }
        Some(HeadView {
            repo,
            commit,
            tree,
            ref_tips,
            children,
        })
    }

    /// Whether the refs reach commit `id` (hex).
    pub fn knows(&self, id: &str) -> bool {
        ObjectId::from_hex(id.as_bytes()).is_ok_and(|id| self.children.contains_key(&id))
    }

    /// Whether commit `descendant` descends from `ancestor`
    /// (both hex ids; a commit does not descend from itself).
    pub fn reaches(&self, ancestor: &str, descendant: &str) -> bool {
        let (Ok(ancestor), Ok(descendant)) = (
            ObjectId::from_hex(ancestor.as_bytes()),
            ObjectId::from_hex(descendant.as_bytes()),
        ) else {
            return false;
        };
        if ancestor == descendant {
            return false;
        }
        let mut seen = HashSet::from([ancestor]);
        let mut stack = vec![ancestor];
        while let Some(commit) = stack.pop() {
            for child in self.children.get(&commit).into_iter().flatten() {
                if *child == descendant {
                    return true;
                }
                if seen.insert(*child) {
                    stack.push(*child);
                }
            }
        }
        false
    }

    /// How many refs reach one of `commits` (hex ids).
    pub fn refs_reaching(&self, commits: &BTreeSet<String>) -> usize {
        let mut seen: HashSet<ObjectId> = commits
            .iter()
            .filter_map(|id| ObjectId::from_hex(id.as_bytes()).ok())
            .collect();
        let mut stack: Vec<ObjectId> = seen.iter().copied().collect();
        while let Some(commit) = stack.pop() {
            for child in self.children.get(&commit).into_iter().flatten() {
                if seen.insert(*child) {
                    stack.push(*child);
                }
            }
        }
        self.ref_tips
            .iter()
            .filter(|tip| seen.contains(*tip))
            .count()
    }

    /// Whether HEAD's tree has an entry at `path`, and, with `needle`, whether that
    /// entry's content holds it.
    pub fn holds(&self, path: &str, needle: Option<&[u8]>) -> bool {
        let Ok(tree) = self.repo.find_tree(self.tree) else {
            return false;
        };
        let Ok(Some(entry)) = tree.lookup_entry_by_path(path) else {
            return false;
        };
        match needle {
            None => true,
            Some(needle) => entry.object().is_ok_and(|blob| {
                !needle.is_empty() && memchr::memmem::find(&blob.data, needle).is_some()
            }),
        }
    }
}
