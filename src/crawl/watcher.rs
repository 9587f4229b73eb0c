//! `--watch`: keep the crawl running and re-poll every site's feeds and news sitemaps at an
//! interval (conditional GET through the normal fetch path), queueing only new articles,
//! articles whose listing date moved, and scheduled re-fetches of young articles. The loop is
//! a crawl task, so [`Crawler::run`] lasts until a stop (SIGTERM) and then ends cleanly.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use url::Url;

use super::discovery::{SiteReport, drive, seed_url, site_discoveries};
use super::watch_store::{WATCH_FILE, WatchStore};
use super::{CrawlError, Crawler, Shared, worker};
use crate::discover::refresh::{Decision, RefreshPolicy, decide, due_refetch};
use crate::discover::{
    DateWindow, DiscoveredUrl, DiscoveryPlan, PlanLimits, PlanOptions, PollMemory, Since,
};

/// How often a site without any feed or sitemap is searched for them again.
const FULL_DISCOVERY_EVERY: Duration = Duration::from_secs(24 * 3600);

/// How `--watch` runs.
#[derive(Debug, Clone, Copy)]
pub struct WatchOptions {
    /// Time between polls.
    pub interval: Duration,
    /// `--since`, re-evaluated at every poll (`2d` slides with time).
    pub since: Option<Since>,
    /// Re-fetch schedule of young articles.
    pub refresh: RefreshPolicy,
}

/// What one poll of one site queued.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PollCounts {
    /// Articles never fetched before.
    pub new: u64,
    /// Articles whose listing date moved.
    pub changed: u64,
    /// Scheduled re-fetches.
    pub refetched: u64,
}

impl Crawler {
    /// Starts the watch loop. `first` is what the initial [`Crawler::discover`] found: its
    /// seeds are recorded as fetched now and its poll memory is where polling starts. Call
    /// before [`Crawler::run`].
    pub fn watch(&self, opts: WatchOptions, first: &[SiteReport]) -> Result<(), CrawlError> {
        let store = WatchStore::open(&self.out.join(WATCH_FILE))?;
        let now = Utc::now();
        let mut memories: Vec<(usize, Url, PollMemory)> = Vec::new();
        for r in first {
            for s in &r.seeds {
                if store.get(s.url.as_str())?.is_none() {
                    store.fetched(s.url.as_str(), now, s.date())?;
                }
            }
            memories.push((r.site, r.home.clone(), r.memory.clone()));
        }
        let sh = self.sh.clone();
        sh.task_started();
        tokio::spawn(async move {
            if let Err(e) = watch_loop(&sh, opts, store, memories).await {
                sh.fail_fatal(format!("watch: {e}"));
            }
            sh.task_done();
        });
        Ok(())
    }
}

async fn watch_loop(
    sh: &Arc<Shared>,
    opts: WatchOptions,
    store: WatchStore,
    memories: Vec<(usize, Url, PollMemory)>,
) -> Result<(), CrawlError> {
    let mut memories: Vec<(usize, Url, PollMemory, Instant)> = memories
        .into_iter()
        .map(|(s, h, m)| (s, h, m, Instant::now()))
        .collect();
    loop {
        tokio::select! {
            _ = tokio::time::sleep(opts.interval) => {}
            _ = sh.stopped() => return Ok(()),
        }
        for (site, home, memory, last_full) in memories.iter_mut() {
            if sh.stopping() {
                return Ok(());
            }
            let all = site_discoveries(sh, *site, true);
            let Some(sd) = all.into_iter().find(|sd| sd.home == *home) else {
                continue;
            };
            // Nothing to poll (no feed or sitemap found): look again, but at most daily.
            if memory.is_empty() {
                if last_full.elapsed() < FULL_DISCOVERY_EVERY {
                    continue;
                }
                *last_full = Instant::now();
            }
            let window = opts
                .since
                .and_then(|s| DateWindow::new(s, Utc::now(), false).ok());
            let plan = DiscoveryPlan::repoll(
                sd,
                memory.clone(),
                PlanLimits::default(),
                PlanOptions { window },
            );
            let (outcome, warnings) = drive(sh, *site, plan).await?;
            for w in &warnings {
                tracing::warn!(site = %sh.cfg.sites[*site].name, "{w}");
            }
            *memory = outcome.memory;
            let counts = queue_poll(sh, &store, &opts.refresh, &outcome.seeds)?;
            tracing::info!(
                site = %sh.cfg.sites[*site].name,
                new = counts.new,
                changed = counts.changed,
                refetched = counts.refetched,
                "watch poll"
            );
        }
    }
}

/// Decides for every listed article (and every young article due a re-fetch) and queues the
/// ones to fetch, newest first.
fn queue_poll(
    sh: &Arc<Shared>,
    store: &WatchStore,
    policy: &RefreshPolicy,
    seeds: &[DiscoveredUrl],
) -> Result<PollCounts, CrawlError> {
    let now = Utc::now();
    let mut counts = PollCounts::default();
    let mut listed = std::collections::HashSet::new();
    let mut queue = Vec::new();
    for s in seeds {
        let url = s.url.as_str();
        listed.insert(url.to_string());
        let mut record = store.get(url)?;
        if record.is_none() && sh.state().seen(url)? {
            // Crawled through a link before it was listed: count that capture.
            store.fetched(url, now, s.date())?;
            record = store.get(url)?;
        }
        let d = decide(record.as_ref(), s.date(), policy, now);
        match d {
            Decision::New => counts.new += 1,
            Decision::Changed => counts.changed += 1,
            Decision::Refetch => counts.refetched += 1,
            Decision::Skip => continue,
        }
        queue.push((s.url.clone(), s.date()));
    }
    for url in store.due(policy, now)? {
        if listed.contains(&url) {
            continue;
        }
        let Some(rec) = store.get(&url)? else {
            continue;
        };
        if due_refetch(&rec, policy, now) == Decision::Refetch
            && let Ok(u) = url::Url::parse(&url)
        {
            counts.refetched += 1;
            queue.push((u, None));
        }
    }
    for (url, date) in queue {
        let Some(item) = seed_url(sh, &url, date) else {
            continue;
        };
        store.fetched(url.as_str(), now, date)?;
        if sh.state().requeue(&item)? {
            sh.stats.queued_delta(1);
            worker::ensure_worker(sh, &item.origin);
        }
    }
    Ok(counts)
}
