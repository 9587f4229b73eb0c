//! `newsarc crawl` end to end against local servers: politeness (robots.txt, Crawl-delay,
//! per-host gaps, Retry-After), redirects, retries, caps, charsets, traps, conditional GET,
//! revisits, and resume after `kill -9`.

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::Duration;

use newsarc::archive::{ArchiveReader, Record, RecordType, archive_files};

use crate::server::{Handler, Reply, Server};

fn article(title: &str, links: &[String]) -> String {
    let para = "The council met on Tuesday evening to discuss the new budget for the coming year. \
        Members argued for hours about the cost of repairing the old bridge, the future of the \
        library and the pay of the town's teachers, before agreeing on a compromise late at night.";
    let mut s = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <meta property=\"og:type\" content=\"article\"></head><body><header><nav><a href=\"/\">Home</a></nav></header>\
         <article><h1>{title}</h1>"
    );
    for i in 0..6 {
        s.push_str(&format!("<p>{para} Paragraph {i}.</p>"));
    }
    s.push_str("</article><aside>");
    for l in links {
        s.push_str(&format!("<a href=\"{l}\">more</a> "));
    }
    s.push_str("</aside><footer>(c) Town News</footer></body></html>");
    s
}

fn listing(links: &[String]) -> String {
    let mut s =
        String::from("<!doctype html><html><head><title>Front page</title></head><body><ul>");
    for l in links {
        s.push_str(&format!("<li><a href=\"{l}\">{l}</a></li>"));
    }
    s.push_str("</ul></body></html>");
    s
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsarc"))
        .args(args)
        .env("NEWSARC_LOG", "warn")
        .output()
        .unwrap()
}

async fn run_async(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&a)
    })
    .await
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

fn of_type(recs: &[Record], t: RecordType) -> Vec<&Record> {
    recs.iter().filter(|r| r.record_type() == t).collect()
}

fn count_uri(recs: &[&Record], uri: &str) -> usize {
    recs.iter().filter(|r| r.target_uri() == Some(uri)).count()
}

/// Smallest gap between consecutive requests to one server.
fn min_gap(s: &Server) -> Duration {
    let hits = s.hits();
    hits.windows(2)
        .map(|w| w[1].at.duration_since(w[0].at))
        .min()
        .unwrap_or(Duration::MAX)
}

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
    for p in ["/big", "/file.pdf", "/robots.txt", "/gone"] {
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

fn many_pages(prefix: &'static str, n: usize) -> Handler {
    Arc::new(move |path: &str, _h, _n| match path {
        "/robots.txt" => Reply::status(404),
        "/" => Reply::html(listing(
            &(0..n).map(|i| format!("/{prefix}/{i}")).collect::<Vec<_>>(),
        )),
        p if p.starts_with(&format!("/{prefix}/")) => {
            Reply::html(article(&format!("{prefix} story {p}"), &["/".to_string()]))
        }
        _ => Reply::status(404),
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_then_resume_loses_and_duplicates_nothing() {
    let n = 40;
    let servers = [
        Server::start("127.0.0.1", many_pages("a", n)).await,
        Server::start("127.0.0.1", many_pages("b", n)).await,
        Server::start("127.0.0.2", many_pages("c", n)).await,
    ];
    let bases = [
        format!("http://127.0.0.1:{}", servers[0].addr.port()),
        format!("http://localhost:{}", servers[1].addr.port()),
        format!("http://127.0.0.2:{}", servers[2].addr.port()),
    ];
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("archive");
    let mut args: Vec<String> = vec!["crawl".into()];
    args.extend(bases.iter().map(|b| format!("{b}/")));
    args.extend(
        [
            "--out",
            &out.display().to_string(),
            "--rate",
            "15",
            "--contact",
            "t@example.org",
            "--quiet",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    eprintln!("kill schedule seed {seed}");
    let mut rng = seed | 1;
    let mut kills = 0;
    for _ in 0..4 {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let wait = Duration::from_millis(200 + rng % 600);
        let a2 = args.clone();
        let killed = tokio::task::spawn_blocking(move || {
            let mut child = Command::new(env!("CARGO_BIN_EXE_newsarc"))
                .args(&a2)
                .env("NEWSARC_LOG", "warn")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(wait);
            let done = child.try_wait().unwrap().is_some();
            if !done {
                // SIGKILL: no chance to flush or clean up.
                child.kill().unwrap();
            }
            child.wait().unwrap();
            !done
        })
        .await
        .unwrap();
        kills += usize::from(killed);
    }
    let o = run_async(args.clone()).await;
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        kills >= 2,
        "the crawl finished too fast to be killed ({kills} kills)"
    );

    let recs = records(&out);
    let responses = of_type(&recs, RecordType::Response);
    let conversions = of_type(&recs, RecordType::Conversion);
    assert!(of_type(&recs, RecordType::Revisit).is_empty());
    let mut dup_requests = 0;
    for (s, base) in servers.iter().zip(&bases) {
        let mut per_path: std::collections::HashMap<String, usize> = Default::default();
        for p in s.paths() {
            *per_path.entry(p).or_default() += 1;
        }
        for (p, k) in &per_path {
            if p == "/robots.txt" {
                continue;
            }
            let uri = format!("{base}{p}");
            assert_eq!(
                count_uri(&responses, &uri),
                1,
                "{uri} must be archived exactly once"
            );
            if p != "/" {
                assert_eq!(
                    count_uri(&conversions, &uri),
                    1,
                    "{uri} must be parsed exactly once"
                );
            }
            dup_requests += k - 1;
        }
        assert_eq!(per_path.len(), n + 2, "every page of {base} fetched");
    }
    // Only a request in flight at a kill (one per host) may be repeated.
    assert!(
        dup_requests <= kills * 3,
        "{dup_requests} repeated requests after {kills} kills"
    );
    // The archive is whole: framing, digests and index all check out.
    let v = run_async(vec!["verify".into(), out.display().to_string()]).await;
    assert_eq!(
        v.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&v.stdout),
        String::from_utf8_lossy(&v.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_flushes_prints_summary_and_exits_130() {
    let s = Server::start("127.0.0.1", many_pages("t", 30)).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("archive");
    let args: Vec<String> = vec![
        "crawl".into(),
        format!("http://127.0.0.1:{}/", s.addr.port()),
        "--out".into(),
        out.display().to_string(),
        "--rate".into(),
        "10".into(),
        "--contact".into(),
        "t@example.org".into(),
        "--quiet".into(),
    ];
    let a2 = args.clone();
    let o = tokio::task::spawn_blocking(move || {
        let child = Command::new(env!("CARGO_BIN_EXE_newsarc"))
            .args(&a2)
            .env("NEWSARC_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(900));
        let st = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(st.success());
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(130), "{err}");
    assert!(
        err.contains("crawl summary") && err.contains("interrupted"),
        "{err}"
    );
    let fetched_before = s.hits().len();
    assert!(fetched_before < 30, "stopped early");
    // The archive was closed properly (index written) and the crawl resumes to the end.
    let v = run_async(vec!["verify".into(), out.display().to_string()]).await;
    assert_eq!(
        v.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&v.stdout)
    );
    let o = run_async(args).await;
    assert_eq!(o.status.code(), Some(0));
    let recs = records(&out);
    let responses = of_type(&recs, RecordType::Response);
    for i in 0..30 {
        let uri = format!("http://127.0.0.1:{}/t/{i}", s.addr.port());
        assert_eq!(count_uri(&responses, &uri), 1, "{uri}");
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gzip_pages_archived_encoded_bombs_contained_budget_respected() {
    let page = gzip(article("Compressed story", &[]).as_bytes());
    let bomb = gzip(&vec![b' '; 60 * 1024 * 1024]);
    let s = Server::start(
        "127.0.0.1",
        Arc::new(move |p: &str, _h, _n| match p {
            "/robots.txt" => Reply::status(404),
            "/" => Reply::html(listing(&["/gz".into(), "/bomb".into()])),
            "/gz" => Reply::ok("text/html", page.clone()).header("content-encoding", "gzip"),
            "/bomb" => Reply::ok("text/html", bomb.clone()).header("content-encoding", "gzip"),
            _ => Reply::status(404),
        }),
    )
    .await;
    let base = format!("http://127.0.0.1:{}", s.addr.port());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("archive");
    let o = run_async(vec![
        "crawl".into(),
        format!("{base}/"),
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
    let recs = records(&out);
    let responses = of_type(&recs, RecordType::Response);
    let conversions = of_type(&recs, RecordType::Conversion);
    let gz = responses
        .iter()
        .find(|r| r.target_uri() == Some(format!("{base}/gz").as_str()))
        .unwrap();
    assert!(
        gz.http().unwrap().body.starts_with(&[0x1f, 0x8b]),
        "stored as received"
    );
    assert_eq!(count_uri(&conversions, &format!("{base}/gz")), 1);
    assert_eq!(count_uri(&responses, &format!("{base}/bomb")), 1);
    assert_eq!(count_uri(&conversions, &format!("{base}/bomb")), 0);

    // --max-pages stops the crawl after that many pages (robots.txt not counted).
    let m = Server::start("127.0.0.1", many_pages("m", 20)).await;
    let out2 = dir.path().join("archive2");
    let o = run_async(vec![
        "crawl".into(),
        format!("http://127.0.0.1:{}/", m.addr.port()),
        "--out".into(),
        out2.display().to_string(),
        "--rate".into(),
        "50".into(),
        "--max-pages".into(),
        "5".into(),
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
    assert_eq!(m.paths().iter().filter(|p| *p != "/robots.txt").count(), 5);
    assert!(String::from_utf8_lossy(&o.stderr).contains("still queued"));
}
