//! `newsarc extract`: HTML files or URLs → JSON lines.

use std::path::PathBuf;

use super::Exit;

/// Extract article fields from HTML files or URLs (JSON lines to stdout).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// HTML files, http(s) URLs (fetched once, not archived), or `-` for stdin.
    pub inputs: Vec<String>,
    /// The page's URL (for a single file or stdin).
    #[arg(long)]
    pub url: Option<String>,
    /// A text file with one `PATH<TAB>URL` per line (streams, uses all cores).
    #[arg(long)]
    pub input_list: Option<PathBuf>,
    /// Folder of site selector configs.
    #[arg(long, default_value = "selectors")]
    pub selectors: PathBuf,
    /// Ignore site selector configs: metadata + generic extraction only.
    #[arg(long)]
    pub no_site_rules: bool,
    /// Pretty-print the JSON (one object per input, indented).
    #[arg(long)]
    pub pretty: bool,
}

/// Run the extraction.
pub fn run(_args: Args) -> anyhow::Result<Exit> {
    super::not_implemented("extract")
}
