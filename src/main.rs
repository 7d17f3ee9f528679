//! The `sitrep` command: parses arguments and hands each subcommand to its
//! module in `cli/`. Exit codes: 0 success, 1 problems found in the site,
//! 2 could not run.

mod cli;

// Rendering allocates many short-lived strings on every thread; mimalloc's
// per-thread heaps cut the time glibc's allocator spent on them (measured in
// BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
