//! `leakhound ignore FINGERPRINT...` and `leakhound baseline create`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::filter::{IGNORE_FILE, append_fingerprints};
use crate::report::Format;

use super::{ColorChoice, CommonArgs, Exit, ScanCommand, scan_command};

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
    Create(BaselineCreateArgs),
}

/// The scan options a baseline uses: the report is always JSON with redacted secrets,
/// written to `-o`, and finding something is success.
#[derive(Debug, Args)]
pub struct BaselineCreateArgs {
    /// Files or directories to scan; `-` for standard input
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Where to write the baseline (a leakhound JSON report)
    #[arg(
        short = 'o',
        long = "report-path",
        value_name = "FILE",
        required = true
    )]
    pub output: PathBuf,

    /// Scan files that .gitignore and .ignore exclude too
    #[arg(long)]
    pub no_ignore: bool,

    /// Follow symbolic links (loops are detected and noted)
    #[arg(long)]
    pub follow_symlinks: bool,

    /// Config file (default: .leakhound.toml, else .gitleaks.toml, at the scanned root; else the built-in rules)
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Skip files larger than this (bytes, or with a K/M/G suffix)
    #[arg(long, default_value = "10M", value_name = "SIZE", value_parser = super::parse_size)]
    pub max_file_size: u64,

    /// Look for secrets inside base64 blobs this many levels deep (0: off)
    #[arg(long, default_value_t = crate::engine::DEFAULT_DECODE_DEPTH, value_name = "N")]
    pub decode_depth: usize,

    /// Ignore allow comments in the content (leakhound:allow, gitleaks:allow, ...), for audits
    #[arg(long)]
    pub no_inline_allow: bool,

    /// Record only findings that are not in this earlier baseline
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Worker threads (default: one per core)
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// Also print notes about skipped files
    #[arg(short, long)]
    pub verbose: bool,

    /// Print no notes or warnings, only errors
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
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
    let BaselineCommand::Create(args) = command;
    let scan = ScanCommand {
        paths: args.paths,
        no_ignore: args.no_ignore,
        follow_symlinks: args.follow_symlinks,
        common: CommonArgs {
            archive_depth: crate::source::archive::ArchiveLimits::default().max_depth,
            config: args.config,
            format: Format::Json,
            report_path: Some(args.output),
            show_secrets: false,
            color: ColorChoice::Never,
            // Record every finding, so a later scan at any level knows them.
            confidence: crate::rules::Confidence::Low,
            exit_code: 1,
            max_file_size: args.max_file_size,
            decode_depth: args.decode_depth,
            no_inline_allow: args.no_inline_allow,
            baseline: args.baseline,
            threads: args.threads,
            verbose: args.verbose,
            quiet: args.quiet,
            no_posture: false,
            posture: false,
            validation: Default::default(),
        },
    };
    // Recording findings is the point here; finding some is success.
    match scan_command::run(scan)? {
        Exit::Findings(_) | Exit::Clean => Ok(Exit::Clean),
        Exit::Error => Ok(Exit::Error),
    }
}
