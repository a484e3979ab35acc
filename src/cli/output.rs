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

use crate::settings::{ColorWhen, Settings};

/// Prints an error and its causes to stderr, as `error: ...` plus `caused by:` lines,
/// then the hint of a [`Hinted`] error.
pub fn print_error(error: &anyhow::Error) {
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "error: {error}");
    for cause in error.chain().skip(1) {
        let _ = writeln!(stderr, "  caused by: {cause}");
    }
    if let Some(hinted) = error.downcast_ref::<Hinted>() {
        let _ = writeln!(stderr, "hint: {}", hinted.hint);
    }
}

/// Prints a hint: what to do next, after an error or a note. The one way hints reach
/// the user.
pub fn print_hint(hint: &str) {
    let _ = writeln!(io::stderr().lock(), "hint: {hint}");
}

/// An error the user can fix, with the hint that says how. The message is the error's
/// own; its causes, if any, are kept.
#[derive(Debug)]
pub struct Hinted {
    pub error: anyhow::Error,
    pub hint: String,
}

impl Hinted {
    pub fn error(error: impl Into<anyhow::Error>, hint: impl Into<String>) -> anyhow::Error {
        anyhow::Error::new(Hinted {
            error: error.into(),
            hint: hint.into(),
        })
    }
}

impl std::fmt::Display for Hinted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.error)
    }
}

impl std::error::Error for Hinted {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.source()
    }
}

/// Prints notes to stderr: warnings unless `--quiet`, the rest with `--verbose`.
pub fn print_notes(notes: &[Note], settings: &Settings) {
    let mut stderr = io::stderr().lock();
    for note in notes {
        let shown = match note.level {
            NoteLevel::Warning => !settings.quiet(),
            NoteLevel::Info => settings.verbose(),
        };
        if shown {
            let label = match note.level {
                NoteLevel::Warning => "warning",
                NoteLevel::Info => "note",
            };
            let _ = writeln!(
                stderr,
                "{label}: {}",
                crate::finding::escape_control(&note.to_string())
            );
        }
    }
}

/// Without `--verbose`, one line that says how many files were skipped on purpose and why,
/// so that a skipped file does not pass for a scanned one.
pub fn print_skip_summary(notes: &[Note], stats: &ScanStats, settings: &Settings) {
    if settings.verbosity != crate::settings::Verbosity::Normal || stats.files_skipped == 0 {
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

/// What the report says about this run: the command line, and the repository scanned.
pub fn run_info(repository: Option<Repository>) -> RunInfo {
    RunInfo {
        command: std::env::args_os()
            .map(|arg| arg.to_string_lossy().into_owned())
            .collect(),
        repository,
        repositories: None,
    }
}

/// Renders the report where `--report-path` says, or to stdout.
pub fn emit_report(
    findings: &[Finding],
    stats: &ScanStats,
    rules: &[Rule],
    settings: &Settings,
    run: &RunInfo,
) -> anyhow::Result<()> {
    if let Some(warning) = crate::report::capacity_warning(settings.format, findings.len())
        && !settings.quiet()
    {
        let _ = writeln!(io::stderr().lock(), "warning: {warning}");
    }
    let redaction = if settings.show_secrets {
        Redaction::None
    } else {
        Redaction::Partial
    };
    match &settings.report_path {
        Some(path) => {
            let input = ReportInput {
                findings,
                stats,
                rules,
                redaction,
                color: Color::Never,
                run,
            };
            write_to_file(path, settings.format, &input)
        }
        None => {
            let stdout = io::stdout();
            let color = decide_color(settings.color, settings.format, stdout.is_terminal());
            let input = ReportInput {
                findings,
                stats,
                rules,
                redaction,
                color,
                run,
            };
            let mut out = BufWriter::new(stdout.lock());
            match write_report(settings.format, &input, &mut out).and_then(|()| out.flush()) {
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
fn decide_color(choice: ColorWhen, format: Format, is_terminal: bool) -> Color {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
    match choice {
        _ if format != Format::Text => Color::Never,
        ColorWhen::Always => Color::Always,
        ColorWhen::Never => Color::Never,
        ColorWhen::Auto if is_terminal && !no_color => Color::Always,
        ColorWhen::Auto => Color::Never,
    }
}
