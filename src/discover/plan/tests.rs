use std::collections::HashMap;
use std::io::Write;

use super::*;
use crate::discover::seed::SeedSource;
use crate::discover::since::{DateWindow, Since};

/// A fake site: URL → (status, body). Missing URLs answer 404.
#[derive(Default)]
struct Site(HashMap<String, (u16, Vec<u8>)>);

impl Site {
    fn with(mut self, url: &str, body: impl AsRef<[u8]>) -> Self {
        self.0
            .insert(url.to_string(), (200, body.as_ref().to_vec()));
        self
    }
}

struct Run {
    outcome: DiscoveryOutcome,
    fetched: Vec<String>,
    warnings: Vec<String>,
}

fn drive(mut plan: DiscoveryPlan, site: &Site) -> Run {
    let mut fetched = Vec::new();
    let mut warnings = Vec::new();
    let mut guard = 0;
    while !plan.is_done() {
        guard += 1;
        assert!(guard < 10_000, "plan does not terminate");
        let Some(req) = plan.next_fetch() else {
            panic!("not done but nothing to fetch")
        };
        fetched.push(req.url.to_string());
        let report = match site.0.get(req.url.as_str()) {
            Some((status, body)) => plan.on_response(&req, *status, &req.url.clone(), &body[..]),
            None => plan.on_response(&req, 404, &req.url.clone(), &b"not found"[..]),
        };
        warnings.extend(report.warnings);
    }
    Run {
        outcome: plan.finish(),
        fetched,
        warnings,
    }
}

fn home() -> Url {
    Url::parse("https://news.example/").unwrap()
}

fn gzip(data: &str) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(data.as_bytes()).unwrap();
    enc.finish().unwrap()
}

fn urlset(entries: &[(&str, &str)]) -> String {
    let mut s = String::from(r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#);
    for (loc, lastmod) in entries {
        s.push_str(&format!(
            "<url><loc>{loc}</loc><lastmod>{lastmod}</lastmod></url>"
        ));
    }
    s + "</urlset>"
}

fn index(children: &[(&str, &str)]) -> String {
    let mut s = String::from("<sitemapindex>");
    for (loc, lastmod) in children {
        s.push_str(&format!(
            "<sitemap><loc>{loc}</loc><lastmod>{lastmod}</lastmod></sitemap>"
        ));
    }
    s + "</sitemapindex>"
}

fn news(entries: &[(&str, &str)]) -> String {
    let mut s = String::from(
        r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">"#,
    );
    for (loc, date) in entries {
        s.push_str(&format!(
            "<url><loc>{loc}</loc><news:news><news:publication><news:name>N</news:name>\
             <news:language>en</news:language></news:publication>\
             <news:publication_date>{date}</news:publication_date><news:title>T {loc}</news:title></news:news></url>"
        ));
    }
    s + "</urlset>"
}

fn rss(items: &[(&str, &str)]) -> String {
    let mut s = String::from("<rss version=\"2.0\"><channel><title>F</title>");
    for (link, date) in items {
        s.push_str(&format!(
            "<item><title>{link}</title><link>{link}</link><pubDate>{date}</pubDate></item>"
        ));
    }
    s + "</channel></rss>"
}

fn full_site() -> Site {
    Site::default()
        .with("https://news.example/robots.txt", "User-agent: *\nSitemap: https://news.example/sitemap_index.xml\n")
        .with(
            "https://news.example/",
            r#"<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head></html>"#,
        )
        .with(
            "https://news.example/sitemap_index.xml",
            index(&[
                ("https://news.example/archive-2023.xml.gz", "2023-12-31"),
                ("https://news.example/news-sitemap.xml", "2024-05-10T10:00:00Z"),
            ]),
        )
        .with(
            "https://news.example/archive-2023.xml.gz",
            gzip(&urlset(&[("https://news.example/2023/old", "2023-06-01")])),
        )
        .with(
            "https://news.example/news-sitemap.xml",
            news(&[
                ("https://news.example/2024/05/10/fresh", "2024-05-10T09:00:00Z"),
                ("https://news.example/2024/05/09/yesterday", "2024-05-09T09:00:00Z"),
            ]),
        )
        .with(
            "https://news.example/rss.xml",
            rss(&[
                ("https://news.example/2024/05/10/fresh", "Fri, 10 May 2024 09:00:00 GMT"),
                ("https://news.example/2024/05/10/feed-only", "Fri, 10 May 2024 11:00:00 GMT"),
                ("https://news.example/undated", "garbage"),
            ]),
        )
}

fn paths(seeds: &[crate::discover::seed::DiscoveredUrl]) -> Vec<&str> {
    seeds.iter().map(|s| s.url.path()).collect()
}

#[test]
fn full_discovery_from_a_home_page() {
    let plan = DiscoveryPlan::new(
        SiteDiscovery::from_home(home()),
        PlanLimits::default(),
        PlanOptions::default(),
    );
    let run = drive(plan, &full_site());
    assert_eq!(run.fetched[0], "https://news.example/robots.txt");
    assert_eq!(run.fetched[1], "https://news.example/");
    assert!(
        !run.fetched.iter().any(|u| u.ends_with("/sitemap.xml")),
        "no guesses: robots declared one"
    );
    assert_eq!(
        paths(&run.outcome.seeds),
        [
            "/2024/05/10/feed-only",
            "/2024/05/10/fresh",
            "/2024/05/09/yesterday",
            "/2023/old",
            "/undated"
        ]
    );
    let fresh = &run.outcome.seeds[1];
    assert_eq!(fresh.source, SeedSource::NewsSitemap);
    assert_eq!(
        fresh.title.as_deref(),
        Some("T https://news.example/2024/05/10/fresh")
    );
    let st = &run.outcome.stats;
    assert_eq!((st.sitemaps, st.feeds, st.bad_dates), (3, 1, 1));
    assert_eq!(st.fetches, 6);
    let mem = &run.outcome.memory;
    assert_eq!(
        mem.feeds.iter().map(Url::as_str).collect::<Vec<_>>(),
        ["https://news.example/rss.xml"]
    );
    assert_eq!(
        mem.sitemap_roots
            .iter()
            .map(Url::as_str)
            .collect::<Vec<_>>(),
        ["https://news.example/sitemap_index.xml"],
        "the index leading to news is re-polled"
    );
    assert!(
        run.warnings.iter().any(|w| w.contains("garbage")),
        "{:?}",
        run.warnings
    );
}

#[test]
fn since_window_filters_entries_and_skips_stale_child_sitemaps() {
    let now: DateTime<Utc> = "2024-05-10T12:00:00Z".parse().unwrap();
    let window = DateWindow::new("2d".parse::<Since>().unwrap(), now, true).unwrap();
    let plan = DiscoveryPlan::new(
        SiteDiscovery::from_home(home()),
        PlanLimits::default(),
        PlanOptions {
            window: Some(window),
        },
    );
    let run = drive(plan, &full_site());
    assert!(
        !run.fetched.iter().any(|u| u.contains("archive-2023")),
        "stale child skipped"
    );
    assert_eq!(run.outcome.stats.stale_sitemaps, 1);
    assert_eq!(
        paths(&run.outcome.seeds),
        [
            "/2024/05/10/feed-only",
            "/2024/05/10/fresh",
            "/2024/05/09/yesterday"
        ]
    );
    assert_eq!(
        run.outcome.stats.outside_window, 1,
        "strict: the undated entry goes"
    );
}

#[test]
fn guesses_when_robots_declares_nothing() {
    let site = Site::default()
        .with(
            "https://news.example/robots.txt",
            "User-agent: *\nDisallow:\n",
        )
        .with("https://news.example/", "<html>no feeds</html>")
        .with(
            "https://news.example/sitemap_index.xml",
            "<!doctype html><html>soft 404</html>",
        )
        .with(
            "https://news.example/news-sitemap.xml",
            news(&[("https://news.example/n1", "2024-05-10")]),
        );
    let run = drive(
        DiscoveryPlan::new(
            SiteDiscovery::from_home(home()),
            PlanLimits::default(),
            PlanOptions::default(),
        ),
        &site,
    );
    assert!(
        run.fetched
            .contains(&"https://news.example/sitemap.xml".to_string())
    );
    assert_eq!(paths(&run.outcome.seeds), ["/n1"]);
    assert!(
        run.warnings.is_empty(),
        "404 and soft-404 guesses are quiet: {:?}",
        run.warnings
    );
    assert_eq!(run.outcome.stats.failed, 0);

    // robots.txt missing entirely (404) also releases the guesses.
    let site = Site::default().with(
        "https://news.example/sitemap.xml",
        urlset(&[("https://news.example/a", "2024-01-01")]),
    );
    let run = drive(
        DiscoveryPlan::new(
            SiteDiscovery::from_home(home()),
            PlanLimits::default(),
            PlanOptions::default(),
        ),
        &site,
    );
    assert_eq!(paths(&run.outcome.seeds), ["/a"]);
    assert_eq!(
        run.outcome.stats.failed, 1,
        "the home page 404 is counted, a missing robots.txt is not"
    );
}

#[test]
fn self_referencing_and_mutual_index_cycles_terminate() {
    let site = Site::default()
        .with(
            "https://news.example/self.xml",
            index(&[
                ("https://news.example/self.xml", "2024-05-01"),
                ("https://news.example/b.xml", "2024-05-01"),
            ]),
        )
        .with(
            "https://news.example/b.xml",
            index(&[
                ("https://news.example/self.xml", "2024-05-01"),
                ("https://news.example/c.xml", "2024-05-01"),
            ]),
        )
        .with(
            "https://news.example/c.xml",
            urlset(&[("https://news.example/leaf", "2024-05-01")]),
        );
    let mut cfg = SiteDiscovery::from_home(home());
    cfg.use_robots = false;
    cfg.use_home_page = false;
    cfg.sitemaps = vec![Url::parse("https://news.example/self.xml").unwrap()];
    let run = drive(
        DiscoveryPlan::new(cfg, PlanLimits::default(), PlanOptions::default()),
        &site,
    );
    assert_eq!(run.fetched.len(), 3, "{:?}", run.fetched);
    assert_eq!(paths(&run.outcome.seeds), ["/leaf"]);
    assert_eq!(run.outcome.stats.repeats, 2);
    assert!(
        run.warnings.iter().filter(|w| w.contains("cycle")).count() >= 2,
        "{:?}",
        run.warnings
    );
}

#[test]
fn depth_and_fetch_caps() {
    // A chain of indexes 0 → 1 → 2 → ... → 9, each listing the next.
    let mut site = Site::default();
    for i in 0..10 {
        site = site.with(
            &format!("https://news.example/i{i}.xml"),
            index(&[(
                &format!("https://news.example/i{}.xml", i + 1),
                "2024-05-01",
            )]),
        );
    }
    let mut cfg = SiteDiscovery::from_home(home());
    cfg.use_robots = false;
    cfg.use_home_page = false;
    cfg.sitemaps = vec![Url::parse("https://news.example/i0.xml").unwrap()];
    let limits = PlanLimits {
        max_index_depth: 3,
        ..Default::default()
    };
    let run = drive(
        DiscoveryPlan::new(cfg.clone(), limits, PlanOptions::default()),
        &site,
    );
    assert_eq!(run.fetched.len(), 4, "{:?}", run.fetched);
    assert!(run.warnings.iter().any(|w| w.contains("deeper than 3")));

    let limits = PlanLimits {
        max_fetches: 2,
        ..Default::default()
    };
    let run = drive(
        DiscoveryPlan::new(cfg, limits, PlanOptions::default()),
        &site,
    );
    assert_eq!(run.fetched.len(), 2);
    assert_eq!(run.outcome.stats.over_fetch_cap, 1);
}

#[test]
fn feed_behind_a_sitemap_line_and_html_behind_a_feed_url() {
    let site = Site::default()
        .with(
            "https://news.example/robots.txt",
            "Sitemap: https://news.example/feed\n",
        )
        .with(
            "https://news.example/feed",
            rss(&[("https://news.example/x", "Fri, 10 May 2024 09:00:00 GMT")]),
        )
        .with(
            "https://news.example/configured-feed",
            "<!DOCTYPE html><html><body>moved</body></html>",
        );
    let mut cfg = SiteDiscovery::from_home(home());
    cfg.use_home_page = false;
    cfg.feeds = vec![Url::parse("https://news.example/configured-feed").unwrap()];
    let run = drive(
        DiscoveryPlan::new(cfg, PlanLimits::default(), PlanOptions::default()),
        &site,
    );
    assert_eq!(paths(&run.outcome.seeds), ["/x"]);
    assert!(
        run.warnings
            .iter()
            .any(|w| w.contains("configured-feed") && w.contains("HTML")),
        "{:?}",
        run.warnings
    );
    assert_eq!(run.outcome.stats.parse_errors, 1);
}

#[test]
fn broken_documents_keep_what_parsed() {
    let site = Site::default()
        .with(
            "https://news.example/broken.xml",
            "<urlset><url><loc>https://news.example/ok</loc></url><url><loc>https://news.example/bad</lo",
        )
        .with("https://news.example/bad-feed", "<rss><channel><item>");
    let mut cfg = SiteDiscovery::from_home(home());
    cfg.use_robots = false;
    cfg.use_home_page = false;
    cfg.sitemaps = vec![Url::parse("https://news.example/broken.xml").unwrap()];
    cfg.feeds = vec![Url::parse("https://news.example/bad-feed").unwrap()];
    let run = drive(
        DiscoveryPlan::new(cfg, PlanLimits::default(), PlanOptions::default()),
        &site,
    );
    assert_eq!(paths(&run.outcome.seeds), ["/ok"]);
    assert_eq!(run.outcome.stats.parse_errors, 2);
    assert!(
        run.warnings.iter().any(|w| w.contains("broken.xml")),
        "{:?}",
        run.warnings
    );
}

#[test]
fn several_requests_in_flight_and_failures() {
    let plan_cfg = SiteDiscovery::from_home(home());
    let mut plan = DiscoveryPlan::new(plan_cfg, PlanLimits::default(), PlanOptions::default());
    let robots = plan.next_fetch().unwrap();
    let homepage = plan.next_fetch().unwrap();
    assert_eq!(plan.next_fetch(), None, "guesses wait for robots.txt");
    assert!(!plan.is_done());
    assert_eq!(plan.in_flight(), 2);
    let r = plan.on_failure(&robots, "disallowed by robots.txt");
    assert_eq!(r.new_fetches, 4, "guesses released");
    assert!(r.warnings[0].contains("robots.txt") && r.warnings[0].contains("disallowed"));
    plan.on_response(&homepage, 200, &homepage.url.clone(), &b"<html></html>"[..]);
    let mut guesses = Vec::new();
    while let Some(req) = plan.next_fetch() {
        guesses.push(req);
    }
    assert_eq!(guesses.len(), 4);
    for g in &guesses {
        let r = plan.on_failure(g, "connection refused");
        assert!(r.warnings.is_empty(), "failed guesses are quiet");
    }
    assert!(plan.is_done());
    assert_eq!(plan.stats().failed, 1);
}

#[test]
fn repoll_fetches_feeds_and_news_sitemaps_only() {
    let first = drive(
        DiscoveryPlan::new(
            SiteDiscovery::from_home(home()),
            PlanLimits::default(),
            PlanOptions::default(),
        ),
        &full_site(),
    );
    // Between polls: a new article in the news sitemap and in the feed; the index gains a
    // new monthly child and keeps the old archive unchanged.
    let site = full_site()
        .with(
            "https://news.example/sitemap_index.xml",
            index(&[
                ("https://news.example/archive-2023.xml.gz", "2023-12-31"),
                (
                    "https://news.example/news-sitemap.xml",
                    "2024-05-10T13:00:00Z",
                ),
                ("https://news.example/2024-05.xml", "2024-05-10T13:00:00Z"),
            ]),
        )
        .with(
            "https://news.example/news-sitemap.xml",
            news(&[
                (
                    "https://news.example/2024/05/10/later",
                    "2024-05-10T13:00:00Z",
                ),
                (
                    "https://news.example/2024/05/10/fresh",
                    "2024-05-10T09:00:00Z",
                ),
            ]),
        )
        .with(
            "https://news.example/2024-05.xml",
            urlset(&[("https://news.example/2024/05/01/m", "2024-05-01")]),
        );
    let plan = DiscoveryPlan::repoll(
        SiteDiscovery::from_home(home()),
        first.outcome.memory.clone(),
        PlanLimits::default(),
        PlanOptions::default(),
    );
    let run = drive(plan, &site);
    let mut fetched = run.fetched.clone();
    fetched.sort();
    assert_eq!(
        fetched,
        [
            "https://news.example/2024-05.xml",
            "https://news.example/news-sitemap.xml",
            "https://news.example/rss.xml",
            "https://news.example/sitemap_index.xml",
        ],
        "no robots, home page or unchanged archive"
    );
    assert!(paths(&run.outcome.seeds).contains(&"/2024/05/10/later"));
    assert!(paths(&run.outcome.seeds).contains(&"/2024/05/01/m"));

    // A 304 on everything: no seeds, and the memory still lists what to poll.
    let mut plan = DiscoveryPlan::repoll(
        SiteDiscovery::from_home(home()),
        run.outcome.memory.clone(),
        PlanLimits::default(),
        PlanOptions::default(),
    );
    while let Some(req) = plan.next_fetch() {
        plan.on_response(&req, 304, &req.url.clone(), &b""[..]);
    }
    assert!(plan.is_done());
    let out = plan.finish();
    assert!(out.seeds.is_empty());
    assert_eq!(out.memory.feeds, run.outcome.memory.feeds);
    assert_eq!(out.memory.sitemap_roots, run.outcome.memory.sitemap_roots);
}

#[test]
fn redirected_documents_resolve_against_the_final_url() {
    let mut cfg = SiteDiscovery::from_home(home());
    cfg.use_robots = false;
    cfg.use_home_page = false;
    cfg.feeds = vec![Url::parse("https://news.example/old-feed").unwrap()];
    let mut plan = DiscoveryPlan::new(cfg, PlanLimits::default(), PlanOptions::default());
    let req = plan.next_fetch().unwrap();
    let final_url = Url::parse("https://www.news.example/feeds/main.xml").unwrap();
    let body = rss(&[("relative/story", "Fri, 10 May 2024 09:00:00 GMT")]);
    plan.on_response(&req, 200, &final_url, body.as_bytes());
    let out = plan.finish();
    assert_eq!(
        out.seeds[0].url.as_str(),
        "https://www.news.example/feeds/relative/story"
    );
}
