//! The `newsarc` command-line tool. All parsing of flags, printing, progress and exit codes live
//! in [`cli`]; the library does the work.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
