//! `leakhound history [REPO]`: scans every commit of a repository (or a selection of
//! them) and says which commit introduced each secret.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::scan::history::{
    CommitRange, HistoryError, HistoryOptions, HistoryProgress, NoProgress, scan_history,
};

use super::scan_command::{threads, with_thread_pool};
use super::scan_setup;
use super::{CommonArgs, Exit, output};

#[derive(Debug, Args)]
pub struct HistoryCommand {
    /// The repository (any directory inside it, a bare repository or a worktree)
    #[arg(value_name = "REPO", default_value = ".")]
    pub repo: PathBuf,

    /// Only commits after REV: what the refs reach and REV does not
    #[arg(long, value_name = "REV", conflicts_with_all = ["branch", "range"])]
    pub since_commit: Option<String>,

    /// Only commits reachable from this branch (or any revision)
    #[arg(long, value_name = "NAME", conflicts_with = "range")]
    pub branch: Option<String>,

    /// Only commits in A..B: reachable from B and not from A
    #[arg(long, value_name = "A..B")]
    pub range: Option<String>,

    #[command(flatten)]
    pub common: CommonArgs,
}

pub fn run(command: HistoryCommand) -> anyhow::Result<Exit> {
    let range = commit_range(&command)?;
    let root = command.repo.is_dir().then(|| command.repo.clone());
    let config = scan_setup::load_config(root.as_deref(), &command.common)?;
    let rule_set = scan_setup::compile_rules(config, &command.common);
    let filters = scan_setup::load_filters(root.as_deref(), &command.common)?;
    let options = HistoryOptions {
        range,
        max_file_size: command.common.max_file_size,
        threads: threads(&command.common),
    };
    let show_progress = !command.common.quiet && std::io::stderr().is_terminal();
    let show_timings = std::env::var_os("LEAKHOUND_TIMINGS").is_some();
    let outcome = with_thread_pool(&command.common, || {
        if show_timings {
            let progress = PhaseTimings::default();
            scan_history(rule_set, config, &command.repo, &options, &progress)
        } else if show_progress {
            let progress = TerminalProgress::new();
            scan_history(rule_set, config, &command.repo, &options, &progress)
        } else {
            scan_history(rule_set, config, &command.repo, &options, &NoProgress)
        }
    })?;
    let mut history = match outcome {
        Ok(history) => history,
        Err(error @ HistoryError::NotARepository { .. }) => {
            output::print_error(&anyhow::Error::new(error));
            eprintln!(
                "hint: run inside a repository or name one (`leakhound history PATH`); scan plain files with `leakhound scan PATH`"
            );
            return Ok(Exit::Error);
        }
        Err(error) => return Err(error.into()),
    };
    let dropped = filters.apply(&mut history.report.findings);
    output::note_below_confidence(dropped, &filters, &command.common);
    output::print_notes(&history.report.notes, &command.common);
    output::print_skip_summary(
        &history.report.notes,
        &history.report.stats,
        &command.common,
    );
    let repository = crate::report::Repository {
        name: std::fs::canonicalize(&command.repo)
            .unwrap_or_else(|_| command.repo.clone())
            .display()
            .to_string(),
        remote_url: history.remote_url.take(),
        head: history.head.take(),
        commits_scanned: history.commits_scanned,
    };
    output::emit_report(
        &history.report.findings,
        &history.report.stats,
        rule_set.rules(),
        &command.common,
        &output::run_info(Some(repository)),
    )?;
    Ok(if !history.report.findings.is_empty() {
        Exit::Findings(command.common.exit_code)
    } else if history.incomplete {
        Exit::Error
    } else {
        Exit::Clean
    })
}

fn commit_range(command: &HistoryCommand) -> anyhow::Result<CommitRange> {
    Ok(if let Some(since) = &command.since_commit {
        CommitRange::SinceCommit(since.clone())
    } else if let Some(branch) = &command.branch {
        CommitRange::Branch(branch.clone())
    } else if let Some(range) = &command.range {
        let (exclude, tip) = range
            .split_once("..")
            .filter(|(exclude, tip)| {
                !exclude.is_empty() && !tip.is_empty() && !tip.starts_with('.')
            })
            .with_context(|| {
                format!("`--range {range}` is not of the form A..B (e.g. main..feature)")
            })?;
        CommitRange::Range {
            exclude: exclude.to_string(),
            tip: tip.to_string(),
        }
    } else {
        CommitRange::AllRefs
    })
}

/// A progress bar on stderr: objects read, blobs scanned, MB/s and ETA.
struct TerminalProgress {
    bar: ProgressBar,
    phase_started: Mutex<Instant>,
    bytes: AtomicU64,
}

impl TerminalProgress {
    fn new() -> TerminalProgress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.enable_steady_tick(Duration::from_millis(120));
        TerminalProgress {
            bar,
            phase_started: Mutex::new(Instant::now()),
            bytes: AtomicU64::new(0),
        }
    }
}

impl HistoryProgress for TerminalProgress {
    fn phase(&self, name: &'static str, total: u64) {
        let template = if name == "scanning blobs" {
            "{prefix} {wide_bar} {pos}/{len} blobs, {msg}, ETA {eta}"
        } else if total > 0 {
            "{spinner} {prefix} {pos}/{len} objects"
        } else {
            "{spinner} {prefix}"
        };
        self.bar.set_style(
            ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        self.bar.set_prefix(name);
        self.bar.set_length(total);
        self.bar.set_position(0);
        self.bar.set_message("0 MB/s");
        self.bar.reset_eta();
        if let Ok(mut started) = self.phase_started.lock() {
            *started = Instant::now();
        }
        self.bytes.store(0, Ordering::Relaxed);
    }

    fn advance(&self, bytes: u64) {
        self.bar.inc(1);
        if bytes > 0 {
            let total = self.bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
            if self.bar.position().is_multiple_of(256)
                && let Ok(started) = self.phase_started.lock()
            {
                let elapsed = started.elapsed().as_secs_f64().max(0.001);
                self.bar
                    .set_message(format!("{:.0} MB/s", total as f64 / elapsed / 1e6));
            }
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// `LEAKHOUND_TIMINGS=1`: how long each phase took, on stderr (for benchmarks).
#[derive(Default)]
struct PhaseTimings {
    current: Mutex<Option<(&'static str, Instant)>>,
}

impl PhaseTimings {
    fn end_phase(&self) {
        if let Ok(mut current) = self.current.lock()
            && let Some((name, started)) = current.take()
        {
            eprintln!(
                "timing: {name}: {} ms{}",
                started.elapsed().as_millis(),
                memory_in_use()
            );
        }
    }
}

impl HistoryProgress for PhaseTimings {
    fn phase(&self, name: &'static str, _total: u64) {
        self.end_phase();
        if let Ok(mut current) = self.current.lock() {
            *current = Some((name, Instant::now()));
        }
    }

    fn advance(&self, _bytes: u64) {}

    fn finish(&self) {
        self.end_phase();
    }
}

/// Resident memory of this process, anonymous and file-backed (Linux only; empty elsewhere).
fn memory_in_use() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .map(|value| value.trim().to_string())
            .unwrap_or_default()
    };
    format!(
        ", rss anon {}, file {}, peak {}",
        field("RssAnon:"),
        field("RssFile:"),
        field("VmHWM:")
    )
}
