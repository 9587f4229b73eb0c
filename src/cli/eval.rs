//! `newsarc eval`: score extraction on the development set and enforce floors.

use std::path::PathBuf;

use super::Exit;

/// Score extraction against the development set and enforce quality floors.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The devset folder (holds `trafilatura/` and `readability/`).
    #[arg(long, default_value = "../shared/devset")]
    pub devset: PathBuf,
    /// Folder of site selector configs.
    #[arg(long, default_value = "selectors")]
    pub selectors: PathBuf,
    /// Ignore site selector configs.
    #[arg(long)]
    pub no_site_rules: bool,
    /// A TOML file of minimum scores; exit 1 when any score is below its floor.
    #[arg(long)]
    pub floors: Option<PathBuf>,
}

/// Run the evaluation.
pub fn run(_args: Args) -> anyhow::Result<Exit> {
    super::not_implemented("eval")
}
