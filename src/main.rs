//! The `leakhound` binary: everything is in the library, from [`leakhound::cli::run`] down.

fn main() -> std::process::ExitCode {
    leakhound::cli::run()
}
