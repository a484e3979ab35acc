//! What the next commit (the index against HEAD) or the commits being pushed add, as a
//! source: every changed file's blob, read once however many paths hold it (200,000 empty
//! files are one blob), and, for the files with findings, the earlier versions to diff
//! against ([`StagedChanges::baselines`]).
//!
//! The repository is opened the way git's environment says ([`Repository::open_for_hook`]),
//! because git runs a pre-commit hook with `GIT_INDEX_FILE` pointing at `index.lock`
//! (`git commit -a`) or at a temporary index (`git commit PATH`).

use gix::ObjectId;
use gix::bstr::ByteSlice;
use rayon::prelude::*;

use crate::source::{Note, Place, Sink, SkipReason, Source};

use super::changes::{self, Change, ChangeSet, Removed};
use super::commit::{self, CommitMeta};
use super::line_diff::{lines, similarity};
use super::push::{PushedRef, pushed_commits};
use super::repository::{BlobContent, GitContext, GitError, Repository, read_blob};

/// A new file is taken for a rename of a removed one when at least this share of their
/// lines match (git's default rename threshold is 50% similarity too).
const RENAME_SIMILARITY: f64 = 0.5;
/// Removed files compared with one new file when looking for its rename source.
const RENAME_CANDIDATES: usize = 16;
/// Below this many changed files, reading on the calling thread beats waking a pool.
const PARALLEL_THRESHOLD: usize = 8;

/// The files a commit (or the next commit) sets, ready to be read.
pub struct StagedChanges {
    repo: gix::ThreadSafeRepository,
    sets: Vec<(ChangeSet, Option<CommitMeta>)>,
    /// (set, change) of every unit, in the order findings are reported.
    units: Vec<(usize, usize)>,
    paths: Vec<String>,
    max_file_size: u64,
    threads: usize,
}

/// One changed file, as the scan sees it.
pub struct StagedFile<'a> {
    pub path: &'a str,
    /// The pushed commit that changes it (`None` for the next commit).
    pub commit: Option<&'a CommitMeta>,
}

/// An earlier version of a changed file: its content and the path it had.
pub struct Baseline {
    pub data: Vec<u8>,
    pub path: String,
}

impl StagedChanges {
    /// What the next commit changes: the index against HEAD (and any merge heads).
    pub fn next_commit(
        repo: Repository,
        max_file_size: u64,
        threads: usize,
    ) -> Result<StagedChanges, GitError> {
        let set = changes::staged_changes(repo.gix())?;
        Ok(StagedChanges::new(
            repo,
            vec![(set, None)],
            max_file_size,
            threads,
        ))
    }

    /// What the pushed commits change, each against its parents, oldest first.
    pub fn pushed(
        repo: Repository,
        refs: &[PushedRef],
        max_file_size: u64,
        threads: usize,
    ) -> Result<StagedChanges, GitError> {
        let mut sets = Vec::new();
        for id in pushed_commits(&repo, refs)? {
            let set = changes::commit_changes(repo.gix(), id)?;
            let object = repo
                .gix()
                .find_object(id)
                .git_context(|| format!("reading commit {id}"))?;
            sets.push((set, Some(commit::parse(id, &object.data))));
        }
        Ok(StagedChanges::new(repo, sets, max_file_size, threads))
    }

    fn new(
        repo: Repository,
        sets: Vec<(ChangeSet, Option<CommitMeta>)>,
        max_file_size: u64,
        threads: usize,
    ) -> StagedChanges {
        let units: Vec<(usize, usize)> = sets
            .iter()
            .enumerate()
            .flat_map(|(set, (changes, _))| (0..changes.changes.len()).map(move |c| (set, c)))
            .collect();
        let paths = units
            .iter()
            .map(|&(set, change)| sets[set].0.changes[change].path.to_str_lossy().into_owned())
            .collect();
        StagedChanges {
            repo: repo.into_gix().into_sync(),
            sets,
            units,
            paths,
            max_file_size,
            threads,
        }
    }

    /// Notes about entries the change sets would not scan (conflicts, submodules, ...).
    pub fn notes(&self) -> impl Iterator<Item = &Note> {
        self.sets.iter().flat_map(|(set, _)| &set.notes)
    }

    pub fn file(&self, unit: u64) -> StagedFile<'_> {
        let (set, _) = self.units[unit as usize];
        StagedFile {
            path: &self.paths[unit as usize],
            commit: self.sets[set].1.as_ref(),
        }
    }

    fn change(&self, unit: u64) -> (&Change, &[Removed]) {
        let (set, change) = self.units[unit as usize];
        let set = &self.sets[set].0;
        (&set.changes[change], &set.removed)
    }

    /// How notes name a file: its path, and the commit for a pushed one.
    pub fn subject(&self, unit: u64) -> String {
        let file = self.file(unit);
        match file.commit {
            Some(commit) => format!(
                "{} (commit {})",
                file.path,
                &commit.id[..commit.id.len().min(12)]
            ),
            None => file.path.to_string(),
        }
    }

    /// The versions to diff unit `unit` (whose content is `data`) against: what the
    /// parents hold at its path, or, for a file new at its path, the removed file it was
    /// most likely renamed from.
    pub fn baselines(&self, unit: u64, data: &[u8]) -> Result<Vec<Baseline>, String> {
        let repo = self.repo.to_thread_local();
        let (change, removed) = self.change(unit);
        let path = self.file(unit).path;
        let text_of = |id: ObjectId| -> Result<Vec<u8>, String> {
            Ok(
                match read_blob(&repo, id, self.max_file_size).map_err(|e| error_line(&e))? {
                    BlobContent::Text(data) => data,
                    // A binary or huge earlier version shares no lines with text worth keeping.
                    BlobContent::Binary | BlobContent::TooLarge { .. } => Vec::new(),
                },
            )
        };
        if !change.previous.is_empty() {
            return change
                .previous
                .iter()
                .map(|id| {
                    Ok(Baseline {
                        data: text_of(*id)?,
                        path: path.to_string(),
                    })
                })
                .collect();
        }
        let removed_path = |file: &Removed| file.path.to_str_lossy().into_owned();
        if let Some(exact) = removed.iter().find(|file| file.id == change.id) {
            return Ok(vec![Baseline {
                data: data.to_vec(),
                path: removed_path(exact),
            }]);
        }
        let name = file_name(path);
        let mut candidates: Vec<&Removed> = removed.iter().collect();
        candidates.sort_by_key(|file| file_name(&removed_path(file)) != name);
        let new_lines = lines(data);
        let mut best: Option<(f64, Baseline)> = None;
        for candidate in candidates.into_iter().take(RENAME_CANDIDATES) {
            let old = text_of(candidate.id)?;
            let score = similarity(&lines(&old), &new_lines);
            if score >= RENAME_SIMILARITY && best.as_ref().is_none_or(|(best, _)| score > *best) {
                best = Some((
                    score,
                    Baseline {
                        data: old,
                        path: removed_path(candidate),
                    },
                ));
            }
        }
        Ok(best.map(|(_, baseline)| baseline).into_iter().collect())
    }

    /// Reads the blob of `group`'s changes once and hands it to `sink` for each of them.
    fn feed_group(&self, repo: &gix::Repository, group: &[usize], sink: &dyn Sink) {
        let mut content: Option<Result<BlobContent, String>> = None;
        for &unit in group {
            let unit = unit as u64;
            let path = self.file(unit).path;
            if !sink.wants(path) {
                sink.passed_over(unit);
                continue;
            }
            let (change, _) = self.change(unit);
            let read = content.get_or_insert_with(|| {
                read_blob(repo, change.id, self.max_file_size).map_err(|error| error_line(&error))
            });
            match read {
                Err(error) => {
                    sink.skipped(unit, Some(Note::warning(self.subject(unit), error.clone())))
                }
                Ok(BlobContent::Binary) => sink.skipped(
                    unit,
                    Some(Note::skipped(
                        self.subject(unit),
                        SkipReason::Binary,
                        "binary file, skipped",
                    )),
                ),
                Ok(BlobContent::TooLarge { size }) => sink.skipped(
                    unit,
                    Some(Note::skipped(
                        self.subject(unit),
                        SkipReason::TooLarge,
                        format!(
                            "{size} bytes is over --max-file-size ({} bytes), skipped",
                            self.max_file_size
                        ),
                    )),
                ),
                Ok(BlobContent::Text(data)) => sink.content(unit, data, &[Place::at(path)]),
            }
        }
    }
}

impl Source for StagedChanges {
    fn feed(&self, sink: &dyn Sink) -> Vec<Note> {
        // Units of one blob together, so each blob is read once however many paths hold it.
        let mut order: Vec<usize> = (0..self.units.len()).collect();
        order.sort_by_key(|&unit| self.change(unit as u64).0.id);
        let groups: Vec<&[usize]> = order
            .chunk_by(|&a, &b| self.change(a as u64).0.id == self.change(b as u64).0.id)
            .collect();
        let pool = (self.units.len() >= PARALLEL_THRESHOLD && self.threads > 1)
            .then(|| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(self.threads)
                    .build()
                    .ok()
            })
            .flatten();
        match pool {
            Some(pool) => pool.install(|| {
                groups.par_iter().for_each_init(
                    || self.repo.to_thread_local(),
                    |repo, group| self.feed_group(repo, group, sink),
                )
            }),
            // A pool that cannot start leaves the work to this thread.
            None => {
                let repo = self.repo.to_thread_local();
                for group in &groups {
                    self.feed_group(&repo, group, sink);
                }
            }
        }
        Vec::new()
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// A git error and its causes on one line.
pub fn error_line(error: &GitError) -> String {
    let mut line = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        line.push_str(": ");
        line.push_str(&cause.to_string());
        source = cause.source();
    }
    line
}
