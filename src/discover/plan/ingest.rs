//! How a [`DiscoveryPlan`] digests bodies: robots.txt, the home page, sitemaps and feeds.

use std::io::Read;

use url::Url;

use super::{DiscoveryPlan, FetchKind, FetchRequest, Origin, StepReport, visit_key};
use crate::discover::body::{BodyKind, maybe_gunzip, peek, sniff};
use crate::discover::feed::parse_feed;
use crate::discover::homepage::feed_links;
use crate::discover::robots_sitemaps::robots_sitemaps;
use crate::discover::seed::{DiscoveredUrl, Inserted};
use crate::discover::sitemap::{SitemapItem, SitemapReader, SitemapRef};

/// Bytes looked at to tell a sitemap from a feed or an HTML page.
const SNIFF_BYTES: usize = 1024;

impl DiscoveryPlan {
    pub(super) fn ingest_robots<R: Read>(&mut self, body: R, url: &Url, report: &mut StepReport) {
        let Some(bytes) = self.read_small(body, url, "robots.txt", report) else {
            return;
        };
        for sitemap in robots_sitemaps(&bytes, url, self.limits.max_robots_sitemaps) {
            self.declared_sitemap = true;
            let kind = FetchKind::Sitemap {
                depth: 0,
                origin: Origin::Robots,
            };
            if self.push(FetchRequest { url: sitemap, kind }, None) {
                report.new_fetches += 1;
            }
        }
    }

    pub(super) fn ingest_home<R: Read>(&mut self, body: R, url: &Url, report: &mut StepReport) {
        let Some(bytes) = self.read_small(body, url, "home page", report) else {
            return;
        };
        for feed in feed_links(&bytes, url, self.limits.max_home_feeds) {
            let kind = FetchKind::Feed {
                origin: Origin::HomePage,
            };
            if self.push(FetchRequest { url: feed, kind }, None) {
                report.new_fetches += 1;
            }
        }
    }

    /// Reads robots.txt or a home page up to the page cap (a longer body is cut, not refused).
    fn read_small<R: Read>(
        &mut self,
        body: R,
        url: &Url,
        what: &str,
        report: &mut StepReport,
    ) -> Option<Vec<u8>> {
        let mut bytes = Vec::new();
        match body
            .take(self.limits.max_page_bytes)
            .read_to_end(&mut bytes)
        {
            Ok(_) => Some(bytes),
            Err(e) => {
                self.stats.failed += 1;
                report
                    .warnings
                    .push(format!("{url}: reading the {what} failed: {e}"));
                None
            }
        }
    }

    /// A sitemap or a feed: which one is decided by the body, not by what was expected
    /// (robots.txt `Sitemap:` lines may point to RSS feeds, and feeds to sitemaps).
    pub(super) fn ingest_document<R: Read + Send>(
        &mut self,
        req: &FetchRequest,
        depth: u32,
        url: &Url,
        body: R,
        report: &mut StepReport,
    ) {
        let opened = maybe_gunzip(body).and_then(|(_, decoded)| peek(decoded, SNIFF_BYTES));
        let (prefix, reader) = match opened {
            Ok(p) => p,
            Err(e) => {
                self.stats.parse_errors += 1;
                report.warnings.push(format!("{url}: reading failed: {e}"));
                return;
            }
        };
        match sniff(&prefix) {
            BodyKind::XmlFeed | BodyKind::Json => self.ingest_feed(req, url, reader, report),
            BodyKind::Html => {
                // A guessed path answering with an HTML page is a soft 404, not a problem.
                if !matches!(
                    req.kind,
                    FetchKind::Sitemap {
                        origin: Origin::Guess,
                        ..
                    }
                ) {
                    self.stats.parse_errors += 1;
                    report.warnings.push(format!(
                        "{url}: expected a sitemap or feed, got an HTML page (check the URL)"
                    ));
                }
            }
            BodyKind::Sitemap | BodyKind::Text | BodyKind::Unknown => {
                self.ingest_sitemap(req, depth, url, reader, report)
            }
        }
    }

    fn ingest_feed<R: Read + Send>(
        &mut self,
        req: &FetchRequest,
        url: &Url,
        body: R,
        report: &mut StepReport,
    ) {
        let feed = match parse_feed(body, url, &self.limits.feed) {
            Ok(f) => f,
            Err(e) => {
                self.stats.parse_errors += 1;
                report.warnings.push(e.to_string());
                return;
            }
        };
        self.stats.feeds += 1;
        self.stats.rejected_entries += feed.skipped;
        self.stats.bad_dates += feed.bad_dates;
        report.warnings.extend(feed.warnings);
        self.memory.feeds.insert(req.url.clone());
        for entry in feed.entries {
            self.add_seed(DiscoveredUrl::from_feed(entry, url), report);
        }
    }

    fn ingest_sitemap<R: Read + Send>(
        &mut self,
        req: &FetchRequest,
        depth: u32,
        url: &Url,
        body: R,
        report: &mut StepReport,
    ) {
        let mut reader = match SitemapReader::new(body, url, &self.limits.sitemap) {
            Ok(r) => r,
            Err(e) => {
                self.stats.parse_errors += 1;
                report.warnings.push(e.to_string());
                return;
            }
        };
        let mut news = false;
        let mut error = None;
        for item in reader.by_ref() {
            match item {
                Ok(SitemapItem::Url(entry)) => {
                    news |= entry.news.is_some();
                    self.add_seed(DiscoveredUrl::from_sitemap(entry, url), report);
                }
                Ok(SitemapItem::Sitemap(child)) => self.add_child(req, depth, child, report),
                Err(e) => error = Some(e),
            }
        }
        let parsed_any = reader.kind().is_some();
        let stats = reader.into_stats();
        self.stats.rejected_entries += stats.rejected_locs;
        self.stats.bad_dates += stats.bad_dates;
        report
            .warnings
            .extend(stats.warnings.into_iter().map(|w| format!("{url}: {w}")));
        if let Some(e) = error {
            self.stats.parse_errors += 1;
            report.warnings.push(e.to_string());
        }
        if !parsed_any {
            return;
        }
        self.stats.sitemaps += 1;
        if depth == 0 {
            self.parsed_roots.push(req.url.clone());
        }
        if news {
            self.memory.news_sitemaps.insert(req.url.clone());
            let root = self.root_of(&req.url);
            self.memory.sitemap_roots.insert(root);
        }
    }

    /// A 304 answer: the document is unchanged, but it stays on the polling list.
    pub(super) fn keep_for_polling(&mut self, req: &FetchRequest, _final_url: &Url) {
        match req.kind {
            FetchKind::Feed { .. } => {
                self.memory.feeds.insert(req.url.clone());
            }
            FetchKind::Sitemap { depth: 0, .. } => self.parsed_roots.push(req.url.clone()),
            _ => {}
        }
    }

    /// The top-level sitemap that (through indexes) led to `url`.
    fn root_of(&self, url: &Url) -> Url {
        let mut cur = url.clone();
        // The parent chain is acyclic (a URL is queued once), and bounded by the depth cap.
        for _ in 0..=self.limits.max_index_depth {
            match self.parents.get(&visit_key(&cur)) {
                Some(parent) => cur = parent.clone(),
                None => break,
            }
        }
        cur
    }

    fn add_child(
        &mut self,
        req: &FetchRequest,
        depth: u32,
        child: SitemapRef,
        report: &mut StepReport,
    ) {
        let previous = self
            .memory
            .children
            .insert(child.loc.clone(), child.lastmod);
        if depth + 1 > self.limits.max_index_depth {
            self.stats.over_fetch_cap += 1;
            report.warnings.push(format!(
                "{}: sitemap index nested deeper than {} levels; {} not fetched",
                req.url, self.limits.max_index_depth, child.loc
            ));
            return;
        }
        if let (Some(window), Some(lastmod)) = (&self.options.window, child.lastmod)
            && lastmod < window.start
        {
            self.stats.stale_sitemaps += 1;
            return;
        }
        if self.polling && !self.memory.news_sitemaps.contains(&child.loc) {
            let changed = match previous {
                None => true,
                Some(before) => child.lastmod.is_some() && child.lastmod > before,
            };
            if !changed {
                return;
            }
        }
        let key = visit_key(&child.loc);
        let kind = FetchKind::Sitemap {
            depth: depth + 1,
            origin: Origin::Index,
        };
        if self.push(
            FetchRequest {
                url: child.loc,
                kind,
            },
            child.lastmod,
        ) {
            self.parents.insert(key, req.url.clone());
            report.new_fetches += 1;
        } else if key == visit_key(&req.url) || self.is_ancestor(&key, &req.url) {
            report.warnings.push(format!(
                "{}: sitemap index lists itself or a parent; cycle ignored",
                req.url
            ));
        }
    }

    fn is_ancestor(&self, key: &str, of: &Url) -> bool {
        let mut cur = of.clone();
        for _ in 0..=self.limits.max_index_depth {
            match self.parents.get(&visit_key(&cur)) {
                Some(parent) if visit_key(parent) == key => return true,
                Some(parent) => cur = parent.clone(),
                None => return false,
            }
        }
        false
    }

    fn add_seed(&mut self, seed: DiscoveredUrl, report: &mut StepReport) {
        if let Some(window) = &self.options.window
            && !window.admits(seed.date())
        {
            self.stats.outside_window += 1;
            return;
        }
        match self.seeds.insert(seed) {
            Inserted::New => report.new_seeds += 1,
            Inserted::Merged => {}
            Inserted::Full => {}
        }
    }
}
