//! Where output goes: the report to stdout or `--report-path`, notes and errors to
//! stderr, colour only for a terminal that wants it.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;

use anyhow::Context;

use crate::finding::{Finding, Redaction, ScanStats};
use crate::report::{Color, Format, ReportInput, Repository, RunInfo, write_report};
use crate::rules::Rule;
use crate::source::{Note, NoteLevel, SkipReason};

use crate::filter::{Dropped, Filters};
use crate::scan::Report;

use super::{ColorChoice, CommonArgs, Exit};

/// Prints an error and its causes to stderr, as `error: ...` plus `caused by:` lines.
pub fn print_error(error: &anyhow::Error) {
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "error: {error}");
    for cause in error.chain().skip(1) {
        let _ = writeln!(stderr, "  caused by: {cause}");
    }
}

/// Prints notes to stderr: warnings unless `--quiet`, the rest with `--verbose`.
pub fn print_notes(notes: &[Note], common: &CommonArgs) {
    let mut stderr = io::stderr().lock();
    for note in notes {
        let shown = match note.level {
            NoteLevel::Warning => !common.quiet,
            NoteLevel::Info => common.verbose,
        };
        if shown {
            let label = match note.level {
                NoteLevel::Warning => "warning",
                NoteLevel::Info => "note",
            };
            let _ = writeln!(
                stderr,
                "{label}: {}",
                crate::report::escape_control(&note.to_string())
            );
        }
    }
}

/// Without `--verbose`, one line that says how many files were skipped on purpose and why,
/// so that a skipped file does not pass for a scanned one.
pub fn print_skip_summary(notes: &[Note], stats: &ScanStats, common: &CommonArgs) {
    if common.verbose || common.quiet || stats.files_skipped == 0 {
        return;
    }
    let mut reasons: Vec<SkipReason> = notes.iter().filter_map(|note| note.skipped).collect();
    reasons.sort_unstable();
    reasons.dedup();
    if reasons.is_empty() {
        return;
    }
    let why: Vec<&str> = reasons
        .iter()
        .map(|reason| match reason {
            SkipReason::Binary => "binary",
            SkipReason::TooLarge => "over --max-file-size",
        })
        .collect();
    let files = if stats.files_skipped == 1 {
        "file"
    } else {
        "files"
    };
    let _ = writeln!(
        io::stderr().lock(),
        "note: skipped {} {files} ({}); -v lists them",
        stats.files_skipped,
        why.join(" or ")
    );
}

/// The end of every scan that reports findings: drop what the filters suppress, print the
/// notes, write the report, and return the exit code.
pub fn deliver(
    report: &mut Report,
    filters: &Filters,
    rules: &[Rule],
    common: &CommonArgs,
) -> anyhow::Result<Exit> {
    let dropped = filters.apply(&mut report.findings);
    note_below_confidence(dropped, filters, common);
    print_notes(&report.notes, common);
    print_skip_summary(&report.notes, &report.stats, common);
    emit_report(
        &report.findings,
        &report.stats,
        rules,
        common,
        &run_info(None),
    )?;
    Ok(exit_for(report, common))
}

/// With `-v`, says how many findings `--confidence` kept back.
pub fn note_below_confidence(dropped: Dropped, filters: &Filters, common: &CommonArgs) {
    if dropped.below_confidence > 0 && common.verbose {
        let level = filters.min_confidence();
        let _ = writeln!(
            io::stderr().lock(),
            "note: {} finding(s) below confidence {level} not shown (--confidence low shows them)",
            dropped.below_confidence
        );
    }
}

/// Findings decide the exit code; without findings, input that could not be read (a
/// warning note) makes the scan incomplete, which is an error.
fn exit_for(report: &Report, common: &CommonArgs) -> Exit {
    if !report.findings.is_empty() {
        Exit::Findings(common.exit_code)
    } else if report
        .notes
        .iter()
        .any(|note| note.level == NoteLevel::Warning)
    {
        Exit::Error
    } else {
        Exit::Clean
    }
}

/// What the report says about this run: the command line, and the repository scanned.
pub fn run_info(repository: Option<Repository>) -> RunInfo {
    RunInfo {
        command: std::env::args_os()
            .map(|arg| arg.to_string_lossy().into_owned())
            .collect(),
        repository,
    }
}

/// Renders the report where `--report-path` says, or to stdout.
pub fn emit_report(
    findings: &[Finding],
    stats: &ScanStats,
    rules: &[Rule],
    common: &CommonArgs,
    run: &RunInfo,
) -> anyhow::Result<()> {
    if let Some(warning) = crate::report::capacity_warning(common.format, findings.len())
        && !common.quiet
    {
        let _ = writeln!(io::stderr().lock(), "warning: {warning}");
    }
    let redaction = if common.show_secrets {
        Redaction::None
    } else {
        Redaction::Partial
    };
    match &common.report_path {
        Some(path) => {
            let input = ReportInput {
                findings,
                stats,
                rules,
                redaction,
                color: Color::Never,
                run,
            };
            write_to_file(path, common.format, &input)
        }
        None => {
            let stdout = io::stdout();
            let color = decide_color(common.color, common.format, stdout.is_terminal());
            let input = ReportInput {
                findings,
                stats,
                rules,
                redaction,
                color,
                run,
            };
            let mut out = BufWriter::new(stdout.lock());
            match write_report(common.format, &input, &mut out).and_then(|()| out.flush()) {
                // A closed pipe (`| head`) is the reader's choice, not an error.
                Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("writing the report to standard output"),
            }
        }
    }
}

fn write_to_file(path: &Path, format: Format, input: &ReportInput<'_>) -> anyhow::Result<()> {
    let file =
        File::create(path).with_context(|| format!("creating report file {}", path.display()))?;
    let mut out = BufWriter::new(file);
    write_report(format, input, &mut out)
        .and_then(|()| out.flush())
        .with_context(|| format!("writing report file {}", path.display()))
}

/// `--color auto` colours text on a terminal unless `NO_COLOR` is set.
fn decide_color(choice: ColorChoice, format: Format, is_terminal: bool) -> Color {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
    match choice {
        _ if format != Format::Text => Color::Never,
        ColorChoice::Always => Color::Always,
        ColorChoice::Never => Color::Never,
        ColorChoice::Auto if is_terminal && !no_color => Color::Always,
        ColorChoice::Auto => Color::Never,
    }
}
