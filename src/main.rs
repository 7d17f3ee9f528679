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
    no_huge_pages();
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

/// mimalloc asks Linux for transparent huge pages, which the system fills
/// with zeros 2 MiB at a time, and again each time memory given back is
/// used anew, however few of its bytes a build then touches: a quarter of
/// a cold build's peak memory was such pages, and when the system had
/// huge pages free, up to a tenth of its processor time went to zeroing
/// them (measured in BENCHMARKS.md). The process asks for none. mimalloc's
/// own option (`MIMALLOC_ALLOW_THP`) is read before `main`, too early to
/// set here, and does the same; set in the environment, it is left to
/// mimalloc. Programs the process starts (a browser `serve` opens)
/// inherit the switch.
#[cfg(target_os = "linux")]
fn no_huge_pages() {
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // Only a kernel before 3.15 refuses, and then nothing changes.
        let _ = rustix::thread::disable_transparent_huge_pages(true);
    }
}

#[cfg(not(target_os = "linux"))]
fn no_huge_pages() {}
