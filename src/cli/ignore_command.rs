//! `leakhound ignore FINGERPRINT...` and `leakhound baseline create`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::filter::{IGNORE_FILE, append_fingerprints};
use crate::report::Format;

use super::{Exit, ScanCommand, scan_command};

#[derive(Debug, Args)]
pub struct IgnoreCommand {
    /// Fingerprints of findings (the `id` in text reports, `fingerprint` in JSON)
    #[arg(value_name = "FINGERPRINT", required = true)]
    pub fingerprints: Vec<String>,

    /// A comment to write beside each entry (why it is a false positive)
    #[arg(short = 'm', long, value_name = "TEXT")]
    pub comment: Option<String>,

    /// The repository root whose .leakhoundignore to update
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub repo: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Scan and write the findings as a JSON report to use with --baseline
    Create {
        #[command(flatten)]
        scan: ScanCommand,
    },
}

pub fn ignore(command: IgnoreCommand) -> anyhow::Result<Exit> {
    let added = append_fingerprints(
        &command.repo,
        &command.fingerprints,
        command.comment.as_deref(),
    )?;
    let file = command.repo.join(IGNORE_FILE);
    eprintln!(
        "{added} fingerprint(s) added to {} ({} already there)",
        file.display(),
        command.fingerprints.len() - added
    );
    Ok(Exit::Clean)
}

pub fn baseline(command: BaselineCommand) -> anyhow::Result<Exit> {
    let BaselineCommand::Create { mut scan } = command;
    if scan.common.report_path.is_none() {
        anyhow::bail!(
            "baseline create needs -o FILE\nhint: leakhound baseline create . -o leakhound-baseline.json"
        );
    }
    scan.common.format = Format::Json;
    // Recording findings is the point here; finding some is success.
    match scan_command::run(scan)? {
        Exit::Findings(_) | Exit::Clean => Ok(Exit::Clean),
        Exit::Error => Ok(Exit::Error),
    }
}
