//! [`DiscoveryPlan`]: the pure state machine that turns one site's settings into fetches of
//! robots.txt, the home page, feeds and sitemaps, and their bodies into article seeds.
//!
//! The plan does no I/O. The crawler asks it for the next [`FetchRequest`], fetches it with its
//! own fetcher (so robots rules, rate limits and archiving apply to sitemaps and feeds as to any
//! page), and hands the response back. The plan keeps a visited set (a sitemap index that lists
//! itself or an ancestor is fetched once), caps nesting depth, fetch count and seed count,
//! applies the `--since` window, and at the end returns the seeds newest first.
//!
//! ```
//! use newsarc::discover::plan::{DiscoveryPlan, FetchKind, PlanLimits, PlanOptions, SiteDiscovery};
//! let home = url::Url::parse("https://example.com/").unwrap();
//! let mut plan = DiscoveryPlan::new(SiteDiscovery::from_home(home), PlanLimits::default(), PlanOptions::default());
//! while let Some(req) = plan.next_fetch() {
//!     // Fetch req.url with the crawler's fetcher, then:
//!     let body: &[u8] = match req.kind {
//!         FetchKind::Robots => b"Sitemap: https://example.com/news.xml\n",
//!         FetchKind::Sitemap { .. } => b"<urlset><url><loc>https://example.com/a</loc></url></urlset>",
//!         _ => b"",
//!     };
//!     plan.on_response(&req, 200, &req.url.clone(), body);
//! }
//! let outcome = plan.finish();
//! assert_eq!(outcome.seeds[0].url.as_str(), "https://example.com/a");
//! ```

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::io::Read;

use chrono::{DateTime, Utc};
use url::Url;

use super::robots_sitemaps::sitemap_guesses;
use super::seed::SeedSet;
use super::since::filter_and_order;

mod ingest;
mod types;

pub use types::{
    DiscoveryOutcome, DiscoveryStats, FetchKind, FetchRequest, GuessPolicy, Origin, PlanLimits,
    PlanOptions, PollMemory, SiteDiscovery, StepReport,
};

/// A queued fetch with its priority: robots, home page, feeds, declared sitemaps, guesses,
/// then index children newest `lastmod` first.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Queued {
    class: u8,
    lastmod: Option<DateTime<Utc>>,
    seq: u64,
    req: FetchRequest,
}

impl Queued {
    fn key(&self) -> (Reverse<u8>, Option<DateTime<Utc>>, Reverse<u64>) {
        (Reverse(self.class), self.lastmod, Reverse(self.seq))
    }
}

impl Ord for Queued {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn class_of(kind: &FetchKind) -> u8 {
    match kind {
        FetchKind::Robots => 0,
        FetchKind::HomePage => 1,
        FetchKind::Feed { .. } => 2,
        FetchKind::Sitemap {
            origin: Origin::Guess,
            ..
        } => 4,
        FetchKind::Sitemap { depth: 0, .. } => 3,
        FetchKind::Sitemap { .. } => 5,
    }
}

/// Key of a URL in the visited set: without fragment.
fn visit_key(url: &Url) -> String {
    let mut u = url.clone();
    u.set_fragment(None);
    u.into()
}

/// One site's discovery; see the [module docs](self).
#[derive(Debug)]
pub struct DiscoveryPlan {
    site: SiteDiscovery,
    limits: PlanLimits,
    options: PlanOptions,
    queue: BinaryHeap<Queued>,
    seq: u64,
    visited: HashSet<String>,
    in_flight: HashSet<FetchRequest>,
    /// Child sitemap → the sitemap index that listed it.
    parents: HashMap<String, Url>,
    /// Whether guesses still wait for robots.txt.
    guesses_pending: bool,
    /// A sitemap was declared (config or robots.txt).
    declared_sitemap: bool,
    /// Re-poll mode: index children are followed only when new, changed or known news.
    polling: bool,
    seeds: SeedSet,
    stats: DiscoveryStats,
    memory: PollMemory,
    /// Top-level sitemaps that parsed (re-polled when the site has no news sitemap).
    parsed_roots: Vec<Url>,
}

impl DiscoveryPlan {
    /// A full discovery: robots.txt, home page, configured feeds and sitemaps, guesses.
    pub fn new(site: SiteDiscovery, limits: PlanLimits, options: PlanOptions) -> Self {
        let mut plan = Self::empty(site, limits, options, false);
        if plan.site.use_robots {
            let robots = plan.site.robots_url();
            plan.push(
                FetchRequest {
                    url: robots,
                    kind: FetchKind::Robots,
                },
                None,
            );
        }
        if plan.site.use_home_page {
            let home = plan.site.home.clone();
            plan.push(
                FetchRequest {
                    url: home,
                    kind: FetchKind::HomePage,
                },
                None,
            );
        }
        for url in plan.site.feeds.clone() {
            plan.push(
                FetchRequest {
                    url,
                    kind: FetchKind::Feed {
                        origin: Origin::Configured,
                    },
                },
                None,
            );
        }
        for url in plan.site.sitemaps.clone() {
            plan.declared_sitemap = true;
            let kind = FetchKind::Sitemap {
                depth: 0,
                origin: Origin::Configured,
            };
            plan.push(FetchRequest { url, kind }, None);
        }
        plan.guesses_pending = plan.site.guess_policy != GuessPolicy::Never;
        if !plan.site.use_robots {
            plan.release_guesses();
        }
        plan
    }

    /// A `--watch` re-poll: the feeds, news sitemaps and top-level sitemaps remembered from the
    /// previous run (the crawler should fetch them with conditional GET); index children are
    /// fetched only when new or when their `lastmod` moved. Falls back to a full discovery
    /// when the memory is empty.
    pub fn repoll(
        site: SiteDiscovery,
        memory: PollMemory,
        limits: PlanLimits,
        options: PlanOptions,
    ) -> Self {
        if memory.is_empty() {
            return Self::new(site, limits, options);
        }
        let mut plan = Self::empty(site, limits, options, true);
        for url in memory.feeds.iter().cloned() {
            plan.push(
                FetchRequest {
                    url,
                    kind: FetchKind::Feed {
                        origin: Origin::Poll,
                    },
                },
                None,
            );
        }
        // News sitemaps directly (an index's own 304 must not hide their changes), then the
        // roots that lead to them, for children that appeared since.
        let news = memory.news_sitemaps.iter().cloned();
        for url in news.chain(memory.sitemap_roots.iter().cloned()) {
            let kind = FetchKind::Sitemap {
                depth: 0,
                origin: Origin::Poll,
            };
            plan.push(FetchRequest { url, kind }, None);
        }
        plan.memory = memory;
        plan
    }

    fn empty(site: SiteDiscovery, limits: PlanLimits, options: PlanOptions, polling: bool) -> Self {
        let seeds = SeedSet::new(limits.max_seeds);
        DiscoveryPlan {
            site,
            limits,
            options,
            queue: BinaryHeap::new(),
            seq: 0,
            visited: HashSet::new(),
            in_flight: HashSet::new(),
            parents: HashMap::new(),
            guesses_pending: false,
            declared_sitemap: false,
            polling,
            seeds,
            stats: DiscoveryStats::default(),
            memory: PollMemory::default(),
            parsed_roots: Vec::new(),
        }
    }

    /// The next URL to fetch, or `None` when nothing is ready (more may come once the requests
    /// in flight are answered: check [`DiscoveryPlan::is_done`]). Several requests may be in
    /// flight at once.
    pub fn next_fetch(&mut self) -> Option<FetchRequest> {
        let q = self.queue.pop()?;
        self.stats.fetches += 1;
        self.in_flight.insert(q.req.clone());
        Some(q.req)
    }

    /// Whether discovery is over: nothing queued, nothing in flight.
    pub fn is_done(&self) -> bool {
        self.queue.is_empty() && self.in_flight.is_empty()
    }

    /// Requests handed out and not yet answered.
    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// Counters so far.
    pub fn stats(&self) -> &DiscoveryStats {
        &self.stats
    }

    /// Distinct article URLs collected so far.
    pub fn seed_count(&self) -> usize {
        self.seeds.len()
    }

    /// The crawler could not fetch `req` (network error, robots.txt disallows it, too large,
    /// ...). A failed robots.txt counts as "no sitemaps declared".
    pub fn on_failure(&mut self, req: &FetchRequest, reason: &str) -> StepReport {
        let mut report = StepReport::default();
        self.settle(req, &mut report);
        if !matches!(
            req.kind,
            FetchKind::Sitemap {
                origin: Origin::Guess,
                ..
            }
        ) {
            self.stats.failed += 1;
            report.warnings.push(format!(
                "{}: {} not fetched: {reason}",
                req.url,
                kind_name(&req.kind)
            ));
        }
        report
    }

    /// Hands the crawler's response to `req` back to the plan: the HTTP `status`, the URL
    /// after redirects (`final_url`, used to resolve relative links and in the visited set) and
    /// the body (entity body after content-decoding; gzip files are detected by magic bytes).
    /// A `304 Not Modified` means "nothing new"; a 4xx for robots.txt means "no sitemaps
    /// declared". Any other non-2xx status is a failure.
    pub fn on_response<R: Read + Send>(
        &mut self,
        req: &FetchRequest,
        status: u16,
        final_url: &Url,
        body: R,
    ) -> StepReport {
        let mut report = StepReport::default();
        if final_url != &req.url {
            self.visited.insert(visit_key(final_url));
        }
        match status {
            200..=299 => {}
            304 => {
                self.keep_for_polling(req, final_url);
                self.settle(req, &mut report);
                return report;
            }
            // No robots.txt (4xx) simply declares no sitemap (RFC 9309: allow all).
            400..=499 if req.kind == FetchKind::Robots => {
                self.settle(req, &mut report);
                return report;
            }
            _ => return self.on_failure(req, &format!("HTTP status {status}")),
        }
        match req.kind {
            FetchKind::Robots => self.ingest_robots(body, final_url, &mut report),
            FetchKind::HomePage => self.ingest_home(body, final_url, &mut report),
            FetchKind::Sitemap { depth, .. } => {
                self.ingest_document(req, depth, final_url, body, &mut report)
            }
            FetchKind::Feed { .. } => self.ingest_document(req, 0, final_url, body, &mut report),
        }
        self.settle(req, &mut report);
        report
    }

    /// Ends the plan: the seeds inside the window, newest first, with the counters and the
    /// memory for the next `--watch` poll. Requests still in flight are forgotten.
    pub fn finish(mut self) -> DiscoveryOutcome {
        let seeds = std::mem::take(&mut self.seeds);
        self.stats.over_seed_cap += seeds.dropped();
        let mut seeds = seeds.into_vec();
        self.stats.outside_window += filter_and_order(&mut seeds, self.options.window.as_ref());
        // Without a news sitemap, every top-level sitemap is re-polled.
        if !self.polling && self.memory.news_sitemaps.is_empty() {
            self.memory
                .sitemap_roots
                .extend(self.parsed_roots.drain(..));
        }
        DiscoveryOutcome {
            seeds,
            stats: self.stats,
            memory: self.memory,
        }
    }

    /// Marks a request answered; releases the sitemap guesses once robots.txt is settled.
    fn settle(&mut self, req: &FetchRequest, report: &mut StepReport) {
        self.in_flight.remove(req);
        if req.kind == FetchKind::Robots {
            let before = self.queue.len();
            self.release_guesses();
            report.new_fetches += (self.queue.len() - before) as u64;
        }
    }

    fn release_guesses(&mut self) {
        if !self.guesses_pending {
            return;
        }
        self.guesses_pending = false;
        let wanted = match self.site.guess_policy {
            GuessPolicy::Always => true,
            GuessPolicy::IfNoneDeclared => !self.declared_sitemap,
            GuessPolicy::Never => false,
        };
        if wanted {
            for url in sitemap_guesses(&self.site.home, &self.site.guesses) {
                let kind = FetchKind::Sitemap {
                    depth: 0,
                    origin: Origin::Guess,
                };
                self.push(FetchRequest { url, kind }, None);
            }
        }
    }

    /// Queues a request unless its URL was queued before or the fetch cap is reached.
    /// Returns whether it was queued.
    fn push(&mut self, req: FetchRequest, lastmod: Option<DateTime<Utc>>) -> bool {
        let key = visit_key(&req.url);
        if self.visited.contains(&key) {
            self.stats.repeats += 1;
            return false;
        }
        if self.visited.len() >= self.limits.max_fetches {
            self.stats.over_fetch_cap += 1;
            return false;
        }
        self.visited.insert(key);
        self.seq += 1;
        let class = class_of(&req.kind);
        self.queue.push(Queued {
            class,
            lastmod,
            seq: self.seq,
            req,
        });
        true
    }
}

/// A short name for messages.
fn kind_name(kind: &FetchKind) -> &'static str {
    match kind {
        FetchKind::Robots => "robots.txt",
        FetchKind::HomePage => "home page",
        FetchKind::Sitemap { .. } => "sitemap",
        FetchKind::Feed { .. } => "feed",
    }
}

#[cfg(test)]
mod tests;
