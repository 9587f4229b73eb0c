//! One WARC record: headers + block, its exact serialization, parsing and digest checks.

use chrono::{DateTime, SecondsFormat, Utc};

use super::ArchiveError;
use super::digest::{digest_matches, digest_matches_hash, format_sha1, is_sha1};
use super::headers::{RecordType, WarcHeaders};
use super::http::{self, HttpMessage};
use super::payload_digest::{PayloadConvention, check_http};

/// A WARC record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The header section.
    pub headers: WarcHeaders,
    /// The content block (exactly `Content-Length` bytes).
    pub block: Vec<u8>,
}

/// Format a WARC-Date: UTC, microsecond precision (WARC 1.1 §5.4).
pub fn warc_date(d: DateTime<Utc>) -> String {
    d.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Parse a WARC-Date (`2024-05-03T10:00:00Z`, with or without fraction; also the
/// WARC 1.0 `YYYY-MM-DDThh:mmZ` and date-only forms are accepted).
pub fn parse_warc_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    for fmt in ["%Y-%m-%dT%H:%MZ", "%Y-%m-%dT%HZ"] {
        if let Ok(d) = chrono::NaiveDateTime::parse_from_str(s, fmt) {
            return Some(d.and_utc());
        }
    }
    chrono::NaiveDate::parse_from_str(s.trim_end_matches('Z'), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
}

impl Record {
    /// A record from headers and block; sets `Content-Length` to the block length.
    pub fn new(mut headers: WarcHeaders, block: Vec<u8>) -> Record {
        headers.set("Content-Length", block.len().to_string());
        Record { headers, block }
    }

    /// `WARC-Type`.
    pub fn record_type(&self) -> RecordType {
        RecordType::parse(self.headers.get("WARC-Type").unwrap_or_default())
    }

    /// `WARC-Record-ID`.
    pub fn id(&self) -> Option<&str> {
        self.headers.get("WARC-Record-ID")
    }

    /// `WARC-Target-URI` (angle brackets of WARC 1.1-draft writers removed).
    pub fn target_uri(&self) -> Option<&str> {
        self.headers
            .get("WARC-Target-URI")
            .map(|u| u.trim_start_matches('<').trim_end_matches('>'))
    }

    /// `WARC-Date` parsed.
    pub fn date(&self) -> Option<DateTime<Utc>> {
        self.headers.get("WARC-Date").and_then(parse_warc_date)
    }

    /// The record's `Content-Type` media type, lowercased, without parameters.
    pub fn content_type(&self) -> Option<String> {
        self.headers.get("Content-Type").map(http::mime_of)
    }

    /// True when the block is an HTTP message (`application/http`).
    pub fn is_http(&self) -> bool {
        self.content_type().is_some_and(|c| c == "application/http")
    }

    /// The serialized WARC record, exact bytes (header, block, CRLF CRLF).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.serialized_len());
        self.write_to(&mut out);
        out
    }

    /// Append the serialized record to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        self.headers.write_to(out);
        out.extend_from_slice(&self.block);
        out.extend_from_slice(b"\r\n\r\n");
    }

    /// Length of [`Record::to_bytes`].
    pub fn serialized_len(&self) -> usize {
        self.headers.serialized_len() + self.block.len() + 4
    }

    /// For response/revisit/request records with `application/http`: status, headers and
    /// payload (chunked transfer coding removed; content coding kept).
    pub fn http(&self) -> Result<HttpMessage, ArchiveError> {
        let what = self
            .target_uri()
            .or(self.id())
            .unwrap_or("(no target URI)")
            .to_string();
        http::parse_http(&self.block, &what)
    }

    /// Add `WARC-Concurrent-To`.
    pub fn with_concurrent_to(mut self, id: &str) -> Record {
        self.headers.append("WARC-Concurrent-To", id);
        self
    }

    /// Set (replace) a header.
    pub fn with_header(mut self, name: &str, value: &str) -> Record {
        self.headers.set(name, value);
        self
    }

    /// Check `WARC-Block-Digest` only (sha1; others unchecked): the integrity of every byte.
    pub fn check_block_digest(&self) -> Result<(), (&'static str, String, String)> {
        if let Some(d) = self.headers.get("WARC-Block-Digest")
            && digest_matches(d, &self.block) == Some(false)
        {
            return Err((
                "WARC-Block-Digest",
                d.to_string(),
                super::sha1_digest(&self.block),
            ));
        }
        Ok(())
    }

    /// Check `WARC-Block-Digest` and `WARC-Payload-Digest` (sha1 only; others unchecked).
    /// A chunked payload passes when its digest covers the body either de-chunked (WARC 1.1)
    /// or as transferred (wget, warcprox, warcio): `Ok` says which, or `None` when no payload
    /// digest was checked. Returns the first mismatch as `(header, recorded, computed)`.
    pub fn check_digests(
        &self,
    ) -> Result<Option<PayloadConvention>, (&'static str, String, String)> {
        // A revisit's block is only the HTTP head: its payload digest names the earlier payload.
        let payload_claim = self
            .headers
            .get("WARC-Payload-Digest")
            .filter(|d| is_sha1(d))
            .filter(|_| self.record_type() != RecordType::Revisit && self.is_http());
        let checked = payload_claim.and_then(|claim| check_http(&self.block, claim));
        let (Some(claim), Some(checked)) = (payload_claim, checked) else {
            return self.check_block_digest().map(|()| None);
        };
        if let Some(d) = self.headers.get("WARC-Block-Digest")
            && digest_matches_hash(d, &checked.block_hash) == Some(false)
        {
            return Err((
                "WARC-Block-Digest",
                d.to_string(),
                format_sha1(&checked.block_hash),
            ));
        }
        match checked.payload {
            Ok(convention) => Ok(Some(convention)),
            Err(computed) => Err(("WARC-Payload-Digest", claim.to_string(), computed)),
        }
    }
}

/// Result of trying to parse one record at the start of a buffer.
#[derive(Debug)]
pub(crate) enum Parsed {
    /// A whole record and the number of bytes it used (including the trailing CRLF CRLF).
    Record(Record, usize),
    /// The buffer ends before the record does; `need` bytes in all would be enough (0 if unknown).
    Incomplete { need: usize },
}

/// Bytes that are not a WARC record.
#[derive(Debug)]
pub(crate) struct BadRecord {
    /// What is wrong.
    pub(crate) reason: String,
    /// How far the damage goes: no well-formed record starts before this index (the bad
    /// header line, or the end of a header section that lacks a usable Content-Length), so
    /// a lenient reader may resume its search there.
    pub(crate) skip: usize,
}

/// Parse one WARC record at the start of `bytes`. `Err` when the header is bad.
pub(crate) fn parse_record(bytes: &[u8]) -> Result<Parsed, BadRecord> {
    let (headers, hlen) = match WarcHeaders::parse_at(bytes) {
        Ok(Some(h)) => h,
        Ok(None) => return Ok(Parsed::Incomplete { need: 0 }),
        Err((reason, skip)) => return Err(BadRecord { reason, skip }),
    };
    let bad = |reason: String| BadRecord { reason, skip: hlen };
    let len: usize = match headers.get("Content-Length") {
        None => return Err(bad("no Content-Length header".into())),
        Some(v) => v
            .parse()
            .map_err(|_| bad(format!("bad Content-Length {v:?}")))?,
    };
    if len as u64 > super::reader::MAX_RECORD {
        return Err(bad(format!(
            "Content-Length {len} over the {}-byte cap",
            super::reader::MAX_RECORD
        )));
    }
    let end = hlen + len;
    if bytes.len() < end {
        return Ok(Parsed::Incomplete { need: end + 4 });
    }
    let block = bytes[hlen..end].to_vec();
    // Trailer: CRLF CRLF (tolerate LF LF or missing at end of buffer).
    let rest = &bytes[end..];
    let trailer = if rest.starts_with(b"\r\n\r\n") {
        4
    } else if rest.starts_with(b"\n\n") || rest == b"\r\n" {
        2
    } else if rest.len() < 4 && b"\r\n\r\n".starts_with(rest) {
        return Ok(Parsed::Incomplete { need: end + 4 });
    } else {
        0
    };
    Ok(Parsed::Record(Record { headers, block }, end + trailer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_exact() {
        let mut h = WarcHeaders::new();
        h.set("WARC-Type", "resource");
        h.set("WARC-Target-URI", "https://example.com/");
        let r = Record::new(h, b"hello".to_vec());
        let bytes = r.to_bytes();
        assert_eq!(bytes.len(), r.serialized_len());
        match parse_record(&bytes).unwrap() {
            Parsed::Record(back, used) => {
                assert_eq!(used, bytes.len());
                assert_eq!(back.to_bytes(), bytes);
                assert_eq!(back.block, b"hello");
                assert_eq!(back.record_type(), RecordType::Resource);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse_record(&bytes[..bytes.len() - 6]).unwrap(),
            Parsed::Incomplete { .. }
        ));
    }

    #[test]
    fn digest_checks_catch_block_and_payload_mismatches() {
        let mut ids = crate::archive::SeqIds::default();
        let ok = crate::archive::build::response(
            "https://e.com/",
            Utc::now(),
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>x</p>".to_vec(),
            None,
            &mut ids,
        );
        assert!(ok.check_digests().is_ok());
        let mut bad_block = ok.clone();
        if let Some(last) = bad_block.block.last_mut() {
            *last = b'!';
        }
        assert_eq!(
            bad_block.check_digests().unwrap_err().0,
            "WARC-Block-Digest"
        );
        assert!(bad_block.check_block_digest().is_err());
        let bad_payload = ok.clone().with_header(
            "WARC-Payload-Digest",
            "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        );
        assert_eq!(
            bad_payload.check_digests().unwrap_err().0,
            "WARC-Payload-Digest"
        );
        assert!(bad_payload.check_block_digest().is_ok());
        let other_algo = ok.with_header("WARC-Payload-Digest", "md5:whatever");
        assert!(other_algo.check_digests().is_ok());
    }

    #[test]
    fn missing_content_length_is_an_error() {
        let e = parse_record(b"WARC/1.1\r\nWARC-Type: resource\r\n\r\nabc").unwrap_err();
        assert!(e.reason.contains("Content-Length"), "{}", e.reason);
        // Nothing before the end of the header can be a record.
        assert_eq!(e.skip, 33);
        let e = parse_record(b"WARC/1.1\r\nA: 1\r\nno colon\r\n\r\n").unwrap_err();
        assert!(e.reason.contains("colon"), "{}", e.reason);
        assert_eq!(e.skip, 16);
    }

    #[test]
    fn dates() {
        let d = parse_warc_date("2024-05-03T10:00:00.123456Z").unwrap();
        assert_eq!(warc_date(d), "2024-05-03T10:00:00.123456Z");
        assert!(parse_warc_date("2024-05-03T10:00:00Z").is_some());
        assert!(parse_warc_date("nonsense").is_none());
    }
}
