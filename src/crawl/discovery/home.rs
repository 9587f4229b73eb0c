//! The home page inside discovery: fetched once for both the plan (its feed links) and the
//! crawl (a queued seed), through the worker's own path, while no worker may start before
//! [`Crawler::run`](crate::crawl::Crawler::run).

use std::sync::Arc;
use std::sync::atomic::Ordering;

use chrono::Utc;
use url::Url;

use super::{DocFetch, MAX_DOC_REDIRECTS, ensure_robots, fetch_doc, host_ctx};
use crate::crawl::{CrawlError, Shared, process, worker};
use crate::fetch::{RequestExtras, decode_body, parse_retry_after};
use crate::frontier::{normalize, origin_key};

/// Keeps [`worker::ensure_worker`] from starting workers while
/// [`Crawler::discover`](crate::crawl::Crawler::discover) runs (before `Crawler::run`), through
/// `Shared::hold_workers`. Released on drop; `run` then starts a worker for every origin with
/// queued URLs.
pub(super) struct HoldWorkers<'a> {
    sh: &'a Shared,
}

impl<'a> HoldWorkers<'a> {
    pub(super) fn new(sh: &'a Shared) -> HoldWorkers<'a> {
        sh.hold_workers.store(true, Ordering::SeqCst);
        HoldWorkers { sh }
    }
}

impl Drop for HoldWorkers<'_> {
    fn drop(&mut self) {
        self.sh.hold_workers.store(false, Ordering::SeqCst);
    }
}

/// One hop of a home-page fetch through the crawl path.
enum Hop {
    /// The URL is not a due queued row of the frontier (or may not be fetched now).
    NotQueued,
    /// It answered a redirect to this URL (archived, and its target queued if in scope).
    Redirect(Url),
    /// What the plan gets.
    Done(DocFetch),
}

/// Fetches the home page once for both the crawl and the plan: while its URL (or a redirect
/// target) is queued in the frontier, as the worker would (see [`fetch_queued`]); otherwise
/// (already crawled, out of scope, budget spent) as a discovery document.
pub(super) async fn fetch_home(
    sh: &Arc<Shared>,
    site: usize,
    start: &Url,
) -> Result<DocFetch, CrawlError> {
    let mut url = start.clone();
    for _ in 0..=MAX_DOC_REDIRECTS {
        match fetch_queued(sh, &url).await? {
            Hop::NotQueued => return fetch_doc(sh, site, &url).await,
            Hop::Redirect(next) => url = next,
            Hop::Done(d) => return Ok(d),
        }
    }
    Ok(DocFetch::Failed("too many redirects".into()))
}

/// Fetches `url` from its queued frontier row the way the worker does: page budgets, robots
/// rules, pacing, conditional GET, then [`process::archive_exchange`] (pending before the
/// records are written) and [`process::dispatch`] (links queued, URL marked done, retries).
/// The origin's lock is held throughout, so its worker cannot take the row meanwhile.
async fn fetch_queued(sh: &Arc<Shared>, url: &Url) -> Result<Hop, CrawlError> {
    let Ok(url) = normalize(url.as_str(), None) else {
        return Ok(Hop::NotQueued);
    };
    let origin = origin_key(&url);
    let ctx_arc = host_ctx(sh, &origin);
    let mut ctx = ctx_arc.lock().await;
    if let Some(stop) = ensure_robots(sh, &origin, &mut ctx).await? {
        return Ok(Hop::Done(stop));
    }
    let allowed = ctx
        .robots
        .as_ref()
        .is_some_and(|r| r.rules.allowed(url.as_str()));
    if !allowed {
        // The worker skips the row; `fetch_doc` refuses the fetch.
        return Ok(Hop::NotQueued);
    }
    let Some(q) = sh.state().queued(url.as_str(), worker::now_ms())? else {
        return Ok(Hop::NotQueued);
    };
    let site = q.site as usize;
    let host_budget = sh.cfg.sites.get(site).and_then(|s| s.max_pages_per_host);
    if let Some(budget) = host_budget
        && sh.state().origin_pages(&origin)? >= budget
    {
        return Ok(Hop::NotQueued);
    }
    if let Some(max) = sh.cfg.max_pages {
        if sh.pages.fetch_add(1, Ordering::SeqCst) >= max {
            sh.pages.fetch_sub(1, Ordering::SeqCst);
            return Ok(Hop::NotQueued);
        }
    } else {
        sh.pages.fetch_add(1, Ordering::SeqCst);
    }
    let validators = sh.state().validators(&q.url)?;
    let extras = RequestExtras {
        if_none_match: validators.as_ref().and_then(|v| v.etag.clone()),
        if_modified_since: validators.as_ref().and_then(|v| v.last_modified.clone()),
    };
    let Some(res) = worker::paced_get(sh, &mut ctx, site, &url, &extras).await else {
        sh.pages.fetch_sub(1, Ordering::SeqCst);
        return Ok(Hop::Done(DocFetch::Stopped));
    };
    let ex = match res {
        Ok(ex) => ex,
        Err(e) => {
            sh.pages.fetch_sub(1, Ordering::SeqCst);
            worker::after_response(sh, &mut ctx, site, None, None);
            process::transport_failure(sh, &q, e.label())?;
            return Ok(Hop::Done(DocFetch::Failed(format!("{} error", e.label()))));
        }
    };
    sh.stats
        .fetched(ex.status, (ex.head.len() + ex.body.len()) as u64);
    let ra = ex
        .header("retry-after")
        .and_then(|v| parse_retry_after(v, Utc::now()));
    worker::after_response(sh, &mut ctx, site, Some(ex.status), ra);
    // What the plan gets, worked out before the exchange moves into the archive step.
    let status = ex.status;
    let location = ex
        .location()
        .filter(|_| (300..400).contains(&status) && status != 304);
    let plan = if location.is_some() || status == 304 {
        None
    } else {
        if ex.truncated {
            tracing::warn!(url = %url, "body cut at the size cap; parsing what arrived");
        }
        Some(decode_body(
            ex.header("content-encoding"),
            &ex.body,
            sh.cfg.max_decoded,
        ))
    };
    let archived = process::archive_exchange(sh, &q, ex, validators).await?;
    process::dispatch(sh, archived).await?;
    drop(ctx);
    if let Some(loc) = location {
        return Ok(match Url::parse(&loc) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => Hop::Redirect(u),
            _ => Hop::Done(DocFetch::Failed(format!("bad redirect to {loc:?}"))),
        });
    }
    Ok(Hop::Done(match plan {
        None => DocFetch::Response {
            status,
            final_url: url,
            body: Vec::new(),
        },
        Some(Ok(body)) => DocFetch::Response {
            status,
            final_url: url,
            body,
        },
        Some(Err(e)) => DocFetch::Failed(e.to_string()),
    }))
}
