//! Orchestration only: runs a source through the engine with the one driver
//! ([`driver`]) and joins what it finds with what the source knows (which lines a commit
//! adds, which commits introduced a blob). Prints nothing; returns one [`Report`] value
//! per scan and leaves filtering and output to the finish step.
//!
//! One submodule per kind of scan: [`files`] (trees and stdin), [`staged`] (what a
//! commit adds) and [`history`] (every commit of a repository).

pub mod driver;
pub mod files;
pub mod history;
pub mod staged;

use crate::engine::{Match, RuleSet, Scratch};
use crate::finding::{Finding, LineIndex, ScanStats};
use crate::source::Note;

pub use files::scan_targets;

/// The result of a scan: findings in report order, notes about skipped input, totals.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub notes: Vec<Note>,
    pub stats: ScanStats,
    /// Input the scan was asked for could not be read: without findings, that is an
    /// error (exit 2), not a clean result.
    pub incomplete: bool,
}

impl Report {
    /// Puts findings in report order (path, position, rule).
    pub fn sort(&mut self) {
        self.findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }

    /// Marks the report incomplete when a warning says some input could not be read.
    fn note_unread_input(&mut self) {
        self.incomplete |= self
            .notes
            .iter()
            .any(|note| note.level == crate::source::NoteLevel::Warning);
    }
}

/// Runs a source whose units need nothing more than scanning (files, stdin, images)
/// through the driver, as one report in report order.
pub fn scan_source(rules: &RuleSet, source: &dyn crate::source::Source) -> Report {
    let started = std::time::Instant::now();
    let (findings, notes, stats) =
        driver::drive(rules, source, driver::Drive::default()).into_findings();
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

/// Per-thread state for scanning buffers.
#[derive(Default)]
pub struct Worker {
    pub scratch: Scratch,
    pub matches: Vec<Match>,
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
