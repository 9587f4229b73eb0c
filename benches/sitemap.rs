//! Sitemap parsing throughput: a generated 100 MB urlset, plain and gzip, streamed through
//! `SitemapReader`. Reports the median of several runs, and how much the process's peak
//! resident memory grows while parsing (the document itself is already in memory; the peak is
//! reset through `/proc/self/clear_refs` first, Linux only).
//!
//! `cargo bench --bench sitemap`

/// The `newsarc` CLI's allocator (see `src/main.rs`): measured as users run it.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::Write;
use std::time::Instant;

use newsarc::discover::sitemap::{SitemapLimits, SitemapReader};

fn generate(target: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(target + 1024);
    out.extend_from_slice(b"<?xml version=\"1.0\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let mut i = 0u64;
    while out.len() < target {
        writeln!(
            out,
            "<url><loc>https://example.com/section/{i}/a-long-enough-article-slug</loc><lastmod>2024-05-01T10:00:00Z</lastmod></url>"
        )
        .unwrap();
        i += 1;
    }
    out.extend_from_slice(b"</urlset>\n");
    out
}

/// `VmHWM` and `VmRSS` of this process in KiB.
fn memory_kib() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    Some((field("VmHWM:")?, field("VmRSS:")?))
}

fn run(label: &str, body: &[u8], uncompressed: usize) {
    // Reset the peak to the current resident size, so the growth below is the parser's.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let before = memory_kib();
    let url = url::Url::parse("https://example.com/sitemap.xml").unwrap();
    let limits = SitemapLimits {
        max_entries: u64::MAX,
        ..SitemapLimits::default()
    };
    let mut times = Vec::new();
    let mut entries = 0;
    for _ in 0..5 {
        let start = Instant::now();
        let reader = SitemapReader::new(body, &url, &limits).unwrap();
        entries = 0;
        for item in reader {
            item.unwrap();
            entries += 1;
        }
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!(
        "{label}: {entries} entries, {:.1} MB in {:.3} s median of 5 = {:.0} MB/s, {:.0} entries/s",
        uncompressed as f64 / 1e6,
        median,
        uncompressed as f64 / 1e6 / median,
        entries as f64 / median
    );
    if let (Some((_, rss_before)), Some((peak, _))) = (before, memory_kib()) {
        println!(
            "{label}: peak resident memory grew by {} KiB while parsing",
            peak.saturating_sub(rss_before)
        );
    }
}

fn main() {
    let plain = generate(100_000_000);
    run("plain", &plain, plain.len());
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(&plain).unwrap();
    let gz = enc.finish().unwrap();
    run("gzip", &gz, plain.len());
}
