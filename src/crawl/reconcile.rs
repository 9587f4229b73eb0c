//! Start-up reconciliation after a crash: URLs left `pending` name the response record they
//! were writing. If that record is in the archive (the writer repaired any cut tail when it
//! opened), the URL is post-processed from the archived copy (links queued, conversion written
//! unless one already refers to it) and marked done; if not, it goes back to the queue.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::process::{self, Archived};
use super::{CrawlError, Shared};
use crate::archive::{ArchiveReader, RecordType, archive_files, sha1_digest};

/// Newest archive files scanned for pending records (a record being written at the crash is
/// in the newest file before this run's, or the one before it after a rotation).
const SCAN_FILES: usize = 3;

/// Resolve every pending URL. Returns how many were found in the archive.
pub(crate) async fn reconcile(
    sh: &Arc<Shared>,
    out: &std::path::Path,
) -> Result<usize, CrawlError> {
    let pending = sh.state().pending()?;
    if pending.is_empty() {
        return Ok(0);
    }
    let wanted: HashSet<String> = pending.iter().map(|(_, r)| r.clone()).collect();
    let out = out.to_path_buf();
    let scan = tokio::task::spawn_blocking(move || scan(&out, &wanted)).await;
    let (found, converted) = match scan {
        Ok(r) => r?,
        Err(e) => {
            return Err(CrawlError::Write(super::WriteFailed(format!(
                "archive scan failed: {e}"
            ))));
        }
    };
    let mut n = 0;
    for (q, rid) in pending {
        let Some((rec, revisit, location)) = found.get(&rid) else {
            sh.state().retry_later(q.id, 0, q.attempts)?;
            continue;
        };
        n += 1;
        let Ok(http) = rec.http() else {
            sh.state().retry_later(q.id, 0, q.attempts)?;
            continue;
        };
        let Ok(url) = url::Url::parse(rec.target_uri().unwrap_or(&q.url)) else {
            sh.state().retry_later(q.id, 0, q.attempts)?;
            continue;
        };
        let truncated = rec.headers.get("WARC-Truncated").is_some();
        let a = Archived {
            url,
            date: rec.date().unwrap_or_else(chrono::Utc::now),
            status: http.status,
            digest: sha1_digest(&http.body),
            headers: http.headers,
            body: http.body,
            truncated,
            skip_conversion: *revisit || converted.contains(&rid),
            record_id: rid,
            revisit: *revisit,
            location: Some(location.clone()),
            earlier: if http.status == 304 {
                sh.state().validators(&q.url)?
            } else {
                None
            },
            q,
        };
        tracing::info!(url = %a.url, "recovered a capture written before a crash");
        sh.stats.recovered();
        process::dispatch(sh, a).await?;
    }
    Ok(n)
}

type Found = HashMap<String, (crate::archive::Record, bool, (String, u64, u64))>;

fn scan(
    out: &std::path::Path,
    wanted: &HashSet<String>,
) -> Result<(Found, HashSet<String>), CrawlError> {
    let mut files = archive_files(&[out.to_path_buf()])?;
    let keep = files.len().saturating_sub(SCAN_FILES + 1);
    files.drain(..keep);
    let mut found = HashMap::new();
    let mut converted = HashSet::new();
    for f in files {
        let reader = ArchiveReader::open(&f)?.lenient(true);
        for item in reader {
            let Ok(rr) = item else { continue };
            let loc = (f.display().to_string(), rr.offset, rr.length);
            let rec = rr.record;
            match rec.record_type() {
                RecordType::Response | RecordType::Revisit => {
                    if let Some(id) = rec.id().filter(|id| wanted.contains(*id)) {
                        let id = id.to_string();
                        let revisit = rec.record_type() == RecordType::Revisit;
                        found.insert(id, (rec, revisit, loc));
                    }
                }
                RecordType::Conversion => {
                    if let Some(r) = rec
                        .headers
                        .get("WARC-Refers-To")
                        .filter(|r| wanted.contains(*r))
                    {
                        converted.insert(r.to_string());
                    }
                }
                _ => {}
            }
        }
    }
    Ok((found, converted))
}
