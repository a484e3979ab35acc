//! `leakhound image TARGET`: scans a container image — a `docker save` tarball, an OCI
//! image layout (directory or tarball), or, when `docker` or `podman` is on PATH, an
//! image reference saved first — layer by layer, plus its config (`Env`, build history,
//! labels) judged like a Dockerfile.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;
use clap::Args;

use crate::scan::scan_source;
use crate::source::archive::ArchiveLimits;
use crate::source::image::{ImageLimits, Images};

use super::finish::{Deliver, finish};
use super::output::Hinted;
use super::setup::{self, Posture};
use super::{CommonArgs, Exit};

#[derive(Debug, Args)]
pub struct ImageCommand {
    /// A `docker save` tarball, an OCI layout directory or tarball, or an image reference
    /// (saved with docker or podman first)
    #[arg(value_name = "TARGET")]
    pub target: String,

    #[command(flatten)]
    pub common: CommonArgs,
}

pub fn run(command: ImageCommand) -> anyhow::Result<Exit> {
    let mut settings = setup::resolve(&command.common, Posture::On);
    let config = setup::load_config(None, &settings, command.common.validation.validate)?;
    setup::resolve_validation(&mut settings, &command.common.validation, config)?;
    let rule_set = setup::compile_rules(config, &settings);
    let filters = setup::load_filters(Some(Path::new(".")), &settings)?;
    let saved =
        SavedImage(std::env::temp_dir().join(format!("leakhound-image-{}", std::process::id())));
    let path = image_path(&command.target, &saved.0)?;
    let limits = ImageLimits {
        archive: ArchiveLimits {
            max_depth: settings.archive_depth,
            max_member_bytes: settings.max_file_size,
            ..ArchiveLimits::default()
        },
        ..ImageLimits::default()
    };
    let images = Images::open(&path, limits)
        .with_context(|| format!("reading the image {}", command.target))?;
    let report = scan_source(rule_set, &images);
    let (exit, _) = finish(
        report,
        &filters,
        rule_set.rules(),
        &settings,
        Deliver::Report(None),
    )?;
    Ok(exit)
}

/// Where a saved image goes; removed when the scan is done.
struct SavedImage(PathBuf);

impl Drop for SavedImage {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The image file or directory: `target` itself when it exists, else the reference saved
/// by docker or podman into `dir`.
fn image_path(target: &str, dir: &Path) -> anyhow::Result<PathBuf> {
    let given = Path::new(target);
    if given.exists() {
        return Ok(given.to_path_buf());
    }
    let tool = ["docker", "podman"]
        .into_iter()
        .find(|tool| on_path(tool))
        .ok_or_else(|| {
            Hinted::error(
                anyhow::anyhow!("no file or directory `{target}`, and neither docker nor podman is on PATH to save it"),
                "save the image first (`docker save IMAGE -o image.tar`) and scan the tarball",
            )
        })?;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let out = dir.join("image.tar");
    let status = Command::new(tool)
        .args(["save", "-o"])
        .arg(&out)
        .arg(target)
        .status()
        .with_context(|| format!("running `{tool} save`"))?;
    if !status.success() {
        anyhow::bail!("`{tool} save {target}` failed ({status}); is the image pulled?");
    }
    Ok(out)
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(tool).is_file()))
}
