//! `newsarc verify`: check archives.

use std::path::PathBuf;

use super::Exit;

/// Check framing, headers, digests and index consistency; optionally repair.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Archive files or folders.
    #[arg(required = true)]
    pub archives: Vec<PathBuf>,
    /// Truncate a crash-cut tail to the last whole record and rebuild the index.
    #[arg(long)]
    pub repair: bool,
}

/// Run the verification.
pub fn run(_args: Args) -> anyhow::Result<Exit> {
    super::not_implemented("verify")
}
