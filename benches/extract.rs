//! Extraction throughput on one core over the devset pages (parse included).
//!
//! `cargo bench --bench extract [-- DEVSET_DIR]` (default `../shared/devset`). Reports the median
//! pages/s of 5 runs (wall clock and per CPU-second of the thread) for the metadata + selectors
//! path (`skip_generic_body`) and for full extraction; then the full path without and with the
//! page-kind classifier, alternating page by page (the classifier's cost is the median of 5
//! pairs of passes). `--full-only` runs only the full path (for a profiler).

/// The `newsarc` CLI's allocator (see `src/main.rs`): measured as users run it.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::time::Instant;

use newsarc::extract::{ExtractInput, ExtractOptions, extract};
use newsarc::selectors::RuleSet;

fn pages(devset: &Path) -> Vec<(Vec<u8>, String)> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(devset.join("trafilatura/pages")) {
        for e in rd.flatten() {
            if let Ok(b) = std::fs::read(e.path()) {
                out.push((
                    b,
                    "https://example.org/news/2023/06/22/page.html".to_string(),
                ));
            }
        }
    }
    if let Ok(rd) = std::fs::read_dir(devset.join("readability")) {
        for e in rd.flatten() {
            if let Ok(b) = std::fs::read(e.path().join("source.html")) {
                let name = e.file_name().to_string_lossy().into_owned();
                let site = name
                    .trim_end_matches(|c: char| c.is_ascii_digit())
                    .trim_end_matches('-');
                let url = match site {
                    "nytimes" => "https://www.nytimes.com/",
                    "guardian" => "https://www.theguardian.com/",
                    "bbc" => "https://www.bbc.com/",
                    "wapo" => "https://www.washingtonpost.com/",
                    "lemonde" => "https://www.lemonde.fr/",
                    "telegraph" => "https://www.telegraph.co.uk/",
                    "seattletimes" => "https://www.seattletimes.com/",
                    "cnn" => "https://www.cnn.com/",
                    _ => "http://fakehost/test/page.html",
                };
                out.push((b, url.to_string()));
            }
        }
    }
    out
}

fn rules(dir: &Path) -> RuleSet {
    let mut files = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "toml")
                && let Ok(t) = std::fs::read_to_string(&p)
            {
                files.push((
                    p.file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned(),
                    t,
                ));
            }
        }
    }
    RuleSet::load(&files).unwrap_or_else(|e| panic!("{e}"))
}

/// Seconds this thread has spent on a CPU (`/proc/thread-self/schedstat`), so that a rate can
/// be read per CPU-second on a machine that other jobs share; `None` off Linux.
fn thread_cpu_secs() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// Median pages/s of 5 runs: wall clock, per CPU-second of this thread (`NaN` when unknown),
/// and MB/s wall clock.
fn median_rate(
    pages: &[(Vec<u8>, String)],
    rules: &RuleSet,
    opts: &ExtractOptions,
) -> (f64, f64, f64) {
    let (mut rates, mut cpu_rates) = (Vec::new(), Vec::new());
    let mut words = 0usize;
    for _ in 0..5 {
        let (t, c) = (Instant::now(), thread_cpu_secs());
        for (body, url) in pages {
            let a = extract(&ExtractInput::new(body, url), rules, opts).article;
            words += a.word_count;
        }
        rates.push(pages.len() as f64 / t.elapsed().as_secs_f64());
        let cpu = c.zip(thread_cpu_secs()).map(|(a, b)| b - a);
        cpu_rates.push(cpu.map_or(f64::NAN, |s| pages.len() as f64 / s));
    }
    rates.sort_by(f64::total_cmp);
    cpu_rates.sort_by(f64::total_cmp);
    let mb: f64 = pages.iter().map(|p| p.0.len()).sum::<usize>() as f64 / 1e6;
    std::hint::black_box(words);
    let rate = rates[rates.len() / 2];
    (
        rate,
        cpu_rates[cpu_rates.len() / 2],
        rate * mb / pages.len() as f64,
    )
}

/// Pairs of passes over the pages for the classifier's cost.
const COST_PAIRS: usize = 5;

/// Full extraction without and with the page-kind classifier, alternating page by page so
/// that both see the same machine load: in each pair of passes, once without first and once
/// with first (the second extraction of a page finds warm caches). Gives the median pages/s
/// without and with, and each pair's cost (% of extraction time), sorted.
fn classifier_cost(pages: &[(Vec<u8>, String)], rules: &RuleSet) -> (f64, f64, Vec<f64>) {
    let modes = [
        ExtractOptions {
            skip_page_kind: true,
            ..Default::default()
        },
        ExtractOptions::default(),
    ];
    let (mut without, mut with, mut costs) = (Vec::new(), Vec::new(), Vec::new());
    let mut words = 0usize;
    for _ in 0..COST_PAIRS {
        let mut secs = [0f64; 2];
        for first in 0..2 {
            for (body, url) in pages {
                for m in [first, 1 - first] {
                    let t = Instant::now();
                    let a = extract(&ExtractInput::new(body, url), rules, &modes[m]).article;
                    secs[m] += t.elapsed().as_secs_f64();
                    words += a.word_count;
                }
            }
        }
        without.push(2.0 * pages.len() as f64 / secs[0]);
        with.push(2.0 * pages.len() as f64 / secs[1]);
        costs.push((secs[1] / secs[0] - 1.0) * 100.0);
    }
    std::hint::black_box(words);
    for v in [&mut without, &mut with, &mut costs] {
        v.sort_by(f64::total_cmp);
    }
    (without[COST_PAIRS / 2], with[COST_PAIRS / 2], costs)
}

fn main() {
    let devset = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/devset"));
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let pages = pages(&devset);
    assert!(!pages.is_empty(), "no pages under {}", devset.display());
    let rules = rules(&root.join("selectors"));
    let mb: f64 = pages.iter().map(|p| p.0.len()).sum::<usize>() as f64 / 1e6;
    if std::env::args().any(|a| a == "--full-only") {
        // For a profiler: only the full path, nothing else in the samples.
        let (r, c, _) = median_rate(&pages, &rules, &ExtractOptions::default());
        println!("full: {r:.0} pages/s, {c:.0} pages per CPU-second");
        return;
    }
    println!(
        "{} pages, {mb:.1} MB, {} selector configs, one thread, median of 5 runs",
        pages.len(),
        rules.sites().len()
    );
    let mut rates = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        for (body, _) in &pages {
            let d = newsarc::extract::charset::decode(body, None);
            std::hint::black_box(scraper::Html::parse_document(&d.text));
        }
        rates.push(pages.len() as f64 / t.elapsed().as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    println!(
        "decode + parse only (the floor):       {:.0} pages/s",
        rates[1]
    );
    let meta = ExtractOptions {
        skip_generic_body: true,
        ..Default::default()
    };
    let (r, c, m) = median_rate(&pages, &rules, &meta);
    println!(
        "metadata + selectors (parse included): {r:.0} pages/s ({m:.1} MB/s), {c:.0} pages per CPU-second"
    );
    let (r, c, m) = median_rate(&pages, &rules, &ExtractOptions::default());
    println!(
        "full (with generic body extractor):    {r:.0} pages/s ({m:.1} MB/s), {c:.0} pages per CPU-second"
    );
    // The classifier's cost: each page without and with it, back to back (warm caches for
    // the second, so these rates are above the full rate just measured).
    let (r0, r1, costs) = classifier_cost(&pages, &rules);
    println!(
        "page by page, without / with the page-kind classifier: {r0:.0} / {r1:.0} pages/s ({:.1} / {:.1} MB/s)",
        r0 * mb / pages.len() as f64,
        r1 * mb / pages.len() as f64
    );
    let shown: Vec<String> = costs.iter().map(|c| format!("{c:.1}")).collect();
    println!(
        "page-kind classifier cost:             {:.1}% of extraction time (median of {} pairs of passes: {})",
        costs[costs.len() / 2],
        costs.len(),
        shown.join(" ")
    );
}
