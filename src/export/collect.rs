//! Finding the rows of a dataset in an archive: every `conversion` record, joined through its
//! `WARC-Refers-To` with the `response` it was parsed from.
//!
//! One streaming pass per file records where each response and conversion sits (a few dozen
//! bytes per record, no bodies kept). In newest-version mode only the winner per canonical URL
//! is then read again by seeking to it, so memory stays proportional to the number of articles,
//! not to the archive size.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::archive::{ArchiveError, ArchiveReader, Record, RecordType, read_record_at};
use crate::model::{Article, PageKind};

use super::row::DatasetRow;

/// Where a response record lives.
#[derive(Debug, Clone)]
pub struct ResponseLoc {
    /// The archive file.
    pub path: PathBuf,
    /// Offset of the record.
    pub offset: u64,
    /// Length of the record in the file.
    pub length: u64,
    /// WARC-Date.
    pub date: Option<DateTime<Utc>>,
}

/// Where a conversion record lives, and what it is about.
#[derive(Debug, Clone)]
pub struct ConversionLoc {
    /// The archive file.
    pub path: PathBuf,
    /// Offset of the record.
    pub offset: u64,
    /// Length of the record in the file.
    pub length: u64,
    /// WARC-Date (parse time).
    pub date: Option<DateTime<Utc>>,
    /// Its WARC-Record-ID.
    pub id: Option<String>,
    /// The response record it was parsed from.
    pub refers_to: Option<String>,
    /// The article's canonical URL (else its URL): the dedup key.
    pub key: String,
    /// The article's `page_kind`.
    pub kind: PageKind,
}

/// What one scan found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Response (and revisit) records by WARC-Record-ID.
    pub responses: HashMap<String, ResponseLoc>,
    /// Conversion records in archive order.
    pub conversions: Vec<ConversionLoc>,
    /// Damaged records and conversion records whose JSON is not an Article.
    pub problems: Vec<String>,
    /// Records read.
    pub records: u64,
}

fn article_of(rec: &Record) -> Result<Article, String> {
    serde_json::from_slice::<Article>(&rec.block).map_err(|e| format!("not an Article JSON: {e}"))
}

/// Read every record of `files` (leniently) and note responses and conversions.
pub fn scan(files: &[PathBuf]) -> Result<Scan, ArchiveError> {
    let mut scan = Scan::default();
    for path in files {
        for item in ArchiveReader::open(path)?.lenient(true) {
            let rr = match item {
                Ok(rr) => rr,
                Err(e) => {
                    scan.problems.push(e.to_string());
                    continue;
                }
            };
            scan.records += 1;
            let rec = &rr.record;
            match rec.record_type() {
                RecordType::Response | RecordType::Revisit => {
                    if let Some(id) = rec.id() {
                        scan.responses.insert(
                            id.to_string(),
                            ResponseLoc {
                                path: path.clone(),
                                offset: rr.offset,
                                length: rr.length,
                                date: rec.date(),
                            },
                        );
                    }
                }
                RecordType::Conversion => match article_of(rec) {
                    Ok(a) => scan.conversions.push(ConversionLoc {
                        path: path.clone(),
                        offset: rr.offset,
                        length: rr.length,
                        date: rec.date(),
                        id: rec.id().map(str::to_string),
                        refers_to: rec.headers.get("WARC-Refers-To").map(str::to_string),
                        key: a.canonical_url.clone().unwrap_or_else(|| a.url.clone()),
                        kind: a.page_kind,
                    }),
                    Err(e) => scan
                        .problems
                        .push(format!("{}@{}: {e}", path.display(), rr.offset)),
                },
                _ => {}
            }
        }
    }
    Ok(scan)
}

/// The conversions to export: all of them, or the newest per key (latest capture, then latest
/// parse), of every page kind. Returned in archive order.
///
/// The newest parse is chosen before any kind filter applies, so a page whose newest parse
/// says it is no longer an article (a reparse superseded it) is not exported from an older one.
pub fn select(scan: &Scan, all_versions: bool) -> Vec<&ConversionLoc> {
    if all_versions {
        return scan.conversions.iter().collect();
    }
    let rank = |c: &ConversionLoc| {
        let captured = c
            .refers_to
            .as_ref()
            .and_then(|r| scan.responses.get(r))
            .and_then(|r| r.date);
        (captured, c.date)
    };
    let mut best: HashMap<&str, &ConversionLoc> = HashMap::new();
    for c in &scan.conversions {
        match best.get(c.key.as_str()) {
            Some(b) if rank(b) > rank(c) => {}
            _ => {
                best.insert(&c.key, c);
            }
        }
    }
    let mut out: Vec<&ConversionLoc> = best.into_values().collect();
    out.sort_by(|a, b| (&a.path, a.offset).cmp(&(&b.path, b.offset)));
    out
}

/// Read the conversion at `c` back and join it with its response into a row.
pub fn row(scan: &Scan, c: &ConversionLoc) -> Result<DatasetRow, String> {
    let rec = read_record_at(&c.path, c.offset, c.length).map_err(|e| e.to_string())?;
    let article =
        article_of(&rec).map_err(|e| format!("{}@{}: {e}", c.path.display(), c.offset))?;
    let response = c.refers_to.as_ref().and_then(|r| scan.responses.get(r));
    Ok(DatasetRow {
        article,
        capture_time: response.and_then(|r| r.date),
        warc_file: response.map(|r| file_name(&r.path)),
        warc_offset: response.map(|r| r.offset),
        warc_length: response.map(|r| r.length),
        response_record_id: c.refers_to.clone(),
        conversion_record_id: c.id.clone(),
        parsed_time: c.date,
    })
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
