//! Scanning files, directory trees and standard input.

use crate::engine::RuleSet;
use crate::source::archive::ArchiveLimits;
use crate::source::files::WalkOptions;
use crate::source::targets::{Target, Targets};

use super::{Report, scan_source};

/// Scans files, directory trees and standard input.
pub fn scan_targets(
    rules: &RuleSet,
    targets: &[Target],
    walk: &WalkOptions,
    max_file_size: u64,
    archives: ArchiveLimits,
) -> Report {
    // The walk counts in the duration, as it always has.
    let started = std::time::Instant::now();
    let listed = Targets::list(targets, walk, max_file_size, archives);
    let mut report = scan_source(rules, &listed);
    report.stats.duration_ms = started.elapsed().as_millis() as u64;
    report
}
