//! The command line: parses arguments into resolved settings, runs one command, and maps
//! the outcome to an exit code. Thin: the work happens in `scan`, `report` and friends.

mod args;
mod finish;
mod history_command;
mod ignore_command;
mod image_command;
mod many_repos;
mod merge_command;
mod output;
mod rules_command;
mod scan_command;
mod scrub_command;
mod setup;
mod staged_command;
mod validate_command;

use std::process::ExitCode;

use clap::Parser;

pub use args::{
    Cli, ColorChoice, Command, CommonArgs, RulesCommand, ScanCommand, ValidationArgs, parse_size,
};

/// The process exit status: the one place exit codes are defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Clean,
    /// Findings were reported; carries the code (`--exit-code`, 1 by default).
    Findings(u8),
    Error,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Clean => 0,
            Exit::Findings(code) => code,
            Exit::Error => 2,
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Runs the command line and returns the exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Scan(command) => scan_command::run(command),
        Command::Staged(command) => staged_command::run(command),
        Command::History(command) => history_command::run(command),
        Command::Image(command) => image_command::run(command),
        Command::ScrubPlan(command) => scrub_command::run(command),
        Command::Merge(command) => merge_command::run(command),
        Command::InstallHook(command) => staged_command::install_hook(command),
        Command::Rules(command) => rules_command::run(command),
        Command::Validate(command) => validate_command::run(command),
        Command::Ignore(command) => ignore_command::ignore(command),
        Command::Baseline(command) => ignore_command::baseline(command),
    };
    let exit = outcome.unwrap_or_else(|error| {
        if is_broken_pipe(&error) {
            // The reader went away (`| head`): its choice, not an error worth a message.
            return Exit::Clean;
        }
        output::print_error(&error);
        Exit::Error
    });
    ExitCode::from(exit.code())
}
