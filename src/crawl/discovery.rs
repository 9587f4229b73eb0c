//! Discovery inside the crawl: each site's [`DiscoveryPlan`] is driven with the crawler's own
//! fetch path, so robots.txt rules, per-host pacing, conditional GET and archiving apply to
//! sitemaps and feeds exactly as to pages. Robots requests are answered from the origin's
//! robots cache (its `Sitemap:` lines), never fetched twice. Discovered URLs become depth-0
//! seeds of their site (allow/deny lists apply), queued newest first.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use chrono::{DateTime, Utc};
use url::Url;

use super::{CrawlError, Crawler, Shared, scope, worker};
use crate::archive::{UuidIds, build, sha1_digest};
use crate::discover::{
    DateWindow, DiscoveredUrl, DiscoveryOutcome, DiscoveryPlan, DiscoveryStats, FetchKind,
    FetchRequest, GuessPolicy, PlanLimits, PlanOptions, PollMemory, SiteDiscovery,
};
use crate::fetch::{Exchange, RequestExtras, RobotsRules, decode_body, parse_retry_after};
use crate::frontier::{DigestHit, NewUrl, Validators, normalize, origin_key};
use home::{HoldWorkers, fetch_home};

mod home;

/// Most redirect hops followed for one sitemap or feed.
const MAX_DOC_REDIRECTS: u32 = 5;

/// The failure reason when an origin's robots.txt cannot be had.
const ROBOTS_UNAVAILABLE: &str = "robots.txt unavailable";

/// What one site's discovery did.
#[derive(Debug, Clone)]
pub struct SiteReport {
    /// Index of the site in the config.
    pub site: usize,
    /// The home page (first seed of one origin of the site) the plan started from.
    pub home: Url,
    /// Its name.
    pub name: String,
    /// Discovery counters.
    pub stats: DiscoveryStats,
    /// Distinct article URLs found (inside the window).
    pub found: usize,
    /// Of those, URLs queued (new to the crawl and allowed by the site's lists).
    pub queued: usize,
    /// Warnings (each names the sitemap or feed URL).
    pub warnings: Vec<String>,
    /// What to re-poll in `--watch` mode.
    pub memory: PollMemory,
    /// The seeds found, newest first (kept for `--watch` bookkeeping).
    pub seeds: Vec<DiscoveredUrl>,
}

/// How a discovery document fetch ended.
enum DocFetch {
    Response {
        status: u16,
        final_url: Url,
        body: Vec<u8>,
    },
    Failed(String),
    Stopped,
}

/// How [`Crawler::discover`] runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct DiscoverOptions {
    /// The `--since` window.
    pub window: Option<DateWindow>,
    /// Discovery was asked for (`--since`, `--watch`): run it for every site not explicitly
    /// switched off (see [`SiteDiscoveryConfig::active`](crate::config::SiteDiscoveryConfig::active)).
    pub requested: bool,
}

/// The [`SiteDiscovery`] plans of site `i`: one per distinct origin of its seeds (the first
/// seed of each origin is its home page; configured feeds and sitemaps go with the first).
/// Empty when discovery is off for the site.
pub(crate) fn site_discoveries(sh: &Shared, i: usize, requested: bool) -> Vec<SiteDiscovery> {
    let Some(site) = sh.cfg.sites.get(i) else {
        return Vec::new();
    };
    let d = &site.discovery;
    if !d.active(site.max_depth, requested) {
        return Vec::new();
    }
    let mut out: Vec<SiteDiscovery> = Vec::new();
    for seed in &site.seeds {
        if out
            .iter()
            .any(|sd| origin_key(&sd.home) == origin_key(seed))
        {
            continue;
        }
        let mut sd = SiteDiscovery::from_home(seed.clone());
        if out.is_empty() {
            sd.feeds = d.feeds.clone();
            sd.sitemaps = d.sitemaps.clone();
        }
        sd.guesses = d.guesses.clone();
        if sd.guesses.is_empty() {
            sd.guess_policy = GuessPolicy::Never;
        }
        out.push(sd);
    }
    out
}

impl Crawler {
    /// Runs discovery for every site that has it on (sites concurrently, one request at a
    /// time per host) and queues what it finds as depth-0 seeds, newest first, without
    /// starting workers: call before [`Crawler::run`].
    pub async fn discover(&self, opts: DiscoverOptions) -> Result<Vec<SiteReport>, CrawlError> {
        // A home page fetched through the crawl path queues its links; workers for them must
        // wait for `run` (which reconciles pending URLs first), so none may start meanwhile.
        let _held = HoldWorkers::new(&self.sh);
        let mut set = tokio::task::JoinSet::new();
        for i in 0..self.sh.cfg.sites.len() {
            for sd in site_discoveries(&self.sh, i, opts.requested) {
                let sh = self.sh.clone();
                let window = opts.window;
                set.spawn(async move {
                    let home = sd.home.clone();
                    let plan =
                        DiscoveryPlan::new(sd, PlanLimits::default(), PlanOptions { window });
                    run_site(&sh, i, home, plan, false).await
                });
            }
        }
        let mut reports = Vec::new();
        while let Some(joined) = set.join_next().await {
            match joined {
                Ok(r) => reports.push(r?),
                Err(e) => {
                    return Err(CrawlError::Write(super::WriteFailed(format!(
                        "discovery task failed: {e}"
                    ))));
                }
            }
        }
        reports.sort_by(|a, b| (a.site, a.home.as_str()).cmp(&(b.site, b.home.as_str())));
        // Home pages are parsed in tasks of their own: finish them before `run` starts.
        loop {
            let idle = self.sh.idle.notified();
            if self.sh.active.load(Ordering::SeqCst) == 0 {
                break;
            }
            idle.await;
        }
        Ok(reports)
    }
}

/// Drives `plan` for site `i` to the end and queues its seeds (`start`: start workers for
/// them, when the crawl is already running).
pub(crate) async fn run_site(
    sh: &Arc<Shared>,
    i: usize,
    home: Url,
    plan: DiscoveryPlan,
    start: bool,
) -> Result<SiteReport, CrawlError> {
    let (outcome, warnings) = drive(sh, i, plan).await?;
    for w in &warnings {
        tracing::warn!(site = %sh.cfg.sites[i].name, "{w}");
    }
    let queued = queue_seeds(sh, &outcome.seeds, start)?;
    let DiscoveryOutcome {
        seeds,
        stats,
        memory,
    } = outcome;
    Ok(SiteReport {
        site: i,
        home,
        name: sh.cfg.sites[i].name.clone(),
        stats,
        found: seeds.len(),
        queued,
        warnings,
        memory,
        seeds,
    })
}

/// Runs a plan to completion with the crawler's fetch path.
pub(crate) async fn drive(
    sh: &Arc<Shared>,
    site: usize,
    mut plan: DiscoveryPlan,
) -> Result<(DiscoveryOutcome, Vec<String>), CrawlError> {
    let mut warnings = Vec::new();
    // Origins whose robots.txt could not be had: the rest of their requests fail at once.
    let mut dead: HashMap<String, String> = HashMap::new();
    while let Some(req) = plan.next_fetch() {
        if sh.stopping() {
            break;
        }
        let origin = origin_key(&req.url);
        if let Some(reason) = dead.get(&origin) {
            let report = plan.on_failure(&req, reason);
            warnings.extend(report.warnings);
            continue;
        }
        let report = match fetch_for_plan(sh, site, &req).await? {
            DocFetch::Response {
                status,
                final_url,
                body,
            } => plan.on_response(&req, status, &final_url, &body[..]),
            DocFetch::Failed(reason) => {
                if reason == ROBOTS_UNAVAILABLE {
                    dead.insert(origin, reason.clone());
                }
                plan.on_failure(&req, &reason)
            }
            DocFetch::Stopped => break,
        };
        warnings.extend(report.warnings);
    }
    Ok((plan.finish(), warnings))
}

/// Queues discovered URLs of site `i` (in the order given) as depth-0 seeds.
pub(crate) fn queue_seeds(
    sh: &Arc<Shared>,
    seeds: &[DiscoveredUrl],
    start: bool,
) -> Result<usize, CrawlError> {
    let items: Vec<_> = seeds
        .iter()
        .filter_map(|s| seed_url(sh, &s.url, s.date()))
        .map(|u| (u, None))
        .collect();
    worker::add_urls(sh, &items, start)
}

/// A discovered URL as a frontier seed: normalised, of a configured site (URLs on other
/// hosts are out of scope), allowed by that site's allow/deny lists.
pub(crate) fn seed_url(sh: &Shared, url: &Url, date: Option<DateTime<Utc>>) -> Option<NewUrl> {
    let url = normalize(url.as_str(), None).ok()?;
    let site = sh.cfg.site_of(&url)?;
    if !sh.cfg.sites[site].permits(url.as_str()) {
        return None;
    }
    Some(scope::seed(&url, site, date.map(|d| d.to_rfc3339())))
}

async fn fetch_for_plan(
    sh: &Arc<Shared>,
    site: usize,
    req: &FetchRequest,
) -> Result<DocFetch, CrawlError> {
    match req.kind {
        FetchKind::Robots => {}
        FetchKind::HomePage => return fetch_home(sh, site, &req.url).await,
        _ => return fetch_doc(sh, site, &req.url).await,
    }
    // robots.txt comes from the origin's robots cache: its `Sitemap:` lines are all we need.
    let origin = origin_key(&req.url);
    let ctx_arc = host_ctx(sh, &origin);
    let mut ctx = ctx_arc.lock().await;
    if let Some(stop) = ensure_robots(sh, &origin, &mut ctx).await? {
        return Ok(stop);
    }
    let Some(entry) = ctx.robots.as_ref() else {
        return Ok(DocFetch::Failed(ROBOTS_UNAVAILABLE.into()));
    };
    Ok(match &entry.rules {
        RobotsRules::Rules(_) => {
            let body: String = entry
                .rules
                .sitemaps()
                .iter()
                .map(|s| format!("Sitemap: {s}\n"))
                .collect();
            DocFetch::Response {
                status: 200,
                final_url: req.url.clone(),
                body: body.into_bytes(),
            }
        }
        RobotsRules::AllowAll => DocFetch::Response {
            status: 404,
            final_url: req.url.clone(),
            body: Vec::new(),
        },
        RobotsRules::Unavailable => DocFetch::Failed(ROBOTS_UNAVAILABLE.into()),
    })
}

fn host_ctx(sh: &Shared, origin: &str) -> Arc<tokio::sync::Mutex<super::HostCtx>> {
    let mut hosts = sh.hosts.lock().unwrap_or_else(|p| p.into_inner());
    hosts.entry(origin.to_string()).or_default().ctx.clone()
}

/// Makes sure the origin's robots rules are known. `Some` when discovery must not go on.
async fn ensure_robots(
    sh: &Arc<Shared>,
    origin: &str,
    ctx: &mut super::HostCtx,
) -> Result<Option<DocFetch>, CrawlError> {
    for _ in 0..=sh.cfg.max_retries {
        if sh.stopping() {
            return Ok(Some(DocFetch::Stopped));
        }
        let fresh = ctx
            .robots
            .as_ref()
            .is_some_and(|r| r.is_fresh(std::time::Instant::now()));
        if fresh {
            return Ok(None);
        }
        match worker::robots(sh, origin, ctx).await? {
            worker::RobotsState::Ready => return Ok(None),
            worker::RobotsState::Retry => continue,
            worker::RobotsState::GaveUp => break,
        }
    }
    Ok(Some(DocFetch::Failed(ROBOTS_UNAVAILABLE.into())))
}

/// Fetches a sitemap, feed or home page politely (robots, pacing, conditional GET), archives
/// every exchange (redirect hops too), and returns the content-decoded body.
async fn fetch_doc(sh: &Arc<Shared>, site: usize, start: &Url) -> Result<DocFetch, CrawlError> {
    let mut url = start.clone();
    for _ in 0..=MAX_DOC_REDIRECTS {
        let origin = origin_key(&url);
        let ctx_arc = host_ctx(sh, &origin);
        let mut ctx = ctx_arc.lock().await;
        if let Some(stop) = ensure_robots(sh, &origin, &mut ctx).await? {
            return Ok(stop);
        }
        let allowed = ctx
            .robots
            .as_ref()
            .is_some_and(|r| r.rules.allowed(url.as_str()));
        if !allowed {
            sh.stats.robots_blocked();
            return Ok(DocFetch::Failed("disallowed by robots.txt".into()));
        }
        let validators = sh.state().validators(url.as_str())?;
        let extras = RequestExtras {
            if_none_match: validators.as_ref().and_then(|v| v.etag.clone()),
            if_modified_since: validators.as_ref().and_then(|v| v.last_modified.clone()),
        };
        let Some(res) = worker::paced_get(sh, &mut ctx, site, &url, &extras).await else {
            return Ok(DocFetch::Stopped);
        };
        let ex = match res {
            Ok(ex) => ex,
            Err(e) => {
                worker::after_response(sh, &mut ctx, site, None, None);
                return Ok(DocFetch::Failed(format!("{} error", e.label())));
            }
        };
        drop(ctx);
        sh.stats
            .fetched(ex.status, (ex.head.len() + ex.body.len()) as u64);
        let ra = ex
            .header("retry-after")
            .and_then(|v| parse_retry_after(v, Utc::now()));
        {
            let mut ctx = ctx_arc.lock().await;
            worker::after_response(sh, &mut ctx, site, Some(ex.status), ra);
        }
        archive_doc(sh, &ex, validators).await?;
        if let Some(loc) = ex
            .location()
            .filter(|_| (300..400).contains(&ex.status) && ex.status != 304)
        {
            match Url::parse(&loc) {
                Ok(u) if matches!(u.scheme(), "http" | "https") => {
                    url = u;
                    continue;
                }
                _ => return Ok(DocFetch::Failed(format!("bad redirect to {loc:?}"))),
            }
        }
        if ex.status == 304 {
            return Ok(DocFetch::Response {
                status: 304,
                final_url: url,
                body: Vec::new(),
            });
        }
        let body = match decode_body(ex.header("content-encoding"), &ex.body, sh.cfg.max_decoded) {
            Ok(b) => b,
            Err(e) => return Ok(DocFetch::Failed(e.to_string())),
        };
        if ex.truncated {
            tracing::warn!(url = %url, "body cut at the size cap; parsing what arrived");
        }
        return Ok(DocFetch::Response {
            status: ex.status,
            final_url: url,
            body,
        });
    }
    Ok(DocFetch::Failed("too many redirects".into()))
}

/// Writes the records of a discovery exchange: a response, or a revisit for a 304 or an
/// identical payload, plus the request; remembers validators and digest for next time.
async fn archive_doc(
    sh: &Arc<Shared>,
    ex: &Exchange,
    validators: Option<Validators>,
) -> Result<(), CrawlError> {
    let digest = sha1_digest(&ex.body);
    let mut ids = UuidIds;
    let uri = ex.url.as_str();
    let (resp, revisit) =
        super::process::response_or_revisit(sh, ex, &digest, validators.as_ref(), &mut ids)?;
    let rid = resp.id().unwrap_or_default().to_string();
    let req = build::request(uri, ex.date, ex.request.clone(), &mut ids).with_concurrent_to(&rid);
    let written = sh.writer.write(vec![resp, req]).await?;
    sh.stats
        .written(written.len() as u64, written.iter().map(|w| w.length).sum());
    if revisit {
        sh.stats.revisit();
    }
    if ex.status == 200 && !revisit && !ex.truncated {
        let v = Validators {
            etag: ex.header("etag").map(str::to_string),
            last_modified: ex.header("last-modified").map(str::to_string),
            record_id: rid.clone(),
            date: ex.date.to_rfc3339(),
            location: written
                .first()
                .map(|w| (w.path.display().to_string(), w.offset, w.length)),
        };
        let hit = DigestHit {
            record_id: rid,
            uri: uri.to_string(),
            date: ex.date.to_rfc3339(),
        };
        sh.state().remember(uri, Some(&v), Some((&digest, &hit)))?;
    }
    Ok(())
}
