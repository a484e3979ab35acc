//! A repository's history as a source: the object database indexed, the refs and the
//! revisions the user names resolved, the commit graph and the paths of every reachable
//! blob learned ([`History::open`]), then each reachable blob handed out once with every
//! path it is found at ([`History::feed`]). Attribution reads the graph afterwards
//! through [`History`]'s fields and the lookups below.
//!
//! Knows nothing about rules or findings: it yields bytes, paths and [`Note`]s.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use gix::ObjectId;
use gix::objs::Kind;

use crate::source::archive::{ArchiveLimits, feed_members, is_archive};
use crate::source::{Note, Place, Sink, SkipReason, Source, looks_binary};

use super::commit::{self, CommitMeta};
use super::graph::{self, Link, Names, Paths, Selection, Skeleton};
use super::objects::{ObjectDatabase, Pass, read_object};
use super::refs;
use super::repository::{GitError, Repository};
use super::tree_paths::{self, BlobPaths, TreePaths};
use super::unread::Unread;

/// Which commits to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommitRange {
    /// Everything reachable from every ref (branches, tags, remotes, stash) and HEAD.
    AllRefs,
    /// What one branch (or any revision) reaches.
    Branch(String),
    /// `A..B`: what B reaches and A does not.
    Range { exclude: String, tip: String },
    /// What the refs reach that this revision does not.
    SinceCommit(String),
}

/// Progress of a history scan, for a display the caller owns.
pub trait HistoryProgress: Sync {
    /// A phase starts; `total` objects are expected in it (0: unknown).
    fn phase(&self, name: &'static str, total: u64);
    /// One more object of the phase was processed, `bytes` of blob content scanned.
    fn advance(&self, bytes: u64);
    fn finish(&self);
}

/// Shows nothing.
pub struct NoProgress;

impl HistoryProgress for NoProgress {
    fn phase(&self, _name: &'static str, _total: u64) {}
    fn advance(&self, _bytes: u64) {}
    fn finish(&self) {}
}

/// Everything a history scan learns before it reads blobs, and what attribution needs.
pub struct History {
    repo: gix::ThreadSafeRepository,
    pub database: ObjectDatabase,
    pub skeleton: Skeleton,
    pub selection: Selection,
    pub tree_paths: TreePaths,
    pub names: Names,
    pub paths: Paths,
    pub blob_paths: BlobPaths,
    rendered: RenderedPaths,
    /// Every ref (and a detached HEAD) with the commit it peels to.
    pub refs: Vec<(String, u32)>,
    /// What could not be read so far, as notes (shown without `-v`).
    pub notes: Vec<Note>,
    /// Objects the history names could not be read: the scan is incomplete.
    pub incomplete: bool,
    /// How many commits were selected.
    pub commits_selected: u64,
    /// The commit HEAD points at, when it is among the selected commits.
    pub head: Option<String>,
    /// The URL of the default remote (usually `origin`), as configured.
    pub remote_url: Option<String>,
    /// Set when the blob pass could not read part of the object database.
    pub blobs_incomplete: AtomicBool,
    max_file_size: u64,
    threads: usize,
    /// How archives among the blobs are opened; `max_depth` 0: not at all.
    archives: ArchiveLimits,
}

impl History {
    /// Opens the repository at (or above) `repo_path` and learns its history up to the
    /// blobs: phases "indexing objects", "reading commits and trees" and "reading trees".
    pub fn open(
        repo_path: &Path,
        range: &CommitRange,
        max_file_size: u64,
        threads: usize,
        progress: &dyn HistoryProgress,
    ) -> Result<History, GitError> {
        let repository = Repository::discover(repo_path)?;
        let place = repository.place();
        let repo = repository.into_gix();
        let mut notes = Vec::new();
        if repo.is_shallow().unwrap_or(false) {
            notes.push(Note::warning(
                &place,
                "shallow clone: only the commits it holds were scanned; run `git fetch --unshallow` for the whole history",
            ));
        }

        progress.phase("indexing objects", 0);
        let database = ObjectDatabase::open(&repo);
        notes.extend(database.notes.iter().cloned());
        let mut incomplete = database.damaged;

        let mut unread = Unread::default();
        let found_refs = refs::ref_tips(&repo, &database, &mut unread);
        let tips = refs::resolve_range(&repo, &database, &found_refs, range)?;
        if !matches!(range, CommitRange::AllRefs | CommitRange::SinceCommit(_)) {
            // Only the named revisions are scanned: other refs do not matter.
            unread.refs.clear();
            unread.broken_refs.clear();
            unread.dangling_refs.clear();
        }
        if found_refs.tips.is_empty()
            && let Some(branch) = &found_refs.unborn_head
        {
            notes.push(Note::warning(
                &place,
                format!("no commits: HEAD names branch `{branch}`, which has no commits yet, and no other ref has any; nothing to scan (`leakhound scan .` scans the files)"),
            ));
        }
        let refs = found_refs.tips;
        let threads = threads.max(1);
        let tick = || progress.advance(0);

        let objects = (database.count(Kind::Commit) + database.count(Kind::Tree)) as u64;
        progress.phase("reading commits and trees", objects);
        let (mut skeleton, pass_notes) = graph::learn_skeleton(&database, threads, &tick);
        incomplete |= !pass_notes.is_empty();
        notes.extend(pass_notes);
        let selection = graph::select_commits(&skeleton.commits, &tips.include, &tips.exclude);
        let commits_selected = selection
            .selected
            .iter()
            .filter(|&&selected| selected)
            .count() as u64;
        // A detached HEAD is a tip of its own; otherwise HEAD is the branch it names.
        let head_branch = repo
            .head_name()
            .ok()
            .flatten()
            .map(|name| name.as_bstr().to_string());
        let head = refs
            .iter()
            .find(|(name, commit)| {
                (name == "HEAD" || head_branch.as_deref() == Some(name.as_str()))
                    && selection.selected[*commit as usize]
            })
            .map(|(_, commit)| database.id(Kind::Commit, *commit).to_string());
        let remote_url = default_remote_url(&repo);
        let mut paths = Paths::default();
        let mut names = std::mem::take(&mut skeleton.names);
        let tree_paths = tree_paths::tree_paths(&skeleton, &selection, &mut paths);
        gather_unread_links(
            &repo,
            &database,
            &skeleton,
            &selection,
            &tree_paths,
            &mut unread,
        );
        let mut submodules = BTreeSet::new();
        for &(tree, name) in &skeleton.submodules {
            if let Some(dir) = tree_paths.of(tree).next() {
                let path = paths.child(dir, name);
                submodules.insert(paths.render(path, &names));
            }
        }
        for submodule in submodules {
            notes.push(Note::warning(
                submodule,
                "submodule, not followed; scan its repository separately",
            ));
        }

        progress.phase("reading trees", database.count(Kind::Tree) as u64);
        let (blob_paths, pass_notes) = tree_paths::learn_blob_paths(
            &database,
            &tree_paths,
            &mut names,
            &mut paths,
            threads,
            &tick,
        );
        incomplete |= !pass_notes.is_empty();
        notes.extend(pass_notes);
        unread.blobs = blob_paths
            .missing
            .iter()
            .map(|(id, path)| (*id, paths.render(*path, &names)))
            .collect();
        incomplete |= unread.makes_incomplete();
        notes.extend(unread.notes(&place, database.partial_clone));
        let rendered = RenderedPaths::new(&blob_paths, &paths, &names);
        Ok(History {
            repo: repo.into_sync(),
            database,
            skeleton,
            selection,
            tree_paths,
            names,
            paths,
            blob_paths,
            rendered,
            refs,
            notes,
            incomplete,
            commits_selected,
            head,
            remote_url,
            blobs_incomplete: AtomicBool::new(false),
            max_file_size,
            threads,
            archives: ArchiveLimits {
                max_depth: 0,
                ..ArchiveLimits::default()
            },
        })
    }

    /// Opens archive blobs (a committed jar, a zip of configs) with `limits`; a finding in
    /// one is named `path!member` at the blob's first path.
    pub fn with_archives(mut self, limits: ArchiveLimits) -> History {
        self.archives = limits;
        self
    }

    /// How many blobs the selected commits reach (the "scanning blobs" phase's total).
    pub fn reachable_blobs(&self) -> u64 {
        (0..self.database.count(Kind::Blob) as u32)
            .filter(|&blob| !self.blob_paths.paths.get(blob).is_empty())
            .count() as u64
    }

    /// The paths (ids) a blob is found at, in the order [`History::feed`] names them.
    pub fn blob_paths(&self, blob: u32) -> &[u32] {
        self.blob_paths.paths.get(blob)
    }

    /// A path id as text (`src/app.py`).
    pub fn path(&self, path: u32) -> &str {
        self.rendered.get(path)
    }

    /// The id (hex) of blob or commit number `index`.
    pub fn blob_id(&self, index: u32) -> ObjectId {
        self.database.id(Kind::Blob, index)
    }

    pub fn commit_id(&self, index: u32) -> ObjectId {
        self.database.id(Kind::Commit, index)
    }

    /// Author, date and summary of commit number `index`.
    pub fn commit_meta(&self, index: u32) -> Option<CommitMeta> {
        let id = self.commit_id(index);
        let mut buffer = Vec::new();
        read_object(&self.repo.to_thread_local(), &id, &mut buffer).ok()??;
        Some(commit::parse(id, &buffer))
    }

    /// The trees (as blob lookups) of the commits just outside a limited selection
    /// (`--range`, `--since-commit`): what they already hold was not introduced by it.
    pub fn boundary(&self) -> Boundary {
        let mut outside: Vec<u32> = self
            .skeleton
            .commits
            .iter()
            .enumerate()
            .filter(|(index, _)| self.selection.selected[*index])
            .flat_map(|(_, record)| record.parents.iter().copied())
            .filter(|&parent| !self.selection.selected[parent as usize])
            .collect();
        outside.sort_unstable();
        outside.dedup();
        let repo = self.repo.to_thread_local();
        let trees = outside
            .into_iter()
            .filter_map(|commit| {
                let commit = repo.find_commit(self.commit_id(commit)).ok()?;
                Some(commit.tree_id().ok()?.detach())
            })
            .collect();
        Boundary { repo, trees }
    }

    /// Pass 4 for attribution: the trees at one of `dirs` holding one of `blobs`.
    pub fn trees_holding(&mut self, blobs: &[u32], dirs: &HashSet<u32>) -> Vec<(u32, u32, u32)> {
        let targets: HashMap<[u8; 20], u32> = blobs
            .iter()
            .map(|&blob| {
                let id = self.blob_id(blob);
                let raw: [u8; 20] = id.as_bytes().try_into().expect("sha1 ids are 20 bytes");
                (raw, blob)
            })
            .collect();
        let (holding, _notes) = tree_paths::trees_holding(
            &self.database,
            &self.tree_paths,
            &targets,
            dirs,
            &mut self.names,
            self.threads,
        );
        holding
    }
}

/// Trees to ask whether a blob was already at a path before the selected commits.
pub struct Boundary {
    repo: gix::Repository,
    trees: Vec<ObjectId>,
}

impl Boundary {
    pub fn is_empty(&self) -> bool {
        self.trees.is_empty()
    }

    pub fn holds(&self, path: &str, blob: ObjectId) -> bool {
        self.trees.iter().any(|&tree| {
            let Ok(tree) = self.repo.find_tree(tree) else {
                return false;
            };
            tree.lookup_entry_by_path(path)
                .ok()
                .flatten()
                .is_some_and(|entry| entry.object_id() == blob)
        })
    }
}

impl Source for History {
    /// Every reachable blob once, in storage order on `threads` workers: its content
    /// (UTF-16 decoded) with every path it is found at, unit = blob index. Binary blobs and
    /// those over the size limit are skipped (one note for all binary ones).
    fn feed(&self, sink: &dyn Sink) -> Vec<Note> {
        let max_file_size = self.max_file_size;
        let database = &self.database;
        // Blobs no selected commit reaches are not inflated, nor those whose header
        // already says they are over the size limit.
        let known_too_large: Vec<(u32, u64)> = (0..database.count(Kind::Blob) as u32)
            .filter(|&blob| !self.blob_paths(blob).is_empty())
            .filter_map(|blob| {
                let size = database.blob_size(blob)?;
                (size > max_file_size).then_some((blob, size))
            })
            .collect();
        let wanted = |blob: u32| {
            !self.blob_paths(blob).is_empty()
                && database
                    .blob_size(blob)
                    .is_none_or(|size| size <= max_file_size)
        };
        let too_large_note = |blob: u32, size: u64| {
            Note::warning(
                self.path(self.blob_paths(blob)[0]),
                format!(
                    "blob {} is {size} bytes, over --max-file-size ({max_file_size} bytes); skipped",
                    database.id(Kind::Blob, blob)
                ),
            )
        };
        let (parts, mut notes) = graph::collect_where(
            database,
            Pass::Blobs,
            self.threads,
            &wanted,
            |binary: &mut BinaryCount, _kind, blob, data| {
                let blob_paths = self.blob_paths(blob);
                if blob_paths.is_empty() {
                    return;
                }
                sink.advance(data.len() as u64);
                if data.len() as u64 > max_file_size {
                    sink.skipped(
                        u64::from(blob),
                        Some(too_large_note(blob, data.len() as u64)),
                    );
                    return;
                }
                if is_archive(data, &self.archives) {
                    let first = self.path(blob_paths[0]);
                    feed_members(u64::from(blob), first, data, &self.archives, sink);
                    return;
                }
                if looks_binary(data) {
                    binary.0 += 1;
                    sink.skipped(u64::from(blob), None);
                    return;
                }
                let utf16 = crate::source::decode_utf16(data);
                let data = utf16.as_deref().unwrap_or(data);
                let places: Vec<Place<'_>> = blob_paths
                    .iter()
                    .map(|&path| Place::at(self.path(path)))
                    .collect();
                sink.content(u64::from(blob), data, &places);
            },
        );
        for &(blob, size) in &known_too_large {
            sink.advance(0);
            sink.skipped(u64::from(blob), Some(too_large_note(blob, size)));
        }
        if !notes.is_empty() {
            self.blobs_incomplete.store(true, Ordering::Relaxed);
        }
        let binary: u64 = parts.iter().map(|part| part.0).sum();
        if binary > 0 {
            notes.push(Note::skipped(
                "history",
                SkipReason::Binary,
                format!("{binary} binary blobs skipped"),
            ));
        }
        notes
    }
}

#[derive(Default)]
struct BinaryCount(u64);

/// The fetch URL of the default remote (`origin`, or the only one), if any.
fn default_remote_url(repo: &gix::Repository) -> Option<String> {
    let remote = repo
        .find_default_remote(gix::remote::Direction::Fetch)?
        .ok()?;
    let url = remote.url(gix::remote::Direction::Fetch)?;
    Some(url.to_bstring().to_string())
}

/// The objects that the selected commits and reachable trees name and the database lacks,
/// except the parents of a shallow clone's boundary commits, which are absent by design.
fn gather_unread_links(
    repo: &gix::Repository,
    database: &ObjectDatabase,
    skeleton: &Skeleton,
    selection: &Selection,
    tree_paths: &TreePaths,
    unread: &mut Unread,
) {
    let shallow: HashSet<ObjectId> = repo
        .shallow_commits()
        .ok()
        .flatten()
        .map(|commits| commits.iter().copied().collect())
        .unwrap_or_default();
    let commit_id = |index: u32| database.id(Kind::Commit, index);
    for missing in &skeleton.missing {
        match missing.link {
            Link::Parent
                if selection.selected[missing.from as usize]
                    && !shallow.contains(&commit_id(missing.from)) =>
            {
                unread.commits.push((missing.id, commit_id(missing.from)));
            }
            Link::RootTree if selection.selected[missing.from as usize] => {
                unread
                    .root_trees
                    .push((missing.id, commit_id(missing.from)));
            }
            Link::Subtree if tree_paths.of(missing.from).next().is_some() => {
                let parent = database.id(Kind::Tree, missing.from);
                unread.trees.push((missing.id, parent));
            }
            _ => {}
        }
    }
    for &commit in &skeleton.unreadable_commits {
        if selection.selected[commit as usize] {
            unread.unreadable_commits.push(commit_id(commit));
        }
    }
}

/// The paths of every reachable blob, as strings, built once.
struct RenderedPaths {
    strings: Vec<String>,
    index: HashMap<u32, u32>,
}

impl RenderedPaths {
    fn new(blob_paths: &BlobPaths, paths: &Paths, names: &Names) -> RenderedPaths {
        let mut rendered = RenderedPaths {
            strings: Vec::new(),
            index: HashMap::new(),
        };
        for &path in blob_paths.paths.values() {
            rendered.index.entry(path).or_insert_with(|| {
                rendered.strings.push(paths.render(path, names));
                (rendered.strings.len() - 1) as u32
            });
        }
        rendered
    }

    fn get(&self, path: u32) -> &str {
        &self.strings[self.index[&path] as usize]
    }
}
