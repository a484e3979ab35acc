//! `leakhound scan [PATH...]`.

use std::path::{Path, PathBuf};

use crate::scan::scan_targets;
use crate::source::archive::ArchiveLimits;
use crate::source::files::WalkOptions;
use crate::source::targets::Target;

use super::finish::{Deliver, finish};
use super::setup::{self, Posture};
use super::{Exit, ScanCommand};

pub fn run(command: ScanCommand) -> anyhow::Result<Exit> {
    let mut settings = setup::resolve(&command.common, Posture::On);
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
    let config = setup::load_config(
        root.as_deref(),
        &settings,
        command.common.validation.validate,
    )?;
    setup::resolve_validation(&mut settings, &command.common.validation, config)?;
    let rule_set = setup::compile_rules(config, &settings);
    let filters = setup::load_filters(root.as_deref().or(Some(Path::new("."))), &settings)?;
    let walk = WalkOptions {
        respect_ignore_files: !command.no_ignore,
        follow_symlinks: command.follow_symlinks,
        threads: settings.threads,
    };
    let archives = ArchiveLimits {
        max_depth: settings.archive_depth,
        max_member_bytes: settings.max_file_size,
        ..ArchiveLimits::default()
    };
    let report = setup::with_thread_pool(&settings, || {
        scan_targets(rule_set, &targets, &walk, settings.max_file_size, archives)
    })?;
    let (exit, _) = finish(
        report,
        &filters,
        rule_set.rules(),
        &settings,
        Deliver::Report(None),
    )?;
    Ok(exit)
}

/// The directory whose `.leakhound.toml` applies: the first directory scanned.
fn config_root(targets: &[Target]) -> Option<PathBuf> {
    targets.iter().find_map(|target| match target {
        Target::Path(path) if path.is_dir() => Some(path.clone()),
        _ => None,
    })
}
