//! `newsarc crawl`: the main job.

use std::path::PathBuf;

use super::Exit;

/// Crawl news sites into a WARC archive, parsing articles on the way.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Seed URLs (home pages, section fronts, articles).
    pub seeds: Vec<String>,
    /// A file with one seed URL per line (`#` comments allowed).
    #[arg(long)]
    pub seeds_file: Option<PathBuf>,
    /// A TOML crawl config listing sites, seeds, feeds, rates and budgets.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Archive folder; the crawl state lives beside the archive in it.
    #[arg(long, default_value = "archive")]
    pub out: PathBuf,
    /// Folder of site selector configs.
    #[arg(long, default_value = "selectors")]
    pub selectors: PathBuf,
    /// Maximum link depth from a seed (0 = only seeds, sitemaps and feeds).
    #[arg(long)]
    pub max_depth: Option<u32>,
    /// Stop after this many pages fetched.
    #[arg(long)]
    pub max_pages: Option<u64>,
    /// Only follow URLs matching this regex (repeatable).
    #[arg(long)]
    pub allow: Vec<String>,
    /// Never follow URLs matching this regex (repeatable).
    #[arg(long)]
    pub deny: Vec<String>,
    /// Requests per second per host (never faster than robots.txt Crawl-delay).
    #[arg(long)]
    pub rate: Option<f64>,
    /// Requests in flight across all hosts.
    #[arg(long)]
    pub concurrency: Option<usize>,
    /// Override the User-Agent (default `newsarc/<version> (+<contact>)`).
    #[arg(long)]
    pub user_agent: Option<String>,
    /// Contact URL or e-mail put into the User-Agent (required by polite crawling).
    #[arg(long)]
    pub contact: Option<String>,
    /// Only keep sitemap/feed entries published or modified since (`2d`, `2024-05-01`).
    #[arg(long)]
    pub since: Option<String>,
    /// Keep running, re-polling feeds and news sitemaps.
    #[arg(long)]
    pub watch: bool,
    /// Interval between polls in `--watch` mode (`15m`, `1h`).
    #[arg(long, default_value = "15m")]
    pub interval: String,
    /// Start over instead of resuming the crawl state in `--out`.
    #[arg(long)]
    pub fresh: bool,
    /// No progress bar, only warnings and the summary.
    #[arg(long)]
    pub quiet: bool,
    /// Log format on stderr.
    #[arg(long, value_parser = ["text", "json"], default_value = "text")]
    pub log_format: String,
}

/// Run the crawl.
pub fn run(_args: Args) -> anyhow::Result<Exit> {
    super::not_implemented("crawl")
}
