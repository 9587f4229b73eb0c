//! `newsarc export`: archive → dataset.

use std::path::PathBuf;

use super::Exit;

/// Export articles (or records) to JSONL, CSV, Parquet or .warc.gz.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Archive files or folders.
    #[arg(required = true)]
    pub archives: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_parser = ["jsonl", "csv", "parquet", "warc.gz"])]
    pub format: String,
    /// Output file.
    #[arg(long)]
    pub out: PathBuf,
    /// Every capture and parse instead of the newest per canonical URL.
    #[arg(long)]
    pub all_versions: bool,
    /// Only articles of this site (host).
    #[arg(long)]
    pub site: Option<String>,
    /// Only articles published (or captured) on or after this date.
    #[arg(long)]
    pub since: Option<String>,
    /// Only articles published (or captured) before this date.
    #[arg(long)]
    pub until: Option<String>,
    /// Only articles in this language.
    #[arg(long)]
    pub language: Option<String>,
    /// Only articles with at least this many words.
    #[arg(long)]
    pub min_words: Option<usize>,
    /// Apply --since/--until to the capture date instead of the publication date.
    #[arg(long)]
    pub by_capture_date: bool,
}

/// Run the export.
pub fn run(_args: Args) -> anyhow::Result<Exit> {
    super::not_implemented("export")
}
