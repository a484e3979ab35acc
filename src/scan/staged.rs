//! Pre-commit and pre-push scans: what the next commit (the index against HEAD) or the
//! commits being pushed add.
//!
//! Each changed blob is scanned whole, so rules see their full context, and then only
//! findings on lines the commit adds or changes are kept: the lines of the new blob that
//! a line diff (Myers) against every earlier version does not match. A line moved or
//! duplicated from elsewhere in the file counts as unchanged only where the diff pairs it
//! with an old line, as in `git diff`. Path findings (a committed `.env`, a key file) are
//! kept only for files new at their path whose earlier path (for a rename) did not trip
//! the same rule. Blobs without findings are never diffed.

use std::time::Instant;

use crate::engine::RuleSet;
use crate::finding::{Finding, FindingKind};
use crate::source::Note;
use crate::source::git::line_diff::{added_lines, lines};
use crate::source::git::{Baseline, StagedChanges};

use super::driver::{Drive, drive};
use super::history::commit_info;
use super::{Report, Worker, scan_buffer};

/// Scans what `changes` add (the next commit, or the commits of a push).
pub fn scan_changes(rules: &RuleSet, changes: &StagedChanges) -> Report {
    let started = Instant::now();
    let refine = |unit: u64, data: &[u8], findings: &mut Vec<Finding>, worker: &mut Worker| {
        let file = changes.file(unit);
        if !findings.is_empty() {
            // Without the earlier versions the findings cannot be told new or old: the
            // file is reported unreadable (exit 2) rather than let through.
            let baselines = changes
                .baselines(unit, data)
                .map_err(|error| Note::warning(changes.subject(unit), error))?;
            keep_added(rules, findings, data, file.path, &baselines, worker);
        }
        if let Some(commit) = file.commit {
            let info = commit_info(commit.clone());
            for finding in findings.iter_mut() {
                finding.commit = Some(info.clone());
            }
        }
        Ok(())
    };
    let driven = drive(
        rules,
        changes,
        Drive {
            refine: Some(&refine),
            ..Drive::default()
        },
    );
    let (findings, notes, stats) = driven.into_findings();
    let mut report = Report {
        findings,
        notes: changes.notes().cloned().collect(),
        stats,
        incomplete: false,
    };
    report.notes.extend(notes);
    report.sort();
    report.note_unread_input();
    report.stats.duration_ms = started.elapsed().as_millis() as u64;
    report
}

/// Drops findings on lines that an earlier version already had, and path findings that
/// an earlier path already tripped.
fn keep_added(
    rules: &RuleSet,
    findings: &mut Vec<Finding>,
    data: &[u8],
    path: &str,
    baselines: &[Baseline],
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
        if baseline.path == path {
            same_path = true;
        } else {
            let old_path = baseline.path.as_str();
            earlier_path_rules.extend(
                scan_buffer(rules, b"", Some(old_path), old_path, worker)
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
