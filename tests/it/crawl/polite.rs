//! Politeness and correctness on the wire, against a three-host news fixture.

use std::sync::Arc;
use std::time::Duration;

use newsarc::archive::RecordType;

use super::{article, count_uri, listing, min_gap, of_type, records, run_async};
use crate::server::{Handler, Reply, Server};

fn site_a(b_base: String) -> Handler {
    Arc::new(move |path: &str, headers, n| {
        let art = |t: &str| Reply::html(article(t, &["/".to_string()]));
        match path {
            "/robots.txt" => Reply::ok(
                "text/plain",
                "User-agent: *\nDisallow: /private/\nCrawl-delay: 0.2\n",
            ),
            "/" => {
                let mut links: Vec<String> = [
                    "/news/1",
                    "/news/1?utm_source=tw&fbclid=abc",
                    "/news/2#comments",
                    "/news/2",
                    "/private/secret",
                    "/old",
                    "/loop/a",
                    "/chain/0",
                    "/gone",
                    "/missing",
                    "/flaky",
                    "/busy",
                    "/unavail",
                    "/slow",
                    "/big",
                    "/file.pdf",
                    "/cp1252",
                    "/calendar/2026/01",
                    "/a/a/a/a/a/",
                    "/dup/a",
                    "/dup/b",
                    "mailto:x@y.z",
                    "/print/3",
                ]
                .iter()
                .map(|s| s.to_string())
                .collect();
                links.push(format!("/long?{}", "q".repeat(2100)));
                links.push(format!("{b_base}/"));
                Reply::html(listing(&links))
            }
            p if p.starts_with("/news/") => {
                let etag = format!("\"{}\"", p.replace('/', "-"));
                if headers.get("if-none-match").and_then(|v| v.to_str().ok()) == Some(&etag) {
                    return Reply::status(304).header("etag", &etag);
                }
                art(&format!("News {p}")).header("etag", &etag)
            }
            "/private/secret" => art("Secret"),
            "/print/3" => Reply::html(
                article("News 3, printable", &["/news/3".to_string()]).replace(
                    "<title>",
                    "<link rel=\"canonical\" href=\"/news/3\"><title>",
                ),
            ),
            "/old" => Reply::redirect(301, "/news/moved"),
            "/loop/a" => Reply::redirect(302, "/loop/b"),
            "/loop/b" => Reply::redirect(302, "/loop/a"),
            p if p.starts_with("/chain/") => {
                let k: u32 = p[7..].parse().unwrap_or(0);
                Reply::redirect(302, &format!("/chain/{}", k + 1))
            }
            "/gone" => Reply::status(410),
            "/flaky" if n < 2 => Reply::status(500),
            "/flaky" => art("Flaky but fine"),
            "/busy" if n == 0 => Reply::status(429).header("retry-after", "1"),
            "/busy" => art("Busy then fine"),
            "/unavail" => Reply::status(503).header("retry-after", "1"),
            "/slow" => art("Slow").delayed(Duration::from_secs(3)),
            "/big" => Reply::html(format!(
                "<html><body><p>{}</p></body></html>",
                "big ".repeat(400_000)
            )),
            "/file.pdf" => Reply::ok(
                "application/pdf",
                b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n\x00\x01\x02\xff".to_vec(),
            ),
            "/cp1252" => {
                let html = article("Caf\u{e9} \u{201c}cr\u{e8}me\u{201d} news", &[]).replace(
                    "<meta charset=\"utf-8\">",
                    "<meta charset=\"windows-1252\">",
                );
                let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&html);
                Reply::ok("text/html", bytes.to_vec())
            }
            p if p.starts_with("/calendar/") => {
                let parts: Vec<i32> = p[10..].split('/').filter_map(|x| x.parse().ok()).collect();
                let (y, m) = (
                    parts.first().copied().unwrap_or(2026),
                    parts.get(1).copied().unwrap_or(1),
                );
                let (py, pm) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
                let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                Reply::html(listing(&[
                    format!("/calendar/{py}/{pm:02}"),
                    format!("/calendar/{ny}/{nm:02}"),
                ]))
            }
            "/dup/a" | "/dup/b" => Reply::html(article("Same story twice", &[])),
            _ => Reply::status(404),
        }
    })
}

fn site_b(a_base: String) -> Handler {
    Arc::new(move |path: &str, _h, _n| match path {
        "/" => Reply::html(listing(&[
            "/story/1".into(),
            "/story/2".into(),
            "/sjis".into(),
            format!("{a_base}/news/1?utm_medium=x"),
        ])),
        p if p.starts_with("/story/") => Reply::html(article(&format!("Story {p}"), &[])),
        "/sjis" => {
            let html = article(
                "\u{65e5}\u{672c}\u{8a9e}\u{306e}\u{30cb}\u{30e5}\u{30fc}\u{30b9}",
                &[],
            )
            .replace("<meta charset=\"utf-8\">", "");
            let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&html);
            Reply::ok("text/html; charset=Shift_JIS", bytes.to_vec())
        }
        _ => Reply::status(404),
    })
}

fn site_c() -> Handler {
    Arc::new(|path: &str, _h, _n| match path {
        "/robots.txt" => Reply::status(503),
        _ => Reply::html(article("Never fetched", &[])),
    })
}

const CONFIG: &str = r#"
contact = "mailto:crawl-test@example.org"
[defaults]
max_depth = 30
timeout = 1
connect_timeout = 1
max_body = 1000000
max_retries = 2
retry_delay = 0.2
max_retry_wait = 5
trap_pattern_limit = 6
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crawl_is_polite_and_archives_everything() {
    // B's handler needs A's address and vice versa: start A on a placeholder first.
    let b_holder = Arc::new(std::sync::Mutex::new(String::new()));
    let a_holder = Arc::new(std::sync::Mutex::new(String::new()));
    let bh = b_holder.clone();
    let a = Server::start(
        "127.0.0.1",
        Arc::new(move |p: &str, h: &axum::http::HeaderMap, n| {
            let b = bh.lock().unwrap().clone();
            site_a(b)(p, h, n)
        }),
    )
    .await;
    let ah = a_holder.clone();
    let b = Server::start(
        "127.0.0.1",
        Arc::new(move |p: &str, h: &axum::http::HeaderMap, n| {
            let a = ah.lock().unwrap().clone();
            site_b(a)(p, h, n)
        }),
    )
    .await;
    let c = Server::start("127.0.0.2", site_c()).await;
    let a_base = format!("http://127.0.0.1:{}", a.addr.port());
    let b_base = format!("http://localhost:{}", b.addr.port());
    let c_base = format!("http://127.0.0.2:{}", c.addr.port());
    *a_holder.lock().unwrap() = a_base.clone();
    *b_holder.lock().unwrap() = b_base.clone();

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("archive");
    let cfg = dir.path().join("crawl.toml");
    std::fs::write(&cfg, CONFIG).unwrap();
    let args = vec![
        "crawl".to_string(),
        format!("{a_base}/"),
        format!("{b_base}/"),
        format!("{c_base}/"),
        "--config".into(),
        cfg.display().to_string(),
        "--out".into(),
        out.display().to_string(),
        "--rate".into(),
        "20".into(),
        "--quiet".into(),
    ];
    let t0 = std::time::Instant::now();
    let o = run_async(args.clone()).await;
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    eprintln!("{stderr}");
    assert_eq!(
        o.status.code(),
        Some(1),
        "some pages fail (503, timeout, chain): {stderr}"
    );
    assert!(t0.elapsed() < Duration::from_secs(60));
    assert!(stderr.contains("crawl summary"), "{stderr}");

    // robots.txt first on every host, and honoured.
    for s in [&a, &b, &c] {
        assert_eq!(s.paths().first().map(String::as_str), Some("/robots.txt"));
        for h in s.hits() {
            let ua = h
                .headers
                .get("user-agent")
                .unwrap()
                .to_str()
                .unwrap()
                .to_string();
            assert!(
                ua.starts_with("newsarc/") && ua.contains("crawl-test@example.org"),
                "{ua}"
            );
        }
    }
    assert_eq!(a.count("/private/secret"), 0, "disallowed path fetched");
    // robots.txt 503: nothing but robots.txt, retried a bounded number of times.
    assert!(
        c.paths().iter().all(|p| p == "/robots.txt"),
        "{:?}",
        c.paths()
    );
    assert!(c.count("/robots.txt") <= 3, "{:?}", c.paths());
    // Crawl-delay 0.2 s on A beats --rate 20; B is paced at 20/s.
    assert!(
        min_gap(&a) >= Duration::from_millis(180),
        "A gap {:?}",
        min_gap(&a)
    );
    assert!(
        min_gap(&b) >= Duration::from_millis(45),
        "B gap {:?}",
        min_gap(&b)
    );
    // Retry-After honoured.
    let busy: Vec<_> = a.hits().into_iter().filter(|h| h.path == "/busy").collect();
    assert_eq!(busy.len(), 2);
    assert!(busy[1].at.duration_since(busy[0].at) >= Duration::from_millis(950));
    // Retries: flaky succeeds on the third try; 503 gives up after 1 + max_retries tries.
    assert_eq!(a.count("/flaky"), 3);
    assert_eq!(a.count("/unavail"), 3);
    assert_eq!(a.count("/slow"), 3, "timeouts are retried");
    // Dedup: tracking parameters and fragments removed.
    assert_eq!(a.count("/news/1"), 1);
    assert_eq!(a.count("/news/2"), 1);
    // rel=canonical: the canonical URL counts as seen once its duplicate was fetched.
    assert_eq!(a.count("/print/3"), 1);
    assert_eq!(
        a.count("/news/3"),
        0,
        "canonical of a fetched page fetched again"
    );
    assert!(
        a.paths()
            .iter()
            .all(|p| !p.contains("utm_") && !p.contains("fbclid"))
    );
    // Redirects: each hop once, loops and endless chains bounded.
    assert_eq!(a.count("/old"), 1);
    assert_eq!(a.count("/news/moved"), 1);
    assert_eq!(a.count("/loop/a"), 1);
    assert_eq!(a.count("/loop/b"), 1);
    let chain = a
        .paths()
        .iter()
        .filter(|p| p.starts_with("/chain/"))
        .count();
    assert!((10..=11).contains(&chain), "chain hops {chain}");
    // Traps.
    let cal = a
        .paths()
        .iter()
        .filter(|p| p.starts_with("/calendar/"))
        .count();
    assert!((1..=7).contains(&cal), "calendar pages {cal}");
    assert_eq!(
        a.paths().iter().filter(|p| p.starts_with("/a/a/")).count(),
        0
    );
    assert_eq!(
        a.paths().iter().filter(|p| p.starts_with("/long")).count(),
        0
    );

    // The archive: every exchange, articles parsed, caps respected.
    let recs = records(&out);
    let responses = of_type(&recs, RecordType::Response);
    let requests = of_type(&recs, RecordType::Request);
    let conversions = of_type(&recs, RecordType::Conversion);
    let revisits = of_type(&recs, RecordType::Revisit);
    let total_hits = a.hits().len() + b.hits().len() + c.hits().len();
    let timeouts = a.count("/slow");
    assert_eq!(
        responses.len() + revisits.len(),
        total_hits - timeouts,
        "every HTTP response archived"
    );
    assert_eq!(requests.len(), responses.len() + revisits.len());
    for p in [
        "/robots.txt",
        "/",
        "/news/1",
        "/news/moved",
        "/old",
        "/gone",
        "/missing",
        "/file.pdf",
    ] {
        assert_eq!(count_uri(&responses, &format!("{a_base}{p}")), 1, "{p}");
    }
    assert_eq!(
        count_uri(&responses, &format!("{c_base}/robots.txt")),
        c.count("/robots.txt")
    );
    // Revisit for the identical payload under a second URL.
    assert_eq!(revisits.len(), 1, "one identical-payload revisit");
    let rv = revisits[0];
    assert!(
        rv.headers
            .get("WARC-Profile")
            .unwrap()
            .contains("identical-payload-digest")
    );
    // Articles parsed: conversion records for articles only.
    let conv_uris: Vec<&str> = conversions.iter().filter_map(|r| r.target_uri()).collect();
    for p in [
        "/news/1",
        "/news/2",
        "/news/moved",
        "/flaky",
        "/busy",
        "/cp1252",
        "/dup/a",
    ] {
        assert!(
            conv_uris.contains(&format!("{a_base}{p}").as_str()),
            "no conversion for {p}: {conv_uris:?}"
        );
    }
    for p in ["/story/1", "/story/2", "/sjis"] {
        assert!(
            conv_uris.contains(&format!("{b_base}{p}").as_str()),
            "no conversion for {p}"
        );
    }
    for p in [
        "/big",
        "/file.pdf",
        "/robots.txt",
        "/gone",
        "/",
        "/calendar/2026/01",
    ] {
        assert!(
            !conv_uris.contains(&format!("{a_base}{p}").as_str()),
            "{p} parsed"
        );
    }
    // Oversized page: cut and marked.
    let big = responses
        .iter()
        .find(|r| r.target_uri() == Some(format!("{a_base}/big").as_str()))
        .unwrap();
    assert_eq!(big.headers.get("WARC-Truncated"), Some("length"));
    assert!(big.http().unwrap().body.len() as u64 <= 1_000_000);
    // Charsets: decoded by the extractor.
    let title = |uri: String| -> String {
        let r = conversions
            .iter()
            .find(|r| r.target_uri() == Some(uri.as_str()))
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&r.block).unwrap();
        v["title"].as_str().unwrap_or_default().to_string()
    };
    assert!(title(format!("{a_base}/cp1252")).contains("Caf\u{e9} \u{201c}cr\u{e8}me\u{201d}"));
    assert!(title(format!("{b_base}/sjis")).contains("\u{65e5}\u{672c}\u{8a9e}"));
    // Bodies are archived exactly as received (no decompression, same bytes).
    let pdf = responses
        .iter()
        .find(|r| r.target_uri() == Some(format!("{a_base}/file.pdf").as_str()))
        .unwrap();
    assert!(pdf.http().unwrap().body.ends_with(b"\x00\x01\x02\xff"));

    // Second run with --fresh: conditional GET gives 304 → revisit (server-not-modified).
    let mut args2 = args.clone();
    args2.extend(["--fresh".to_string(), "--max-depth".into(), "1".into()]);
    let before = a.hits().len();
    let o2 = run_async(args2).await;
    assert!(
        o2.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&o2.stderr)
    );
    let news1: Vec<_> = a.hits()[before..]
        .iter()
        .filter(|h| h.path == "/news/1")
        .cloned()
        .collect();
    assert_eq!(news1.len(), 1);
    assert_eq!(
        news1[0]
            .headers
            .get("if-none-match")
            .and_then(|v| v.to_str().ok()),
        Some("\"-news-1\"")
    );
    let recs = records(&out);
    let nm = recs
        .iter()
        .filter(|r| r.record_type() == RecordType::Revisit)
        .filter(|r| {
            r.headers
                .get("WARC-Profile")
                .is_some_and(|p| p.contains("server-not-modified"))
        })
        .count();
    assert!(nm >= 2, "304 revisits: {nm}");
    // An independent reader sees every record with valid digests.
    super::fastwarc_agrees(&out, recs.len());
    // A third run without --fresh has nothing left to do: nothing but robots.txt is fetched.
    let before = a.hits().len();
    let o3 = run_async(args.clone()).await;
    assert!(o3.status.code().is_some_and(|c| c <= 1));
    assert!(
        a.hits()[before..].iter().all(|h| h.path == "/robots.txt"),
        "{:?}",
        &a.paths()[before..]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_host_does_not_stall_others() {
    let slow = Server::start(
        "127.0.0.1",
        Arc::new(|p: &str, _h, _n| match p {
            "/robots.txt" => Reply::status(404),
            "/" => Reply::html(listing(&["/s1".into(), "/s2".into()])),
            _ => Reply::html(article("slow", &[])).delayed(Duration::from_millis(1500)),
        }),
    )
    .await;
    let fast = Server::start(
        "127.0.0.1",
        Arc::new(|p: &str, _h, _n| match p {
            "/robots.txt" => Reply::status(404),
            "/" => Reply::html(listing(
                &(1..=10).map(|i| format!("/f{i}")).collect::<Vec<_>>(),
            )),
            _ => Reply::html(article("fast", &[])),
        }),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("archive");
    let o = run_async(vec![
        "crawl".into(),
        format!("http://127.0.0.1:{}/", slow.addr.port()),
        format!("http://127.0.0.1:{}/", fast.addr.port()),
        "--out".into(),
        out.display().to_string(),
        "--rate".into(),
        "50".into(),
        "--contact".into(),
        "t@example.org".into(),
        "--quiet".into(),
    ])
    .await;
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // The fast host finished all its pages before the slow host's first article came back.
    let fast_last = fast.hits().last().unwrap().at;
    let slow_first_article = slow.hits().iter().find(|h| h.path == "/s1").unwrap().at;
    assert!(fast_last < slow_first_article + Duration::from_millis(1500));
    assert_eq!(fast.hits().len(), 12);
    assert_eq!(slow.hits().len(), 4);
}

/// `--per-host-concurrency N`: at most N requests in flight to one host (and more than one
/// when N > 1, so the limit is what holds them back); still paced by `--rate`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_host_concurrency_caps_requests_in_flight() {
    let pages: Vec<String> = (1..=12).map(|i| format!("/news/{i}")).collect();
    let links = pages.clone();
    let site = Server::start(
        "127.0.0.1",
        Arc::new(move |p: &str, _h, _n| match p {
            "/robots.txt" => Reply::status(404),
            "/" => Reply::html(listing(&links)),
            p => {
                Reply::html(article(&format!("story {p}"), &[])).delayed(Duration::from_millis(300))
            }
        }),
    )
    .await;
    for (n, rate, limit) in [("3", "100", 3), ("1", "100", 1)] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("archive");
        let started = std::time::Instant::now();
        let o = run_async(vec![
            "crawl".into(),
            format!("http://127.0.0.1:{}/", site.addr.port()),
            "--out".into(),
            out.display().to_string(),
            "--rate".into(),
            rate.into(),
            "--per-host-concurrency".into(),
            n.into(),
            "--contact".into(),
            "t@example.org".into(),
            "--quiet".into(),
        ])
        .await;
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let recs = records(&out);
        for p in &pages {
            let url = format!("http://127.0.0.1:{}{p}", site.addr.port());
            assert_eq!(
                count_uri(&of_type(&recs, RecordType::Response), &url),
                1,
                "{url} {:?} {}",
                site.paths(),
                String::from_utf8_lossy(&o.stderr)
            );
        }
        let took = started.elapsed();
        if limit == 1 {
            // One at a time: twelve 300 ms answers take at least 3.6 s.
            assert!(took >= Duration::from_millis(3600), "{took:?}");
        }
    }
    // The gauge spans both runs: 3 at most, and the first run did use more than one.
    assert_eq!(site.max_in_flight(), 3);
}

/// The default is one request at a time per host.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_request_per_host_at_a_time_by_default() {
    let links: Vec<String> = (1..=6).map(|i| format!("/a/{i}")).collect();
    let l2 = links.clone();
    let site = Server::start(
        "127.0.0.1",
        Arc::new(move |p: &str, _h, _n| match p {
            "/robots.txt" => Reply::status(404),
            "/" => Reply::html(listing(&l2)),
            p => {
                Reply::html(article(&format!("story {p}"), &[])).delayed(Duration::from_millis(100))
            }
        }),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("archive");
    let o = run_async(vec![
        "crawl".into(),
        format!("http://127.0.0.1:{}/", site.addr.port()),
        "--out".into(),
        out.display().to_string(),
        "--rate".into(),
        "0".into(),
        "--contact".into(),
        "t@example.org".into(),
        "--quiet".into(),
    ])
    .await;
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(site.hits().len(), 1 + 1 + links.len());
    assert_eq!(site.max_in_flight(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_config_and_seeds_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("bad.toml");
    std::fs::write(&cfg, "[defaults]\nrat = 3\n").unwrap();
    let o = run_async(vec![
        "crawl".into(),
        "--config".into(),
        cfg.display().to_string(),
    ])
    .await;
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("rat"));
    let o = run_async(vec!["crawl".into(), "ftp://x.example/".into()]).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("ftp"));
    let o = run_async(vec!["crawl".into()]).await;
    assert_eq!(o.status.code(), Some(2));
}
