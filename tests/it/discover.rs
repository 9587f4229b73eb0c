//! Discovery against a local news site: robots.txt `Sitemap:` lines, a home page with feed
//! links, a nested sitemap index with a gzip child, a Google News sitemap, RSS and Atom feeds.

mod cli_crawl;
mod fixtures;
mod plan_http;
mod server;
mod watch;

use std::path::Path;
use std::process::{Command, Output};

use newsarc::archive::{ArchiveReader, Record, RecordType, archive_files};

pub(crate) fn newsarc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsarc"))
        .args(args)
        .env("NEWSARC_LOG", "warn")
        .output()
        .unwrap()
}

pub(crate) fn records(dir: &Path) -> Vec<Record> {
    let mut out = Vec::new();
    for f in archive_files(&[dir.to_path_buf()]).unwrap() {
        for r in ArchiveReader::open(&f).unwrap() {
            out.push(r.unwrap().record);
        }
    }
    out
}

/// Paths of the responses (and revisits) archived, in archive order.
pub(crate) fn captured(recs: &[Record], kinds: &[RecordType]) -> Vec<String> {
    recs.iter()
        .filter(|r| kinds.contains(&r.record_type()))
        .filter_map(|r| r.target_uri())
        .map(|u| url::Url::parse(u).unwrap().path().to_string())
        .collect()
}
