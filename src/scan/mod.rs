//! Orchestration: drives sources through the engine in parallel and returns one
//! [`Report`] value per scan. Prints nothing; the caller decides what to show.
//!
//! One submodule per kind of scan: [`files`] (trees and stdin), [`staged`] (what a
//! commit adds) and [`history`] (every commit of a repository).

pub mod files;
pub mod history;
pub mod staged;

use crate::engine::{Match, RuleSet, Scratch};
use crate::finding::{Finding, LineIndex, ScanStats};
use crate::source::Note;

pub use files::{ScanOptions, Target, scan_targets};

/// The result of a scan: findings in report order, notes about skipped input, totals.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub notes: Vec<Note>,
    pub stats: ScanStats,
}

impl Report {
    /// Puts findings in report order (path, position, rule).
    pub fn sort(&mut self) {
        self.findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
}

/// Per-thread state for scanning buffers.
#[derive(Default)]
pub struct Worker {
    pub scratch: Scratch,
    pub matches: Vec<Match>,
    /// A reusable read buffer.
    pub buffer: Vec<u8>,
}

/// Scans one buffer and turns its matches into findings. `rule_path` is what path rules
/// see (`None` for stdin), `display_path` what reports show.
pub fn scan_buffer(
    rules: &RuleSet,
    data: &[u8],
    rule_path: Option<&str>,
    display_path: &str,
    worker: &mut Worker,
) -> Vec<Finding> {
    rules.scan(data, rule_path, &mut worker.scratch, &mut worker.matches);
    if worker.matches.is_empty() {
        return Vec::new();
    }
    let mut lines = LineIndex::new();
    worker
        .matches
        .iter()
        .map(|found| {
            Finding::from_match(
                rules.rule(found.rule),
                found,
                data,
                display_path,
                rule_path.unwrap_or(display_path),
                &mut lines,
            )
        })
        .collect()
}
