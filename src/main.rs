//! The `sitrep` command: parses arguments and hands each subcommand to its
//! module in `cli/`. Exit codes: 0 success, 1 problems found in the site,
//! 2 could not run.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
