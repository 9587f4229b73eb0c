//! One task per origin: robots.txt first, then the origin's URLs, paced, with retries and
//! backoff; each fetch runs in a task of its own, at most `per_host_concurrency` at once
//! (default 1: one at a time). Workers are started when an origin gets queued URLs and retire
//! when its queue is empty (re-checked under the host lock, so no URL is stranded).

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use chrono::Utc;
use tokio::sync::{Mutex, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use url::Url;

use super::process;
use super::{CrawlError, HostCtx, Shared};
use crate::archive::{UuidIds, build};
use crate::fetch::{
    Exchange, Pacer, RequestExtras, RobotsEntry, RobotsRules, parse_retry_after, robots_url,
};
use crate::frontier::{Finish, NewUrl, Next, QueuedUrl, UrlStatus};

/// Insert URLs (with optional trap patterns) and start workers for their origins.
pub(crate) fn add_urls(
    sh: &Arc<Shared>,
    items: &[(NewUrl, Option<(String, u64)>)],
    start: bool,
) -> Result<usize, CrawlError> {
    if items.is_empty() {
        return Ok(0);
    }
    let (added, trapped) = sh.state().add(items)?;
    sh.stats.queued_delta(added.len() as i64);
    sh.stats.traps(trapped.len() as u64);
    if start {
        let mut origins: Vec<&str> = added.iter().map(|u| u.origin.as_str()).collect();
        origins.sort_unstable();
        origins.dedup();
        for o in origins {
            ensure_worker(sh, o);
        }
    }
    Ok(added.len())
}

/// Start the worker of `origin` unless it is running.
pub(crate) fn ensure_worker(sh: &Arc<Shared>, origin: &str) {
    let mut hosts = sh.hosts.lock().unwrap_or_else(|p| p.into_inner());
    let slot = hosts.entry(origin.to_string()).or_default();
    if slot.active
        || sh.stopping()
        || sh.budget_hit.load(Ordering::SeqCst)
        || sh.hold_workers.load(Ordering::SeqCst)
    {
        return;
    }
    slot.active = true;
    let ctx = slot.ctx.clone();
    drop(hosts);
    sh.task_started();
    let sh2 = sh.clone();
    let origin = origin.to_string();
    tokio::spawn(async move {
        run_origin(&sh2, &origin, &ctx).await;
        retire(&sh2, &origin, true);
        sh2.task_done();
    });
}

/// Mark the worker of `origin` inactive. Unless `force`, only if its queue is empty (checked
/// under the host lock so a concurrent insert either sees the worker active or starts one).
fn retire(sh: &Shared, origin: &str, force: bool) -> bool {
    let mut hosts = sh.hosts.lock().unwrap_or_else(|p| p.into_inner());
    if !force {
        match sh.state().next_for(origin, i64::MAX) {
            Ok(Next::Empty) => {}
            _ => return false,
        }
    }
    if let Some(s) = hosts.get_mut(origin) {
        s.active = false;
    }
    true
}

pub(super) fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// The fetches of one origin in flight: at most `per_host_concurrency` (one permit each),
/// the frontier ids they hold (so no URL is claimed twice), and their tasks.
struct Lanes {
    permits: Arc<Semaphore>,
    busy: Arc<std::sync::Mutex<HashSet<i64>>>,
    tasks: JoinSet<()>,
}

impl Lanes {
    fn new(n: usize) -> Lanes {
        Lanes {
            permits: Arc::new(Semaphore::new(n)),
            busy: Arc::default(),
            tasks: JoinSet::new(),
        }
    }

    fn busy(&self) -> HashSet<i64> {
        self.busy.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Wait for every fetch in flight to finish (they stop early on a crawl stop).
    async fn drain(&mut self) {
        while self.tasks.join_next().await.is_some() {}
    }
}

/// What the origin loop does after one look at the frontier.
enum Step {
    Go,
    Stop,
}

/// The origin's loop: robots.txt first, then its URLs, each paced by the origin's pacer and
/// fetched in a task of its own, at most `per_host_concurrency` at once (1 by default: one
/// after the other, the next paced from the end of the last).
async fn run_origin(sh: &Arc<Shared>, origin: &str, ctx: &Arc<Mutex<HostCtx>>) {
    let mut lanes = Lanes::new(sh.cfg.per_host_concurrency.max(1));
    loop {
        if sh.stopping() {
            break;
        }
        let permit = tokio::select! {
            p = lanes.permits.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            _ = sh.stopped() => break,
        };
        match next_step(sh, origin, ctx, &mut lanes, permit).await {
            Ok(Step::Go) => {}
            Ok(Step::Stop) => break,
            Err(e) => {
                sh.fail_fatal(e.to_string());
                break;
            }
        }
    }
    lanes.drain().await;
}

/// One turn of the origin loop, holding a lane permit: robots.txt if stale, then the next
/// URL, which is paced and handed to a fetch task (which keeps the permit).
async fn next_step(
    sh: &Arc<Shared>,
    origin: &str,
    ctx_lock: &Arc<Mutex<HostCtx>>,
    lanes: &mut Lanes,
    permit: OwnedSemaphorePermit,
) -> Result<Step, CrawlError> {
    let mut ctx = ctx_lock.lock().await;
    if ctx.pages.is_none() {
        // Pages fetched from this origin in earlier runs; counted live from here on (the
        // state only learns of a page once it is parsed).
        ctx.pages = Some(sh.state().origin_pages(origin)?);
    }
    let fresh = ctx
        .robots
        .as_ref()
        .is_some_and(|r| r.is_fresh(Instant::now()));
    if !fresh {
        match robots(sh, origin, &mut ctx).await? {
            RobotsState::Ready => {}
            RobotsState::Retry => return Ok(Step::Go),
            RobotsState::GaveUp => return Ok(Step::Stop),
        }
    }
    let busy = lanes.busy();
    let next = sh.state().next_for_except(origin, now_ms(), &busy)?;
    match next {
        Next::Empty if busy.is_empty() => {
            drop(ctx);
            Ok(if retire(sh, origin, false) {
                Step::Stop
            } else {
                Step::Go
            })
        }
        Next::Empty => {
            // Every queued URL is being fetched: wait for one fetch to end.
            drop((ctx, permit));
            lanes.tasks.join_next().await;
            Ok(Step::Go)
        }
        Next::Later(t) => {
            drop((ctx, permit));
            let wait = Duration::from_millis((t - now_ms()).clamp(1, 3_600_000) as u64);
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = lanes.tasks.join_next(), if !lanes.tasks.is_empty() => {}
                _ = sh.stopped() => return Ok(Step::Stop),
            }
            Ok(Step::Go)
        }
        Next::Ready(q) => {
            let site = sh.cfg.sites.get(q.site as usize);
            if let Some(budget) = site.and_then(|s| s.max_pages_per_host)
                && ctx.pages.unwrap_or(0) + ctx.in_flight >= budget
            {
                // Host budget spent (or about to be, by the fetches in flight): leave the
                // rest queued.
                return Ok(Step::Stop);
            }
            let allowed = ctx.robots.as_ref().is_some_and(|r| r.rules.allowed(&q.url));
            if !allowed {
                sh.stats.robots_blocked();
                sh.stats.queued_delta(-1);
                sh.state().finish(&skip(&q, "robots.txt disallow"))?;
                return Ok(Step::Go);
            }
            let claim = match claim(sh, &mut ctx, q).await? {
                Claimed::Fetch(c) => c,
                Claimed::Skipped => return Ok(Step::Go),
                Claimed::Stop => return Ok(Step::Stop),
            };
            drop(ctx);
            lanes
                .busy
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(claim.q.id);
            let (sh2, ctx2, busy) = (sh.clone(), ctx_lock.clone(), lanes.busy.clone());
            lanes.tasks.spawn(async move {
                let id = claim.q.id;
                if let Err(e) = fetch_claimed(&sh2, &ctx2, claim).await {
                    sh2.fail_fatal(e.to_string());
                }
                busy.lock().unwrap_or_else(|p| p.into_inner()).remove(&id);
                drop(permit);
            });
            Ok(if sh.budget_hit.load(Ordering::SeqCst) {
                Step::Stop
            } else {
                Step::Go
            })
        }
    }
}

fn skip<'a>(q: &QueuedUrl, reason: &'a str) -> Finish<'a> {
    Finish {
        id: q.id,
        status: UrlStatus::Skipped,
        reason: Some(reason),
        http_status: None,
        links: &[],
        aliases: &[],
        validators: None,
        digest: None,
        fetched: false,
    }
}

fn pacer<'a>(sh: &Shared, ctx: &'a mut HostCtx, site: usize) -> &'a mut Pacer {
    ctx.pacer.get_or_insert_with(|| {
        let interval = sh
            .cfg
            .sites
            .get(site)
            .map(|s| s.interval)
            .unwrap_or(Duration::from_secs(1));
        Pacer::new(interval)
    })
}

/// Wait for pacing and a global slot, then GET. `None` when stopped meanwhile.
pub(super) async fn paced_get(
    sh: &Shared,
    ctx: &mut HostCtx,
    site: usize,
    url: &Url,
    extras: &RequestExtras,
) -> Option<Result<Exchange, crate::fetch::FetchError>> {
    let p = pacer(sh, ctx, site);
    tokio::select! {
        _ = p.ready() => {}
        _ = sh.stopped() => return None,
    }
    let r = global_get(sh, url, extras).await?;
    pacer(sh, ctx, site).done();
    Some(r)
}

/// GET under one of the crawl's global slots. `None` when stopped meanwhile.
async fn global_get(
    sh: &Shared,
    url: &Url,
    extras: &RequestExtras,
) -> Option<Result<Exchange, crate::fetch::FetchError>> {
    let permit = tokio::select! {
        p = sh.global.acquire() => p.ok()?,
        _ = sh.stopped() => return None,
    };
    let r = tokio::select! {
        r = sh.client.get(url, extras) => r,
        _ = sh.stopped() => return None,
    };
    drop(permit);
    Some(r)
}

/// Adjust the origin's pacing after a response or error: back off a failing host, honour
/// `Retry-After`, count successes.
pub(super) fn after_response(
    sh: &Shared,
    ctx: &mut HostCtx,
    site: usize,
    status: Option<u16>,
    retry_after: Option<Duration>,
) {
    let failing = match status {
        None => true,
        Some(s) => crate::fetch::retryable_status(s),
    };
    let j = sh.jitter();
    let backoff = sh.backoff;
    let p = pacer(sh, ctx, site);
    if failing {
        p.failures += 1;
        let d = backoff.delay(p.failures.saturating_sub(1), j);
        p.pause_for(retry_after.map_or(d, |ra| ra.max(d)).min(backoff.cap));
    } else {
        p.failures = 0;
        if let Some(ra) = retry_after.filter(|_| status == Some(503)) {
            p.pause_for(ra.min(backoff.cap));
        }
    }
}

/// Where robots.txt stands for an origin after a fetch attempt.
pub(super) enum RobotsState {
    /// Rules known: go on.
    Ready,
    /// Unavailable (or stopped): try again after the origin's pause.
    Retry,
    /// Unavailable too often: the origin's queued URLs were failed.
    GaveUp,
}

/// Fetch robots.txt for the origin (following up to 5 redirects, archiving each hop).
pub(super) async fn robots(
    sh: &Arc<Shared>,
    origin: &str,
    ctx: &mut HostCtx,
) -> Result<RobotsState, CrawlError> {
    let site = origin_site(sh, origin);
    let Ok(mut url) = Url::parse(&format!("{origin}/robots.txt")) else {
        ctx.robots = Some(RobotsEntry {
            rules: RobotsRules::AllowAll,
            fetched: Instant::now(),
        });
        return Ok(RobotsState::Ready);
    };
    if let Ok(u) = Url::parse(&robots_url(&url)) {
        url = u;
    }
    let mut hops = 0;
    let rules = loop {
        let Some(res) = paced_get(sh, ctx, site, &url, &RequestExtras::default()).await else {
            return Ok(RobotsState::Retry);
        };
        match res {
            Err(_) => {
                after_response(sh, ctx, site, None, None);
                break RobotsRules::Unavailable;
            }
            Ok(ex) => {
                sh.stats
                    .fetched(ex.status, (ex.head.len() + ex.body.len()) as u64);
                write_plain(sh, &ex).await?;
                let ra = ex
                    .header("retry-after")
                    .and_then(|v| parse_retry_after(v, Utc::now()));
                after_response(sh, ctx, site, Some(ex.status), ra);
                if let Some(loc) = ex.location() {
                    if hops < 5
                        && let Ok(u) = Url::parse(&loc)
                        && matches!(u.scheme(), "http" | "https")
                    {
                        hops += 1;
                        url = u;
                        continue;
                    }
                    break RobotsRules::AllowAll;
                }
                if let Some(ce) = ex.header("content-encoding").map(str::to_string) {
                    let body =
                        crate::fetch::decode_body(Some(&ce), &ex.body, 1 << 20).unwrap_or_default();
                    break RobotsRules::from_response(&sh.agent, Some(ex.status), &body);
                }
                break RobotsRules::from_response(&sh.agent, Some(ex.status), &ex.body);
            }
        }
    };
    let unavailable = matches!(rules, RobotsRules::Unavailable);
    if let Some(d) = rules.crawl_delay() {
        pacer(sh, ctx, site).at_least(d);
    }
    ctx.robots = Some(RobotsEntry {
        rules,
        fetched: Instant::now(),
    });
    if unavailable {
        ctx.robots_failures += 1;
        if ctx.robots_failures > sh.cfg.max_retries {
            // Keep failing: give up on the origin's queued URLs rather than hammer it.
            let n = sh.state().fail_origin(origin, "robots.txt unavailable")?;
            for _ in 0..n {
                sh.stats.failed("robots.txt unavailable");
            }
            sh.stats.queued_delta(-(n as i64));
            ctx.robots_failures = 0;
            ctx.robots = None;
            tracing::warn!(origin, "robots.txt keeps failing: gave up on this host");
            return Ok(RobotsState::GaveUp);
        }
        return Ok(RobotsState::Retry);
    }
    ctx.robots_failures = 0;
    Ok(RobotsState::Ready)
}

fn origin_site(sh: &Shared, origin: &str) -> usize {
    Url::parse(origin)
        .ok()
        .and_then(|u| sh.cfg.site_of(&u))
        .unwrap_or(0)
}

/// Archive an exchange that has no frontier row (robots.txt).
pub(super) async fn write_plain(sh: &Shared, ex: &Exchange) -> Result<(), CrawlError> {
    let mut ids = UuidIds;
    let mut resp = build::response(
        ex.url.as_str(),
        ex.date,
        ex.response_block(),
        ex.ip,
        &mut ids,
    );
    if ex.truncated {
        resp = resp.with_header("WARC-Truncated", "length");
    }
    let rid = resp.id().unwrap_or_default().to_string();
    let req = build::request(ex.url.as_str(), ex.date, ex.request.clone(), &mut ids)
        .with_concurrent_to(&rid);
    let w = sh.writer.write(vec![resp, req]).await?;
    sh.stats
        .written(w.len() as u64, w.iter().map(|x| x.length).sum());
    Ok(())
}

/// A frontier URL about to be fetched: its page-budget slot taken, its origin paced.
struct Claim {
    q: QueuedUrl,
    url: Url,
    validators: Option<crate::frontier::Validators>,
    extras: RequestExtras,
}

/// What [`claim`] made of a queued URL.
enum Claimed {
    /// Paced and counted: fetch it now.
    Fetch(Box<Claim>),
    /// Not fetchable (an invalid URL, finished as failed): go on with the next.
    Skipped,
    /// The crawl's page budget is spent, or the crawl stops.
    Stop,
}

/// Take a page-budget slot for `q` and wait for the origin's pacing (with the origin's state
/// locked, so the requests of one origin start one interval apart however many are in
/// flight).
async fn claim(sh: &Arc<Shared>, ctx: &mut HostCtx, q: QueuedUrl) -> Result<Claimed, CrawlError> {
    let site = q.site as usize;
    let Ok(url) = Url::parse(&q.url) else {
        sh.stats.failed("invalid URL");
        sh.stats.queued_delta(-1);
        let mut f = skip(&q, "invalid URL");
        f.status = UrlStatus::Failed;
        sh.state().finish(&f)?;
        return Ok(Claimed::Skipped);
    };
    let validators = sh.state().validators(&q.url)?;
    let extras = RequestExtras {
        if_none_match: validators.as_ref().and_then(|v| v.etag.clone()),
        if_modified_since: validators.as_ref().and_then(|v| v.last_modified.clone()),
    };
    if let Some(max) = sh.cfg.max_pages {
        if sh.pages.fetch_add(1, Ordering::SeqCst) >= max {
            sh.pages.fetch_sub(1, Ordering::SeqCst);
            sh.budget_hit.store(true, Ordering::SeqCst);
            return Ok(Claimed::Stop);
        }
    } else {
        sh.pages.fetch_add(1, Ordering::SeqCst);
    }
    let p = pacer(sh, ctx, site);
    tokio::select! {
        _ = p.ready() => {}
        _ = sh.stopped() => {
            sh.pages.fetch_sub(1, Ordering::SeqCst);
            return Ok(Claimed::Stop);
        }
    }
    ctx.in_flight += 1;
    Ok(Claimed::Fetch(Box::new(Claim {
        q,
        url,
        validators,
        extras,
    })))
}

/// Fetch a claimed URL (under a global slot), then archive it and hand it to
/// post-processing. The origin's state is locked only to note the response.
async fn fetch_claimed(
    sh: &Arc<Shared>,
    ctx: &Mutex<HostCtx>,
    c: Box<Claim>,
) -> Result<(), CrawlError> {
    let site = c.q.site as usize;
    let res = global_get(sh, &c.url, &c.extras).await;
    let mut host = ctx.lock().await;
    host.in_flight = host.in_flight.saturating_sub(1);
    let Some(res) = res else {
        sh.pages.fetch_sub(1, Ordering::SeqCst);
        return Ok(());
    };
    pacer(sh, &mut host, site).done();
    match res {
        Err(e) => {
            sh.pages.fetch_sub(1, Ordering::SeqCst);
            after_response(sh, &mut host, site, None, None);
            drop(host);
            process::transport_failure(sh, &c.q, e.label())?;
        }
        Ok(ex) => {
            sh.stats
                .fetched(ex.status, (ex.head.len() + ex.body.len()) as u64);
            if let Some(p) = host.pages.as_mut() {
                *p += 1;
            }
            let ra = ex
                .header("retry-after")
                .and_then(|v| parse_retry_after(v, Utc::now()));
            after_response(sh, &mut host, site, Some(ex.status), ra);
            drop(host);
            let archived = process::archive_exchange(sh, &c.q, ex, c.validators).await?;
            process::dispatch(sh, archived).await?;
        }
    }
    Ok(())
}
