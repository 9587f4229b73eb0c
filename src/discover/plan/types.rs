//! The inputs and outputs of a [`DiscoveryPlan`](super::DiscoveryPlan): site settings, caps,
//! fetch requests, counters and the memory carried between `--watch` polls.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use url::Url;

use crate::discover::feed::FeedLimits;
use crate::discover::robots_sitemaps::DEFAULT_SITEMAP_GUESSES;
use crate::discover::seed::DiscoveredUrl;
use crate::discover::since::DateWindow;
use crate::discover::sitemap::SitemapLimits;

/// When to try the conventional sitemap paths ([`SiteDiscovery::guesses`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GuessPolicy {
    /// Only when neither the config nor robots.txt names a sitemap (the default).
    #[default]
    IfNoneDeclared,
    /// Always (in addition to the declared ones).
    Always,
    /// Never.
    Never,
}

/// Where to look for one site's article URLs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteDiscovery {
    /// The site's home page: its `<link rel="alternate">` feeds are used, and robots.txt and
    /// sitemap guesses are resolved against it.
    pub home: Url,
    /// Feed URLs from the config.
    pub feeds: Vec<Url>,
    /// Sitemap URLs from the config.
    pub sitemaps: Vec<Url>,
    /// Paths tried when no sitemap is declared (see [`GuessPolicy`]).
    pub guesses: Vec<String>,
    /// When to try [`SiteDiscovery::guesses`].
    pub guess_policy: GuessPolicy,
    /// Read `Sitemap:` lines from robots.txt.
    pub use_robots: bool,
    /// Read feed links from the home page.
    pub use_home_page: bool,
}

impl SiteDiscovery {
    /// Discovery from a home page alone: robots.txt, home-page feed links, default guesses.
    pub fn from_home(home: Url) -> Self {
        SiteDiscovery {
            home,
            feeds: Vec::new(),
            sitemaps: Vec::new(),
            guesses: DEFAULT_SITEMAP_GUESSES
                .iter()
                .map(|s| s.to_string())
                .collect(),
            guess_policy: GuessPolicy::IfNoneDeclared,
            use_robots: true,
            use_home_page: true,
        }
    }

    /// The robots.txt URL of the home page's origin.
    pub fn robots_url(&self) -> Url {
        let mut u = self.home.clone();
        u.set_path("/robots.txt");
        u.set_query(None);
        u.set_fragment(None);
        u
    }
}

/// Caps for one site's discovery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanLimits {
    /// Sitemap + feed + robots + home fetches at most; default 500.
    pub max_fetches: usize,
    /// Sitemap index nesting followed (an index at depth 0 lists depth-1 sitemaps); default 4.
    pub max_index_depth: u32,
    /// Distinct article URLs kept; default 500,000.
    pub max_seeds: usize,
    /// Feeds taken from the home page; default 20.
    pub max_home_feeds: usize,
    /// Sitemaps taken from robots.txt; default 100.
    pub max_robots_sitemaps: usize,
    /// Bytes of robots.txt and the home page read; default 2 MiB.
    pub max_page_bytes: u64,
    /// Caps for each sitemap.
    pub sitemap: SitemapLimits,
    /// Caps for each feed.
    pub feed: FeedLimits,
}

impl Default for PlanLimits {
    fn default() -> Self {
        PlanLimits {
            max_fetches: 500,
            max_index_depth: 4,
            max_seeds: 500_000,
            max_home_feeds: 20,
            max_robots_sitemaps: 100,
            max_page_bytes: 2 << 20,
            sitemap: SitemapLimits::default(),
            feed: FeedLimits::default(),
        }
    }
}

/// Settings that change what a plan keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PlanOptions {
    /// `--since`: keep entries in this window only; child sitemaps whose `lastmod` is before
    /// the window are not fetched.
    pub window: Option<DateWindow>,
}

/// What a [`FetchRequest`] is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FetchKind {
    /// The site's robots.txt (the crawler may answer from its robots cache).
    Robots,
    /// The home page, for its feed links (the crawler may answer with the page it fetched
    /// as a seed).
    HomePage,
    /// A sitemap or sitemap index (`depth` 0 = declared or guessed, 1+ = listed by an index).
    Sitemap {
        /// Index nesting level.
        depth: u32,
        /// Why it is fetched.
        origin: Origin,
    },
    /// A feed.
    Feed {
        /// Why it is fetched.
        origin: Origin,
    },
}

/// Why a sitemap or feed is fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// Listed in the crawl config.
    Configured,
    /// A `Sitemap:` line of robots.txt.
    Robots,
    /// A `<link rel="alternate">` of the home page.
    HomePage,
    /// A conventional path tried on the off chance (a 404 is expected and not a warning).
    Guess,
    /// Listed by a sitemap index.
    Index,
    /// Re-polled in `--watch` mode.
    Poll,
}

/// One URL the crawler should fetch (through its normal fetcher: robots rules, rate limits and
/// archiving apply) and hand back to [`DiscoveryPlan::on_response`](super::DiscoveryPlan::on_response)
/// or [`DiscoveryPlan::on_failure`](super::DiscoveryPlan::on_failure).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FetchRequest {
    /// What to fetch.
    pub url: Url,
    /// What it is.
    pub kind: FetchKind,
}

/// Counters of one site's discovery; nothing skipped goes uncounted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiscoveryStats {
    /// Requests handed out.
    pub fetches: u64,
    /// Requests that failed or answered with an error status (guesses answering 404 excluded).
    pub failed: u64,
    /// Sitemaps parsed (fully or up to an error).
    pub sitemaps: u64,
    /// Feeds parsed.
    pub feeds: u64,
    /// Documents that could not be parsed, or stopped early (broken XML, caps).
    pub parse_errors: u64,
    /// Entries rejected inside sitemaps and feeds (bad or missing links).
    pub rejected_entries: u64,
    /// Dates that could not be parsed (entries kept).
    pub bad_dates: u64,
    /// Entries outside the `--since` window.
    pub outside_window: u64,
    /// Entries dropped because the site's seed cap was reached.
    pub over_seed_cap: u64,
    /// Child sitemaps not fetched: last modified before the window.
    pub stale_sitemaps: u64,
    /// Sitemap/feed URLs not fetched again: already fetched in this plan (cycles, duplicates).
    pub repeats: u64,
    /// Sitemaps not fetched: index nested too deep, or fetch cap reached.
    pub over_fetch_cap: u64,
}

/// What a plan remembers for the next `--watch` poll: which feeds and sitemaps to re-poll and
/// what the child sitemaps of indexes looked like.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PollMemory {
    /// Feeds that parsed.
    pub feeds: BTreeSet<Url>,
    /// Top-level sitemaps to re-poll: those leading to news entries, or, when the site has no
    /// news sitemap, every top-level sitemap that parsed.
    pub sitemap_roots: BTreeSet<Url>,
    /// Sitemaps that listed Google News entries.
    pub news_sitemaps: BTreeSet<Url>,
    /// Child sitemaps seen in indexes, with their `lastmod`.
    pub children: BTreeMap<Url, Option<DateTime<Utc>>>,
}

impl PollMemory {
    /// Whether there is anything to poll.
    pub fn is_empty(&self) -> bool {
        self.feeds.is_empty() && self.sitemap_roots.is_empty()
    }
}

/// What one [`DiscoveryPlan::on_response`](super::DiscoveryPlan::on_response) call found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepReport {
    /// Article URLs not seen before in this plan.
    pub new_seeds: u64,
    /// Sitemaps and feeds added to the queue.
    pub new_fetches: u64,
    /// Problems worth a log line, each naming the URL (and byte offset where known).
    pub warnings: Vec<String>,
}

/// The end result of a plan.
#[derive(Debug, Clone, Default)]
pub struct DiscoveryOutcome {
    /// Article URLs to crawl as depth-0 seeds: inside the window, newest first, undated last.
    pub seeds: Vec<DiscoveredUrl>,
    /// Counters.
    pub stats: DiscoveryStats,
    /// What to re-poll in `--watch` mode.
    pub memory: PollMemory,
}
