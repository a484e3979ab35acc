//! The one finish step of every scanning command (scan, staged, history, and the scan
//! scrub-plan runs): filters → validation (when asked; to come) → notes → report → exit
//! code. Every command gets the same suppression, the same notes and the same exit rules.

use std::io::Write;

use crate::filter::Filters;
use crate::report::{Repository, RepositorySummary, RunInfo};
use crate::rules::Rule;
use crate::scan::Report;
use crate::settings::Settings;

use super::Exit;
use super::output::{emit_report, print_notes, print_skip_summary, run_info};

/// What the finish step does with the findings that pass the filters.
pub enum Deliver {
    /// Write the report (to `--report-path` or stdout); for a history scan, with the
    /// repository it describes.
    Report(Option<Repository>),
    /// Write the report of a scan of several repositories (every finding names its
    /// own), with a summary line for each.
    ReportOfMany(Vec<RepositorySummary>),
    /// Hand them back only (scrub-plan writes a plan from them, not a report).
    Return,
}

/// Filters `report`'s findings, prints its notes, delivers it, and returns the exit code
/// with the report as delivered.
pub fn finish(
    mut report: Report,
    filters: &Filters,
    rules: &[Rule],
    settings: &Settings,
    deliver: Deliver,
) -> anyhow::Result<(Exit, Report)> {
    let dropped = filters.apply(&mut report.findings);
    if dropped.below_confidence > 0 && settings.verbose() {
        let _ = writeln!(
            std::io::stderr().lock(),
            "note: {} finding(s) below confidence {} not shown (--confidence low shows them)",
            dropped.below_confidence,
            filters.min_confidence()
        );
    }
    print_notes(&report.notes, settings);
    let run = match deliver {
        Deliver::Report(repository) => Some(run_info(repository)),
        Deliver::ReportOfMany(repositories) => Some(RunInfo {
            repositories: Some(repositories),
            ..run_info(None)
        }),
        Deliver::Return => None,
    };
    if let Some(run) = run {
        // The summary points at `-v`, which only report-writing commands have.
        print_skip_summary(&report.notes, &report.stats, settings);
        emit_report(&report.findings, &report.stats, rules, settings, &run)?;
    }
    let exit = if !report.findings.is_empty() {
        Exit::Findings(settings.exit_code)
    } else if report.incomplete {
        // Without findings, input that could not be read makes the scan incomplete,
        // which is an error.
        Exit::Error
    } else {
        Exit::Clean
    };
    Ok((exit, report))
}
