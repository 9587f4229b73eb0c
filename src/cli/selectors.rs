//! `newsarc selectors check|test`.

use std::path::PathBuf;

use super::Exit;

/// Check or test the site selector configs.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

/// What to do with the configs.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Load and validate every config; report every error at once.
    Check {
        /// Folder of configs.
        #[arg(default_value = "selectors")]
        dir: PathBuf,
    },
    /// Run every config's fixture tests and print a pass/fail table.
    Test {
        /// Folder of configs.
        #[arg(default_value = "selectors")]
        dir: PathBuf,
    },
}

/// Run the action.
pub fn run(_args: Args) -> anyhow::Result<Exit> {
    super::not_implemented("selectors")
}
