//! `newsarc crawl --watch`: new items between two polls, re-fetches of young articles, SIGTERM,
//! and daily rotation of archive files.

use std::process::Command;

use newsarc::archive::{ArchiveReader, RecordType};

use super::fixtures::{article, news_sitemap, populate};
use super::server::{self, TestSite};
use super::{captured, records};

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
fn watch_refetches_young_articles_the_configured_number_of_times() {
    let site = TestSite::start();
    populate(&site);
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("sites.toml");
    let text = format!(
        "[defaults]\nrate = 0\nmax_depth = 0\n\n[watch]\ninterval = \"1s\"\nrefetches = 1\nrefetch_within = \"2s\"\nrefetch_min_gap = \"1s\"\n\n[[site]]\nname = \"local\"\nseeds = [\"{}\"]\n",
        site.base
    );
    std::fs::write(&cfg, text).unwrap();
    let out = dir.path().join("archive");
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsarc"))
        .args([
            "crawl",
            "--config",
            cfg.to_str().unwrap(),
            "--quiet",
            "--watch",
            "--out",
            out.to_str().unwrap(),
        ])
        .env("NEWSARC_LOG", "warn")
        .spawn()
        .unwrap();
    let fetches = |slug: &str| {
        site.hits()
            .iter()
            .filter(|h| h.path == format!("/articles/{slug}"))
            .count()
    };
    wait_for(60, "a re-fetch of every article", || {
        [
            "storm-warning",
            "council-vote",
            "rss-only",
            "atom-only",
            "may-feature",
            "old-2023",
        ]
        .iter()
        .all(|s| fetches(s) >= 2)
    });
    // The budget (one extra capture) is used up: no third fetch over the next polls.
    std::thread::sleep(std::time::Duration::from_secs(4));
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    for slug in [
        "storm-warning",
        "council-vote",
        "rss-only",
        "atom-only",
        "may-feature",
        "old-2023",
    ] {
        assert_eq!(fetches(slug), 2, "{slug}: first capture + one re-fetch");
    }
    let refetches: Vec<_> = site
        .hits()
        .into_iter()
        .filter(|h| h.path.starts_with("/articles/") && h.conditional)
        .collect();
    assert_eq!(
        refetches.len(),
        6,
        "re-fetches are conditional: {refetches:?}"
    );
    assert!(refetches.iter().all(|h| h.status == 304));
    let revisits = captured(&records(&out), &[RecordType::Revisit]);
    assert_eq!(
        revisits
            .iter()
            .filter(|p| p.starts_with("/articles/"))
            .count(),
        6,
        "unchanged captures are revisits"
    );
}
