//! Throughput of the generic extractor, HTML parse included, on one core.
//!
//! `cargo bench --bench generic -- [/work/shared/devset]`: parses every devset page
//! (trafilatura + readability), runs `extract_body`, five rounds, prints the median pages/s of
//! wall time and of thread CPU time (the latter is what one core does when the machine is shared).

/// The `newsarc` CLI's allocator (see `src/main.rs`): measured as users run it.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::time::Instant;

use newsarc::extract::generic::{GenericContext, extract_body};
use scraper::Html;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.file_name().is_some_and(|n| {
            let n = n.to_string_lossy();
            n.ends_with(".html") && n != "expected.html"
        }) {
            out.push(p);
        }
    }
}

/// CPU time of this thread in seconds (Linux `schedstat`), so that a busy shared machine does
/// not distort the one-core figure; `None` elsewhere.
fn cpu_secs() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

fn main() {
    let root = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_else(|| "/work/shared/devset".into());
    let mut files = Vec::new();
    collect(Path::new(&root), &mut files);
    files.sort();
    let pages: Vec<String> = files
        .iter()
        .filter_map(|f| std::fs::read(f).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect();
    if pages.is_empty() {
        eprintln!("no pages under {root}");
        return;
    }
    let bytes: usize = pages.iter().map(String::len).sum();
    let ctx = GenericContext::default();
    let mut rates = Vec::new();
    let mut cpu_rates = Vec::new();
    let mut parse_share = Vec::new();
    for _ in 0..5 {
        let mut parse = 0f64;
        let t = Instant::now();
        let c0 = cpu_secs();
        let mut chars = 0usize;
        for p in &pages {
            let t0 = Instant::now();
            let doc = Html::parse_document(p);
            parse += t0.elapsed().as_secs_f64();
            chars += extract_body(&doc, &ctx).text.len();
        }
        let secs = t.elapsed().as_secs_f64();
        rates.push(pages.len() as f64 / secs);
        if let (Some(a), Some(b)) = (c0, cpu_secs()) {
            cpu_rates.push(pages.len() as f64 / (b - a).max(1e-9));
        }
        parse_share.push(parse / secs);
        std::hint::black_box(chars);
    }
    rates.sort_by(f64::total_cmp);
    cpu_rates.sort_by(f64::total_cmp);
    parse_share.sort_by(f64::total_cmp);
    println!(
        "generic: {} pages ({:.1} MB), median {:.0} pages/s ({:.1} MB/s), parse {:.0}% of the time",
        pages.len(),
        bytes as f64 / 1e6,
        rates[2],
        rates[2] * bytes as f64 / pages.len() as f64 / 1e6,
        parse_share[2] * 100.0
    );
    if cpu_rates.len() == 5 {
        println!(
            "generic: median {:.0} pages per CPU-second (thread CPU time, immune to other load)",
            cpu_rates[2]
        );
    }
}
