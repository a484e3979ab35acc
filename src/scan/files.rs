//! Scanning files, directory trees and standard input.

use std::time::Instant;

use crate::engine::RuleSet;
use crate::source::archive::ArchiveLimits;
use crate::source::files::WalkOptions;
use crate::source::targets::{Target, Targets};

use super::Report;
use super::driver::{Drive, drive};

/// Scans files, directory trees and standard input.
pub fn scan_targets(
    rules: &RuleSet,
    targets: &[Target],
    walk: &WalkOptions,
    max_file_size: u64,
    archives: ArchiveLimits,
) -> Report {
    let started = Instant::now();
    let source = Targets::list(targets, walk, max_file_size, archives);
    let (findings, notes, stats) = drive(rules, &source, Drive::default()).into_findings();
    let mut report = Report {
        findings,
        notes,
        stats,
        incomplete: false,
    };
    report.sort();
    report.note_unread_input();
    report.stats.duration_ms = started.elapsed().as_millis() as u64;
    report
}
