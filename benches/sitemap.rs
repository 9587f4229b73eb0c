//! Sitemap parsing throughput: a generated 100 MB urlset, plain and gzip, streamed through
//! `SitemapReader`. Reports the median of several runs.
//!
//! `cargo bench --bench sitemap`

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

fn run(label: &str, body: &[u8], uncompressed: usize) {
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
}

fn main() {
    let plain = generate(100_000_000);
    run("plain", &plain, plain.len());
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(&plain).unwrap();
    let gz = enc.finish().unwrap();
    run("gzip", &gz, plain.len());
}
