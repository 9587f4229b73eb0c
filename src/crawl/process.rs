//! What happens to a response once it is fetched: records built and written (response or
//! revisit + request), then by status: redirect target queued, retry scheduled, or (HTML)
//! parsed in a blocking task into a conversion record and links; finally the URL is marked
//! done together with its links in one state transaction. Also used by start-up
//! reconciliation on responses found in the archive.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use url::Url;

use super::scope::{scope_link, scope_redirect};
use super::{CrawlError, Shared, worker};
use crate::archive::{IdGen, Record, RefersTo, UuidIds, build, sha1_digest};
use crate::extract::{ExtractInput, ExtractOptions, extract};
use crate::fetch::{Decision, Exchange, decide, decode_body, parse_retry_after};
use crate::frontier::{
    DigestHit, Finish, NewUrl, QueuedUrl, Scoped, UrlStatus, Validators, normalize, origin_key,
};
use crate::model::PageKind;

/// Most redirect hops followed from one URL.
pub const MAX_REDIRECTS: u32 = 10;

/// A response (or revisit) that is in the archive, ready for post-processing.
#[derive(Debug, Clone)]
pub(crate) struct Archived {
    pub q: QueuedUrl,
    pub url: Url,
    pub date: DateTime<Utc>,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub truncated: bool,
    pub record_id: String,
    pub revisit: bool,
    pub digest: String,
    /// Do not write a conversion record (one exists, or the payload is a revisit's).
    pub skip_conversion: bool,
    /// Where the response record was written.
    pub location: Option<(String, u64, u64)>,
    /// Validators of the earlier capture (for 304: where to re-read the payload).
    pub earlier: Option<Validators>,
}

impl Archived {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The record for an exchange's response: a `revisit` (server-not-modified) for a 304, a
/// `revisit` (identical-payload-digest) when the payload equals an earlier capture, else a
/// `response` (with `WARC-Truncated` when the body was cut). The bool says "revisit".
pub(crate) fn response_or_revisit(
    sh: &Shared,
    ex: &Exchange,
    digest: &str,
    validators: Option<&Validators>,
    ids: &mut dyn IdGen,
) -> Result<(Record, bool), CrawlError> {
    let uri = ex.url.as_str();
    let refers = |record_id: &str, target: &str, date: &str| {
        Some(RefersTo {
            record_id: record_id.to_string(),
            target_uri: target.to_string(),
            date: DateTime::parse_from_rfc3339(date).ok()?.with_timezone(&Utc),
        })
    };
    if ex.status == 304 {
        let r = validators.and_then(|v| refers(&v.record_id, uri, &v.date));
        let rec = build::revisit_not_modified(uri, ex.date, ex.head.clone(), r.as_ref(), ids);
        return Ok((rec, true));
    }
    let earlier = if ex.status == 200 && !ex.truncated {
        sh.state().digest(digest)?
    } else {
        None
    };
    if let Some(hit) = earlier.and_then(|h| refers(&h.record_id, &h.uri, &h.date)) {
        let rec = build::revisit_identical(uri, ex.date, ex.head.clone(), digest, &hit, ids);
        return Ok((rec, true));
    }
    let mut r = build::response(uri, ex.date, ex.response_block(), ex.ip, ids);
    if ex.truncated {
        r = r.with_header("WARC-Truncated", "length");
    }
    Ok((r, false))
}

/// Build and write the records of one exchange (mark pending first).
pub(crate) async fn archive_exchange(
    sh: &Arc<Shared>,
    q: &QueuedUrl,
    ex: Exchange,
    validators: Option<Validators>,
) -> Result<Archived, CrawlError> {
    let digest = sha1_digest(&ex.body);
    let mut ids = UuidIds;
    let uri = ex.url.as_str();
    let (resp, revisit) = response_or_revisit(sh, &ex, &digest, validators.as_ref(), &mut ids)?;
    let rid = resp.id().unwrap_or_default().to_string();
    let req = build::request(uri, ex.date, ex.request.clone(), &mut ids).with_concurrent_to(&rid);
    sh.state().set_pending(q.id, &rid)?;
    let written = sh.writer.write(vec![resp, req]).await?;
    sh.stats
        .written(written.len() as u64, written.iter().map(|w| w.length).sum());
    if revisit {
        sh.stats.revisit();
    }
    if ex.truncated {
        sh.stats.truncated();
    }
    Ok(Archived {
        q: q.clone(),
        url: ex.url,
        date: ex.date,
        status: ex.status,
        headers: ex.headers,
        body: ex.body,
        truncated: ex.truncated,
        record_id: rid,
        revisit,
        digest,
        skip_conversion: revisit,
        location: written
            .first()
            .map(|w| (w.path.display().to_string(), w.offset, w.length)),
        earlier: validators,
    })
}

/// A transport error (no response): retry later or give up.
pub(crate) fn transport_failure(
    sh: &Arc<Shared>,
    q: &QueuedUrl,
    what: &str,
) -> Result<(), CrawlError> {
    let d = decide(
        None,
        what,
        None,
        q.attempts,
        sh.cfg.max_retries,
        &sh.backoff,
        sh.jitter(),
    );
    apply_decision(sh, q, d, None)
}

fn apply_decision(
    sh: &Arc<Shared>,
    q: &QueuedUrl,
    d: Decision,
    status: Option<u16>,
) -> Result<(), CrawlError> {
    match d {
        Decision::Retry(wait) => {
            sh.stats.retry();
            let at = Utc::now().timestamp_millis() + wait.as_millis() as i64;
            sh.state().retry_later(q.id, at, q.attempts + 1)?;
        }
        Decision::GiveUp(reason) => fail(sh, q, &reason, status)?,
        Decision::Final => {}
    }
    Ok(())
}

fn fail(
    sh: &Arc<Shared>,
    q: &QueuedUrl,
    reason: &str,
    status: Option<u16>,
) -> Result<(), CrawlError> {
    sh.stats.failed(reason);
    sh.stats.queued_delta(-1);
    tracing::warn!(url = %q.url, reason, "giving up");
    sh.state().finish(&Finish {
        id: q.id,
        status: UrlStatus::Failed,
        reason: Some(reason),
        http_status: status,
        links: &[],
        aliases: &[],
        validators: None,
        digest: None,
        fetched: status.is_some(),
    })?;
    Ok(())
}

fn is_html(a: &Archived) -> bool {
    crate::extract::sniff::looks_like_html(
        a.header("content-type"),
        a.header("content-encoding"),
        &a.body,
    )
}

/// Post-process an archived response by its status.
pub(crate) async fn dispatch(sh: &Arc<Shared>, a: Archived) -> Result<(), CrawlError> {
    let status = a.status;
    if (300..400).contains(&status)
        && status != 304
        && let Some(loc) = a.header("location").map(str::to_string)
    {
        return redirect(sh, &a, &loc);
    }
    if crate::fetch::retryable_status(status) {
        let ra = a
            .header("retry-after")
            .and_then(|v| parse_retry_after(v, Utc::now()));
        let d = decide(
            Some(status),
            "",
            ra,
            a.q.attempts,
            sh.cfg.max_retries,
            &sh.backoff,
            sh.jitter(),
        );
        return apply_decision(sh, &a.q, d, Some(status));
    }
    let mut a = a;
    if status == 304 {
        // Not modified: parse the earlier capture's payload for links (no new conversion).
        if let Some((file, off, len)) = a.earlier.as_ref().and_then(|v| v.location.clone()) {
            let earlier = tokio::task::spawn_blocking(move || {
                crate::archive::read_record_at(std::path::Path::new(&file), off, len)
                    .and_then(|r| r.http())
            })
            .await;
            if let Ok(Ok(http)) = earlier {
                a.headers = http.headers;
                a.body = http.body;
                a.status = http.status;
                a.skip_conversion = true;
            }
        }
    }
    let parse = (200..300).contains(&a.status) && !a.truncated && !a.body.is_empty() && is_html(&a);
    if parse {
        let permit = sh
            .parse_slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| super::WriteFailed("parse pool closed".into()))?;
        sh.task_started();
        let sh2 = sh.clone();
        tokio::spawn(async move {
            let url = a.q.url.clone();
            if let Err(e) = parse_and_finish(&sh2, a).await {
                sh2.fail_fatal(format!("{url}: {e}"));
            }
            drop(permit);
            sh2.task_done();
        });
        return Ok(());
    }
    done(sh, &a, &[], &[])
}

fn redirect(sh: &Arc<Shared>, a: &Archived, loc: &str) -> Result<(), CrawlError> {
    if a.q.hops >= MAX_REDIRECTS {
        return fail(sh, &a.q, "too many redirects", Some(a.status));
    }
    let site = a.q.site as usize;
    match scope_redirect(&sh.cfg, &a.url, loc, site, a.q.depth, a.q.hops, sh.year()) {
        Ok(item) if item.0.url == a.q.url => fail(sh, &a.q, "redirect loop", Some(a.status)),
        Ok(item) => done(sh, a, &[item], &[]),
        Err(_) => done(sh, a, &[], &[]),
    }
}

/// Mark done with links/aliases; remember validators and the payload digest; start workers
/// for new origins.
fn done(
    sh: &Arc<Shared>,
    a: &Archived,
    links: &[Scoped],
    aliases: &[NewUrl],
) -> Result<(), CrawlError> {
    let validators = (a.status == 200 && !a.revisit && !a.truncated).then(|| Validators {
        etag: a.header("etag").map(str::to_string),
        last_modified: a.header("last-modified").map(str::to_string),
        record_id: a.record_id.clone(),
        date: a.date.to_rfc3339(),
        location: a.location.clone(),
    });
    let hit = DigestHit {
        record_id: a.record_id.clone(),
        uri: a.url.to_string(),
        date: a.date.to_rfc3339(),
    };
    let keep_digest = a.status == 200 && !a.revisit && !a.truncated;
    let (added, trapped) = sh.state().finish(&Finish {
        id: a.q.id,
        status: UrlStatus::Done,
        reason: None,
        http_status: Some(a.status),
        links,
        aliases,
        validators: validators.as_ref().map(|v| (a.q.url.as_str(), v)),
        digest: keep_digest.then_some((a.digest.as_str(), &hit)),
        fetched: true,
    })?;
    sh.stats.queued_delta(added.len() as i64 - 1);
    sh.stats.traps(trapped.len() as u64);
    let mut origins: Vec<&str> = added.iter().map(|u| u.origin.as_str()).collect();
    origins.sort_unstable();
    origins.dedup();
    for o in origins {
        worker::ensure_worker(sh, o);
    }
    Ok(())
}

struct Parsed {
    /// The Article JSON, for pages of a parsed kind ([`PageKind::is_parsed`]).
    article: Option<Vec<u8>>,
    /// What the extractor called the page (`None`: not extracted).
    kind: Option<PageKind>,
    canonical: Option<String>,
    links: Vec<String>,
    selectors: Option<String>,
    error: Option<String>,
}

impl Parsed {
    fn failed(error: String) -> Parsed {
        Parsed {
            article: None,
            kind: None,
            canonical: None,
            links: Vec::new(),
            selectors: None,
            error: Some(error),
        }
    }
}

async fn parse_and_finish(sh: &Arc<Shared>, a: Archived) -> Result<(), CrawlError> {
    let rules = sh.rules.clone();
    let cap = sh.cfg.max_decoded;
    let body = a.body.clone();
    let ce = a.header("content-encoding").map(str::to_string);
    let ct = a.header("content-type").map(str::to_string);
    let url = a.url.to_string();
    let date = a.date;
    let parsed = tokio::task::spawn_blocking(move || {
        let decoded = match decode_body(ce.as_deref(), &body, cap) {
            Ok(b) => b,
            Err(e) => return Parsed::failed(e.to_string()),
        };
        let input = ExtractInput {
            body: &decoded,
            url: &url,
            content_type: ct.as_deref(),
            captured: Some(date),
        };
        let host = Url::parse(&url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string));
        let selectors = host
            .as_deref()
            .and_then(|h| rules.lookup(h, Some(date)))
            .map(|r| {
                crate::model::SelectorsRef {
                    name: r.name.clone(),
                    hash: r.hash.clone(),
                }
                .label()
            });
        let ex = extract(&input, &rules, &ExtractOptions::default());
        let links = ex.links;
        let kind = ex.article.page_kind;
        // Articles, live blogs, galleries and videos are stored as conversion records; every
        // other kind (listing, error, ...) is archived raw only.
        Parsed {
            canonical: ex.article.canonical_url.clone(),
            article: if kind.is_parsed() {
                serde_json::to_vec(&ex.article).ok()
            } else {
                None
            },
            kind: Some(kind),
            links,
            selectors,
            error: None,
        }
    })
    .await
    .unwrap_or_else(|e| Parsed::failed(format!("extractor panicked: {e}")));
    if let Some(err) = &parsed.error {
        tracing::warn!(url = %a.url, error = %err, "page not parsed");
        sh.stats.parse_failed();
    }
    if let Some(kind) = parsed.kind {
        sh.stats.kind(kind);
    }
    if let Some(json) = parsed.article
        && !a.skip_conversion
    {
        let mut ids = UuidIds;
        let extractor = crate::model::extractor_info().label();
        // WARC-Date of a conversion is the parse time (ARCHITECTURE.md, "Archive"), as reparse
        // writes it; the capture time goes in WARC-Refers-To-Date.
        let rec = build::conversion(
            a.url.as_str(),
            Utc::now(),
            json,
            build::ParseOf {
                record_id: &a.record_id,
                captured: a.date,
            },
            &extractor,
            parsed.selectors.as_deref(),
            &mut ids,
        );
        let w = sh.writer.write(vec![rec]).await?;
        sh.stats
            .written(w.len() as u64, w.iter().map(|x| x.length).sum());
        sh.stats.conversion();
    }
    let site = a.q.site as usize;
    let year = sh.year();
    // Links found on a listing page are fetched before those of other pages at their depth.
    let from_listing = parsed.kind == Some(PageKind::Listing);
    let mut scoped = Vec::new();
    for l in &parsed.links {
        match scope_link(&sh.cfg, &a.url, l, site, a.q.depth, from_listing, year) {
            Ok(item) => scoped.push(item),
            Err(super::scope::Refused::Trap(_)) => sh.stats.traps(1),
            Err(_) => {}
        }
    }
    let aliases: Vec<NewUrl> = parsed
        .canonical
        .as_deref()
        .and_then(|c| normalize(c, Some(&a.url)).ok())
        .filter(|c| c.as_str() != a.q.url && sh.cfg.site_of(c) == Some(site))
        .map(|c| NewUrl {
            origin: origin_key(&c),
            url: c.to_string(),
            depth: a.q.depth,
            hops: 0,
            prio: 1,
            site: a.q.site,
            discovered: None,
        })
        .into_iter()
        .collect();
    done(sh, &a, &scoped, &aliases)
}
