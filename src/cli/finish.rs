//! The one finish step of every scanning command (scan, staged, history, and the scan
//! scrub-plan runs): filters → validation (when asked; to come) → notes → report → exit
//! code. Every command gets the same suppression, the same notes and the same exit rules.

use std::io::Write;

use crate::filter::Filters;
use crate::report::{Repository, RepositorySummary, RunInfo};
use crate::rules::Rule;
use crate::scan::Report;
use crate::settings::{Settings, Validation};

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
    if let Some(validation) = &settings.validation {
        validate(&mut report, rules, validation, settings)?;
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
    let fails = |finding: &crate::finding::Finding| match &settings.validation {
        Some(validation) if validation.fail_on_valid_only => finding
            .validation
            .as_ref()
            .is_some_and(|outcome| outcome.is_valid()),
        _ => true,
    };
    let exit = if report.findings.iter().any(fails) {
        Exit::Findings(settings.exit_code)
    } else if !report.findings.is_empty() {
        // Reported, but none confirmed live under --fail-on-valid-only.
        Exit::Clean
    } else if report.incomplete {
        // Without findings, input that could not be read makes the scan incomplete,
        // which is an error.
        Exit::Error
    } else {
        Exit::Clean
    };
    Ok((exit, report))
}

/// Checks the findings' secrets with their providers, keeps only the live ones under
/// `--only-valid`, and says what was done. Ctrl-C stops the checks still to do (they are
/// reported `not-checked`); the report is still written whole.
fn validate(
    report: &mut Report,
    rules: &[Rule],
    validation: &Validation,
    settings: &Settings,
) -> anyhow::Result<()> {
    let cancel = interrupt::flag();
    let summary = crate::validate::validate_findings(
        &mut report.findings,
        rules,
        &validation.checks,
        cancel,
    )?;
    if validation.only_valid {
        report.findings.retain(|finding| {
            finding
                .validation
                .as_ref()
                .is_some_and(|outcome| outcome.is_valid())
        });
    }
    if !settings.quiet() {
        let _ = writeln!(
            std::io::stderr().lock(),
            "validation: {} secret(s) checked: {} valid, {} invalid, {} unavailable; {} not checked; {} request(s){}",
            summary.checked,
            summary.valid,
            summary.invalid,
            summary.unavailable,
            summary.not_checked,
            summary.requests,
            if summary.interrupted {
                " (interrupted: the rest are not checked)"
            } else {
                ""
            }
        );
    }
    Ok(())
}

/// Ctrl-C during validation: a flag the checks look at between requests.
mod interrupt {
    use std::sync::atomic::{AtomicBool, Ordering};

    static INTERRUPTED: AtomicBool = AtomicBool::new(false);

    #[cfg(unix)]
    extern "C" fn on_interrupt(_signal: libc::c_int) {
        // Only an atomic store: async-signal-safe.
        INTERRUPTED.store(true, Ordering::SeqCst);
    }

    /// The flag, with SIGINT routed to it from now on (a second Ctrl-C still only sets
    /// it: the checks in flight end by their timeout).
    pub fn flag() -> &'static AtomicBool {
        #[cfg(unix)]
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        unsafe {
            libc::signal(
                libc::SIGINT,
                on_interrupt as extern "C" fn(libc::c_int) as *const () as libc::sighandler_t,
            );
        }
        &INTERRUPTED
    }
}
