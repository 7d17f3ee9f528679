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
    return_freed_memory_sooner();
    cli::main()
}

/// mimalloc 3 gives memory freed back to the system a second after it is
/// freed, and ten seconds for its arenas; a build frees large buffers
/// (pages, index chunks) all along, so that at 100,000 briefs with search
/// and French a tenth of the peak was memory already freed. Here it is
/// 100 ms for both: 2 % more processor time at 10,000 briefs (measured in
/// BENCHMARKS.md). Options set in the environment (`MIMALLOC_PURGE_DELAY`,
/// `MIMALLOC_ARENA_PURGE_MULT`) are left as they are.
fn return_freed_memory_sooner() {
    use libmimalloc_sys::{mi_option_set, mi_option_t, mi_version};
    // Positions in mimalloc 3's `mi_option_e` (include/mimalloc.h), which
    // the sys crate does not name.
    const PURGE_DELAY: mi_option_t = 15;
    const ARENA_PURGE_MULT: mi_option_t = 24;
    // SAFETY: mi_version only reads a constant; mi_option_set is called
    // before any other thread starts, as it must be.
    unsafe {
        if !(30000..40000).contains(&mi_version()) {
            return;
        }
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            mi_option_set(PURGE_DELAY, 100);
        }
        if std::env::var_os("MIMALLOC_ARENA_PURGE_MULT").is_none() {
            mi_option_set(ARENA_PURGE_MULT, 1);
        }
    }
}
