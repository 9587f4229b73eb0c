//! The `newsarc` command-line tool. All parsing of flags, printing, progress and exit codes live
//! in [`cli`]; the library does the work.

mod cli;

/// mimalloc instead of the system allocator: a page's DOM is tens of thousands of small
/// allocations made and freed together, and glibc's malloc/free were ~10 % of extraction time
/// (`cargo bench --bench extract`: full extraction +11 % pages/s with mimalloc, same run).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
