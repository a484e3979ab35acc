//! `leakhound scan [PATH...]`.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::scan::{ScanOptions, Target, scan_targets};
use crate::source::files::WalkOptions;

use super::{CommonArgs, Exit, ScanCommand, output, scan_setup};

pub fn run(command: ScanCommand) -> anyhow::Result<Exit> {
    let targets: Vec<Target> = command
        .paths
        .iter()
        .map(|path| {
            if path == Path::new("-") {
                Target::Stdin
            } else {
                Target::Path(path.clone())
            }
        })
        .collect();
    let root = config_root(&targets);
    let config = scan_setup::load_config(root.as_deref(), &command.common)?;
    let rule_set = scan_setup::compile_rules(config, &command.common);
    let filters =
        scan_setup::load_filters(root.as_deref().or(Some(Path::new("."))), &command.common)?;
    let options = ScanOptions {
        walk: WalkOptions {
            respect_ignore_files: !command.no_ignore,
            follow_symlinks: command.follow_symlinks,
            threads: threads(&command.common),
        },
        max_file_size: command.common.max_file_size,
    };
    let mut report = with_thread_pool(&command.common, || {
        scan_targets(rule_set, &targets, &options)
    })?;
    output::deliver(&mut report, &filters, rule_set.rules(), &command.common)
}

/// The directory whose `.leakhound.toml` applies: the first directory scanned.
fn config_root(targets: &[Target]) -> Option<PathBuf> {
    targets.iter().find_map(|target| match target {
        Target::Path(path) if path.is_dir() => Some(path.clone()),
        _ => None,
    })
}

pub fn threads(common: &CommonArgs) -> usize {
    common
        .threads
        .filter(|&threads| threads > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Runs `work` on a rayon pool of `--threads` workers.
pub fn with_thread_pool<T: Send>(
    common: &CommonArgs,
    work: impl FnOnce() -> T + Send,
) -> anyhow::Result<T> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads(common))
        .build()
        .context("starting worker threads")?;
    Ok(pool.install(work))
}
