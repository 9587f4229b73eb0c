//! Discovery of article URLs from sitemaps (indexes, news sitemaps, gzip) and RSS/Atom/JSON feeds.
//!
//! Everything here is pure and synchronous: no network, disk, clock or tokio. The crawler does
//! the fetching (so robots rules, rate limits and archiving apply to sitemaps and feeds like to
//! any page) and drives a [`DiscoveryPlan`], which says what to fetch next and turns the bodies
//! into article seeds.
//!
//! | item | what it does |
//! |---|---|
//! | [`plan::DiscoveryPlan`] | one site's discovery: robots.txt → sitemaps, home page → feeds, guesses, nested indexes (cycle-safe, capped), `--since` window, `--watch` re-polls |
//! | [`sitemap::SitemapReader`] | streaming `<urlset>`/`<sitemapindex>`/text sitemap parser over any `Read`, gzip by magic bytes, caps on bytes, entries and element size |
//! | [`feed::parse_feed`] | RSS 0.9x/1.0/2.0, Atom and JSON Feed entries (link, title, dates) via feed-rs; invalid dates tolerated |
//! | [`robots_sitemaps::robots_sitemaps`] | `Sitemap:` lines of robots.txt; [`robots_sitemaps::DEFAULT_SITEMAP_GUESSES`] |
//! | [`homepage::feed_links`] | `<link rel="alternate" type="application/rss+xml|atom+xml|feed+json">` |
//! | [`since`] | `--since 2d` / `2024-05-01` windows, `--interval 15m` spans, newest-first ordering |
//! | [`refresh::decide`] | `--watch`: fetch new and changed articles, re-fetch young ones N times ([`refresh::RefreshPolicy`]) |
//! | [`seed::DiscoveredUrl`] | an article URL with its dates, title and the listing it came from |
//! | [`dates::parse_date`] | lenient W3C / RFC 3339 / RFC 2822 date parsing |
//!
//! Bad input never panics and never stops a crawl: a broken sitemap yields what parsed before
//! the damage plus an error naming the byte offset; caps end oversized documents with an error
//! that names the cap; rejected entries and bad dates are counted in the stats.
//!
//! ```
//! use newsarc::discover::{DiscoveryPlan, FetchKind, PlanLimits, PlanOptions, SiteDiscovery};
//! let home = url::Url::parse("https://example.com/").unwrap();
//! let mut plan = DiscoveryPlan::new(SiteDiscovery::from_home(home), PlanLimits::default(), PlanOptions::default());
//! let robots = plan.next_fetch().unwrap();
//! assert_eq!(robots.kind, FetchKind::Robots);
//! assert_eq!(robots.url.as_str(), "https://example.com/robots.txt");
//! ```

pub mod body;
pub mod dates;
pub mod feed;
mod feed_salvage;
pub mod homepage;
pub mod plan;
pub mod refresh;
pub mod robots_sitemaps;
pub mod seed;
pub mod since;
pub mod sitemap;

pub use plan::{
    DiscoveryOutcome, DiscoveryPlan, DiscoveryStats, FetchKind, FetchRequest, GuessPolicy, Origin,
    PlanLimits, PlanOptions, PollMemory, SiteDiscovery, StepReport,
};
pub use seed::{DiscoveredUrl, SeedSource};
pub use since::{DateWindow, Since, SinceError, parse_span};
