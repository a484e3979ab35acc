//! The settings of one run, resolved once from the command line (and the config it
//! names) by `cli`, and read by everything below it. Plain values: no clap type, no
//! argument is re-read after this.

use std::path::PathBuf;

use crate::engine::InlineAllow;
use crate::report::Format;
use crate::rules::Confidence;
use crate::validate::ValidationSettings;

/// How much a run says on stderr besides the report and errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    /// `--quiet`: no notes or warnings.
    Quiet,
    /// Warnings, and one line summing up skipped files.
    Normal,
    /// `--verbose`: every note.
    Verbose,
}

/// When text output is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorWhen {
    /// On a terminal, unless `NO_COLOR` is set.
    Auto,
    Always,
    Never,
}

/// Everything a scanning command runs with.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The config file named with `--config`; otherwise one found at the scanned root.
    pub config: Option<PathBuf>,
    pub format: Format,
    /// Where the report goes; standard output when `None`.
    pub report_path: Option<PathBuf>,
    pub show_secrets: bool,
    pub color: ColorWhen,
    /// Findings less sure than this are not reported.
    pub min_confidence: Confidence,
    /// The exit code when findings are reported.
    pub exit_code: u8,
    /// Files and blobs larger than this are skipped with a note.
    pub max_file_size: u64,
    /// How deep to look inside base64 blobs (0: off).
    pub decode_depth: usize,
    /// How deep to look inside archives (0: off).
    pub archive_depth: usize,
    pub inline_allow: InlineAllow,
    /// Whether posture checks (rotation, KMS keys, policies of secrets) run.
    pub posture: bool,
    /// Report only findings that are not in this baseline.
    pub baseline: Option<PathBuf>,
    /// Worker threads (at least 1).
    pub threads: usize,
    pub verbosity: Verbosity,
    /// Live validation, when asked for (`--validate`).
    pub validation: Option<Validation>,
}

/// What `--validate` and its flags (over the config's `[validation]` table) decided.
#[derive(Debug, Clone)]
pub struct Validation {
    pub checks: ValidationSettings,
    /// Report only the findings confirmed live.
    pub only_valid: bool,
    /// Only a finding confirmed live makes the exit code `exit_code`.
    pub fail_on_valid_only: bool,
}

impl Settings {
    pub fn quiet(&self) -> bool {
        self.verbosity == Verbosity::Quiet
    }

    pub fn verbose(&self) -> bool {
        self.verbosity == Verbosity::Verbose
    }
}
