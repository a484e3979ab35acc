fn main() -> std::process::ExitCode {
    leakhound::cli::run()
}
