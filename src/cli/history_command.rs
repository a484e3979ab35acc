//! `leakhound history [REPO|URL]`: scans every commit of a repository (or a selection of
//! them) and says which commit introduced each secret. A URL is cloned first (a bare
//! mirror, removed afterwards); `--repos FILE` scans many ([`super::many_repos`]).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::scan::history::{CommitRange, HistoryProgress, NoProgress, scan_history};
use crate::source::git::GitError;
use crate::source::git::remote::{self, CloneInto};

use super::finish::{Deliver, finish};
use super::output::Hinted;
use super::setup::{self, Posture};
use super::{CommonArgs, Exit};

#[derive(Debug, Args)]
pub struct HistoryCommand {
    /// The repository (any directory inside it, a bare repository or a worktree), or the
    /// URL of one to clone (https, ssh, git, file, or scp-like host:path)
    #[arg(value_name = "REPO|URL", default_value = ".")]
    pub repo: PathBuf,

    /// Scan every repository listed in FILE (paths or URLs, one a line; `#` comments;
    /// `-` reads standard input) into one report
    #[arg(long, value_name = "FILE", conflicts_with = "repo")]
    pub repos: Option<PathBuf>,

    /// With --repos: scan only shard K of N (1-based), a stable share of the list by a
    /// hash of each entry; `auto/N` takes K from JOB_COMPLETION_INDEX (Kubernetes
    /// Indexed Jobs, 0-based)
    #[arg(long, value_name = "K/N", requires = "repos")]
    pub shard: Option<String>,

    /// Keep the clone of a remote repository in DIR instead of a temporary directory
    /// (with --repos, one bare repository per URL under DIR)
    #[arg(long, value_name = "DIR")]
    pub keep_clone: Option<PathBuf>,

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
    if let Some(list) = &command.repos {
        return super::many_repos::run(&command, list);
    }
    let mut settings = setup::resolve(&command.common, Posture::On);
    let range = commit_range(&command)?;
    let target = command.repo.to_string_lossy().into_owned();
    // A directory that happens to be named like `host:path` is scanned where it is.
    let clone = if remote::is_remote(&target) && !command.repo.exists() {
        let into = match &command.keep_clone {
            Some(dir) => CloneInto::Kept(dir.clone()),
            None => CloneInto::Temporary,
        };
        Some(remote::clone_mirror(&target, &into).map_err(|error| {
            Hinted::error(
                error,
                "check the URL, and that `git clone` of it works here (credentials come from your git configuration)",
            )
        })?)
    } else {
        None
    };
    let repo_path = clone
        .as_ref()
        .map_or_else(|| command.repo.clone(), |clone| clone.path().to_path_buf());
    // A clone has no work tree, so no config or ignore file of its own to find.
    let root = (clone.is_none() && command.repo.is_dir()).then(|| command.repo.clone());
    let config = setup::load_config(
        root.as_deref(),
        &settings,
        command.common.validation.validate,
    )?;
    setup::resolve_validation(&mut settings, &command.common.validation, config)?;
    let rule_set = setup::compile_rules(config, &settings);
    let filters = setup::load_filters(root.as_deref(), &settings)?;
    let show_progress = !settings.quiet() && std::io::stderr().is_terminal();
    let show_timings = std::env::var_os("LEAKHOUND_TIMINGS").is_some();
    let scan = |progress: &dyn HistoryProgress| {
        scan_history(rule_set, config, &repo_path, &range, &settings, progress)
    };
    let outcome = setup::with_thread_pool(&settings, || {
        if show_timings {
            scan(&PhaseTimings::default())
        } else if show_progress {
            scan(&TerminalProgress::new())
        } else {
            scan(&NoProgress)
        }
    })?;
    let mut history = outcome.map_err(|error| match error {
        GitError::NotARepository { .. } => Hinted::error(
            error,
            "run inside a repository or name one (`leakhound history PATH`); scan plain files with `leakhound scan PATH`",
        ),
        error => error.into(),
    })?;
    let (name, remote_url) = match &clone {
        Some(_) => {
            let shown = remote::strip_credentials(&target);
            (shown.clone(), Some(shown))
        }
        None => (
            std::fs::canonicalize(&command.repo)
                .unwrap_or_else(|_| command.repo.clone())
                .display()
                .to_string(),
            history.remote_url.take(),
        ),
    };
    let repository = crate::report::Repository {
        name,
        remote_url,
        head: history.head.take(),
        commits_scanned: history.commits_scanned,
    };
    let (exit, _) = finish(
        history.report,
        &filters,
        rule_set.rules(),
        &settings,
        Deliver::Report(Some(repository)),
    )?;
    Ok(exit)
}

pub(super) fn commit_range(command: &HistoryCommand) -> anyhow::Result<CommitRange> {
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
