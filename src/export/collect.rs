//! Finding the rows of a dataset in an archive: every `conversion` record, joined through its
//! `WARC-Refers-To` with the `response` it was parsed from.
//!
//! One streaming pass per file records where each response and conversion sits (a few dozen
//! bytes per record, no bodies kept). In newest-version mode only the winner per canonical URL
//! is then read again by seeking to it, so memory stays proportional to the number of articles,
//! not to the archive size. A remote file (where a seek is a network round trip) keeps the
//! conversions' JSON from the scan instead, up to [`KEEP_BUDGET`] bytes.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::archive::{ArchiveError, ArchiveReader, Record, RecordType, Source, read_record_from};
use crate::model::{Article, PageKind};

use super::row::DatasetRow;

/// Conversion JSON kept in memory from remote files, at most (beyond it, rows are read back
/// with range requests).
pub const KEEP_BUDGET: usize = 1 << 30;

/// Where a response record lives.
#[derive(Debug, Clone)]
pub struct ResponseLoc {
    /// The archive file: an index into [`Scan::files`].
    pub file: usize,
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
    /// The archive file: an index into [`Scan::files`].
    pub file: usize,
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
    /// The record's block (the Article JSON), kept when the file is remote.
    pub block: Option<Arc<[u8]>>,
}

/// What one scan found.
#[derive(Debug, Default)]
pub struct Scan {
    /// The files scanned, in order.
    pub files: Vec<Source>,
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
pub fn scan(files: &[Source]) -> Result<Scan, ArchiveError> {
    let mut scan = Scan {
        files: files.to_vec(),
        ..Scan::default()
    };
    let mut kept = 0usize;
    for (file, src) in files.iter().enumerate() {
        let keep = src.is_remote();
        for item in ArchiveReader::from_source(src.as_ref())?.lenient(true) {
            let rr = match item {
                Ok(rr) => rr,
                // The file could not be read on (a network failure after the retries, a disk
                // error): stop, rather than export a dataset missing the rest of it.
                Err(e @ ArchiveError::Io { .. }) => return Err(e),
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
                                file,
                                offset: rr.offset,
                                length: rr.length,
                                date: rec.date(),
                            },
                        );
                    }
                }
                RecordType::Conversion => match article_of(rec) {
                    Ok(a) => {
                        let block = (keep && kept + rec.block.len() <= KEEP_BUDGET).then(|| {
                            kept += rec.block.len();
                            Arc::from(rec.block.as_slice())
                        });
                        scan.conversions.push(ConversionLoc {
                            file,
                            offset: rr.offset,
                            length: rr.length,
                            date: rec.date(),
                            id: rec.id().map(str::to_string),
                            refers_to: rec.headers.get("WARC-Refers-To").map(str::to_string),
                            key: a.canonical_url.clone().unwrap_or_else(|| a.url.clone()),
                            kind: a.page_kind,
                            block,
                        })
                    }
                    Err(e) => {
                        scan.problems
                            .push(format!("{}@{}: {e}", src.name().display(), rr.offset))
                    }
                },
                _ => {}
            }
        }
    }
    Ok(scan)
}

impl Scan {
    /// The name (path or URL) of file `file`.
    pub fn name(&self, file: usize) -> &Path {
        self.files
            .get(file)
            .map(|s| s.name())
            .unwrap_or(Path::new(""))
    }
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
    out.sort_by_key(|c| (c.file, c.offset));
    out
}

/// Join the conversion at `c` with its response into a row (its JSON read back from the
/// file unless the scan kept it).
pub fn row(scan: &Scan, c: &ConversionLoc) -> Result<DatasetRow, String> {
    let at = || format!("{}@{}", scan.name(c.file).display(), c.offset);
    let article = match &c.block {
        Some(b) => serde_json::from_slice::<Article>(b)
            .map_err(|e| format!("{}: not an Article JSON: {e}", at()))?,
        None => {
            let src = scan.files.get(c.file).ok_or_else(at)?;
            let rec =
                read_record_from(src.as_ref(), c.offset, c.length).map_err(|e| e.to_string())?;
            article_of(&rec).map_err(|e| format!("{}: {e}", at()))?
        }
    };
    let response = c.refers_to.as_ref().and_then(|r| scan.responses.get(r));
    Ok(DatasetRow {
        article,
        capture_time: response.and_then(|r| r.date),
        warc_file: response.map(|r| file_name(scan.name(r.file))),
        warc_offset: response.map(|r| r.offset),
        warc_length: response.map(|r| r.length),
        response_record_id: c.refers_to.clone(),
        conversion_record_id: c.id.clone(),
        parsed_time: c.date,
    })
}

pub(crate) fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
