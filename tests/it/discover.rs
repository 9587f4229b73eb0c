//! Discovery against a local news site: robots.txt `Sitemap:` lines, a home page with feed
//! links, a nested sitemap index with a gzip child, a Google News sitemap, RSS and Atom feeds.

mod server;

use std::collections::HashMap;
use std::io::Write;

use newsarc::discover::{DiscoveryOutcome, DiscoveryPlan, PlanLimits, PlanOptions, SiteDiscovery};
use server::TestSite;

fn gzip(data: &str) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(data.as_bytes()).unwrap();
    enc.finish().unwrap()
}

fn article(slug: &str) -> String {
    format!(
        "<!doctype html><html><head><title>{slug}</title></head><body><article><h1>{slug}</h1>\
         <p>Body of {slug}, long enough to be an article paragraph for the extractor.</p></article>\
         <a href=\"/about\">About</a></body></html>"
    )
}

/// News sitemap entries: (slug, publication date).
fn news_sitemap(entries: &[(&str, &str)]) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">"#,
    );
    for (slug, date) in entries {
        s.push_str(&format!(
            "<url><loc>{{base}}/articles/{slug}</loc><news:news><news:publication><news:name>Local Times</news:name>\
             <news:language>en</news:language></news:publication><news:publication_date>{date}</news:publication_date>\
             <news:title>{slug}</news:title></news:news></url>\n"
        ));
    }
    s + "</urlset>"
}

/// RSS items: (slug, RFC 2822 date).
fn rss(items: &[(&str, &str)]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Local Times</title>",
    );
    for (slug, date) in items {
        s.push_str(&format!(
            "<item><title>{slug}</title><link>{{base}}/articles/{slug}</link><pubDate>{date}</pubDate></item>"
        ));
    }
    s + "</channel></rss>"
}

/// Builds the site: every article listed somewhere, none linked from the home page.
fn populate(site: &TestSite) {
    site.put(
        "/robots.txt",
        "text/plain",
        "User-agent: *\nAllow: /\nSitemap: {base}/sitemap_index.xml\n",
    );
    site.put(
        "/",
        "text/html",
        r#"<!doctype html><html><head><title>Local Times</title>
        <link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml">
        <link rel="alternate" type="application/atom+xml" title="Atom" href="/atom.xml">
        </head><body><h1>Local Times</h1><a href="/about">About us</a></body></html>"#,
    );
    site.put("/about", "text/html", &article("about"));
    site.put(
        "/sitemap_index.xml",
        "application/xml",
        r#"<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <sitemap><loc>{base}/sitemaps/archive-2023.xml.gz</loc><lastmod>2023-12-31</lastmod></sitemap>
        <sitemap><loc>{base}/sitemaps/monthly-index.xml</loc><lastmod>2024-05-10</lastmod></sitemap>
        <sitemap><loc>{base}/news-sitemap.xml</loc><lastmod>2024-05-10T10:00:00Z</lastmod></sitemap>
        <sitemap><loc>{base}/sitemap_index.xml</loc></sitemap>
        </sitemapindex>"#,
    );
    let archive = "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
        <url><loc>{base}/articles/old-2023</loc><lastmod>2023-06-01</lastmod></url></urlset>"
        .replace("{base}", site.base.as_str().trim_end_matches('/'));
    site.put_bytes(
        "/sitemaps/archive-2023.xml.gz",
        "application/x-gzip",
        gzip(&archive),
    );
    site.put(
        "/sitemaps/monthly-index.xml",
        "application/xml",
        "<sitemapindex><sitemap><loc>{base}/sitemaps/2024-05.xml</loc><lastmod>2024-05-09</lastmod></sitemap></sitemapindex>",
    );
    site.put(
        "/sitemaps/2024-05.xml",
        "application/xml",
        "<urlset><url><loc>{base}/articles/may-feature</loc><lastmod>2024-05-02</lastmod></url></urlset>",
    );
    site.put(
        "/news-sitemap.xml",
        "application/xml",
        &news_sitemap(&[
            ("storm-warning", "2024-05-10T09:00:00Z"),
            ("council-vote", "2024-05-09T17:00:00Z"),
        ]),
    );
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &rss(&[
            ("storm-warning", "Fri, 10 May 2024 09:00:00 GMT"),
            ("rss-only", "Fri, 10 May 2024 11:00:00 GMT"),
        ]),
    );
    site.put(
        "/atom.xml",
        "application/atom+xml",
        r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>Local Times</title><id>urn:x</id><updated>2024-05-10T12:00:00Z</updated>
        <entry><title>atom-only</title><id>urn:a</id><link rel="alternate" href="{base}/articles/atom-only"/>
        <published>not a date</published><updated>2024-05-08T08:00:00Z</updated></entry></feed>"#,
    );
    for slug in [
        "storm-warning",
        "council-vote",
        "rss-only",
        "atom-only",
        "may-feature",
        "old-2023",
    ] {
        site.put(&format!("/articles/{slug}"), "text/html", &article(slug));
    }
}

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

// ---- `newsarc crawl` with discovery -------------------------------------------------------

use std::path::Path;
use std::process::{Command, Output};

use newsarc::archive::{ArchiveReader, Record, RecordType, archive_files};

fn newsarc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsarc"))
        .args(args)
        .env("NEWSARC_LOG", "warn")
        .output()
        .unwrap()
}

fn records(dir: &Path) -> Vec<Record> {
    let mut out = Vec::new();
    for f in archive_files(&[dir.to_path_buf()]).unwrap() {
        for r in ArchiveReader::open(&f).unwrap() {
            out.push(r.unwrap().record);
        }
    }
    out
}

/// Paths of the responses (and revisits) archived, in archive order.
fn captured(recs: &[Record], kinds: &[RecordType]) -> Vec<String> {
    recs.iter()
        .filter(|r| kinds.contains(&r.record_type()))
        .filter_map(|r| r.target_uri())
        .map(|u| url::Url::parse(u).unwrap().path().to_string())
        .collect()
}

#[test]
fn crawl_with_max_depth_0_reaches_every_listed_article_newest_first() {
    let site = TestSite::start();
    populate(&site);
    let out = tempfile::tempdir().unwrap();
    let o = newsarc(&[
        "crawl",
        site.base.as_str(),
        "--max-depth",
        "0",
        "--rate",
        "0",
        "--quiet",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
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
    // The home page: captured by discovery, then fetched again as the seed (a revisit).
    let home: Vec<_> = recs
        .iter()
        .filter(|r| r.target_uri() == Some(site.base.as_str()))
        .map(|r| r.record_type())
        .collect();
    assert!(home.contains(&RecordType::Response), "{home:?}");
}

#[test]
fn crawl_since_keeps_only_the_window() {
    let site = TestSite::start();
    populate(&site);
    let out = tempfile::tempdir().unwrap();
    let o = newsarc(&[
        "crawl",
        site.base.as_str(),
        "--max-depth",
        "0",
        "--rate",
        "0",
        "--quiet",
        "--since",
        "2024-05-09",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
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

/// Waits until `cond` holds (checking every 100 ms), failing after `secs`.
fn wait_for(secs: u64, what: &str, mut cond: impl FnMut() -> bool) {
    let t0 = std::time::Instant::now();
    while !cond() {
        assert!(
            t0.elapsed().as_secs() < secs,
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn watch_fetches_only_new_items_on_the_next_poll_and_stops_on_sigterm() {
    let site = TestSite::start();
    populate(&site);
    let out = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsarc"))
        .args([
            "crawl",
            site.base.as_str(),
            "--max-depth",
            "0",
            "--rate",
            "0",
            "--quiet",
            "--watch",
            "--interval",
            "1s",
        ])
        .arg("--out")
        .arg(out.path())
        .env("NEWSARC_LOG", "warn")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let articles = |hits: &[server::Hit]| -> Vec<String> {
        hits.iter()
            .filter(|h| h.path.starts_with("/articles/"))
            .map(|h| h.path.clone())
            .collect()
    };
    wait_for(60, "the first pass", || articles(&site.hits()).len() >= 6);
    // Let one poll go by with nothing new, then publish a story between two polls.
    wait_for(30, "an idle poll", || {
        site.hits().iter().filter(|h| h.path == "/rss.xml").count() >= 2
    });
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
        "/articles/evening-update",
        "text/html",
        &article("evening-update"),
    );
    site.clear_hits();
    wait_for(30, "the new story", || {
        articles(&site.hits()).contains(&"/articles/evening-update".to_string())
    });
    // One more poll: the story is not fetched again.
    wait_for(30, "a poll after the new story", || {
        site.hits()
            .iter()
            .filter(|h| h.path == "/news-sitemap.xml")
            .count()
            >= 2
    });
    let st = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    let t0 = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(t0.elapsed().as_secs() < 30, "no clean stop after SIGTERM");
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("crawl summary"), "{stderr}");

    let hits = site.hits();
    assert_eq!(
        articles(&hits),
        ["/articles/evening-update"],
        "only the new story is fetched: {hits:?}"
    );
    let polls: Vec<_> = hits
        .iter()
        .filter(|h| !h.path.starts_with("/articles/"))
        .collect();
    assert!(
        polls.iter().all(|h| h.conditional),
        "polls are conditional GETs: {polls:?}"
    );
    assert!(
        polls.iter().any(|h| h.status == 304),
        "unchanged feeds answer 304: {polls:?}"
    );
    assert!(
        !polls
            .iter()
            .any(|h| h.path == "/robots.txt" || h.path == "/"),
        "polls skip robots/home: {polls:?}"
    );
    // Every capture is in the archive: unchanged polls as revisits, the new story as a response.
    let recs = records(out.path());
    assert!(
        captured(&recs, &[RecordType::Revisit])
            .iter()
            .any(|p| p == "/rss.xml" || p == "/atom.xml")
    );
    assert_eq!(
        captured(&recs, &[RecordType::Response])
            .iter()
            .filter(|p| *p == "/articles/evening-update")
            .count(),
        1
    );
    assert!(out.path().join("watch-state.sqlite").exists());
}

#[test]
fn watch_archives_rotate_daily_by_record_date() {
    use newsarc::archive::{ArchiveWriter, UuidIds, WriterConfig, build};
    let dir = tempfile::tempdir().unwrap();
    let day = |s: &str| s.parse::<chrono::DateTime<chrono::Utc>>().unwrap();
    let mut cfg = WriterConfig::new(dir.path());
    cfg.rotate_daily = true;
    let mut w = ArchiveWriter::open(cfg, day("2024-05-10T23:50:00Z")).unwrap();
    let http = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhello".to_vec();
    for (i, d) in [
        "2024-05-10T23:55:00Z",
        "2024-05-10T23:59:59Z",
        "2024-05-11T00:00:01Z",
        "2024-05-12T08:00:00Z",
        "2024-05-12T09:00:00Z",
    ]
    .iter()
    .enumerate()
    {
        let rec = build::response(
            &format!("https://e.com/{i}"),
            day(d),
            http.clone(),
            None,
            &mut UuidIds,
        );
        w.write(&rec).unwrap();
    }
    let files = w.finish().unwrap();
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names[0].contains("-20240510235000-"), "{names:?}");
    assert!(names[1].contains("-20240511000001-"), "{names:?}");
    assert!(names[2].contains("-20240512080000-"), "{names:?}");
    let per_file: Vec<usize> = files
        .iter()
        .map(|f| ArchiveReader::open(f).unwrap().count())
        .collect();
    assert_eq!(
        per_file,
        [3, 2, 3],
        "warcinfo + the day's records in each file"
    );
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
