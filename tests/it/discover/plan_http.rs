//! A `DiscoveryPlan` driven over real HTTP by a plain client (no crawler): the parsers and the
//! plan end to end, including conditional re-polls.

use std::collections::HashMap;

use newsarc::discover::{DiscoveryOutcome, DiscoveryPlan, PlanLimits, PlanOptions, SiteDiscovery};

use super::fixtures::{article, news_sitemap, populate, rss};
use super::server::TestSite;

/// Drives a plan over real HTTP with a plain client (no crawler): the parsers end to end.
/// `etags` is the conditional-GET cache (URL → ETag), updated as responses come in.
async fn drive(
    mut plan: DiscoveryPlan,
    etags: &mut HashMap<String, String>,
) -> (DiscoveryOutcome, Vec<String>) {
    let client = reqwest::Client::new();
    let mut warnings = Vec::new();
    while let Some(req) = plan.next_fetch() {
        let mut get = client.get(req.url.clone());
        if let Some(tag) = etags.get(req.url.as_str()) {
            get = get.header("If-None-Match", tag);
        }
        let report = match get.send().await {
            Ok(resp) => {
                let status = resp.status().as_u16();
                let final_url = resp.url().clone();
                if let Some(tag) = resp.headers().get("etag").and_then(|v| v.to_str().ok()) {
                    etags.insert(req.url.to_string(), tag.to_string());
                }
                let body = resp.bytes().await.unwrap();
                plan.on_response(&req, status, &final_url, &body[..])
            }
            Err(e) => plan.on_failure(&req, &e.to_string()),
        };
        warnings.extend(report.warnings);
    }
    assert!(plan.is_done());
    (plan.finish(), warnings)
}

fn slugs(outcome: &DiscoveryOutcome) -> Vec<String> {
    outcome
        .seeds
        .iter()
        .map(|s| s.url.path().trim_start_matches("/articles/").to_string())
        .collect()
}

#[tokio::test]
async fn plan_over_http_finds_every_listed_article_newest_first() {
    let site = TestSite::start();
    populate(&site);
    let plan = DiscoveryPlan::new(
        SiteDiscovery::from_home(site.base.clone()),
        PlanLimits::default(),
        PlanOptions::default(),
    );
    let (out, warnings) = drive(plan, &mut HashMap::new()).await;
    assert_eq!(
        slugs(&out),
        [
            "rss-only",
            "storm-warning",
            "council-vote",
            "atom-only",
            "may-feature",
            "old-2023"
        ],
        "warnings: {warnings:?}"
    );
    assert_eq!(
        out.stats.sitemaps, 5,
        "index, gzip archive, nested index, monthly, news"
    );
    assert_eq!(out.stats.feeds, 2);
    assert_eq!(
        out.stats.bad_dates, 1,
        "the Atom entry's invalid date is tolerated"
    );
    assert!(
        warnings.iter().any(|w| w.contains("cycle")),
        "self-listing index noticed: {warnings:?}"
    );
    let hits = site.hits();
    assert_eq!(
        hits.iter()
            .filter(|h| h.path == "/sitemap_index.xml")
            .count(),
        1,
        "fetched once despite the cycle"
    );
    assert!(
        !hits.iter().any(|h| h.path == "/sitemap.xml"),
        "no guesses: robots.txt declared a sitemap"
    );
    assert!(
        out.seeds
            .iter()
            .all(|s| s.url.host_str() == Some("127.0.0.1"))
    );
    assert_eq!(hits.iter().filter(|h| h.path == "/robots.txt").count(), 1);
}

#[tokio::test]
async fn repoll_uses_conditional_get_and_only_feeds_and_news_sitemaps() {
    let site = TestSite::start();
    populate(&site);
    let mut etags = HashMap::new();
    let home = SiteDiscovery::from_home(site.base.clone());
    let (first, _) = drive(
        DiscoveryPlan::new(home.clone(), PlanLimits::default(), PlanOptions::default()),
        &mut etags,
    )
    .await;
    assert_eq!(first.seeds.len(), 6);

    // Between polls: one new story in the news sitemap and the RSS feed; Atom unchanged.
    site.put(
        "/news-sitemap.xml",
        "application/xml",
        &news_sitemap(&[
            ("evening-update", "2024-05-10T18:00:00Z"),
            ("storm-warning", "2024-05-10T09:00:00Z"),
            ("council-vote", "2024-05-09T17:00:00Z"),
        ]),
    );
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &rss(&[
            ("evening-update", "Fri, 10 May 2024 18:00:00 GMT"),
            ("storm-warning", "Fri, 10 May 2024 09:00:00 GMT"),
        ]),
    );
    site.put(
        "/articles/evening-update",
        "text/html",
        &article("evening-update"),
    );
    site.clear_hits();
    let plan = DiscoveryPlan::repoll(
        home,
        first.memory.clone(),
        PlanLimits::default(),
        PlanOptions::default(),
    );
    let (second, warnings) = drive(plan, &mut etags).await;
    let mut polled: Vec<(String, u16)> = site
        .hits()
        .into_iter()
        .map(|h| (h.path, h.status))
        .collect();
    polled.sort();
    assert_eq!(
        polled,
        [
            ("/atom.xml".to_string(), 304),
            ("/news-sitemap.xml".to_string(), 200),
            ("/rss.xml".to_string(), 200),
            ("/sitemap_index.xml".to_string(), 304),
        ],
        "warnings: {warnings:?}"
    );
    assert!(
        site.hits().iter().all(|h| h.conditional),
        "every poll is a conditional GET"
    );
    assert_eq!(slugs(&second)[0], "evening-update");
    assert_eq!(site.url("/articles/evening-update"), second.seeds[0].url);
    assert_eq!(second.memory.feeds, first.memory.feeds);
}
