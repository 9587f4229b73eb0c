//! Builders for every record type newsarc writes, with the mandatory WARC 1.1 headers and
//! `sha1:` Base32 block/payload digests.

use std::net::IpAddr;

use chrono::{DateTime, Utc};

use super::IdGen;
use super::digest::{format_sha1, sha1_digest, sha1_pair};
use super::headers::WarcHeaders;
use super::http;
use super::record::{Record, warc_date};

/// WARC 1.1 revisit profile: payload identical to an earlier capture.
pub const PROFILE_IDENTICAL: &str =
    "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest";
/// WARC 1.1 revisit profile: the server answered 304 Not Modified.
pub const PROFILE_NOT_MODIFIED: &str =
    "http://netpreserve.org/warc/1.1/revisit/server-not-modified";
/// Content-Type of HTTP response blocks.
pub const HTTP_RESPONSE: &str = "application/http; msgtype=response";
/// Content-Type of HTTP request blocks.
pub const HTTP_REQUEST: &str = "application/http; msgtype=request";

/// The earlier record a revisit or conversion refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefersTo {
    /// Its `WARC-Record-ID`.
    pub record_id: String,
    /// Its `WARC-Target-URI`.
    pub target_uri: String,
    /// Its `WARC-Date`.
    pub date: DateTime<Utc>,
}

fn base(
    kind: &str,
    target_uri: Option<&str>,
    date: DateTime<Utc>,
    ids: &mut dyn IdGen,
) -> WarcHeaders {
    let mut h = WarcHeaders::new();
    h.append("WARC-Type", kind);
    h.append("WARC-Record-ID", ids.next_id());
    h.append("WARC-Date", warc_date(date));
    if let Some(u) = target_uri {
        h.append("WARC-Target-URI", u);
    }
    h
}

fn finish(mut h: WarcHeaders, content_type: &str, block: Vec<u8>) -> Record {
    h.append("Content-Type", content_type);
    h.append("WARC-Block-Digest", sha1_digest(&block));
    Record::new(h, block)
}

/// `application/warc-fields` block from `(name, value)` pairs.
pub fn warc_fields(fields: &[(String, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (n, v) in fields {
        out.extend_from_slice(n.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(v.replace(['\r', '\n'], " ").as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// The `warcinfo` record opening a file.
pub fn warcinfo(
    filename: &str,
    date: DateTime<Utc>,
    fields: &[(String, String)],
    ids: &mut dyn IdGen,
) -> Record {
    let mut h = base("warcinfo", None, date, ids);
    h.append("WARC-Filename", filename);
    finish(h, "application/warc-fields", warc_fields(fields))
}

/// The HTTP request sent (`application/http; msgtype=request`).
pub fn request(
    target_uri: &str,
    date: DateTime<Utc>,
    http_request: Vec<u8>,
    ids: &mut dyn IdGen,
) -> Record {
    let h = base("request", Some(target_uri), date, ids);
    finish(h, HTTP_REQUEST, http_request)
}

/// The HTTP response exactly as received (status line + headers + body). Computes
/// `WARC-Block-Digest` and `WARC-Payload-Digest`; `ip` becomes `WARC-IP-Address`.
pub fn response(
    target_uri: &str,
    date: DateTime<Utc>,
    http_response: Vec<u8>,
    ip: Option<IpAddr>,
    ids: &mut dyn IdGen,
) -> Record {
    let mut h = base("response", Some(target_uri), date, ids);
    if let Some(ip) = ip {
        h.append("WARC-IP-Address", ip.to_string());
    }
    h.append("Content-Type", HTTP_RESPONSE);
    match http::payload(&http_response) {
        Some(p) => {
            let (block, payload) = sha1_pair(&http_response, &p);
            h.append("WARC-Block-Digest", format_sha1(&block));
            h.append("WARC-Payload-Digest", format_sha1(&payload));
        }
        None => h.append("WARC-Block-Digest", sha1_digest(&http_response)),
    }
    Record::new(h, http_response)
}

fn refers(h: &mut WarcHeaders, r: &RefersTo) {
    h.append("WARC-Refers-To", r.record_id.as_str());
    h.append("WARC-Refers-To-Target-URI", r.target_uri.as_str());
    h.append("WARC-Refers-To-Date", warc_date(r.date));
}

/// A capture whose payload is identical to an earlier one: block = HTTP head only,
/// profile identical-payload-digest, `WARC-Payload-Digest` = the shared payload digest.
pub fn revisit_identical(
    target_uri: &str,
    date: DateTime<Utc>,
    http_head: Vec<u8>,
    payload_digest: &str,
    refers_to: &RefersTo,
    ids: &mut dyn IdGen,
) -> Record {
    let mut h = base("revisit", Some(target_uri), date, ids);
    h.append("WARC-Profile", PROFILE_IDENTICAL);
    refers(&mut h, refers_to);
    h.append("WARC-Payload-Digest", payload_digest);
    finish(h, HTTP_RESPONSE, http_head)
}

/// A 304 Not Modified answer: profile server-not-modified, block = the 304's head.
pub fn revisit_not_modified(
    target_uri: &str,
    date: DateTime<Utc>,
    http_head: Vec<u8>,
    refers_to: Option<&RefersTo>,
    ids: &mut dyn IdGen,
) -> Record {
    let mut h = base("revisit", Some(target_uri), date, ids);
    h.append("WARC-Profile", PROFILE_NOT_MODIFIED);
    if let Some(r) = refers_to {
        refers(&mut h, r);
    }
    finish(h, HTTP_RESPONSE, http_head)
}

/// The capture a `conversion` record is a parse of.
#[derive(Debug, Clone, Copy)]
pub struct ParseOf<'a> {
    /// The response (or revisit) record's `WARC-Record-ID`.
    pub record_id: &'a str,
    /// That record's `WARC-Date` (the capture time).
    pub captured: DateTime<Utc>,
}

/// The parsed article JSON of a response: `application/json`, `WARC-Refers-To` the response
/// and `WARC-Refers-To-Date` its capture time, `Newsarc-Extractor` and (if any)
/// `Newsarc-Selectors` (`name@hash`). `parsed` (the `WARC-Date`) is when the parse was made,
/// by the crawl and by `reparse` alike, so the parses of one capture order by `WARC-Date`.
pub fn conversion(
    target_uri: &str,
    parsed: DateTime<Utc>,
    json: Vec<u8>,
    of: ParseOf<'_>,
    extractor: &str,
    selectors: Option<&str>,
    ids: &mut dyn IdGen,
) -> Record {
    let mut h = base("conversion", Some(target_uri), parsed, ids);
    h.append("WARC-Refers-To", of.record_id);
    h.append("WARC-Refers-To-Date", warc_date(of.captured));
    h.append("Newsarc-Extractor", extractor);
    if let Some(s) = selectors {
        h.append("Newsarc-Selectors", s);
    }
    finish(h, "application/json", json)
}

/// A `metadata` record (`application/warc-fields` block), optionally about another record.
pub fn metadata(
    target_uri: &str,
    date: DateTime<Utc>,
    warc_fields: Vec<u8>,
    refers_to_record_id: Option<&str>,
    ids: &mut dyn IdGen,
) -> Record {
    let mut h = base("metadata", Some(target_uri), date, ids);
    if let Some(r) = refers_to_record_id {
        h.append("WARC-Refers-To", r);
    }
    finish(h, "application/warc-fields", warc_fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::{RecordType, SeqIds};

    fn t() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2024-05-03T10:00:00.123456Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn response_has_mandatory_headers_and_digests() {
        let mut ids = SeqIds::default();
        let body = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>hi</p>".to_vec();
        let r = response(
            "https://e.com/a",
            t(),
            body,
            Some("127.0.0.1".parse().unwrap()),
            &mut ids,
        );
        assert_eq!(r.record_type(), RecordType::Response);
        assert_eq!(
            r.headers.get("WARC-Date"),
            Some("2024-05-03T10:00:00.123456Z")
        );
        assert_eq!(r.headers.get("Content-Length"), Some("53"));
        assert_eq!(
            r.headers.get("WARC-Payload-Digest").unwrap(),
            sha1_digest(b"<p>hi</p>")
        );
        assert_eq!(r.headers.get("WARC-IP-Address"), Some("127.0.0.1"));
        assert!(r.check_digests().is_ok());
        assert_eq!(r.http().unwrap().status, 200);
    }

    #[test]
    fn revisits_and_conversion() {
        let mut ids = SeqIds::default();
        let rt = RefersTo {
            record_id: "<urn:uuid:x>".into(),
            target_uri: "https://e.com/a".into(),
            date: t(),
        };
        let r = revisit_identical(
            "https://e.com/a",
            t(),
            b"HTTP/1.1 200 OK\r\n\r\n".to_vec(),
            "sha1:AAAA",
            &rt,
            &mut ids,
        );
        assert_eq!(r.headers.get("WARC-Profile"), Some(PROFILE_IDENTICAL));
        assert!(r.check_digests().is_ok());
        let r = revisit_not_modified(
            "https://e.com/a",
            t(),
            b"HTTP/1.1 304 Not Modified\r\n\r\n".to_vec(),
            None,
            &mut ids,
        );
        assert_eq!(r.headers.get("WARC-Profile"), Some(PROFILE_NOT_MODIFIED));
        let c = conversion(
            "https://e.com/a",
            t(),
            b"{}".to_vec(),
            ParseOf {
                record_id: "<urn:uuid:x>",
                captured: t(),
            },
            "newsarc/0.1.0",
            Some("s@abc"),
            &mut ids,
        );
        assert_eq!(c.headers.get("WARC-Refers-To"), Some("<urn:uuid:x>"));
        assert_eq!(
            c.headers.get("WARC-Refers-To-Date"),
            Some("2024-05-03T10:00:00.123456Z")
        );
        assert_eq!(c.headers.get("Newsarc-Selectors"), Some("s@abc"));
        assert_eq!(c.record_type(), RecordType::Conversion);
    }
}
