//! `newsarc get`: print a stored payload.

use std::path::PathBuf;

use super::Exit;

/// Print the payload (or parsed article) of a URL's newest or nearest capture.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Archive file or folder.
    pub archive: PathBuf,
    /// The URL to look up.
    pub url: String,
    /// Print the parsed article JSON instead of the raw payload.
    #[arg(long)]
    pub parsed: bool,
    /// The capture nearest to this timestamp (`20240503`, `2024-05-03T10:00:00Z`).
    #[arg(long)]
    pub at: Option<String>,
}

/// Run the lookup.
pub fn run(_args: Args) -> anyhow::Result<Exit> {
    super::not_implemented("get")
}
