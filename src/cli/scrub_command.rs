//! `leakhound scrub-plan [REPO] [--from-report FILE] -o DIR`: plans the rotation of every
//! secret in a repository's history and the rewrite that removes them (see [`crate::scrub`]).
//! It writes files and prints a summary without any secret; it changes no repository.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

use crate::engine::InlineAllow;
use crate::report::Format;
use crate::rules::Confidence;
use crate::scan::history::{CommitRange, NoProgress, scan_history};
use crate::scrub::{self, ReportInputError, write::ScriptSettings};
use crate::settings::{ColorWhen, Settings, Verbosity};
use crate::source::git::Repository;

use super::finish::{Deliver, finish};
use super::output::Hinted;
use super::setup;
use super::{Exit, parse_size};

#[derive(Debug, Args)]
pub struct ScrubPlanCommand {
    /// The repository whose history holds the secrets
    #[arg(value_name = "REPO", default_value = ".")]
    pub repo: PathBuf,

    /// Plan from a `leakhound history --format json --show-secrets` report instead of scanning
    #[arg(long, value_name = "FILE")]
    pub from_report: Option<PathBuf>,

    /// Directory for the plan (created if needed; keep it outside the repository)
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,

    /// Config file (default: .leakhound.toml, else .gitleaks.toml, at the repository's root; else the built-in rules)
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Look for secrets inside base64 blobs this many levels deep (0: off)
    #[arg(long, default_value_t = crate::engine::DEFAULT_DECODE_DEPTH, value_name = "N")]
    pub decode_depth: usize,

    /// Skip blobs larger than this (bytes, or with a K/M/G suffix)
    #[arg(long, default_value = "10M", value_name = "SIZE", value_parser = parse_size)]
    pub max_file_size: u64,

    /// Worker threads (default: one per core)
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// Print no notes or warnings, only the summary and errors
    #[arg(short, long)]
    pub quiet: bool,
}

pub fn run(command: ScrubPlanCommand) -> anyhow::Result<Exit> {
    if let Some(work_dir) = work_dir_of(&command.repo)
        && is_inside(&command.output, &work_dir)
    {
        anyhow::bail!(
            "the plan directory {} is inside the repository's working tree {}, where its secrets could be committed; choose a directory outside it",
            command.output.display(),
            work_dir.display()
        );
    }
    let findings = match &command.from_report {
        Some(report_path) => match findings_from(report_path)? {
            Ok(findings) => findings,
            Err(ReportInputError::Redacted) => {
                return Err(Hinted::error(
                    anyhow::anyhow!(
                        "the secrets in {} are redacted, and the plan needs them to replace them",
                        report_path.display()
                    ),
                    "re-run `leakhound history --format json --show-secrets -o FILE`, keep FILE private (chmod 600) and delete it afterwards",
                ));
            }
            Err(error) => {
                return Err(anyhow::Error::new(error))
                    .with_context(|| format!("reading {}", report_path.display()));
            }
        },
        None => scan(&command)?,
    };
    if findings.is_empty() {
        eprintln!("no secrets in the history: nothing to plan");
        return Ok(Exit::Clean);
    }
    let plan = scrub::build_plan(&findings, &command.repo);
    let settings = ScriptSettings {
        config: command.config.clone(),
        decode_depth: command.decode_depth,
    };
    scrub::write_plan(&plan, &command.output, &settings)
        .with_context(|| format!("writing the plan to {}", command.output.display()))?;

    let removed = plan.paths_to_remove.len();
    let in_head = plan
        .secrets
        .iter()
        .filter(|secret| secret.in_head == Some(true))
        .count();
    let dir = command.output.display();
    eprintln!(
        "planned {} secret(s) ({in_head} still in HEAD), {} replacement(s), {removed} path(s) to remove",
        plan.secrets.len(),
        plan.replacements.len()
    );
    eprintln!(
        "wrote {dir}/PLAN.md, PLAN.html, plan.json, replacements.txt, paths-to-remove.txt and scrub.sh"
    );
    eprintln!("next: rotate every secret (see {dir}/PLAN.md), then run `bash {dir}/scrub.sh`");
    eprintln!(
        "{dir}/replacements.txt holds the raw secrets: keep it private and delete it when done"
    );
    Ok(Exit::Clean)
}

fn findings_from(
    report_path: &Path,
) -> anyhow::Result<Result<Vec<crate::finding::Finding>, ReportInputError>> {
    let text = crate::aux_file::read_to_string(report_path, crate::aux_file::REPORT_FILE_LIMIT)
        .with_context(|| format!("reading {}", report_path.display()))?;
    Ok(scrub::findings_from_report(&text))
}

/// The settings of the history scan behind a plan: its own few options, and what a plan
/// needs (every secret it can rotate, none of them hidden by confidence or posture).
fn settings(command: &ScrubPlanCommand) -> Settings {
    Settings {
        config: command.config.clone(),
        format: Format::Json,
        report_path: None,
        show_secrets: false,
        color: ColorWhen::Never,
        min_confidence: Confidence::Medium,
        exit_code: 1,
        max_file_size: command.max_file_size,
        decode_depth: command.decode_depth,
        archive_depth: crate::source::archive::ArchiveLimits::default().max_depth,
        inline_allow: InlineAllow::Honour,
        // A plan rotates secrets; posture findings hold none.
        posture: false,
        baseline: None,
        threads: setup::threads(command.threads),
        verbosity: if command.quiet {
            Verbosity::Quiet
        } else {
            Verbosity::Normal
        },
        validation: None,
    }
}

/// Runs the history scan through the finish step, without writing a report.
fn scan(command: &ScrubPlanCommand) -> anyhow::Result<Vec<crate::finding::Finding>> {
    let settings = settings(command);
    let root = command.repo.is_dir().then(|| command.repo.clone());
    let config = setup::load_config(root.as_deref(), &settings, false)?;
    let rule_set = setup::compile_rules(config, &settings);
    let filters = setup::load_filters(root.as_deref(), &settings)?;
    let outcome = setup::with_thread_pool(&settings, || {
        scan_history(
            rule_set,
            config,
            &command.repo,
            &CommitRange::AllRefs,
            &settings,
            &NoProgress,
        )
    })?;
    let history = outcome.map_err(|error| {
        Hinted::error(
            error,
            "name a git repository: `leakhound scrub-plan PATH -o DIR`",
        )
    })?;
    let (_, report) = finish(
        history.report,
        &filters,
        rule_set.rules(),
        &settings,
        Deliver::Return,
    )?;
    if report.incomplete && !settings.quiet() {
        eprintln!(
            "warning: the history could not be read completely; the plan covers what was scanned"
        );
    }
    Ok(report.findings)
}

/// The working tree of the repository at `repo`, if it has one.
fn work_dir_of(repo: &Path) -> Option<PathBuf> {
    let repository = Repository::discover(repo).ok()?;
    std::fs::canonicalize(repository.work_dir()?).ok()
}

/// Whether `dir` (which may not exist yet) is `root` or below it.
fn is_inside(dir: &Path, root: &Path) -> bool {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    // Canonicalise the longest existing ancestor, so symlinks and `..` do not hide it.
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return false,
        }
    }
    let Ok(mut resolved) = std::fs::canonicalize(existing) else {
        return false;
    };
    for name in rest.iter().rev() {
        resolved.push(name);
    }
    resolved.starts_with(root)
}
