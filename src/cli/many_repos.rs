//! `leakhound history --repos FILE [--shard K/N]`: scans every repository of a list (or
//! one shard's share of it) into one report, every finding naming its repository, with
//! a summary line per repository. A repository that cannot be cloned or read is reported
//! in one line and skipped: the run goes on.
//!
//! The list's repositories are scanned one after another, in name order, each on every
//! thread; names are the list's entries (URLs without credentials), so shard runs of
//! one list merge into exactly the report of one run over the whole list.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;

use crate::engine::RuleSet;
use crate::report::RepositorySummary;
use crate::rules::Config;
use crate::scan::Report;
use crate::scan::history::{CommitRange, NoProgress, scan_history};
use crate::settings::Settings;
use crate::source::git::remote::{self, CloneInto};
use crate::source::repo_list::{Shard, parse_list};

use super::Exit;
use super::finish::{Deliver, finish};
use super::history_command::{HistoryCommand, commit_range};
use super::setup::{self, Posture};

/// What one repository of the list is scanned with.
struct Scanning<'a> {
    rules: &'static RuleSet,
    config: &'static Config,
    range: &'a CommitRange,
    settings: &'a Settings,
    keep_clones: Option<&'a Path>,
}

pub fn run(command: &HistoryCommand, list: &Path) -> anyhow::Result<Exit> {
    let started = Instant::now();
    let mut settings = setup::resolve(&command.common, Posture::On);
    let range = commit_range(command)?;
    let mut entries = parse_list(&read_list(list)?);
    if let Some(spec) = &command.shard {
        let job_index = std::env::var("JOB_COMPLETION_INDEX").ok();
        let shard = Shard::parse(spec, job_index.as_deref())?;
        entries.retain(|entry| shard.holds(entry));
    }
    let mut named: Vec<(String, String)> = entries
        .into_iter()
        .map(|entry| (display_name(&entry), entry))
        .collect();
    named.sort();
    if let Some(dir) = &command.keep_clone {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the clone directory {}", dir.display()))?;
    }
    // One configuration for every repository (a mirror has no work tree to hold one):
    // `--config`, else the built-in rules.
    let config = setup::load_config(None, &settings, command.common.validation.validate)?;
    setup::resolve_validation(&mut settings, &command.common.validation, config)?;
    let rules = setup::compile_rules(config, &settings);
    let filters = setup::load_filters(None, &settings)?;
    let scanning = Scanning {
        rules,
        config,
        range: &range,
        settings: &settings,
        keep_clones: command.keep_clone.as_deref(),
    };
    let mut report = Report::default();
    let mut summaries = Vec::with_capacity(named.len());
    setup::with_thread_pool(&settings, || {
        for (name, entry) in &named {
            let summary = match scan_one(&scanning, name, entry) {
                Ok(mut scanned) => {
                    filters.apply(&mut scanned.findings);
                    let summary = RepositorySummary {
                        name: name.clone(),
                        commits_scanned: scanned.commits,
                        findings: scanned.findings.len(),
                        error: scanned.incomplete.then(|| {
                            "some objects could not be read; the scan is incomplete".to_string()
                        }),
                    };
                    absorb(&mut report, scanned, name);
                    summary
                }
                Err(message) => {
                    if !settings.quiet() {
                        let _ = writeln!(
                            std::io::stderr().lock(),
                            "error: {name}: {message} (skipped)"
                        );
                    }
                    report.incomplete = true;
                    RepositorySummary {
                        name: name.clone(),
                        error: Some(message),
                        ..RepositorySummary::default()
                    }
                }
            };
            summaries.push(summary);
        }
    })?;
    report.stats.duration_ms = started.elapsed().as_millis() as u64;
    if !settings.quiet() {
        print_summary_table(&summaries);
    }
    let (exit, _) = finish(
        report,
        &filters,
        rules.rules(),
        &settings,
        Deliver::ReportOfMany(summaries),
    )?;
    Ok(exit)
}

/// The name reports give a list entry: a URL without credentials, a path as written.
fn display_name(entry: &str) -> String {
    if is_url(entry) {
        remote::strip_credentials(entry)
    } else {
        entry.to_string()
    }
}

/// Whether a list entry is cloned: a URL, unless a directory of that name exists here.
fn is_url(entry: &str) -> bool {
    remote::is_remote(entry) && !Path::new(entry).exists()
}

/// The list, from a file or standard input, never more than a config's cap.
fn read_list(list: &Path) -> anyhow::Result<String> {
    if list == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .lock()
            .take(crate::aux_file::SMALL_FILE_LIMIT)
            .read_to_string(&mut text)
            .context("reading the repository list from standard input")?;
        return Ok(text);
    }
    crate::aux_file::read_to_string(list, crate::aux_file::SMALL_FILE_LIMIT)
        .with_context(|| format!("reading the repository list {}", list.display()))
}

/// One repository's findings and totals.
struct Scanned {
    findings: Vec<crate::finding::Finding>,
    notes: Vec<crate::source::Note>,
    stats: crate::finding::ScanStats,
    commits: u64,
    incomplete: bool,
}

/// Clones (for a URL) and scans one repository; the error is one line.
fn scan_one(scanning: &Scanning<'_>, name: &str, entry: &str) -> Result<Scanned, String> {
    let clone = if is_url(entry) {
        let into = match scanning.keep_clones {
            Some(dir) => CloneInto::Kept(dir.join(clone_dir_name(name))),
            None => CloneInto::Temporary,
        };
        Some(remote::clone_mirror(entry, &into).map_err(|error| error.reason())?)
    } else {
        None
    };
    let path = clone
        .as_ref()
        .map_or_else(|| PathBuf::from(entry), |clone| clone.path().to_path_buf());
    let history = scan_history(
        scanning.rules,
        scanning.config,
        &path,
        scanning.range,
        scanning.settings,
        &NoProgress,
    )
    .map_err(|error| format!("{:#}", anyhow::Error::from(error)))?;
    Ok(Scanned {
        findings: history.report.findings,
        notes: history.report.notes,
        stats: history.report.stats,
        commits: history.commits_scanned,
        incomplete: history.report.incomplete,
    })
}

/// Adds one repository's scan to the run's report: its findings name it, its notes too.
fn absorb(report: &mut Report, scanned: Scanned, name: &str) {
    report
        .findings
        .extend(scanned.findings.into_iter().map(|mut finding| {
            finding.repository = Some(name.to_string());
            finding
        }));
    report
        .notes
        .extend(scanned.notes.into_iter().map(|mut note| {
            note.subject = format!("{name}: {}", note.subject);
            note
        }));
    report.stats.files_scanned += scanned.stats.files_scanned;
    report.stats.bytes_scanned += scanned.stats.bytes_scanned;
    report.stats.files_skipped += scanned.stats.files_skipped;
    report.incomplete |= scanned.incomplete;
}

/// `--keep-clone DIR` with a list: each URL's mirror in a directory named after it.
fn clone_dir_name(name: &str) -> String {
    let name = name.split_once("://").map_or(name, |(_, rest)| rest);
    let slug: String = name
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{}.git", slug.trim_matches(['_', '.']))
}

/// The per-repository table on stderr: commits, findings and any error.
pub(super) fn print_summary_table(summaries: &[RepositorySummary]) {
    let width = summaries
        .iter()
        .map(|summary| summary.name.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(10, 80);
    let mut stderr = std::io::stderr().lock();
    let bold = if std::io::stderr().is_terminal() {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("", "")
    };
    let _ = writeln!(
        stderr,
        "{}{:<width$}  {:>8}  {:>8}  error{}",
        bold.0, "repository", "commits", "findings", bold.1
    );
    for summary in summaries {
        let _ = writeln!(
            stderr,
            "{:<width$}  {:>8}  {:>8}  {}",
            crate::finding::escape_control(&summary.name),
            summary.commits_scanned,
            summary.findings,
            summary.error.as_deref().unwrap_or("")
        );
    }
    let failed = summaries.iter().filter(|s| s.error.is_some()).count();
    let _ = writeln!(
        stderr,
        "{} repositories, {failed} with errors, {} findings",
        summaries.len(),
        summaries.iter().map(|s| s.findings).sum::<usize>()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_clones_are_named_after_their_url() {
        assert_eq!(
            clone_dir_name("https://github.com/acme/widgets.git"),
            "github.com_acme_widgets.git"
        );
        assert_eq!(clone_dir_name("git@h:acme/x"), "git_h_acme_x.git");
    }
}
