//! `newsarc ls`: one line per record.

use std::path::PathBuf;

use super::Exit;

/// List the records of archives: offset, type, date, status, mime, URL.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Archive files or folders.
    #[arg(required = true)]
    pub archives: Vec<PathBuf>,
}

/// Run the listing.
pub fn run(_args: Args) -> anyhow::Result<Exit> {
    super::not_implemented("ls")
}
