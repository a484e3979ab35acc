//! Command-line arguments (clap derive). Parsing only: [`super`] turns these into work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::Format;
use crate::rules::Confidence;

#[derive(Debug, Parser)]
#[command(
    name = "leakhound",
    version,
    about = "Find secrets in files, staged changes and git history",
    after_help = "Exit codes: 0 no findings, 1 findings (see --exit-code), 2 usage or runtime error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and directories (default: the current directory); `-` reads stdin
    Scan(ScanCommand),
    /// Scan what the next commit adds (pre-commit), or the commits being pushed (pre-push)
    Staged(super::staged_command::StagedCommand),
    /// Scan every commit of every ref and say which commit introduced each secret
    History(super::history_command::HistoryCommand),
    /// Merge JSON reports (the shards of `history --repos --shard K/N`) into one report
    Merge(super::merge_command::MergeCommand),
    /// Scan a container image (docker save or OCI layout; or a reference, with docker/podman)
    Image(super::image_command::ImageCommand),
    /// Plan the rotation of every secret in the history and the rewrite that removes them
    ScrubPlan(super::scrub_command::ScrubPlanCommand),
    /// Write a plain git pre-commit hook that runs `leakhound staged`
    InstallHook(super::staged_command::InstallHookCommand),
    /// List or check rules
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Check the findings of an earlier `--show-secrets` JSON report with their providers
    Validate(super::validate_command::ValidateCommand),
    /// Mark findings as false positives: append their fingerprints to .leakhoundignore
    Ignore(super::ignore_command::IgnoreCommand),
    /// Record the current findings, so later scans with --baseline report only new ones
    #[command(subcommand)]
    Baseline(super::ignore_command::BaselineCommand),
}

#[derive(Debug, Args)]
pub struct ScanCommand {
    /// Files or directories to scan; `-` for standard input
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Scan files that .gitignore and .ignore exclude too
    #[arg(long)]
    pub no_ignore: bool,

    /// Follow symbolic links (loops are detected and noted)
    #[arg(long)]
    pub follow_symlinks: bool,

    #[command(flatten)]
    pub common: CommonArgs,
}

/// Options every scanning command shares.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Config file (default: .leakhound.toml, else .gitleaks.toml, at the scanned root; else the built-in rules)
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Report format
    #[arg(short, long, value_enum, default_value_t = Format::Text, value_name = "FORMAT")]
    pub format: Format,

    /// Write the report to FILE instead of standard output
    #[arg(short = 'o', long, value_name = "FILE")]
    pub report_path: Option<PathBuf>,

    /// Show secrets in full instead of redacted
    #[arg(long)]
    pub show_secrets: bool,

    /// When to colour text output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Report findings at least this sure: high (a unique prefix or checksum), medium (a
    /// provider's name in context, a strong shape), low (also weak, stock-looking and
    /// test-path values)
    #[arg(long, default_value = "medium", value_name = "LEVEL", value_parser = parse_confidence)]
    pub confidence: Confidence,

    /// Exit code when there are findings
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub exit_code: u8,

    /// Skip files larger than this (bytes, or with a K/M/G suffix)
    #[arg(long, default_value = "10M", value_name = "SIZE", value_parser = parse_size)]
    pub max_file_size: u64,

    /// Look for secrets inside base64 blobs this many levels deep (0: off)
    #[arg(long, default_value_t = crate::engine::DEFAULT_DECODE_DEPTH, value_name = "N")]
    pub decode_depth: usize,

    /// Look inside archives (zip, jar, war, whl, tar, tar.gz, ...) this many levels deep
    /// (0: off; scan, history and image). Findings name `outer.zip!inner/dir/file`
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub archive_depth: usize,

    /// Ignore allow comments in the content (leakhound:allow, gitleaks:allow, ...), for audits
    #[arg(long)]
    pub no_inline_allow: bool,

    /// Leave out posture checks (rotation, KMS keys, key and IAM policies of secrets in
    /// Terraform and CloudFormation)
    #[arg(long, conflicts_with = "posture")]
    pub no_posture: bool,

    /// Run posture checks in `staged` too (they are off there: pre-commit gates secrets)
    #[arg(long)]
    pub posture: bool,

    /// Report only findings that are not in this baseline (a leakhound or gitleaks JSON report)
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Worker threads (default: one per core)
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    #[command(flatten)]
    pub validation: ValidationArgs,

    /// Also print notes about skipped files
    #[arg(short, long)]
    pub verbose: bool,

    /// Print no notes or warnings, only the report and errors
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
}

/// Live validation: off unless asked, because it sends found secrets to their providers.
#[derive(Debug, Args, Clone, Default)]
pub struct ValidationArgs {
    /// Ask each provider whether the secrets found are live (sends each distinct secret
    /// once, over HTTPS, only to the host its rule's validator names)
    #[arg(long)]
    pub validate: bool,

    /// Requests in flight at once, over all hosts (default 8, or the config's [validation])
    #[arg(long, value_name = "N")]
    pub validate_concurrency: Option<usize>,

    /// Requests in flight at once to one host (default 2)
    #[arg(long, value_name = "N")]
    pub validate_per_host: Option<usize>,

    /// Seconds one request may take, connecting included (default 10)
    #[arg(long, value_name = "SECONDS")]
    pub validate_timeout: Option<u64>,

    /// Send a host's checks to another base URL: a self-hosted GitHub, GitLab or Okta, or a
    /// proxy (`api.github.com=https://github.example.com/api/v3`; repeatable)
    #[arg(long, value_name = "HOST=BASE_URL")]
    pub validation_endpoint: Vec<String>,

    /// PEM file of extra CA certificates to trust (a TLS-inspecting corporate proxy)
    #[arg(long, value_name = "FILE")]
    pub validation_ca: Option<PathBuf>,

    /// Report only the findings a provider confirmed live
    #[arg(long)]
    pub only_valid: bool,

    /// Exit with --exit-code only when a finding is confirmed live (others are still reported)
    #[arg(long)]
    pub fail_on_valid_only: bool,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the rules that a scan would use
    List {
        /// Config file (default: .leakhound.toml, else .gitleaks.toml, in the current directory; else the built-in rules)
        #[arg(short, long, value_name = "FILE")]
        config: Option<PathBuf>,

        /// List the hosts `--validate` may send secrets to (for firewall allow-lists)
        #[arg(long)]
        validators: bool,
    },
    /// Run every rule against its own examples and negative examples
    Check {
        /// Config file (default: .leakhound.toml, else .gitleaks.toml, in the current directory; else the built-in rules)
        #[arg(short, long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn parse_confidence(name: &str) -> Result<Confidence, String> {
    Confidence::parse(name).ok_or_else(|| format!("use one of: {}", Confidence::NAMES.join(", ")))
}

/// `1048576`, `512K`, `10M`, `1G` (binary units; a trailing `B`/`iB` is accepted).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let upper = trimmed.to_ascii_uppercase();
    let number_part = upper.trim_end_matches("IB").trim_end_matches('B');
    let (digits, multiplier) = match number_part.chars().last() {
        Some('K') => (&number_part[..number_part.len() - 1], 1u64 << 10),
        Some('M') => (&number_part[..number_part.len() - 1], 1 << 20),
        Some('G') => (&number_part[..number_part.len() - 1], 1 << 30),
        _ => (number_part, 1),
    };
    digits
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|value| value.checked_mul(multiplier))
        .ok_or_else(|| {
            format!("`{trimmed}` is not a size; write bytes or use a K, M or G suffix (e.g. 10M)")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_accept_suffixes() {
        assert_eq!(parse_size("100"), Ok(100));
        assert_eq!(parse_size("10M"), Ok(10 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert!(parse_size("ten").is_err());
    }

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
