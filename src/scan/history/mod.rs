//! Full-history scans: every unique blob of a repository once, then attribution of the
//! findings to the commits that introduced them.
//!
//! [`History::open`] learns the history up to the blobs (commit graph, tree paths, every
//! (blob, path) pair) without following commits one by one; the driver scans each
//! reachable blob once per class of its paths, in parallel; only if something was found
//! are the trees holding those blobs walked up to the commits that carry each (blob,
//! path) ([`attribute`]).
//!
//! Prints nothing; progress goes through [`HistoryProgress`].

mod attribute;

pub use attribute::commit_info;

use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Instant;

use crate::engine::{PathClasses, RuleSet};
use crate::rules::Config;
use crate::settings::Settings;
use crate::source::archive::ArchiveLimits;
use crate::source::git::{GitError, History};

use super::Report;
use super::driver::{Drive, drive};

pub use crate::source::git::{CommitRange, HistoryProgress, NoProgress};

/// A history scan's result.
#[derive(Debug, Default)]
pub struct HistoryReport {
    /// Incomplete when objects the history names could not be read (missing or corrupt).
    pub report: Report,
    /// How many commits were selected and scanned.
    pub commits_scanned: u64,
    /// The commit HEAD points at, when it was among the commits scanned (then a finding
    /// whose occurrences name it is still in HEAD).
    pub head: Option<String>,
    /// The URL of the repository's default remote (usually `origin`), as configured.
    pub remote_url: Option<String>,
}

/// Scans the history of the repository at (or above) `repo_path`.
pub fn scan_history(
    rules: &RuleSet,
    config: &Config,
    repo_path: &Path,
    range: &CommitRange,
    settings: &Settings,
    progress: &dyn HistoryProgress,
) -> Result<HistoryReport, GitError> {
    let started = Instant::now();
    let mut history = History::open(
        repo_path,
        range,
        settings.max_file_size,
        settings.threads,
        progress,
    )?
    .with_archives(ArchiveLimits {
        max_depth: settings.archive_depth,
        max_member_bytes: settings.max_file_size,
        ..ArchiveLimits::default()
    });
    let classes = PathClasses::new(config);
    progress.phase("scanning blobs", history.reachable_blobs());
    let advance = |bytes: u64| progress.advance(bytes);
    let driven = drive(
        rules,
        &history,
        Drive {
            classes: Some(&classes),
            advance: Some(&advance),
            refine: None,
        },
    );
    let incomplete = history.incomplete || history.blobs_incomplete.load(Ordering::Relaxed);
    let mut result = HistoryReport {
        commits_scanned: history.commits_selected,
        head: history.head.take(),
        remote_url: history.remote_url.take(),
        ..HistoryReport::default()
    };
    let report = &mut result.report;
    report.incomplete = incomplete;
    report.notes = std::mem::take(&mut history.notes);
    report.notes.extend(driven.notes);
    report.stats = driven.stats;
    if !driven.found.is_empty() {
        report.findings = attribute::attribute(
            rules,
            &mut history,
            driven.found,
            settings.min_confidence,
            progress,
        );
    }
    progress.finish();
    report.sort();
    report.stats.duration_ms = started.elapsed().as_millis() as u64;
    Ok(result)
}
