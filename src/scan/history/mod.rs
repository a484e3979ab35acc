//! Full-history scans: every unique blob of a repository once, then attribution of the
//! findings to the commits that introduced them.
//!
//! The object database is decoded in storage order ([`crate::source::git::objects`]),
//! never commit by commit:
//! 1. commits and trees: the commit graph and the tree-to-subtree edges;
//! 2. the selected commits' root trees give every tree its directory paths, and a second
//!    decode of the trees gives every distinct (blob, path) pair;
//! 3. blobs: each reachable blob is scanned once per *path class* (see [`classes`]), in
//!    parallel;
//! 4. only if something was found: the trees holding those blobs, walked up through the
//!    subtree edges to the commits that carry each (blob, path) ([`attribute`]).
//!
//! Prints nothing; progress goes through [`HistoryProgress`].

mod attribute;
mod classes;
mod graph;
mod refs;
mod unread;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use gix::objs::Kind;

use crate::engine::RuleSet;
use crate::finding::Finding;
use crate::rules::Config;
use crate::source::git::objects::{ObjectDatabase, Pass};
use crate::source::{Note, looks_binary};

use super::{Report, Worker, scan_buffer};

use classes::PathClasses;
use graph::{Link, Names, Paths};
use unread::Unread;

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

#[derive(Debug, Clone)]
pub struct HistoryOptions {
    pub range: CommitRange,
    /// Blobs larger than this are skipped with a note.
    pub max_file_size: u64,
    pub threads: usize,
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

/// A history scan's result.
#[derive(Debug, Default)]
pub struct HistoryReport {
    pub report: Report,
    /// Objects the history names could not be read (missing or corrupt), so the scan is
    /// incomplete.
    pub incomplete: bool,
    /// How many commits were selected and scanned.
    pub commits_scanned: u64,
    /// The commit HEAD points at, when it was among the commits scanned (then a finding
    /// whose occurrences name it is still in HEAD).
    pub head: Option<String>,
    /// The URL of the repository's default remote (usually `origin`), as configured.
    pub remote_url: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("no git repository at {} (or any parent)", path.display())]
    NotARepository { path: PathBuf },
    #[error("cannot resolve revision `{spec}` in {}", path.display())]
    BadRevision { spec: String, path: PathBuf },
}

/// Scans the history of the repository at (or above) `repo_path`.
pub fn scan_history(
    rules: &RuleSet,
    config: &Config,
    repo_path: &Path,
    options: &HistoryOptions,
    progress: &dyn HistoryProgress,
) -> Result<HistoryReport, HistoryError> {
    let started = Instant::now();
    let repo = gix::discover(repo_path).map_err(|_| HistoryError::NotARepository {
        path: repo_path.to_path_buf(),
    })?;
    let place = repo_place(&repo);
    let mut result = HistoryReport::default();
    let notes = &mut result.report.notes;
    if repo.is_shallow().unwrap_or(false) {
        notes.push(Note::warning(
            &place,
            "shallow clone: only the commits it holds were scanned; run `git fetch --unshallow` for the whole history",
        ));
    }

    progress.phase("indexing objects", 0);
    let database = ObjectDatabase::open(&repo);
    notes.extend(database.notes.iter().cloned());
    result.incomplete |= database.damaged;

    let mut unread = Unread::default();
    let found_refs = refs::ref_tips(&repo, &database, &mut unread);
    let tips = refs::resolve_range(&repo, &database, &found_refs, &options.range)?;
    if !matches!(
        options.range,
        CommitRange::AllRefs | CommitRange::SinceCommit(_)
    ) {
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
    let threads = options.threads.max(1);
    let tick = || progress.advance(0);

    let objects = (database.count(Kind::Commit) + database.count(Kind::Tree)) as u64;
    progress.phase("reading commits and trees", objects);
    let (mut skeleton, pass_notes) = graph::learn_skeleton(&database, threads, &tick);
    result.incomplete |= !pass_notes.is_empty();
    notes.extend(pass_notes);
    let selection = graph::select_commits(&skeleton.commits, &tips.include, &tips.exclude);
    result.commits_scanned = selection
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
    result.head = refs
        .iter()
        .find(|(name, commit)| {
            (name == "HEAD" || head_branch.as_deref() == Some(name.as_str()))
                && selection.selected[*commit as usize]
        })
        .map(|(_, commit)| database.id(Kind::Commit, *commit).to_string());
    result.remote_url = default_remote_url(&repo);
    let mut paths = Paths::default();
    let mut names = std::mem::take(&mut skeleton.names);
    let tree_paths = graph::tree_paths(&skeleton, &selection, &mut paths);
    gather_unread_links(
        &repo,
        &database,
        &skeleton,
        &selection,
        &tree_paths,
        &mut unread,
    );
    let mut submodules = std::collections::BTreeSet::new();
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
    let (blob_paths, pass_notes) = graph::learn_blob_paths(
        &database,
        &tree_paths,
        &mut names,
        &mut paths,
        threads,
        &tick,
    );
    result.incomplete |= !pass_notes.is_empty();
    notes.extend(pass_notes);
    unread.blobs = blob_paths
        .missing
        .iter()
        .map(|(id, path)| (*id, paths.render(*path, &names)))
        .collect();
    result.incomplete |= unread.makes_incomplete();
    notes.extend(unread.notes(&place, database.partial_clone));

    let rendered = RenderedPaths::new(&blob_paths, &paths, &names);
    let classes = PathClasses::new(config);
    progress.phase(
        "scanning blobs",
        (0..database.count(Kind::Blob) as u32)
            .filter(|&blob| !blob_paths.paths.get(blob).is_empty())
            .count() as u64,
    );
    let scan = scan_blobs(
        rules,
        &database,
        &blob_paths,
        &rendered,
        &classes,
        options.max_file_size,
        threads,
        progress,
    );
    notes.extend(scan.notes);
    result.incomplete |= scan.incomplete;

    let mut findings = Vec::new();
    if !scan.found.is_empty() {
        progress.phase("attributing findings", 0);
        findings = attribute::attribute(attribute::Inputs {
            repo: &repo,
            rules,
            database: &database,
            skeleton: &skeleton,
            selection: &selection,
            tree_paths: &tree_paths,
            names: &mut names,
            paths: &mut paths,
            refs: &refs,
            found: scan.found,
            threads,
        });
    }
    progress.finish();
    let report = &mut result.report;
    report.findings = findings;
    report.stats.files_scanned = scan.blobs_scanned;
    report.stats.bytes_scanned = scan.bytes_scanned;
    report.stats.files_skipped = scan.blobs_skipped;
    report.sort();
    report.stats.duration_ms = started.elapsed().as_millis() as u64;
    Ok(result)
}

/// The fetch URL of the default remote (`origin`, or the only one), if any.
fn default_remote_url(repo: &gix::Repository) -> Option<String> {
    let remote = repo
        .find_default_remote(gix::remote::Direction::Fetch)?
        .ok()?;
    let url = remote.url(gix::remote::Direction::Fetch)?;
    Some(url.to_bstring().to_string())
}

/// How to name the repository in notes.
fn repo_place(repo: &gix::Repository) -> String {
    repo.workdir()
        .unwrap_or_else(|| repo.git_dir())
        .display()
        .to_string()
}

/// The objects that the selected commits and reachable trees name and the database lacks,
/// except the parents of a shallow clone's boundary commits, which are absent by design.
fn gather_unread_links(
    repo: &gix::Repository,
    database: &ObjectDatabase,
    skeleton: &graph::Skeleton,
    selection: &graph::Selection,
    tree_paths: &graph::TreePaths,
    unread: &mut Unread,
) {
    let shallow: std::collections::HashSet<gix::ObjectId> = repo
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
    fn new(blob_paths: &graph::BlobPaths, paths: &Paths, names: &Names) -> RenderedPaths {
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

/// Findings of one blob under one path class, and the paths of that class.
pub struct BlobFindings {
    pub blob: u32,
    pub paths: Vec<u32>,
    pub findings: Vec<Finding>,
}

struct BlobScan {
    found: Vec<BlobFindings>,
    notes: Vec<Note>,
    blobs_scanned: u64,
    bytes_scanned: u64,
    blobs_skipped: u64,
    incomplete: bool,
}

#[derive(Default)]
struct ScanPart {
    worker: Worker,
    found: Vec<BlobFindings>,
    too_large: Vec<(u32, u64)>,
    binary: u64,
}

#[allow(clippy::too_many_arguments)]
fn scan_blobs(
    rules: &RuleSet,
    database: &ObjectDatabase,
    blob_paths: &graph::BlobPaths,
    rendered: &RenderedPaths,
    classes: &PathClasses,
    max_file_size: u64,
    threads: usize,
    progress: &dyn HistoryProgress,
) -> BlobScan {
    let scanned = AtomicU64::new(0);
    let bytes = AtomicU64::new(0);
    // Blobs no selected commit reaches are not inflated, nor those whose header already
    // says they are over the size limit.
    let known_too_large: Vec<(u32, u64)> = (0..database.count(Kind::Blob) as u32)
        .filter(|&blob| !blob_paths.paths.get(blob).is_empty())
        .filter_map(|blob| {
            let size = database.blob_size(blob)?;
            (size > max_file_size).then_some((blob, size))
        })
        .collect();
    let wanted = |blob: u32| {
        !blob_paths.paths.get(blob).is_empty()
            && database
                .blob_size(blob)
                .is_none_or(|size| size <= max_file_size)
    };
    let (mut parts, pass_notes) = graph::collect_where(
        database,
        Pass::Blobs,
        threads,
        &wanted,
        |part: &mut ScanPart, _kind, blob, data| {
            let blob_paths = blob_paths.paths.get(blob);
            if blob_paths.is_empty() {
                return;
            }
            progress.advance(data.len() as u64);
            if data.len() as u64 > max_file_size {
                part.too_large.push((blob, data.len() as u64));
                return;
            }
            if looks_binary(data) {
                part.binary += 1;
                return;
            }
            let utf16 = crate::source::decode_utf16(data);
            let data = utf16.as_deref().unwrap_or(data);
            scanned.fetch_add(1, Ordering::Relaxed);
            bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
            for class in classes.group(blob_paths, |path| rendered.get(path)) {
                let path = rendered.get(class[0]);
                if rules.skips_path(path) {
                    continue;
                }
                let findings = scan_buffer(rules, data, Some(path), path, &mut part.worker);
                if !findings.is_empty() {
                    part.found.push(BlobFindings {
                        blob,
                        paths: class,
                        findings,
                    });
                }
            }
        },
    );
    for _ in &known_too_large {
        progress.advance(0);
    }
    parts.push(ScanPart {
        too_large: known_too_large,
        ..ScanPart::default()
    });
    let mut scan = BlobScan {
        found: Vec::new(),
        incomplete: !pass_notes.is_empty(),
        notes: pass_notes,
        blobs_scanned: scanned.load(Ordering::Relaxed),
        bytes_scanned: bytes.load(Ordering::Relaxed),
        blobs_skipped: 0,
    };
    let mut binary = 0;
    for part in parts {
        scan.found.extend(part.found);
        binary += part.binary;
        scan.blobs_skipped += part.binary + part.too_large.len() as u64;
        for (blob, size) in part.too_large {
            let path = rendered.get(blob_paths.paths.get(blob)[0]);
            scan.notes.push(Note::warning(
                path,
                format!(
                    "blob {} is {size} bytes, over --max-file-size ({max_file_size} bytes); skipped",
                    database.id(Kind::Blob, blob)
                ),
            ));
        }
    }
    if binary > 0 {
        scan.notes.push(Note::skipped(
            "history",
            crate::source::SkipReason::Binary,
            format!("{binary} binary blobs skipped"),
        ));
    }
    scan.found.sort_by_key(|found| found.blob);
    scan
}
