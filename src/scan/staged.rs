//! Pre-commit and pre-push scans: what the next commit (the index against HEAD) or the
//! commits being pushed add.
//!
//! Each changed blob is scanned whole, so rules see their full context, and then only
//! findings on lines the commit adds or changes are kept: the lines of the new blob that
//! a line diff (Myers, via `similar`) against every earlier version does not match. A
//! line moved or duplicated from elsewhere in the file counts as unchanged only where the
//! diff pairs it with an old line, as in `git diff`. Path findings (a committed `.env`, a
//! key file) are kept only for files new at their path whose earlier path (for a rename)
//! did not trip the same rule. Blobs without findings are never diffed.

use std::time::{Duration, Instant};

use gix::ObjectId;
use gix::bstr::{BStr, ByteSlice};
use rayon::prelude::*;
use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};

use crate::engine::RuleSet;
use crate::finding::{CommitInfo, Finding, FindingKind};
use crate::source::staged::{
    self, BlobContent, Change, ChangeSet, GitError, PushedRef, Removed, read_blob,
};
use crate::source::{Note, SkipReason};

use super::{Report, Worker, scan_buffer};

#[derive(Debug, Clone, Copy)]
pub struct StagedOptions {
    /// Blobs larger than this are skipped with a note.
    pub max_file_size: u64,
    /// Worker threads for many changed files; a few are scanned on the calling thread,
    /// without starting a pool.
    pub threads: usize,
}

/// A new file is taken for a rename of a removed one when at least this share of their
/// lines match (git's default rename threshold is 50% similarity too).
const RENAME_SIMILARITY: f64 = 0.5;
/// Removed files compared with one new file when looking for its rename source.
const RENAME_CANDIDATES: usize = 16;
/// Below this many changed files, scanning on the calling thread beats waking a pool.
const PARALLEL_THRESHOLD: usize = 8;
/// A line diff that takes longer than this counts the rest of the file as added.
const DIFF_DEADLINE: Duration = Duration::from_secs(2);

/// Scans what the next commit adds: the index against HEAD.
pub fn scan_staged(
    rules: &RuleSet,
    repo: &gix::ThreadSafeRepository,
    options: &StagedOptions,
) -> Result<Report, GitError> {
    let started = Instant::now();
    let set = staged::staged_changes(&repo.to_thread_local())?;
    let mut report = scan_change_sets(rules, repo, &[(set, None)], options);
    report.stats.duration_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

/// Scans what the pushed commits add, each against its parents.
pub fn scan_pushed(
    rules: &RuleSet,
    repo: &gix::ThreadSafeRepository,
    refs: &[PushedRef],
    options: &StagedOptions,
) -> Result<Report, GitError> {
    let started = Instant::now();
    let local = repo.to_thread_local();
    let mut sets = Vec::new();
    for commit in staged::pushed_commits(&local, refs)? {
        let set = staged::commit_changes(&local, commit)?;
        let info = staged::commit_info(&local, commit)?;
        sets.push((set, Some(info)));
    }
    let mut report = scan_change_sets(rules, repo, &sets, options);
    report.stats.duration_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

enum Outcome {
    Scanned { findings: Vec<Finding>, bytes: u64 },
    Skipped(Note),
}

fn scan_change_sets(
    rules: &RuleSet,
    repo: &gix::ThreadSafeRepository,
    sets: &[(ChangeSet, Option<CommitInfo>)],
    options: &StagedOptions,
) -> Report {
    let mut report = Report::default();
    let jobs: Vec<(&Change, &ChangeSet, Option<&CommitInfo>)> = sets
        .iter()
        .flat_map(|(set, info)| {
            set.changes
                .iter()
                .map(move |change| (change, set, info.as_ref()))
        })
        .collect();
    // Jobs of one blob together, so each blob is read once however many paths hold it
    // (200,000 empty files are one blob).
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&index| jobs[index].0.id);
    let groups: Vec<&[usize]> = order
        .chunk_by(|&a, &b| jobs[a].0.id == jobs[b].0.id)
        .collect();
    let run = |local: &gix::Repository, worker: &mut Worker, group: &&[usize]| {
        let mut content = None;
        group
            .iter()
            .map(|&index| {
                let (change, set, info) = jobs[index];
                let outcome = scan_change(
                    rules,
                    local,
                    change,
                    &set.removed,
                    info,
                    options,
                    &mut content,
                    worker,
                );
                (index, outcome)
            })
            .collect::<Vec<_>>()
    };
    let scan_here = || {
        let local = repo.to_thread_local();
        let mut worker = Worker::default();
        groups
            .iter()
            .flat_map(|group| run(&local, &mut worker, group))
            .collect()
    };
    let pool = (jobs.len() >= PARALLEL_THRESHOLD && options.threads > 1)
        .then(|| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(options.threads)
                .build()
                .ok()
        })
        .flatten();
    let mut outcomes: Vec<(usize, Outcome)> = match pool {
        Some(pool) => pool.install(|| {
            groups
                .par_iter()
                .map_init(
                    || (repo.to_thread_local(), Worker::default()),
                    |(local, worker), group| run(local, worker, group),
                )
                .flatten_iter()
                .collect()
        }),
        // A pool that cannot start leaves the work to this thread.
        None => scan_here(),
    };
    outcomes.sort_by_key(|(index, _)| *index);
    for (set, _) in sets {
        report.notes.extend(set.notes.iter().cloned());
    }
    for (_, outcome) in outcomes {
        match outcome {
            Outcome::Scanned { findings, bytes } => {
                report.stats.files_scanned += 1;
                report.stats.bytes_scanned += bytes;
                report.findings.extend(findings);
            }
            Outcome::Skipped(note) => {
                report.stats.files_skipped += 1;
                report.notes.push(note);
            }
        }
    }
    report.sort();
    report
}

/// A blob as read for its first change, shared by the others: its content, or why it is
/// not scanned.
type BlobRead = Result<BlobContent, String>;

#[allow(clippy::too_many_arguments)]
fn scan_change(
    rules: &RuleSet,
    repo: &gix::Repository,
    change: &Change,
    removed: &[Removed],
    commit: Option<&CommitInfo>,
    options: &StagedOptions,
    content: &mut Option<BlobRead>,
    worker: &mut Worker,
) -> Outcome {
    let path = change.path.to_str_lossy();
    let subject = match commit {
        Some(commit) => format!("{path} (commit {})", &commit.id[..commit.id.len().min(12)]),
        None => path.to_string(),
    };
    if rules.skips_path(&path) {
        return Outcome::Scanned {
            findings: Vec::new(),
            bytes: 0,
        };
    }
    let read = content.get_or_insert_with(|| {
        read_blob(repo, change.id, options.max_file_size).map_err(|error| error_line(&error))
    });
    let data = match read {
        Err(error) => return Outcome::Skipped(Note::warning(subject, error.clone())),
        Ok(BlobContent::Binary) => {
            return Outcome::Skipped(Note::skipped(
                subject,
                SkipReason::Binary,
                "binary file, skipped",
            ));
        }
        Ok(BlobContent::TooLarge { size }) => {
            return Outcome::Skipped(Note::skipped(
                subject,
                SkipReason::TooLarge,
                format!(
                    "{size} bytes is over --max-file-size ({} bytes), skipped",
                    options.max_file_size
                ),
            ));
        }
        Ok(BlobContent::Text(data)) => data.as_slice(),
    };
    let mut findings = scan_buffer(rules, data, Some(&path), &path, worker);
    if !findings.is_empty() {
        match baselines(repo, change, removed, data, options) {
            Ok(baselines) => keep_added(rules, &mut findings, data, &path, &baselines, worker),
            // Without the earlier versions every finding counts as added: blocking on a
            // secret already committed is better than letting a new one through.
            Err(error) => return Outcome::Skipped(Note::warning(subject, error_line(&error))),
        }
    }
    if let Some(commit) = commit {
        for finding in &mut findings {
            finding.commit = Some(commit.clone());
        }
    }
    Outcome::Scanned {
        findings,
        bytes: data.len() as u64,
    }
}

fn error_line(error: &GitError) -> String {
    let mut line = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        line.push_str(": ");
        line.push_str(&cause.to_string());
        source = cause.source();
    }
    line
}

/// An earlier version of a changed file: its content and the path it had.
struct Baseline<'a> {
    data: Vec<u8>,
    path: &'a BStr,
}

/// The versions to diff `change` against: what the parents hold at its path, or, for a
/// file new at its path, the removed file it was most likely renamed from.
fn baselines<'a>(
    repo: &gix::Repository,
    change: &'a Change,
    removed: &'a [Removed],
    data: &[u8],
    options: &StagedOptions,
) -> Result<Vec<Baseline<'a>>, GitError> {
    let text_of = |id: ObjectId| -> Result<Vec<u8>, GitError> {
        Ok(match read_blob(repo, id, options.max_file_size)? {
            BlobContent::Text(data) => data,
            // A binary or huge earlier version shares no lines with text worth keeping.
            BlobContent::Binary | BlobContent::TooLarge { .. } => Vec::new(),
        })
    };
    if !change.previous.is_empty() {
        return change
            .previous
            .iter()
            .map(|id| {
                Ok(Baseline {
                    data: text_of(*id)?,
                    path: change.path.as_bstr(),
                })
            })
            .collect();
    }
    if let Some(exact) = removed.iter().find(|file| file.id == change.id) {
        return Ok(vec![Baseline {
            data: data.to_vec(),
            path: exact.path.as_bstr(),
        }]);
    }
    let name = file_name(change.path.as_bstr());
    let mut candidates: Vec<&Removed> = removed.iter().collect();
    candidates.sort_by_key(|file| file_name(file.path.as_bstr()) != name);
    let new_lines = lines(data);
    let mut best: Option<(f64, Baseline<'a>)> = None;
    for candidate in candidates.into_iter().take(RENAME_CANDIDATES) {
        let old = text_of(candidate.id)?;
        let score = similarity(&lines(&old), &new_lines);
        if score >= RENAME_SIMILARITY && best.as_ref().is_none_or(|(best, _)| score > *best) {
            best = Some((
                score,
                Baseline {
                    data: old,
                    path: candidate.path.as_bstr(),
                },
            ));
        }
    }
    Ok(best.map(|(_, baseline)| baseline).into_iter().collect())
}

fn file_name(path: &BStr) -> &[u8] {
    path.rsplit_str("/").next().unwrap_or(path)
}

/// Drops findings on lines that an earlier version already had, and path findings that
/// an earlier path already tripped.
fn keep_added(
    rules: &RuleSet,
    findings: &mut Vec<Finding>,
    data: &[u8],
    path: &str,
    baselines: &[Baseline<'_>],
    worker: &mut Worker,
) {
    let new_lines = lines(data);
    let mut added = vec![true; new_lines.len()];
    let mut earlier_path_rules: Vec<String> = Vec::new();
    let mut same_path = false;
    for baseline in baselines {
        let old_lines = lines(&baseline.data);
        for (flag, is_added) in added.iter_mut().zip(added_lines(&old_lines, &new_lines)) {
            *flag &= is_added;
        }
        if baseline.path == path.as_bytes() {
            same_path = true;
        } else {
            let old_path = baseline.path.to_str_lossy();
            earlier_path_rules.extend(
                scan_buffer(rules, b"", Some(&old_path), &old_path, worker)
                    .into_iter()
                    .filter(|finding| finding.kind == FindingKind::File)
                    .map(|finding| finding.rule_id),
            );
        }
    }
    findings.retain(|finding| match finding.kind {
        FindingKind::File => !same_path && !earlier_path_rules.contains(&finding.rule_id),
        FindingKind::Content | FindingKind::Posture => {
            let first = finding.start.line.saturating_sub(1);
            let last = finding.end.line.saturating_sub(1).max(first);
            (first..=last).any(|line| added.get(line).copied().unwrap_or(true))
        }
    });
}

/// The lines of a buffer, each with its line ending, as git's line diff sees them.
fn lines(data: &[u8]) -> Vec<&[u8]> {
    data.split_inclusive(|&byte| byte == b'\n').collect()
}

/// For each line of `new`, whether a line diff from `old` marks it inserted or replaced.
pub fn added_lines(old: &[&[u8]], new: &[&[u8]]) -> Vec<bool> {
    let mut added = vec![false; new.len()];
    let deadline = Instant::now() + DIFF_DEADLINE;
    for op in capture_diff_slices_deadline(Algorithm::Myers, old, new, Some(deadline)) {
        match op {
            DiffOp::Insert {
                new_index, new_len, ..
            }
            | DiffOp::Replace {
                new_index, new_len, ..
            } => added[new_index..new_index + new_len].fill(true),
            DiffOp::Equal { .. } | DiffOp::Delete { .. } => {}
        }
    }
    added
}

/// The share of lines two versions have in common (0 to 1), as a line diff pairs them.
fn similarity(old: &[&[u8]], new: &[&[u8]]) -> f64 {
    if old.is_empty() && new.is_empty() {
        return 1.0;
    }
    let deadline = Instant::now() + DIFF_DEADLINE;
    let equal: usize = capture_diff_slices_deadline(Algorithm::Myers, old, new, Some(deadline))
        .iter()
        .map(|op| match op {
            DiffOp::Equal { len, .. } => *len,
            _ => 0,
        })
        .sum();
    2.0 * equal as f64 / (old.len() + new.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn added(old: &str, new: &str) -> Vec<usize> {
        let old = lines(old.as_bytes());
        let new = lines(new.as_bytes());
        added_lines(&old, &new)
            .iter()
            .enumerate()
            .filter(|(_, is_added)| **is_added)
            .map(|(index, _)| index + 1)
            .collect()
    }

    #[test]
    fn appended_and_changed_lines_are_added_others_are_not() {
        assert_eq!(added("a\nb\nc\n", "a\nB\nc\nd\n"), [2, 4]);
        assert_eq!(added("", "x\ny\n"), [1, 2]);
        assert!(added("a\nb\n", "a\n").is_empty());
    }

    #[test]
    fn a_duplicated_line_is_added_once_not_hidden_by_its_twin() {
        // A hash set of old lines would call both copies unchanged.
        assert_eq!(added("key\nx\n", "key\nx\nkey\n"), [3]);
    }

    #[test]
    fn a_moved_line_counts_as_added_where_the_diff_cannot_pair_it() {
        assert_eq!(added("a\nb\nc\n", "c\na\nb\n"), [1]);
    }

    #[test]
    fn a_final_line_losing_its_newline_is_changed() {
        assert_eq!(added("a\nb\n", "a\nb"), [2]);
    }

    #[test]
    fn similarity_counts_shared_lines() {
        let old = lines(b"a\nb\nc\nd\n");
        let new = lines(b"a\nb\nc\nX\n");
        assert!((similarity(&old, &new) - 0.75).abs() < 1e-9);
        assert_eq!(similarity(&old, &lines(b"z\n")), 0.0);
    }
}
