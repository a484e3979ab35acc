//! `leakhound validate REPORT.json`: checks the findings of an earlier report (made with
//! `--show-secrets`) with their providers, without scanning again: for a history audit,
//! validate once, then rotate what is live first.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::filter::Filters;
use crate::report::Format;
use crate::rules::Confidence;
use crate::scan::Report;
use crate::scrub::{ReportInputError, findings_from_report};
use crate::settings::{ColorWhen, Settings, Verbosity};

use super::finish::{Deliver, finish};
use super::output::Hinted;
use super::setup;
use super::{ColorChoice, Exit, ValidationArgs};

#[derive(Debug, Args)]
pub struct ValidateCommand {
    /// A `leakhound ... --format json --show-secrets` report
    #[arg(value_name = "REPORT")]
    pub report: PathBuf,

    /// Config file for the rules and their validators (default: .leakhound.toml, else
    /// .gitleaks.toml, in the current directory; else the built-in rules)
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Report format
    #[arg(short, long, value_enum, default_value_t = Format::Text, value_name = "FORMAT")]
    pub format: Format,

    /// Write the report to FILE instead of standard output
    #[arg(short = 'o', long, value_name = "FILE")]
    pub report_path: Option<PathBuf>,

    /// Show secrets in full instead of redacted
    #[arg(long)]
    pub show_secrets: bool,

    /// When to colour text output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Exit code when there are findings (see --fail-on-valid-only)
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub exit_code: u8,

    #[command(flatten)]
    pub validation: ValidationArgs,

    /// Print no notes or warnings, only the report and errors
    #[arg(short, long)]
    pub quiet: bool,
}

pub fn run(mut command: ValidateCommand) -> anyhow::Result<Exit> {
    let text = crate::aux_file::read_to_string(&command.report, crate::aux_file::REPORT_FILE_LIMIT)
        .with_context(|| format!("reading {}", command.report.display()))?;
    let findings = match findings_from_report(&text) {
        Ok(findings) => findings,
        Err(ReportInputError::Redacted) => {
            return Err(Hinted::error(
                anyhow::anyhow!(
                    "the secrets in {} are redacted, and checking them needs them",
                    command.report.display()
                ),
                "re-run the scan with `--format json --show-secrets -o FILE`, keep FILE private (chmod 600) and delete it afterwards",
            ));
        }
        Err(error) => {
            return Err(anyhow::Error::new(error))
                .with_context(|| format!("reading {}", command.report.display()));
        }
    };
    let mut settings = Settings {
        config: command.config.clone(),
        format: command.format,
        report_path: command.report_path.clone(),
        show_secrets: command.show_secrets,
        color: match command.color {
            ColorChoice::Auto => ColorWhen::Auto,
            ColorChoice::Always => ColorWhen::Always,
            ColorChoice::Never => ColorWhen::Never,
        },
        // The report's own findings, as they were reported.
        min_confidence: Confidence::Low,
        exit_code: command.exit_code,
        max_file_size: 0,
        decode_depth: 0,
        archive_depth: 0,
        inline_allow: crate::engine::InlineAllow::Honour,
        posture: false,
        baseline: None,
        threads: setup::threads(None),
        verbosity: if command.quiet {
            Verbosity::Quiet
        } else {
            Verbosity::Normal
        },
        validation: None,
    };
    let config = setup::load_config(Some(std::path::Path::new(".")), &settings, true)?;
    command.validation.validate = true;
    setup::resolve_validation(&mut settings, &command.validation, config)?;
    let report = Report {
        findings,
        ..Report::default()
    };
    let filters = Filters::default().with_min_confidence(Confidence::Low);
    let (exit, _) = finish(
        report,
        &filters,
        &config.rules,
        &settings,
        Deliver::Report(None),
    )?;
    Ok(exit)
}
