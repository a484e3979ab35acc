//! What a commit (or the index, for the next commit) changes: the files it adds or
//! modifies, with the versions its parents hold at those paths, and the files it removes
//! (possible rename sources).
//!
//! The index is diffed against HEAD without a `git` subprocess; directories whose cached
//! tree in the index (the `TREE` extension) equals HEAD's are skipped unread, so a small
//! change in a large repository reads only the trees on the way to it.
//!
//! Knows nothing about rules or findings: it yields [`Change`]s and [`Note`]s about
//! entries it would not scan.

use std::collections::HashMap;

use gix::ObjectId;
use gix::bstr::{BStr, BString, ByteSlice, ByteVec};
use gix::index::entry::{Flags, Mode, Stage};
use gix::objs::tree::EntryKind;

use crate::source::Note;

use super::repository::{GitContext, GitError};

/// A file whose content a commit sets: added, modified, or added at a new path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub path: BString,
    pub id: ObjectId,
    /// The blobs the commit's parents hold at this path (HEAD, then any merge heads): a
    /// line in one of them is not new. Empty for a file new at this path, which may
    /// still be a rename of a [`ChangeSet::removed`] file.
    pub previous: Vec<ObjectId>,
}

/// A file a commit removes: a possible source of a rename.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub path: BString,
    pub id: ObjectId,
}

/// What one commit (or the index, for the next commit) changes.
#[derive(Debug, Default)]
pub struct ChangeSet {
    pub changes: Vec<Change>,
    pub removed: Vec<Removed>,
    pub notes: Vec<Note>,
}

/// A file in a tree: regular blobs only (symlinks and submodules carry no content to scan).
#[derive(Debug, Clone, Copy)]
struct TreeFile {
    id: ObjectId,
    is_blob: bool,
}

/// What the next commit changes: the index (as `GIT_INDEX_FILE` names it) against HEAD,
/// with the versions of any merge in progress (`MERGE_HEAD`) as further parents.
pub fn staged_changes(repo: &gix::Repository) -> Result<ChangeSet, GitError> {
    let mut set = ChangeSet::default();
    let index_path = repo.index_path();
    let unreadable = |reason: String| GitError::Index {
        path: index_path.display().to_string(),
        reason,
    };
    match std::fs::metadata(&index_path) {
        // A fresh repository before the first `git add`: nothing is staged.
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(set),
        Err(error) => return Err(unreadable(crate::source::files::io_message(&error))),
        // A directory or `/dev/null` says nothing about the commit: failing open would let
        // any secret through the hook.
        Ok(metadata) if !metadata.is_file() => {
            let what = crate::aux_file::describe_file_type(metadata.file_type());
            return Err(unreadable(format!("{what}, not an index file")));
        }
        Ok(_) => {}
    }
    let index = repo.open_index().map_err(|error| {
        let chain = format!("{error:#}");
        if chain.contains("checksum mismatch") {
            // gix calls every index checksum a shared index's.
            unreadable("its checksum does not match its content (the file is damaged)".into())
        } else {
            unreadable(crate::source::git::objects::one_line(&chain))
        }
    })?;
    let head_tree = head_tree_id(repo)?;

    let mut head_files = HashMap::new();
    let mut unchanged_dirs = Vec::new();
    if let Some(tree) = head_tree {
        collect_head_files(
            repo,
            tree,
            &mut BString::default(),
            index.tree(),
            &mut head_files,
            &mut unchanged_dirs,
        )?;
    }
    let entries = index.entries();
    let mut skip = vec![false; entries.len()];
    for dir in &unchanged_dirs {
        if dir.is_empty() {
            // The whole index writes HEAD's tree: the commit adds nothing.
            return Ok(set);
        }
        if let Some(range) = index.prefixed_entries_range(dir.as_bstr()) {
            skip[range].fill(true);
        }
    }

    let merge_trees = merge_head_trees(repo, &mut set.notes);
    let mut last_unmerged: Option<&BStr> = None;
    for (entry, _) in entries.iter().zip(skip).filter(|(_, skipped)| !skipped) {
        let path = entry.path(&index);
        let in_head = head_files.remove(path);
        if entry.stage() != Stage::Unconflicted {
            if last_unmerged != Some(path) {
                set.notes.push(Note::warning(
                    path.to_str_lossy(),
                    "unmerged (conflicted) path, not scanned; resolve the conflict and stage the file",
                ));
                last_unmerged = Some(path);
            }
            continue;
        }
        if entry.flags.contains(Flags::INTENT_TO_ADD) {
            set.notes.push(Note::info(
                path.to_str_lossy(),
                "intent-to-add entry has no staged content, not scanned",
            ));
            continue;
        }
        if !(entry.mode == Mode::FILE || entry.mode == Mode::FILE_EXECUTABLE) {
            // Submodules, symlinks and sparse directories carry no content to scan.
            continue;
        }
        let mut previous: Vec<ObjectId> = in_head
            .filter(|file| file.is_blob)
            .map(|file| file.id)
            .into_iter()
            .collect();
        for tree in &merge_trees {
            if let Some(file) = lookup_file(repo, *tree, path)?.filter(|file| file.is_blob) {
                previous.push(file.id);
            }
        }
        if previous.contains(&entry.id) {
            continue;
        }
        set.changes.push(Change {
            path: path.to_owned(),
            id: entry.id,
            previous,
        });
    }
    set.removed = head_files
        .into_iter()
        .filter(|(_, file)| file.is_blob)
        .map(|(path, file)| Removed { path, id: file.id })
        .collect();
    set.removed.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(set)
}

/// HEAD's tree, or `None` before the first commit (an unborn HEAD).
fn head_tree_id(repo: &gix::Repository) -> Result<Option<ObjectId>, GitError> {
    let mut head = repo.head().git_context(|| "reading HEAD".to_string())?;
    if head.is_unborn() {
        return Ok(None);
    }
    let commit = head
        .peel_to_commit()
        .git_context(|| "reading the commit HEAD points to".to_string())?;
    let tree = commit
        .tree_id()
        .git_context(|| format!("reading the tree of commit {}", commit.id))?;
    Ok(Some(tree.detach()))
}

/// The trees of the commits in `MERGE_HEAD` (a merge in progress), if any.
fn merge_head_trees(repo: &gix::Repository, notes: &mut Vec<Note>) -> Vec<ObjectId> {
    let merge_head = repo.git_dir().join("MERGE_HEAD");
    let Ok(text) = crate::aux_file::read_to_string(&merge_head, crate::aux_file::SMALL_FILE_LIMIT)
    else {
        return Vec::new();
    };
    let mut trees = Vec::new();
    for line in text.lines().map(str::trim).filter(|line| !line.is_empty()) {
        let tree = ObjectId::from_hex(line.as_bytes())
            .ok()
            .and_then(|id| repo.find_commit(id).ok())
            .and_then(|commit| commit.tree_id().ok());
        match tree {
            Some(tree) => trees.push(tree.detach()),
            None => notes.push(Note::warning(
                "MERGE_HEAD",
                format!(
                    "`{line}` is not a commit; lines from that side of the merge count as added"
                ),
            )),
        }
    }
    trees
}

/// Walks HEAD's tree into `files` (path → blob), except directories whose cached tree in
/// the index is valid and equal to HEAD's: those are pushed to `unchanged_dirs` (as
/// `dir/`, or empty for the root) and not read.
fn collect_head_files(
    repo: &gix::Repository,
    tree: ObjectId,
    prefix: &mut BString,
    cached: Option<&gix::index::extension::Tree>,
    files: &mut HashMap<BString, TreeFile>,
    unchanged_dirs: &mut Vec<BString>,
) -> Result<(), GitError> {
    if let Some(cached) = cached
        && cached.num_entries.is_some()
        && cached.id == tree
    {
        unchanged_dirs.push(prefix.clone());
        return Ok(());
    }
    for entry in tree_entries(repo, tree, prefix.as_bstr())? {
        let len = prefix.len();
        prefix.push_str(&entry.name);
        if entry.kind == EntryKind::Tree {
            prefix.push_byte(b'/');
            let child = cached.and_then(|cached| {
                cached
                    .children
                    .iter()
                    .find(|child| child.name.as_slice() == entry.name.as_slice())
            });
            collect_head_files(repo, entry.id, prefix, child, files, unchanged_dirs)?;
        } else {
            files.insert(prefix.clone(), tree_file(&entry));
        }
        prefix.truncate(len);
    }
    Ok(())
}

struct OwnedEntry {
    name: BString,
    kind: EntryKind,
    id: ObjectId,
}

fn tree_file(entry: &OwnedEntry) -> TreeFile {
    TreeFile {
        id: entry.id,
        is_blob: matches!(entry.kind, EntryKind::Blob | EntryKind::BlobExecutable),
    }
}

fn tree_entries(
    repo: &gix::Repository,
    tree: ObjectId,
    path: &BStr,
) -> Result<Vec<OwnedEntry>, GitError> {
    let context = || format!("reading tree {tree} ({})", display_dir(path));
    let object = repo.find_tree(tree).git_context(context)?;
    let decoded = object.decode().git_context(context)?;
    Ok(decoded
        .entries
        .iter()
        .map(|entry| OwnedEntry {
            name: entry.filename.to_owned(),
            kind: entry.mode.kind(),
            id: entry.oid.to_owned(),
        })
        .collect())
}

fn display_dir(path: &BStr) -> String {
    if path.is_empty() {
        "the root".to_string()
    } else {
        path.to_str_lossy().into_owned()
    }
}

/// The file at `path` (`a/b/c`) in `tree`, if there is one.
fn lookup_file(
    repo: &gix::Repository,
    tree: ObjectId,
    path: &BStr,
) -> Result<Option<TreeFile>, GitError> {
    let mut current = tree;
    let mut components = path.split_str("/").peekable();
    while let Some(name) = components.next() {
        let entries = tree_entries(repo, current, BStr::new(""))?;
        let Some(entry) = entries.iter().find(|entry| entry.name == name) else {
            return Ok(None);
        };
        match (components.peek().is_some(), entry.kind) {
            (true, EntryKind::Tree) => current = entry.id,
            (true, _) | (false, EntryKind::Tree) => return Ok(None),
            (false, _) => return Ok(Some(tree_file(entry))),
        }
    }
    Ok(None)
}

/// What commit `id` changes compared with its parents (all of them, for a merge).
pub fn commit_changes(repo: &gix::Repository, id: ObjectId) -> Result<ChangeSet, GitError> {
    let commit = repo
        .find_commit(id)
        .git_context(|| format!("reading commit {id}"))?;
    let tree = commit
        .tree_id()
        .git_context(|| format!("reading the tree of commit {id}"))?
        .detach();
    let mut parent_trees = Vec::new();
    for parent in commit.parent_ids() {
        let parent = parent.detach();
        let parent_tree = repo
            .find_commit(parent)
            .and_then(|parent| parent.tree_id())
            .git_context(|| format!("reading parent {parent} of commit {id}"))?;
        parent_trees.push(parent_tree.detach());
    }
    let mut set = ChangeSet::default();
    let mut raw = Vec::new();
    diff_trees(
        repo,
        parent_trees.first().copied(),
        Some(tree),
        &mut BString::default(),
        &mut raw,
        &mut set.removed,
    )?;
    for (path, id, in_first) in raw {
        let mut previous: Vec<ObjectId> = in_first.into_iter().collect();
        for parent_tree in parent_trees.iter().skip(1) {
            if let Some(file) =
                lookup_file(repo, *parent_tree, path.as_bstr())?.filter(|file| file.is_blob)
            {
                previous.push(file.id);
            }
        }
        if !previous.contains(&id) {
            set.changes.push(Change { path, id, previous });
        }
    }
    Ok(set)
}

/// Appends to `changes` each blob of `new` that differs from `old` (path, new blob, old
/// blob at that path), and to `removed` each blob of `old` that `new` lacks. Subtrees
/// with equal ids are skipped.
fn diff_trees(
    repo: &gix::Repository,
    old: Option<ObjectId>,
    new: Option<ObjectId>,
    prefix: &mut BString,
    changes: &mut Vec<(BString, ObjectId, Option<ObjectId>)>,
    removed: &mut Vec<Removed>,
) -> Result<(), GitError> {
    if old == new {
        return Ok(());
    }
    let old_entries = match old {
        Some(tree) => tree_entries(repo, tree, prefix.as_bstr())?,
        None => Vec::new(),
    };
    let new_entries = match new {
        Some(tree) => tree_entries(repo, tree, prefix.as_bstr())?,
        None => Vec::new(),
    };
    let mut old_by_name: HashMap<&BStr, &OwnedEntry> = old_entries
        .iter()
        .map(|entry| (entry.name.as_bstr(), entry))
        .collect();
    for entry in &new_entries {
        let before = old_by_name.remove(entry.name.as_bstr());
        let len = prefix.len();
        prefix.push_str(&entry.name);
        let old_tree = before
            .filter(|before| before.kind == EntryKind::Tree)
            .map(|before| before.id);
        let old_blob = before
            .map(tree_file)
            .filter(|file| file.is_blob)
            .map(|file| file.id);
        if entry.kind == EntryKind::Tree {
            if let Some(blob) = old_blob {
                removed.push(Removed {
                    path: prefix.clone(),
                    id: blob,
                });
            }
            prefix.push_byte(b'/');
            diff_trees(repo, old_tree, Some(entry.id), prefix, changes, removed)?;
        } else {
            if let Some(old_tree) = old_tree {
                prefix.push_byte(b'/');
                diff_trees(repo, Some(old_tree), None, prefix, changes, removed)?;
                prefix.truncate(len + entry.name.len());
            }
            if tree_file(entry).is_blob && old_blob != Some(entry.id) {
                changes.push((prefix.clone(), entry.id, old_blob));
            }
        }
        prefix.truncate(len);
    }
    for entry in old_entries
        .iter()
        .filter(|entry| old_by_name.contains_key(entry.name.as_bstr()))
    {
        let len = prefix.len();
        prefix.push_str(&entry.name);
        if entry.kind == EntryKind::Tree {
            prefix.push_byte(b'/');
            diff_trees(repo, Some(entry.id), None, prefix, changes, removed)?;
        } else if tree_file(entry).is_blob {
            removed.push(Removed {
                path: prefix.clone(),
                id: entry.id,
            });
        }
        prefix.truncate(len);
    }
    Ok(())
}
