//! The git side of pre-commit and pre-push scans: which files a commit adds or changes,
//! which earlier versions of them its parents hold, and the blobs themselves.
//!
//! The repository is opened the way git's environment says (`GIT_DIR`, `GIT_INDEX_FILE`,
//! `GIT_WORK_TREE`), because git runs a pre-commit hook with `GIT_INDEX_FILE` pointing at
//! `index.lock` (`git commit -a`) or at a temporary index (`git commit PATH`). The index is
//! diffed against HEAD without a `git` subprocess; directories whose cached tree in the
//! index (the `TREE` extension) equals HEAD's are skipped unread, so a small change in a
//! large repository reads only the trees on the way to it.
//!
//! Knows nothing about rules or findings' filtering: it yields [`Change`]s, the blobs
//! behind them, and [`Note`]s about entries it would not scan.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use gix::ObjectId;
use gix::bstr::{BStr, BString, ByteSlice, ByteVec};
use gix::index::entry::{Flags, Mode, Stage};
use gix::objs::tree::EntryKind;

use crate::finding::CommitInfo;

use super::{Note, looks_binary};

/// Why the git side of a scan could not be done.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("no git repository at {path} (or any parent)")]
    NotARepository {
        path: String,
        #[source]
        source: gix::Error,
    },
    #[error("{context}")]
    Git {
        context: String,
        #[source]
        source: gix::Error,
    },
    #[error("cannot resolve `{revision}` to a commit")]
    UnknownRevision {
        revision: String,
        #[source]
        source: gix::Error,
    },
    #[error(
        "pre-push input line {line}: expected `<local ref> <local sha> <remote ref> <remote sha>`, got `{text}`"
    )]
    PrePushLine { line: usize, text: String },
    /// The index cannot be read: the commit's content is unknown, which must not pass.
    #[error("cannot read the index {path}: {reason}")]
    Index { path: String, reason: String },
    #[error(
        "GIT_INDEX_FILE is set but empty; it must name an index file (unset it to use the repository's own)"
    )]
    EmptyIndexFile,
}

trait GitContext<T> {
    fn git_context(self, context: impl FnOnce() -> String) -> Result<T, GitError>;
}

impl<T, E: Into<gix::Error>> GitContext<T> for Result<T, E> {
    fn git_context(self, context: impl FnOnce() -> String) -> Result<T, GitError> {
        self.map_err(|source| GitError::Git {
            context: context(),
            source: source.into(),
        })
    }
}

/// Opens the repository containing `directory`, unless git's environment (`GIT_DIR`)
/// names another; honours `GIT_INDEX_FILE` and `GIT_WORK_TREE` as git does for hooks.
pub fn open_repository(directory: &Path) -> Result<gix::Repository, GitError> {
    if std::env::var_os("GIT_INDEX_FILE").is_some_and(|value| value.is_empty()) {
        return Err(GitError::EmptyIndexFile);
    }
    gix::discover_with_environment_overrides(directory).map_err(|source| GitError::NotARepository {
        path: std::env::var_os("GIT_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| directory.to_path_buf())
            .display()
            .to_string(),
        source,
    })
}

/// Where git looks for hooks: `core.hooksPath` if set (relative to the work tree),
/// else `hooks` in the common git directory (shared by linked work trees).
pub fn hooks_dir(repo: &gix::Repository) -> Result<PathBuf, GitError> {
    let configured = repo
        .config_snapshot()
        .trusted_path("core.hooksPath")
        .git_context(|| "reading core.hooksPath".to_string())?;
    Ok(match configured {
        Some(path) if path.is_absolute() => path,
        Some(path) => repo.workdir().unwrap_or(repo.git_dir()).join(path),
        None => repo.common_dir().join("hooks"),
    })
}

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
        Err(error) => return Err(unreadable(super::files::io_message(&error))),
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
fn non_null_id(hex: &str) -> Option<Option<ObjectId>> {
    let id = ObjectId::from_hex(hex.as_bytes()).ok()?;
    Some((!id.is_null()).then_some(id))
}

/// Resolves a revision the pre-commit framework passes (`PRE_COMMIT_FROM_REF`,
/// `PRE_COMMIT_TO_REF`, `PRE_COMMIT_LOCAL_BRANCH`): `None` for the all-zero id.
pub fn resolve_revision(
    repo: &gix::Repository,
    revision: &str,
) -> Result<Option<ObjectId>, GitError> {
    if let Some(id) = non_null_id(revision) {
        return Ok(id);
    }
    repo.rev_parse_single(revision)
        .map_err(|source| GitError::UnknownRevision {
            revision: revision.to_string(),
            source,
        })
        .map(|id| Some(id.detach()))
}

/// The commits a push sends: for each ref, those reachable from the local commit but not
/// from what the remote has; for a new remote ref, those not reachable from any
/// remote-tracking branch. Oldest first, each once.
pub fn pushed_commits(
    repo: &gix::Repository,
    refs: &[PushedRef],
) -> Result<Vec<ObjectId>, GitError> {
    let mut commits = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut remote_tips: Option<Vec<ObjectId>> = None;
    for pushed in refs {
        let Some(local) = pushed.local else { continue };
        let hidden = match pushed.remote.filter(|remote| repo.has_object(remote)) {
            Some(remote) => vec![remote],
            None => match &remote_tips {
                Some(tips) => tips.clone(),
                None => remote_tips.insert(remote_tracking_tips(repo)?).clone(),
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

fn remote_tracking_tips(repo: &gix::Repository) -> Result<Vec<ObjectId>, GitError> {
    let context = || "listing remote-tracking branches".to_string();
    let references = repo.references().git_context(context)?;
    let mut tips = Vec::new();
    for reference in references.remote_branches().git_context(context)? {
        let Ok(mut reference) = reference else {
            continue;
        };
        if let Ok(id) = reference.peel_to_id() {
            tips.push(id.detach());
        }
    }
    Ok(tips)
}

/// Author, date and summary of a commit, for findings in pushed commits.
pub fn commit_info(repo: &gix::Repository, id: ObjectId) -> Result<CommitInfo, GitError> {
    let context = || format!("reading commit {id}");
    let commit = repo.find_commit(id).git_context(context)?;
    let decoded = commit.decode().git_context(context)?;
    let author = decoded.author().git_context(context)?;
    let date = author
        .time()
        .ok()
        .and_then(|time| time.format(gix::date::time::format::ISO8601_STRICT).ok())
        .unwrap_or_default();
    Ok(CommitInfo {
        id: id.to_string(),
        author_name: author.name.to_str_lossy().into_owned(),
        author_email: author.email.to_str_lossy().into_owned(),
        date,
        summary: decoded.message_summary().to_str_lossy().into_owned(),
    })
}

/// A blob's content, or why it is not scanned.
#[derive(Debug, PartialEq, Eq)]
pub enum BlobContent {
    Text(Vec<u8>),
    Binary,
    TooLarge { size: u64 },
}

/// Reads a blob unless it is over `max_size` bytes or binary.
pub fn read_blob(
    repo: &gix::Repository,
    id: ObjectId,
    max_size: u64,
) -> Result<BlobContent, GitError> {
    let context = || format!("reading blob {id}");
    let size = repo.find_header(id).git_context(context)?.size();
    if size > max_size {
        return Ok(BlobContent::TooLarge { size });
    }
    let data = repo.find_blob(id).git_context(context)?.take_data();
    if looks_binary(&data) {
        return Ok(BlobContent::Binary);
    }
    Ok(BlobContent::Text(
        super::decode_utf16(&data).unwrap_or(data),
    ))
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
