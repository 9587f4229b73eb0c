//! Re-parse and export throughput (issue: "reading and decompressing must cost under 10% of
//! the extractor's own speed").
//!
//! Builds an archive of the devset readability pages wrapped as HTTP responses, then measures
//! on ONE core (a one-thread rayon pool), medians of several runs:
//! - extract alone over the same pages (the baseline),
//! - reading + decompressing + HTTP parsing alone,
//! - `reparse` end to end (read, decode, extract, write conversion records),
//! - `export` rows/s for JSONL, CSV and Parquet.
//!
//! Run: `cargo bench --bench dataset` (set `NEWSARC_DEVSET` if the devset is not at
//! `../shared/devset`).

/// The `newsarc` CLI's allocator (see `src/main.rs`): measured as users run it.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::Utc;
use newsarc::archive::{ArchiveReader, ArchiveWriter, SeqIds, WriterConfig, build};
use newsarc::export::{DatasetFormat, DatasetOptions, RowFilter, export_dataset};
use newsarc::extract::{ExtractInput, ExtractOptions, extract};
use newsarc::reparse::{ReparseOptions, reparse};
use newsarc::selectors::RuleSet;

const RUNS: usize = 5;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn pages(devset: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let dir = devset.join("readability");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    cases.sort();
    for c in cases {
        if let Ok(body) = std::fs::read(c.join("source.html")) {
            let name = c.file_name().unwrap().to_string_lossy().to_string();
            out.push((format!("https://{name}.example.com/article"), body));
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

fn main() {
    let devset = std::env::var_os("NEWSARC_DEVSET")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/devset"));
    let pages = pages(&devset);
    let bytes: usize = pages.iter().map(|p| p.1.len()).sum();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let raw_dir = tmp.path().join("raw");
    std::fs::create_dir_all(&raw_dir).unwrap();
    let mut ids = SeqIds::default();
    let mut w = ArchiveWriter::open(WriterConfig::new(&raw_dir), Utc::now()).unwrap();
    for (url, body) in &pages {
        w.write(&build::response(
            url,
            Utc::now(),
            http(body),
            None,
            &mut ids,
        ))
        .unwrap();
    }
    let raw_files = w.finish().unwrap();
    println!(
        "{} pages, {:.1} MB of HTML",
        pages.len(),
        bytes as f64 / 1e6
    );

    let rules = RuleSet::empty();
    let opts = ExtractOptions::default();
    // The three measurements are interleaved run by run, so load from other processes hits
    // them alike and the ratio stays fair.
    let (mut extract_rates, mut read_rates, mut reparse_rates) =
        (Vec::new(), Vec::new(), Vec::new());
    for i in 0..RUNS {
        let t = Instant::now();
        for (url, body) in &pages {
            let input = ExtractInput::new(body, url);
            std::hint::black_box(extract(&input, &rules, &opts));
        }
        extract_rates.push(pages.len() as f64 / t.elapsed().as_secs_f64());

        let t = Instant::now();
        let mut n = 0;
        for f in &raw_files {
            for r in ArchiveReader::open(f).unwrap() {
                std::hint::black_box(r.unwrap().record.http().ok());
                n += 1;
            }
        }
        read_rates.push(n as f64 / t.elapsed().as_secs_f64());

        let out = tmp.path().join(format!("reparse-{i}"));
        std::fs::create_dir_all(&out).unwrap();
        let mut w = ArchiveWriter::open(WriterConfig::new(&out), Utc::now()).unwrap();
        let t = Instant::now();
        let s = pool.install(|| {
            reparse(
                &newsarc::archive::local_sources(&raw_files),
                &rules,
                &ReparseOptions::default(),
                &mut w,
                Utc::now(),
                &mut SeqIds::default(),
                |_| {},
            )
            .unwrap()
        });
        w.finish().unwrap();
        reparse_rates.push(s.parsed as f64 / t.elapsed().as_secs_f64());
    }
    let (extract_rate, read_rate, reparse_rate) = (
        median(extract_rates),
        median(read_rates),
        median(reparse_rates),
    );
    println!("one core: extract alone {extract_rate:.0} pages/s");
    println!("one core: read + decompress + HTTP parse {read_rate:.0} records/s");
    println!(
        "one core: reparse end to end {reparse_rate:.0} pages/s = {:.0}% of extract alone (reading/writing overhead {:.1}%)",
        100.0 * reparse_rate / extract_rate,
        100.0 * (1.0 - reparse_rate / extract_rate)
    );

    // Exports over the raw archive plus one set of conversions.
    let parsed = tmp.path().join("reparse-0");
    let mut files = raw_files.clone();
    files.extend(newsarc::archive::archive_files(&[parsed]).unwrap());
    for (name, format) in [
        ("jsonl", DatasetFormat::Jsonl),
        ("csv", DatasetFormat::Csv),
        ("parquet", DatasetFormat::Parquet),
    ] {
        let rate = median(
            (0..RUNS)
                .map(|_| {
                    let out = tmp.path().join(format!("out.{name}"));
                    let t = Instant::now();
                    let opts = DatasetOptions {
                        all_versions: true,
                        ..DatasetOptions::new(format)
                    };
                    let sources = newsarc::archive::local_sources(&files);
                    let s = export_dataset(&sources, &out, &opts, &RowFilter::default(), |_| {})
                        .unwrap();
                    s.rows as f64 / t.elapsed().as_secs_f64()
                })
                .collect(),
        );
        println!("export {name}: {rate:.0} rows/s (including the archive scan)");
    }
}
