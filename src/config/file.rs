//! The crawl config file as written by users (TOML, unknown keys rejected).

use serde::Deserialize;

/// The whole file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Full User-Agent override (normally built from `contact`).
    pub user_agent: Option<String>,
    /// Contact URL or e-mail put into the User-Agent.
    pub contact: Option<String>,
    /// Defaults for every site.
    #[serde(default)]
    pub defaults: FileDefaults,
    /// Sites to crawl.
    #[serde(default)]
    pub site: Vec<FileSite>,
    /// `--watch` settings.
    #[serde(default)]
    pub watch: super::discovery::FileWatch,
}

/// `[defaults]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileDefaults {
    /// Requests per second per host (0 = no limit, for local tests only).
    pub rate: Option<f64>,
    /// Requests in flight across all hosts.
    pub concurrency: Option<usize>,
    /// Requests in flight to one host at once (default 1), still paced by `rate` and
    /// Crawl-delay: raise it only for sites you own or that allow it.
    pub per_host_concurrency: Option<usize>,
    /// Maximum link depth from a seed.
    pub max_depth: Option<u32>,
    /// Stop after this many pages in total.
    pub max_pages: Option<u64>,
    /// At most this many pages per host.
    pub max_pages_per_host: Option<u64>,
    /// Connect timeout in seconds.
    pub connect_timeout: Option<f64>,
    /// Whole-exchange timeout in seconds.
    pub timeout: Option<f64>,
    /// Largest body kept, in bytes.
    pub max_body: Option<u64>,
    /// Retries per URL after the first attempt.
    pub max_retries: Option<u32>,
    /// First retry delay in seconds (doubles per retry, with jitter; default 2).
    pub retry_delay: Option<f64>,
    /// Longest wait between retries in seconds, also the longest `Retry-After` honoured
    /// (default 300; a longer `Retry-After` fails the URL).
    pub max_retry_wait: Option<f64>,
    /// Most URLs per host sharing one calendar-like pattern (default 200).
    pub trap_pattern_limit: Option<u64>,
    /// Follow links only within the seed's site (default true).
    pub same_site: Option<bool>,
    /// Only follow URLs matching one of these regexes.
    #[serde(default)]
    pub allow: Vec<String>,
    /// Never follow URLs matching one of these regexes.
    #[serde(default)]
    pub deny: Vec<String>,
    /// Discover article URLs from robots.txt sitemaps, home-page feeds and sitemap guesses
    /// (default: when a site lists feeds/sitemaps, with `max_depth = 0`, `--since` or
    /// `--watch`).
    pub discover: Option<bool>,
    /// Paths tried when a site declares no sitemap (default: /sitemap.xml, /sitemap_index.xml,
    /// /news-sitemap.xml, /sitemap-news.xml).
    pub sitemap_guesses: Option<Vec<String>>,
}

/// One `[[site]]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSite {
    /// A name for logs and the summary.
    pub name: String,
    /// Start URLs.
    #[serde(default)]
    pub seeds: Vec<String>,
    /// More host names belonging to this site (besides the seeds' hosts).
    #[serde(default)]
    pub hosts: Vec<String>,
    /// Only follow URLs matching one of these (in addition to the defaults).
    #[serde(default)]
    pub allow: Vec<String>,
    /// Never follow URLs matching one of these (in addition to the defaults).
    #[serde(default)]
    pub deny: Vec<String>,
    /// Requests per second per host for this site.
    pub rate: Option<f64>,
    /// Page budget per host of this site.
    pub max_pages: Option<u64>,
    /// Maximum link depth for this site.
    pub max_depth: Option<u32>,
    /// Selector config name (file stem in the selectors folder).
    pub selectors: Option<String>,
    /// Feed URLs (RSS, Atom, JSON Feed) listing the site's articles.
    #[serde(default)]
    pub feeds: Vec<String>,
    /// Sitemap URLs (sitemaps, sitemap indexes, news sitemaps; gzip is fine).
    #[serde(default)]
    pub sitemaps: Vec<String>,
    /// Paths tried when the site declares no sitemap (overrides `[defaults]`).
    pub sitemap_guesses: Option<Vec<String>>,
    /// Discovery on or off for this site (overrides `[defaults]`).
    pub discover: Option<bool>,
}
