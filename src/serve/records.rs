//! Reading what the catalogue points at: a parse's Article, a capture's record, and the
//! response a revisit stands for (same payload digest, else the newest response before it).

use chrono::{DateTime, NaiveDateTime, Utc};

use super::HttpError;
use super::catalog::{CaptureRow, Catalog, ParseInfo};
use crate::archive::{Record, read_record_at};
use crate::model::Article;

/// The largest record (stored length) the server reads into memory.
pub const MAX_RECORD_BYTES: i64 = 64 << 20;

/// Read the record at a catalogue location (413 when it is over [`MAX_RECORD_BYTES`]).
pub fn record(cat: &Catalog, file: i64, offset: i64, length: i64) -> Result<Record, HttpError> {
    let f = cat
        .file(file)
        .ok_or_else(|| HttpError::internal(format!("archive file {file} is not in the index")))?;
    check_size(&f.name, offset, length, MAX_RECORD_BYTES)?;
    read_record_at(&f.path, offset as u64, length as u64)
        .map_err(|e| HttpError::internal(e.to_string()))
}

/// 413 when the record at `offset` of `name` is stored in more than `max` bytes: the
/// server reads whole records into memory, so a huge one is left to `newsarc get`.
fn check_size(name: &str, offset: i64, length: i64, max: i64) -> Result<(), HttpError> {
    if length <= max {
        return Ok(());
    }
    Err(HttpError {
        status: axum::http::StatusCode::PAYLOAD_TOO_LARGE,
        message: format!(
            "the record at offset {offset} of {name} is {length} bytes stored, over the \
             {} MiB this server reads: get it with `newsarc get ARCHIVE URL`",
            max >> 20
        ),
    })
}

/// The Article JSON of a parse.
pub fn article(cat: &Catalog, p: &ParseInfo) -> Result<Article, HttpError> {
    let rec = record(cat, p.file, p.offset, p.length)?;
    serde_json::from_slice(&rec.block).map_err(|e| {
        HttpError::internal(format!(
            "{}@{}: not an Article JSON: {e}",
            cat.file(p.file).map(|f| f.name.as_str()).unwrap_or("?"),
            p.offset
        ))
    })
}

/// A 14-digit timestamp as a UTC time (a shorter one is padded to the earliest time).
pub fn ts_time(ts: &str) -> Option<DateTime<Utc>> {
    let padded = format!("{ts}{}", "00000101000000".get(ts.len()..).unwrap_or(""));
    NaiveDateTime::parse_from_str(&padded, "%Y%m%d%H%M%S")
        .ok()
        .map(|d| d.and_utc())
}

/// `2024-05-03 10:00:01` for a 14-digit timestamp.
pub fn ts_display(ts: &str) -> String {
    ts_time(ts)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|| ts.to_string())
}

/// Among `caps` (captures of one URL), the one nearest to `ts` (the newest when `None`).
pub fn nearest<'a>(caps: &'a [CaptureRow], ts: Option<&str>) -> Option<&'a CaptureRow> {
    match ts.and_then(ts_time) {
        None => caps.iter().max_by(|a, b| (&a.ts, a.id).cmp(&(&b.ts, b.id))),
        Some(at) => caps.iter().min_by_key(|c| {
            ts_time(&c.ts)
                .map(|t| (t - at).num_seconds().unsigned_abs())
                .unwrap_or(u64::MAX)
        }),
    }
}

/// The capture whose payload a revisit stands for.
pub fn original<'a>(caps: &'a [CaptureRow], revisit: &CaptureRow) -> Option<&'a CaptureRow> {
    let responses = || caps.iter().filter(|c| c.rtype == "response");
    responses()
        .filter(|c| c.digest.is_some() && c.digest == revisit.digest)
        .max_by(|a, b| a.ts.cmp(&b.ts))
        .or_else(|| {
            responses()
                .filter(|c| c.ts <= revisit.ts)
                .max_by(|a, b| a.ts.cmp(&b.ts))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cap(id: i64, ts: &str, rtype: &str, digest: &str) -> CaptureRow {
        CaptureRow {
            id,
            surt: "com,example)/".into(),
            url: "https://example.com/".into(),
            ts: ts.into(),
            site: "example.com".into(),
            rtype: rtype.into(),
            mime: None,
            status: Some(200),
            digest: Some(digest.into()),
            file: 1,
            offset: 0,
            length: 1,
            parse: None,
            title: None,
            kind: None,
            language: None,
            published: None,
        }
    }

    #[test]
    fn records_over_the_cap_are_413() {
        assert!(check_size("a.warc.zst", 0, 100, 100).is_ok());
        assert!(check_size("a.warc.zst", 0, MAX_RECORD_BYTES, MAX_RECORD_BYTES).is_ok());
        let e = check_size("a.warc.zst", 7250, 101, 100).unwrap_err();
        assert_eq!(e.status, axum::http::StatusCode::PAYLOAD_TOO_LARGE);
        assert!(
            e.message.contains("offset 7250 of a.warc.zst") && e.message.contains("newsarc get"),
            "{}",
            e.message
        );
        let e = check_size("b.warc", 1, MAX_RECORD_BYTES + 1, MAX_RECORD_BYTES).unwrap_err();
        assert!(e.message.contains("64 MiB"), "{}", e.message);
        assert_eq!(MAX_RECORD_BYTES, 64 * 1024 * 1024);
    }

    #[test]
    fn nearest_and_original() {
        let caps = vec![
            cap(1, "20240501000000", "response", "A"),
            cap(2, "20240510000000", "response", "B"),
            cap(3, "20240520000000", "revisit", "A"),
        ];
        assert_eq!(nearest(&caps, None).unwrap().id, 3);
        assert_eq!(nearest(&caps, Some("20240502")).unwrap().id, 1);
        assert_eq!(nearest(&caps, Some("2024051")).unwrap().id, 2);
        assert_eq!(original(&caps, &caps[2]).unwrap().id, 1);
        assert_eq!(ts_display("20240503100001"), "2024-05-03 10:00:01");
    }
}
