//! `newsarc index`: rebuild CDXJ indexes.

use std::path::PathBuf;

use super::Exit;

/// Rebuild the CDXJ index of archives.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Archive files or folders.
    #[arg(required = true)]
    pub archives: Vec<PathBuf>,
}

/// Run the indexing.
pub fn run(_args: Args) -> anyhow::Result<Exit> {
    super::not_implemented("index")
}
