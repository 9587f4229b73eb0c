//! `newsarc index`: rebuild CDXJ indexes.

use std::path::PathBuf;

use anyhow::Context;
use newsarc::archive::{archive_files, cdxj};

use super::Exit;
use super::archive_common::{byte_bar, total_size};

/// Rebuild the CDXJ index of archives.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsarc index archive/
  newsarc index imported.warc.gz")]
pub struct Args {
    /// Archive files or folders.
    #[arg(required = true)]
    pub archives: Vec<PathBuf>,
}

/// Run the indexing.
pub fn run(args: Args) -> anyhow::Result<Exit> {
    let files = archive_files(&args.archives).context("cannot list the archives")?;
    let bar = byte_bar(total_size(&files), "indexing");
    let (mut entries, mut problems, mut failed) = (0usize, 0usize, 0usize);
    for f in &files {
        let size = std::fs::metadata(f).map(|m| m.len()).unwrap_or(0);
        match cdxj::rebuild_index(f) {
            Ok((n, errors)) => {
                entries += n;
                problems += errors.len();
                for e in errors {
                    bar.suspend(|| eprintln!("newsarc: {e}"));
                }
                bar.suspend(|| eprintln!("{}: {n} entries", cdxj::cdxj_path(f).display()));
            }
            Err(e) => {
                failed += 1;
                bar.suspend(|| eprintln!("newsarc: {e}"));
            }
        }
        bar.inc(size);
    }
    bar.finish_and_clear();
    eprintln!(
        "newsarc index: {} files, {entries} entries, {problems} damaged records skipped, {failed} files failed",
        files.len()
    );
    Ok(if problems + failed > 0 {
        Exit::Partial
    } else {
        Exit::Success
    })
}
