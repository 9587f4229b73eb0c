//! `newsarc serve` speed: list and search latency on an archive of ≥ 50,000 captures.
//!
//! Builds an archive from the devset readability pages (or, without a devset, the test
//! fixture pages) published under many URLs on 40 sites over 120 days: every page is
//! extracted once and each capture gets a response and a conversion record. Then it times the
//! first start (index build) and a later start (index reopened), starts the server on
//! 127.0.0.1 and drives it with a closed-loop load generator (`CONCURRENCY` clients, each
//! sending its next request when the last answer is read): site list pages (random site,
//! page, filters) and searches (random word, half of them restricted to a site). Reports
//! p50 / p95 / p99 latency and requests per second for each.
//!
//! Run: `cargo bench --bench serve` (`NEWSARC_DEVSET` picks the devset folder, default
//! `../shared/devset`; `SERVE_BENCH_CAPTURES` the number of captures, default 50,000).

/// The `newsarc` CLI's allocator (see `src/main.rs`): measured as users run it.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use newsarc::archive::{ArchiveWriter, SeqIds, WriterConfig, build};
use newsarc::extract::{ExtractInput, ExtractOptions, extract};
use newsarc::model::Article;
use newsarc::selectors::RuleSet;
use newsarc::serve::{AppState, Catalog, ServeOptions, router};

const SITES: usize = 40;
const CONCURRENCY: usize = 8;
const REQUESTS: usize = 3000;

fn html_pages() -> Vec<Vec<u8>> {
    let devset = std::env::var_os("NEWSARC_DEVSET")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/devset"));
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(devset.join("readability")) {
        let mut dirs: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        dirs.sort();
        out.extend(
            dirs.iter()
                .filter_map(|d| std::fs::read(d.join("source.html")).ok()),
        );
    }
    if out.is_empty() {
        let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for site in std::fs::read_dir(&fx).unwrap().filter_map(|e| e.ok()) {
            for f in std::fs::read_dir(site.path())
                .unwrap()
                .filter_map(|e| e.ok())
            {
                if f.path().extension().is_some_and(|e| e == "html") {
                    out.push(std::fs::read(f.path()).unwrap());
                }
            }
        }
    }
    out
}

fn http(body: &[u8]) -> Vec<u8> {
    let mut v = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    v.extend_from_slice(body);
    v
}

/// Write `n` captures (response + conversion) of `pages` under distinct URLs.
fn build_archive(dir: &Path, pages: &[Vec<u8>], n: usize) -> usize {
    let rules = RuleSet::empty();
    let opts = ExtractOptions::default();
    let articles: Vec<Article> = pages
        .iter()
        .map(|p| {
            extract(
                &ExtractInput::new(p, "https://example.com/a"),
                &rules,
                &opts,
            )
            .article
        })
        .collect();
    let t0: DateTime<Utc> = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
    let mut cfg = WriterConfig::new(dir);
    cfg.level = 1;
    let mut w = ArchiveWriter::open(cfg, t0).unwrap();
    let mut ids = SeqIds::default();
    for i in 0..n {
        let p = i % pages.len();
        let site = format!("site{}.example.com", i % SITES);
        let url = format!("https://{site}/news/2024/{i}/story-{p}");
        let when = t0 + Duration::from_secs((i as u64 * 120 * 86_400) / n as u64);
        let resp = build::response(&url, when, http(&pages[p]), None, &mut ids);
        let mut a = articles[p].clone();
        a.url = url.clone();
        a.canonical_url = Some(url.clone());
        a.site = Some(site);
        let json = serde_json::to_vec(&a).unwrap();
        let conv = build::conversion(
            &url,
            when,
            json,
            build::ParseOf {
                record_id: resp.id().unwrap(),
                captured: when,
            },
            "newsarc/bench",
            None,
            &mut ids,
        );
        w.write(&resp).unwrap();
        w.write(&conv).unwrap();
    }
    w.finish().unwrap();
    n
}

/// Words to search for: frequent and rare ones from the pages' bodies.
fn words(pages: &[Vec<u8>]) -> Vec<String> {
    let rules = RuleSet::empty();
    let opts = ExtractOptions::default();
    let mut out = Vec::new();
    for p in pages.iter().take(60) {
        let a = extract(
            &ExtractInput::new(p, "https://example.com/a"),
            &rules,
            &opts,
        )
        .article;
        out.extend(
            a.body
                .split_whitespace()
                .filter(|w| w.len() > 5 && w.chars().all(char::is_alphabetic))
                .take(3)
                .map(str::to_lowercase),
        );
    }
    out.push("the".into());
    out.push("government".into());
    out
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

/// Closed-loop load: `CONCURRENCY` clients share `paths`; returns sorted latencies and rate.
async fn load(base: &str, paths: Arc<Vec<String>>) -> (Vec<Duration>, f64) {
    let client = reqwest::Client::new();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let t = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let (client, next, paths, base) = (
            client.clone(),
            next.clone(),
            paths.clone(),
            base.to_string(),
        );
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(p) = paths.get(i) else { break };
                let t = Instant::now();
                let r = client.get(format!("{base}{p}")).send().await.unwrap();
                assert!(r.status().is_success(), "{p}: {}", r.status());
                let body = r.bytes().await.unwrap();
                std::hint::black_box(body);
                lat.push(t.elapsed());
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let rate = all.len() as f64 / t.elapsed().as_secs_f64();
    all.sort();
    (all, rate)
}

fn report(what: &str, lat: &[Duration], rate: f64) {
    println!(
        "{what:<8} {} requests, {CONCURRENCY} clients: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, {:.0} req/s",
        lat.len(),
        pct(lat, 0.50),
        pct(lat, 0.95),
        pct(lat, 0.99),
        rate
    );
}

fn main() {
    let n: usize = std::env::var("SERVE_BENCH_CAPTURES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50_000);
    let pages = html_pages();
    let tmp = tempfile::tempdir().unwrap();
    let t = Instant::now();
    build_archive(tmp.path(), &pages, n);
    println!(
        "archive: {n} captures (+{n} parses) of {} pages on {SITES} sites, written in {:.1}s",
        pages.len(),
        t.elapsed().as_secs_f64()
    );
    let args = [tmp.path().to_path_buf()];
    let t = Instant::now();
    let cat = Catalog::open_or_build(&args, None, &mut |_| {}).unwrap();
    println!(
        "first start (index build): {:.1}s",
        t.elapsed().as_secs_f64()
    );
    drop(cat);
    let t = Instant::now();
    let cat = Catalog::open_or_build(&args, None, &mut |_| {}).unwrap();
    assert!(!cat.rebuilt);
    println!(
        "later start (index reopened): {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );

    let words = words(&pages);
    let mut rng = 0x9e3779b97f4a7c15u64;
    let mut rand = |m: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % m as u64) as usize
    };
    let per_site = n / SITES;
    let lists: Vec<String> = (0..REQUESTS)
        .map(|i| {
            let site = format!("site{}.example.com", rand(SITES));
            let page = 1 + rand(per_site.div_ceil(50).max(1));
            match i % 3 {
                0 => format!("/site/{site}?page={page}"),
                1 => format!("/site/{site}?from=2024-02-01&to=2024-03-15&kind=article"),
                _ => format!("/site/{site}?lang=en&page={}", 1 + rand(5)),
            }
        })
        .collect();
    let searches: Vec<String> = (0..REQUESTS)
        .map(|i| {
            let w = &words[rand(words.len())];
            if i % 2 == 0 {
                format!("/search?q={w}")
            } else {
                format!("/search?q={w}&site=site{}.example.com", rand(SITES))
            }
        })
        .collect();

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let state = AppState::new(Arc::new(cat), &ServeOptions::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router(state)).await;
        });
        // Warm up (page cache, SQLite statements, tantivy readers).
        let _ = load(&base, Arc::new(lists.iter().take(200).cloned().collect())).await;
        let _ = load(
            &base,
            Arc::new(searches.iter().take(200).cloned().collect()),
        )
        .await;
        let (lat, rate) = load(&base, Arc::new(lists.clone())).await;
        report("list", &lat, rate);
        let (lat, rate) = load(&base, Arc::new(searches.clone())).await;
        report("search", &lat, rate);
        let (lat, rate) = load(&base, Arc::new(vec!["/".to_string(); 200])).await;
        report("overview", &lat, rate);
        wrk(&base, "list", &lists[..500], tmp.path());
        wrk(&base, "search", &searches[..500], tmp.path());
    });
}

/// The same request mix through `wrk` (2 threads, 8 connections, 10 s, a Lua script cycling
/// through the paths), when it is installed: a cross-check with an independent load tool.
fn wrk(base: &str, what: &str, paths: &[String], dir: &Path) {
    if std::process::Command::new("wrk")
        .arg("--version")
        .output()
        .is_err()
    {
        println!("{what:<8} wrk: not installed (apt-get install wrk), cross-check skipped");
        return;
    }
    let list: Vec<String> = paths.iter().map(|p| format!("{p:?}")).collect();
    let script = dir.join(format!("{what}.lua"));
    std::fs::write(
        &script,
        format!(
            "local paths = {{{}}}\nlocal i = 0\nrequest = function()\n  i = i + 1\n  return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n",
            list.join(", ")
        ),
    )
    .unwrap();
    let out = std::process::Command::new("wrk")
        .args(["-t2", "-c8", "-d10s", "--latency", "-s"])
        .arg(&script)
        .arg(format!("{base}/"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let pick: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| {
            l.starts_with("50%")
                || l.starts_with("90%")
                || l.starts_with("99%")
                || l.starts_with("Requests/sec")
                || l.contains("Non-2xx")
        })
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    println!("{what:<8} wrk -t2 -c8 -d10s: {}", pick.join(", "));
}
