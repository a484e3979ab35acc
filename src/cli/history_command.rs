//! `leakhound history [REPO]`. (Issue #5: in progress.)

use clap::Args;

use super::{CommonArgs, Exit};

#[derive(Debug, Args)]
pub struct HistoryCommand {
    #[command(flatten)]
    pub common: CommonArgs,
}

pub fn run(command: HistoryCommand) -> anyhow::Result<Exit> {
    let _ = command;
    anyhow::bail!("`leakhound history` is not available yet")
}
