//! `newsarc reparse`: re-run extraction over stored pages.

use std::path::PathBuf;

use super::Exit;

/// Re-parse stored pages with the current selectors and append conversion records.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Archive files or folders.
    #[arg(required = true)]
    pub archives: Vec<PathBuf>,
    /// Folder of site selector configs.
    #[arg(long, default_value = "selectors")]
    pub selectors: PathBuf,
    /// Only pages of this host.
    #[arg(long)]
    pub only_site: Option<String>,
    /// Only captures on or after this date (`2024-05-01`, `7d`).
    #[arg(long)]
    pub since: Option<String>,
    /// Write the new conversion records here instead of beside the input.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Re-parse even when the newest conversion came from the same extractor and config.
    #[arg(long)]
    pub force: bool,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

/// Run the re-parse.
pub fn run(_args: Args) -> anyhow::Result<Exit> {
    super::not_implemented("reparse")
}
