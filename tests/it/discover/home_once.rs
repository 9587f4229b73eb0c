//! The home page is fetched once per run and serves both discovery (its feed links) and the
//! crawl (a depth-0 seed: archived once, links queued at depth 1, marked done).

use newsarc::archive::RecordType;

use super::fixtures::populate;
use super::server::TestSite;
use super::{captured, newsarc, records};

fn crawl(site: &TestSite, out: &std::path::Path) -> String {
    let o = newsarc(&[
        "crawl",
        site.base.as_str(),
        "--max-depth",
        "1",
        "--since",
        "9000d",
        "--rate",
        "0",
        "--quiet",
        "--contact",
        "test@example.org",
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    stderr
}

#[test]
fn discovery_and_seed_share_one_home_page_fetch() {
    let site = TestSite::start();
    populate(&site);
    let out = tempfile::tempdir().unwrap();
    let stderr = crawl(&site, out.path());
    let hits = site.hits();
    let count = |p: &str| hits.iter().filter(|h| h.path == p).count();
    assert_eq!(count("/"), 1, "home page fetched once: {hits:?}\n{stderr}");
    // Discovery got the body: the feeds it links to were read, and their items crawled.
    assert_eq!((count("/rss.xml"), count("/atom.xml")), (1, 1), "{hits:?}");
    assert!(
        stderr.contains("2 feeds, 6 article URLs found, 6 queued"),
        "{stderr}"
    );
    // The crawl got the page: its link was followed at depth 1, each page fetched once.
    assert_eq!(count("/about"), 1, "{hits:?}");
    // No worker started before discovery ended: the page's link waited for the crawl.
    let at = |p: &str| hits.iter().position(|h| h.path == p).unwrap();
    assert!(
        at("/about") > at("/sitemaps/archive-2023.xml.gz"),
        "{hits:?}"
    );
    assert_eq!(count("/articles/rss-only"), 1, "{hits:?}");
    assert!(stderr.contains("recovered after crash    0"), "{stderr}");
    assert!(stderr.contains("still queued             0"), "{stderr}");
    let recs = records(out.path());
    let home: Vec<_> = recs
        .iter()
        .filter(|r| r.target_uri() == Some(site.base.as_str()))
        .map(|r| r.record_type())
        .collect();
    assert_eq!(
        home,
        [RecordType::Response, RecordType::Request],
        "one capture of the home page, no revisit"
    );
    assert!(
        captured(&recs, &[RecordType::Response]).contains(&"/about".to_string()),
        "depth-1 link archived"
    );

    // Resuming: the seed is done in the crawl state, so only discovery asks for the home
    // page again, conditionally (validators were remembered by the crawl path).
    site.clear_hits();
    crawl(&site, out.path());
    let hits = site.hits();
    let home: Vec<_> = hits.iter().filter(|h| h.path == "/").collect();
    assert_eq!(home.len(), 1, "{hits:?}");
    assert!(home[0].conditional && home[0].status == 304, "{home:?}");
}

#[test]
fn a_redirected_home_page_is_fetched_once_at_each_hop() {
    let site = TestSite::start();
    populate(&site);
    site.redirect("/", "/home");
    site.put(
        "/home",
        "text/html",
        r#"<!doctype html><html><head><title>Local Times</title>
        <link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml">
        </head><body><a href="/about">About us</a></body></html>"#,
    );
    let out = tempfile::tempdir().unwrap();
    let stderr = crawl(&site, out.path());
    let hits = site.hits();
    let count = |p: &str| hits.iter().filter(|h| h.path == p).count();
    for p in ["/", "/home", "/rss.xml", "/about"] {
        assert_eq!(count(p), 1, "{p}: {hits:?}\n{stderr}");
    }
    assert_eq!(
        count("/atom.xml"),
        0,
        "only the redirect target's feed link: {hits:?}"
    );
    let recs = records(out.path());
    let responses = captured(&recs, &[RecordType::Response, RecordType::Revisit]);
    for p in ["/", "/home", "/about"] {
        assert_eq!(
            responses.iter().filter(|r| *r == p).count(),
            1,
            "{responses:?}"
        );
    }
}
