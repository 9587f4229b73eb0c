//! `newsarc crawl` end to end against local servers: politeness (robots.txt, Crawl-delay,
//! per-host gaps, Retry-After), redirects, retries, caps, charsets, traps, conditional GET,
//! revisits, resume after `kill -9`, page kinds and link order. Shared fixtures live here;
//! the tests in `polite`, `resume` and `kinds`.

mod kinds;
mod polite;
mod resume;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::Duration;

use newsarc::archive::{ArchiveReader, Record, RecordType, archive_files};

use crate::server::{Handler, Reply, Server};

pub(super) fn article(title: &str, links: &[String]) -> String {
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

pub(super) fn listing(links: &[String]) -> String {
    let mut s =
        String::from("<!doctype html><html><head><title>Front page</title></head><body><ul>");
    for l in links {
        s.push_str(&format!("<li><a href=\"{l}\">{l}</a></li>"));
    }
    s.push_str("</ul></body></html>");
    s
}

pub(super) fn run(args: &[&str]) -> Output {
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

pub(super) fn records(dir: &Path) -> Vec<Record> {
    let mut out = Vec::new();
    for f in archive_files(&[dir.to_path_buf()]).unwrap() {
        for r in ArchiveReader::open(&f).unwrap() {
            out.push(r.unwrap().record);
        }
    }
    out
}

pub(super) fn of_type(recs: &[Record], t: RecordType) -> Vec<&Record> {
    recs.iter().filter(|r| r.record_type() == t).collect()
}

pub(super) fn count_uri(recs: &[&Record], uri: &str) -> usize {
    recs.iter().filter(|r| r.target_uri() == Some(uri)).count()
}

/// Smallest gap between consecutive requests to one server.
pub(super) fn min_gap(s: &Server) -> Duration {
    let hits = s.hits();
    hits.windows(2)
        .map(|w| w[1].at.duration_since(w[0].at))
        .min()
        .unwrap_or(Duration::MAX)
}

pub(super) fn many_pages(prefix: &'static str, n: usize) -> Handler {
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

pub(super) fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

const FASTWARC_CHECK: &str = r#"
import sys, json
from fastwarc.warc import ArchiveIterator, WarcRecordType
n = bad_block = bad_payload = 0
for path in sys.argv[1:]:
    for rec in ArchiveIterator(open(path, 'rb'), record_types=WarcRecordType.any_type, parse_http=False):
        n += 1
        if not rec.verify_block_digest():
            bad_block += 1
    for rec in ArchiveIterator(open(path, 'rb'), record_types=WarcRecordType.response, parse_http=True):
        if not rec.verify_payload_digest():
            bad_payload += 1
print(json.dumps({"records": n, "bad_block": bad_block, "bad_payload": bad_payload}))
"#;

/// Read every archive file in `dir` with fastwarc (an independent reader): every record is
/// found and every block and payload digest checks out.
pub(super) fn fastwarc_agrees(dir: &Path, ours: usize) {
    let files = archive_files(&[dir.to_path_buf()]).unwrap();
    let out = Command::new(crate::python::python())
        .args(["-c", FASTWARC_CHECK])
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "fastwarc: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["records"].as_u64(), Some(ours as u64), "{v}");
    assert_eq!(v["bad_block"].as_u64(), Some(0), "{v}");
    assert_eq!(v["bad_payload"].as_u64(), Some(0), "{v}");
}
