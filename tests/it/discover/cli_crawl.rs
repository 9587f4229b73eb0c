//! `newsarc crawl` with discovery: `--max-depth 0`, `--since`, config-listed feeds, robots.txt
//! and Content-Encoding on sitemaps, and the README's example config.

use newsarc::archive::RecordType;

use super::fixtures::{article, gzip, populate};
use super::server::TestSite;
use super::{captured, newsarc, records};

/// `newsarc crawl SEEDS --max-depth 0 --rate 0 --quiet EXTRA --out OUT`, asserted to exit 0;
/// its stderr.
fn crawl_depth0(seeds: &[&str], extra: &[&str], out: &std::path::Path) -> String {
    let out = out.to_str().unwrap();
    let mut args = vec!["crawl"];
    args.extend_from_slice(seeds);
    args.extend(["--max-depth", "0", "--rate", "0", "--quiet"]);
    args.extend_from_slice(extra);
    args.extend(["--out", out]);
    let o = newsarc(&args);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    stderr
}

#[test]
fn crawl_with_max_depth_0_reaches_every_listed_article_newest_first() {
    let site = TestSite::start();
    populate(&site);
    let out = tempfile::tempdir().unwrap();
    let stderr = crawl_depth0(&[site.base.as_str()], &[], out.path());
    assert!(
        stderr.contains("discovery 127.0.0.1: 5 sitemaps, 2 feeds, 6 article URLs found, 6 queued"),
        "{stderr}"
    );
    let recs = records(out.path());
    let responses = captured(&recs, &[RecordType::Response]);
    let articles: Vec<&str> = responses
        .iter()
        .filter_map(|p| p.strip_prefix("/articles/"))
        .collect();
    assert_eq!(
        articles,
        [
            "rss-only",
            "storm-warning",
            "council-vote",
            "atom-only",
            "may-feature",
            "old-2023"
        ],
        "every listed article, newest first, none twice"
    );
    for doc in [
        "/robots.txt",
        "/rss.xml",
        "/atom.xml",
        "/sitemap_index.xml",
        "/news-sitemap.xml",
        "/sitemaps/archive-2023.xml.gz",
    ] {
        assert_eq!(
            responses.iter().filter(|p| *p == doc).count(),
            1,
            "{doc} archived once: {responses:?}"
        );
    }
    assert!(
        !responses.iter().any(|p| p == "/about"),
        "--max-depth 0: no link following"
    );
    let hits = site.hits();
    assert_eq!(
        hits.iter().filter(|h| h.path == "/robots.txt").count(),
        1,
        "robots.txt fetched once"
    );
    assert!(
        !hits.iter().any(|h| h.path == "/sitemap.xml"),
        "no guesses when robots.txt declares a sitemap"
    );
    // The home page: captured once, for discovery and as the seed together.
    let home: Vec<_> = recs
        .iter()
        .filter(|r| r.target_uri() == Some(site.base.as_str()))
        .map(|r| r.record_type())
        .collect();
    assert_eq!(home, [RecordType::Response, RecordType::Request]);
}

#[test]
fn crawl_since_keeps_only_the_window() {
    let site = TestSite::start();
    populate(&site);
    let out = tempfile::tempdir().unwrap();
    let stderr = crawl_depth0(
        &[site.base.as_str()],
        &["--since", "2024-05-09"],
        out.path(),
    );
    let responses = captured(&records(out.path()), &[RecordType::Response]);
    let articles: Vec<&str> = responses
        .iter()
        .filter_map(|p| p.strip_prefix("/articles/"))
        .collect();
    // atom-only has no valid published date but was updated 2024-05-08: outside. The 2023
    // archive sitemap is not even fetched (its lastmod is before the window).
    assert_eq!(
        articles,
        ["rss-only", "storm-warning", "council-vote"],
        "{stderr}"
    );
    assert!(!responses.iter().any(|p| p.contains("archive-2023")));

    let o = newsarc(&[
        "crawl",
        site.base.as_str(),
        "--since",
        "last week",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--since"));
}

#[test]
fn readme_sites_toml_example_is_valid() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = &readme[readme
        .find("## Discovery and watch mode")
        .expect("README section")..];
    let start = section.find("```toml\n").unwrap() + 8;
    let toml_text = &section[start..start + section[start..].find("```").unwrap()];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sites.toml");
    std::fs::write(&path, toml_text).unwrap();
    let file = newsarc::config::load_file(&path).unwrap();
    let cfg = newsarc::config::build(Some(file), Default::default()).unwrap();
    assert_eq!(cfg.sites.len(), 3);
    let hs = &cfg.sites[0].discovery;
    assert_eq!(hs.feeds[0].as_str(), "https://www.hstoday.us/feed/");
    assert!(hs.active(1, false));
    assert!(cfg.sites[1].discovery.guesses.is_empty());
    assert!(!cfg.sites[2].discovery.active(0, true));
    assert_eq!(
        cfg.watch.interval,
        Some(std::time::Duration::from_secs(900))
    );
    assert_eq!(cfg.watch.refresh.refetches, 2);
}

#[test]
fn config_listed_feed_turns_discovery_on_and_deny_lists_apply() {
    let site = TestSite::start();
    populate(&site);
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("sites.toml");
    let text = format!(
        "[defaults]\nrate = 0\n\n[[site]]\nname = \"local\"\nseeds = [\"{base}\"]\nfeeds = [\"{base}atom.xml\"]\nsitemap_guesses = []\nmax_depth = 1\ndeny = ['/articles/atom-only$']\n",
        base = site.base
    );
    std::fs::write(&cfg, text).unwrap();
    let out = dir.path().join("archive");
    let o = newsarc(&[
        "crawl",
        "--config",
        cfg.to_str().unwrap(),
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("discovery local:"), "{stderr}");
    let responses = captured(&records(&out), &[RecordType::Response]);
    // Discovery runs because the site lists a feed; the deny list applies to discovered URLs.
    assert!(
        responses.iter().any(|p| p == "/articles/storm-warning"),
        "{responses:?}"
    );
    assert!(
        !responses.iter().any(|p| p == "/articles/atom-only"),
        "denied: {responses:?}"
    );
    assert!(
        responses.iter().any(|p| p == "/about"),
        "max_depth 1 still follows links: {responses:?}"
    );
}

#[test]
fn discovery_obeys_robots_and_decodes_content_encoding() {
    let site = TestSite::start();
    site.put(
        "/robots.txt",
        "text/plain",
        "User-agent: *\nDisallow: /private\nSitemap: {base}/private-sitemap.xml\nSitemap: {base}/enc-sitemap.xml\n",
    );
    site.put("/", "text/html", "<html><body>home</body></html>");
    site.put(
        "/private-sitemap.xml",
        "application/xml",
        "<urlset><url><loc>{base}/articles/secret</loc></url></urlset>",
    );
    let xml = "<urlset><url><loc>{base}/articles/encoded</loc></url><url><loc>{base}/private/x</loc></url></urlset>"
        .replace("{base}", site.base.as_str().trim_end_matches('/'));
    site.put_encoded("/enc-sitemap.xml", "application/xml", "gzip", gzip(&xml));
    site.put("/articles/encoded", "text/html", &article("encoded"));
    let out = tempfile::tempdir().unwrap();
    crawl_depth0(&[site.base.as_str()], &[], out.path());
    let paths: Vec<String> = site.hits().into_iter().map(|h| h.path).collect();
    assert!(
        !paths.iter().any(|p| p.starts_with("/private")),
        "robots.txt is obeyed for sitemaps and seeds: {paths:?}"
    );
    assert!(
        paths.contains(&"/articles/encoded".to_string()),
        "{paths:?}"
    );
    assert!(!paths.contains(&"/articles/secret".to_string()));
    // The sitemap is archived as received (still gzip-encoded).
    let recs = records(out.path());
    let sm = recs
        .iter()
        .find(|r| {
            r.record_type() == RecordType::Response
                && r.target_uri()
                    .is_some_and(|u| u.ends_with("/enc-sitemap.xml"))
        })
        .expect("sitemap archived");
    let http = sm.http().unwrap();
    assert!(
        http.body.starts_with(&[0x1f, 0x8b]),
        "body archived exactly as received"
    );
}

#[test]
fn every_origin_of_a_site_is_discovered() {
    // Two servers on 127.0.0.1 (ports differ, so two origins of one site).
    let a = TestSite::start();
    populate(&a);
    let b = TestSite::start();
    b.put(
        "/robots.txt",
        "text/plain",
        "Sitemap: {base}/b-sitemap.xml\n",
    );
    b.put("/", "text/html", "<html><body>b</body></html>");
    b.put(
        "/b-sitemap.xml",
        "application/xml",
        "<urlset><url><loc>{base}/articles/b-only</loc></url></urlset>",
    );
    b.put("/articles/b-only", "text/html", &article("b-only"));
    let out = tempfile::tempdir().unwrap();
    let stderr = crawl_depth0(&[a.base.as_str(), b.base.as_str()], &[], out.path());
    assert_eq!(
        stderr.matches("discovery 127.0.0.1 (").count(),
        2,
        "one line per origin: {stderr}"
    );
    assert!(
        b.hits().iter().any(|h| h.path == "/articles/b-only"),
        "{:?}",
        b.hits()
    );
    assert!(a.hits().iter().any(|h| h.path == "/articles/storm-warning"));
}
