//! The HTTP message inside `request`/`response`/`revisit` records: head parsing, removal of
//! chunked transfer coding (→ the WARC payload) and of Content-Encoding (for display/extraction).

use std::borrow::Cow;

use super::ArchiveError;

pub use crate::codec::DEFAULT_DECODE_CAP;

/// A parsed HTTP message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpMessage {
    /// Status code (0 for requests).
    pub status: u16,
    /// The start line (`HTTP/1.1 200 OK`, `GET / HTTP/1.1`).
    pub start_line: String,
    /// Header fields in order.
    pub headers: Vec<(String, String)>,
    /// Entity body with chunked transfer coding removed (content coding kept).
    pub body: Vec<u8>,
}

impl HttpMessage {
    /// First header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The media type of `Content-Type` without parameters, lowercased.
    pub fn mime(&self) -> Option<String> {
        self.header("content-type").map(mime_of)
    }

    /// The body with Content-Encoding (gzip, deflate, br, zstd; several allowed) removed,
    /// capped at [`DEFAULT_DECODE_CAP`] bytes.
    pub fn decoded_body(&self) -> Result<Vec<u8>, ArchiveError> {
        self.decoded_body_capped(DEFAULT_DECODE_CAP)
    }

    /// Like [`HttpMessage::decoded_body`] with an explicit size cap.
    pub fn decoded_body_capped(&self, cap: u64) -> Result<Vec<u8>, ArchiveError> {
        let encoding = self.header("content-encoding");
        crate::codec::decode_body(encoding, &self.body, cap).map_err(|e| ArchiveError::Decode {
            record: self.start_line.clone(),
            encoding: encoding.unwrap_or_default().to_string(),
            reason: e.to_string(),
        })
    }
}

/// `text/html; charset=utf-8` → `text/html`.
pub fn mime_of(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Where the HTTP head ends in `block` (index just past the empty line), if it looks like HTTP.
pub fn head_len(block: &[u8]) -> Option<usize> {
    if !(block.starts_with(b"HTTP/") || block.iter().take(16).any(|&b| b == b' ')) {
        return None;
    }
    super::headers::find_header_end(block)
}

/// The WARC payload of an HTTP block: the body after the head, chunked coding removed.
/// Borrowed when no dechunking is needed. `None` if the block has no complete HTTP head.
pub fn payload(block: &[u8]) -> Option<Cow<'_, [u8]>> {
    let hl = head_len(block)?;
    let body = &block[hl..];
    if is_chunked(&block[..hl])
        && let Some(d) = dechunk(body)
    {
        return Some(Cow::Owned(d));
    }
    Some(Cow::Borrowed(body))
}

pub(crate) fn is_chunked(head: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(head) else {
        return false;
    };
    text.lines().skip(1).any(|l| {
        l.split_once(':').is_some_and(|(n, v)| {
            n.trim().eq_ignore_ascii_case("transfer-encoding")
                && v.to_ascii_lowercase().contains("chunked")
        })
    })
}

/// Remove chunked transfer coding; `None` if malformed.
pub fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    loop {
        let nl = memchr::memchr(b'\n', data)?;
        let line = std::str::from_utf8(&data[..nl]).ok()?;
        let size_str = line.trim().split(';').next()?.trim();
        let size = usize::from_str_radix(size_str, 16).ok()?;
        data = &data[nl + 1..];
        if size == 0 {
            return Some(out);
        }
        if data.len() < size {
            return None;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size..];
        if data.starts_with(b"\r\n") {
            data = &data[2..];
        } else if data.starts_with(b"\n") {
            data = &data[1..];
        }
    }
}

/// Status code and media type from the head of an HTTP block, without copying the body
/// (what the index needs). Status 0 for requests or an unreadable status line.
pub fn head_info(block: &[u8]) -> Option<(u16, Option<String>)> {
    let hl = head_len(block)?;
    let head = std::str::from_utf8(&block[..hl]).ok()?;
    let mut lines = head.split('\n').map(|l| l.trim_end_matches('\r'));
    let start = lines.next()?;
    let status = if start.starts_with("HTTP/") {
        start
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0)
    } else {
        0
    };
    let mime = lines.take_while(|l| !l.is_empty()).find_map(|l| {
        l.split_once(':')
            .filter(|(n, _)| n.trim().eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| mime_of(v))
    });
    Some((status, mime))
}

/// Parse an HTTP message block. `what` names the record in errors.
pub fn parse_http(block: &[u8], what: &str) -> Result<HttpMessage, ArchiveError> {
    let bad = |reason: String| ArchiveError::BadHttp {
        record: what.to_string(),
        reason,
    };
    let hl = head_len(block).ok_or_else(|| bad("no complete HTTP head".into()))?;
    let head = String::from_utf8_lossy(&block[..hl]);
    let mut lines = head.split('\n').map(|l| l.trim_end_matches('\r'));
    let start_line = lines.next().unwrap_or_default().to_string();
    let status = if start_line.starts_with("HTTP/") {
        start_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse::<u16>().ok())
            .ok_or_else(|| bad(format!("bad status line {start_line:?}")))?
    } else {
        0
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(last) = headers.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
            continue;
        }
        if let Some((n, v)) = line.split_once(':') {
            headers.push((n.trim().to_string(), v.trim().to_string()));
        }
    }
    let body = payload(block).map(|p| p.into_owned()).unwrap_or_default();
    Ok(HttpMessage {
        status,
        start_line,
        headers,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn chunked_body_is_dechunked() {
        let block = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=1\r\nde\r\n0\r\n\r\n";
        let m = parse_http(block, "t").unwrap();
        assert_eq!(m.status, 200);
        assert_eq!(m.body, b"abcde");
        assert_eq!(payload(block).unwrap().as_ref(), b"abcde");
    }

    #[test]
    fn gzip_content_encoding_is_removed() {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(b"hello world").unwrap();
        let gz = enc.finish().unwrap();
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n".to_vec();
        block.extend_from_slice(&gz);
        let m = parse_http(&block, "t").unwrap();
        assert_eq!(m.body, gz);
        assert_eq!(m.decoded_body().unwrap(), b"hello world");
        assert_eq!(m.mime().as_deref(), Some("text/html"));
        assert!(m.decoded_body_capped(3).is_err());
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(parse_http(b"\x00\x01\x02", "t").is_err());
        assert!(parse_http(b"HTTP/1.1 abc\r\n\r\n", "t").is_err());
        assert!(dechunk(b"zz\r\n").is_none());
    }
}
