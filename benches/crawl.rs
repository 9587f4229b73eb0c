//! Crawl benchmarks (not part of the test suite): `cargo bench --bench crawl`.
//!
//! 1. Frontier memory: insert 1,000,000 URLs into the SQLite crawl state and report the peak
//!    RSS (VmHWM) of this process.
//! 2. End-to-end throughput with politeness off (`--rate 0`, robots.txt 404) of the real
//!    `newsarc crawl` binary against a local server (in this process, on its own runtime)
//!    serving the devset readability pages, versus `extract` alone on the same pages with the
//!    same cores (rayon). Medians of several runs; peak RSS of the crawler.
//!
//! Environment: `CRAWL_BENCH_RUNS` (default 3), `CRAWL_BENCH_COPIES` (copies of the page set,
//! default 3), `CRAWL_BENCH_WGET_PORT` (if set, print a wget command line against that port).

/// The `newsarc` CLI's allocator (see `src/main.rs`): measured as users run it.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use rayon::prelude::*;

use newsarc::extract::{ExtractInput, ExtractOptions, extract};
use newsarc::frontier::{CrawlState, NewUrl};
use newsarc::selectors::RuleSet;

fn vm_hwm_kb(pid: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn frontier_memory() {
    let dir = tempfile::tempdir().unwrap();
    let before = vm_hwm_kb("self").unwrap_or(0);
    let t0 = Instant::now();
    let mut st = CrawlState::open(&dir.path().join("s.sqlite"), false).unwrap();
    let n = 1_000_000u64;
    let batch = 10_000;
    let mut i = 0;
    while i < n {
        let items: Vec<_> = (i..(i + batch).min(n))
            .map(|k| {
                let host = k % 1000;
                (
                    NewUrl {
                        url: format!(
                            "https://site{host}.example/news/2026/05/{k}/some-article-slug-{k}"
                        ),
                        origin: format!("https://site{host}.example:443"),
                        depth: 2,
                        hops: 0,
                        prio: 1,
                        site: 0,
                        discovered: None,
                    },
                    None,
                )
            })
            .collect();
        st.add(&items).unwrap();
        i += batch;
    }
    let insert = t0.elapsed();
    let t1 = Instant::now();
    let mut taken = 0;
    for host in 0..1000 {
        if let Ok(newsarc::frontier::Next::Ready(_)) =
            st.next_for(&format!("https://site{host}.example:443"), i64::MAX)
        {
            taken += 1;
        }
    }
    let lookup = t1.elapsed();
    let c = st.counts().unwrap();
    let after = vm_hwm_kb("self").unwrap_or(0);
    let size = std::fs::metadata(dir.path().join("s.sqlite"))
        .map(|m| m.len())
        .unwrap_or(0);
    println!(
        "frontier: {} URLs queued in {:.1} s ({:.0} URLs/s); next_for over 1000 hosts: {:.1} ms ({taken} ready); \
         peak RSS (VmHWM) {:.1} MB (before: {:.1} MB); state file {:.0} MB",
        c.queued,
        insert.as_secs_f64(),
        n as f64 / insert.as_secs_f64(),
        lookup.as_secs_f64() * 1000.0,
        after as f64 / 1024.0,
        before as f64 / 1024.0,
        size as f64 / 1e6
    );
}

struct Pages {
    bodies: Vec<Vec<u8>>,
}

fn load_pages(copies: usize) -> Pages {
    let root = Path::new("/work/shared/devset/readability");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("source.html").exists())
        .collect();
    dirs.sort();
    let mut bodies = Vec::new();
    for c in 0..copies {
        for d in &dirs {
            let mut b = std::fs::read(d.join("source.html")).unwrap();
            // Make every copy a distinct payload (no identical-payload revisits).
            b.extend_from_slice(format!("\n<!-- copy {c} -->\n").as_bytes());
            bodies.push(b);
        }
    }
    Pages { bodies }
}

async fn serve(State(p): State<Arc<Pages>>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let mut resp = if path == "/" {
        let mut s = String::from("<html><body>");
        for i in 0..p.bodies.len() {
            s.push_str(&format!("<a href=\"/p/{i}\">{i}</a>\n"));
        }
        s.push_str("</body></html>");
        Response::new(Body::from(s))
    } else if let Some(i) = path
        .strip_prefix("/p/")
        .and_then(|x| x.parse::<usize>().ok())
    {
        match p.bodies.get(i) {
            Some(b) => Response::new(Body::from(b.clone())),
            None => Response::new(Body::from("nope")),
        }
    } else {
        let mut r = Response::new(Body::from("not found"));
        *r.status_mut() = axum::http::StatusCode::NOT_FOUND;
        return r;
    };
    resp.headers_mut()
        .insert("content-type", "text/html".parse().unwrap());
    resp
}

fn main() {
    let runs: usize = std::env::var("CRAWL_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let copies: usize = std::env::var("CRAWL_BENCH_COPIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let only = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    if only.as_deref().is_none_or(|o| o == "frontier") {
        frontier_memory();
    }
    if only.as_deref() == Some("frontier") {
        return;
    }
    let pages = Arc::new(load_pages(copies));
    let n = pages.bodies.len();
    let bytes: usize = pages.bodies.iter().map(Vec::len).sum();
    let cores = std::thread::available_parallelism()
        .map(|c| c.get())
        .unwrap_or(1);
    println!(
        "pages: {n} ({} devset readability pages x {copies}), {:.0} KB average, {cores} cores",
        n / copies,
        bytes as f64 / n as f64 / 1024.0
    );

    // Server on its own runtime (2 worker threads) in this process.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = axum::Router::new()
        .fallback(serve)
        .with_state(pages.clone());
    rt.spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    if let Ok(p) = std::env::var("CRAWL_BENCH_WGET_PORT") {
        println!("wget: serving on {port}; compare with port {p}");
    }

    // Extract alone, same pages, same cores.
    let rules = RuleSet::empty();
    let mut ex_rates = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let words: usize = pages
            .bodies
            .par_iter()
            .enumerate()
            .map(|(i, b)| {
                let url = format!("http://127.0.0.1:{port}/p/{i}");
                let input = ExtractInput {
                    body: b,
                    url: &url,
                    content_type: Some("text/html"),
                    captured: None,
                };
                extract(&input, &rules, &ExtractOptions::default())
                    .article
                    .word_count
            })
            .sum();
        let dt = t.elapsed().as_secs_f64();
        ex_rates.push(n as f64 / dt);
        assert!(words > 0);
    }

    // The crawler, end to end.
    let bin = env!("CARGO_BIN_EXE_newsarc");
    let mut cr_rates = Vec::new();
    let mut peak_kb = 0;
    for _ in 0..runs {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("archive");
        let t = Instant::now();
        let mut child = Command::new(bin)
            .args([
                "crawl",
                &format!("http://127.0.0.1:{port}/"),
                "--out",
                &out.display().to_string(),
                "--rate",
                "0",
                "--max-depth",
                "1",
                "--contact",
                "bench@example.org",
                "--quiet",
            ])
            .env("NEWSARC_LOG", "error")
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let pid = child.id().to_string();
        let mut peak = 0;
        loop {
            if let Some(kb) = vm_hwm_kb(&pid) {
                peak = peak.max(kb);
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let dt = t.elapsed().as_secs_f64();
        let o = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{err}");
        assert!(err.contains("articles parsed"), "{err}");
        peak_kb = peak_kb.max(peak);
        // n pages + home + robots.txt
        cr_rates.push((n + 1) as f64 / dt);
        let size: u64 = std::fs::read_dir(&out)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".warc.zst"))
            .filter_map(|e| e.metadata().ok().map(|m| m.len()))
            .sum();
        println!(
            "  crawl run: {dt:.2} s, archive {:.1} MB",
            size as f64 / 1e6
        );
        if let Some(line) = err.lines().find(|l| l.contains("articles parsed")) {
            println!("  {}", line.trim());
        }
    }
    let ex = median(ex_rates);
    let cr = median(cr_rates);
    println!("extract alone ({cores} threads): {ex:.1} pages/s (median of {runs})");
    println!(
        "crawl end to end (fetch + archive + parse, --rate 0): {cr:.1} pages/s (median of {runs}) = {:.0}% of extract alone; crawler peak RSS {:.1} MB",
        cr / ex * 100.0,
        peak_kb as f64 / 1024.0
    );
}
