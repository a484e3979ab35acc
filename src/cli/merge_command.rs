//! `leakhound merge REPORT.json...`: one report from the JSON reports of several runs
//! (the shards of `history --repos --shard K/N`), in any format.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::report::merge::{merge, read_report};
use crate::report::{Color, Format, ReportInput, RunInfo, write_report};

use super::Exit;
use super::args::ColorChoice;

#[derive(Debug, Args)]
pub struct MergeCommand {
    /// leakhound JSON reports (`--format json`) to merge
    #[arg(value_name = "REPORT.json", required = true)]
    pub reports: Vec<PathBuf>,

    /// Format of the merged report
    #[arg(short, long, value_enum, default_value_t = Format::Json, value_name = "FORMAT")]
    pub format: Format,

    /// Write the merged report to FILE instead of standard output
    #[arg(short = 'o', long, value_name = "FILE")]
    pub report_path: Option<PathBuf>,

    /// Show secrets in full (every report must have been written with --show-secrets)
    #[arg(long)]
    pub show_secrets: bool,

    /// When to colour text output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Exit code when there are findings
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub exit_code: u8,

    /// Print no summary table, only the report and errors
    #[arg(short, long)]
    pub quiet: bool,
}

pub fn run(command: MergeCommand) -> anyhow::Result<Exit> {
    let mut read = Vec::with_capacity(command.reports.len());
    for path in &command.reports {
        let text = crate::aux_file::read_to_string(path, crate::aux_file::REPORT_FILE_LIMIT)
            .with_context(|| format!("reading {}", path.display()))?;
        read.push(read_report(&text).with_context(|| format!("{}", path.display()))?);
    }
    let merged = merge(read, command.show_secrets).context(if command.show_secrets {
        "a report was written without --show-secrets"
    } else {
        "merging"
    })?;
    if !command.quiet
        && let Some(repositories) = &merged.repositories
    {
        super::many_repos::print_summary_table(repositories);
    }
    let run = RunInfo {
        command: std::env::args_os()
            .map(|arg| arg.to_string_lossy().into_owned())
            .collect(),
        repository: None,
        repositories: merged.repositories.clone(),
    };
    let mut input = ReportInput {
        findings: &merged.findings,
        stats: &merged.stats,
        rules: &[],
        redaction: merged.redaction,
        color: Color::Never,
        run: &run,
    };
    match &command.report_path {
        Some(path) => {
            let file = File::create(path)
                .with_context(|| format!("creating report file {}", path.display()))?;
            let mut out = BufWriter::new(file);
            write_report(command.format, &input, &mut out)
                .and_then(|()| out.flush())
                .with_context(|| format!("writing report file {}", path.display()))?;
        }
        None => {
            let stdout = io::stdout();
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
            let colored = match command.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => stdout.is_terminal() && !no_color,
            };
            if colored && command.format == Format::Text {
                input.color = Color::Always;
            }
            let mut out = BufWriter::new(stdout.lock());
            match write_report(command.format, &input, &mut out).and_then(|()| out.flush()) {
                Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {}
                other => other.context("writing the report to standard output")?,
            }
        }
    }
    Ok(if !merged.findings.is_empty() {
        Exit::Findings(command.exit_code)
    } else if merged
        .repositories
        .iter()
        .flatten()
        .any(|repository| repository.error.is_some())
    {
        Exit::Error
    } else {
        Exit::Clean
    })
}
