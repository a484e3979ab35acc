//! `leakhound staged` (pre-commit and pre-push) and `leakhound install-hook`.
//! (Issue #6: in progress.)

use clap::Args;

use super::{CommonArgs, Exit};

#[derive(Debug, Args)]
pub struct StagedCommand {
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct InstallHookCommand {}

pub fn run(command: StagedCommand) -> anyhow::Result<Exit> {
    let _ = command;
    anyhow::bail!("`leakhound staged` is not available yet")
}

pub fn install_hook(command: InstallHookCommand) -> anyhow::Result<Exit> {
    let _ = command;
    anyhow::bail!("`leakhound install-hook` is not available yet")
}
