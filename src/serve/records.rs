//! Reading what the catalogue points at: a parse's Article, a capture's record, and the
//! response a revisit stands for (same payload digest, else the newest response before it).

use chrono::{DateTime, NaiveDateTime, Utc};

use super::HttpError;
use super::catalog::{CaptureRow, Catalog, ParseInfo};
use crate::archive::{Record, read_record_at};
use crate::model::Article;

/// Read the record at a catalogue location.
pub fn record(cat: &Catalog, file: i64, offset: i64, length: i64) -> Result<Record, HttpError> {
    let f = cat
        .file(file)
        .ok_or_else(|| HttpError::internal(format!("archive file {file} is not in the index")))?;
    read_record_at(&f.path, offset as u64, length as u64)
        .map_err(|e| HttpError::internal(e.to_string()))
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
