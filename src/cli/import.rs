//! `newsarc import`: foreign WARC files → newsarc archive.

use std::path::PathBuf;

use super::Exit;

/// Bring WARC files written by other tools into newsarc's format and index.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// `.warc`, `.warc.gz` (per-record or whole-file gzip) or `.warc.zst` files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Archive folder to write into.
    #[arg(long, default_value = "archive")]
    pub out: PathBuf,
}

/// Run the import.
pub fn run(_args: Args) -> anyhow::Result<Exit> {
    super::not_implemented("import")
}
