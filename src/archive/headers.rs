//! WARC record types and the ordered, case-insensitive WARC header list (with the exact
//! original bytes kept for records read from disk, so they are written back byte for byte).

use std::fmt;

/// The `WARC-Type` of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordType {
    /// File-level metadata, first record of each file.
    Warcinfo,
    /// The HTTP request sent.
    Request,
    /// The HTTP response received.
    Response,
    /// A capture whose payload (or a 304) refers to an earlier record.
    Revisit,
    /// A transformed version of another record (newsarc: the parsed article JSON).
    Conversion,
    /// Metadata about another record.
    Metadata,
    /// A resource without an HTTP envelope.
    Resource,
    /// Any other type (e.g. `continuation`), kept as written.
    Other(String),
}

impl RecordType {
    /// Parse a `WARC-Type` value (case-insensitive).
    pub fn parse(s: &str) -> RecordType {
        match s.trim().to_ascii_lowercase().as_str() {
            "warcinfo" => RecordType::Warcinfo,
            "request" => RecordType::Request,
            "response" => RecordType::Response,
            "revisit" => RecordType::Revisit,
            "conversion" => RecordType::Conversion,
            "metadata" => RecordType::Metadata,
            "resource" => RecordType::Resource,
            _ => RecordType::Other(s.trim().to_string()),
        }
    }

    /// The `WARC-Type` value.
    pub fn as_str(&self) -> &str {
        match self {
            RecordType::Warcinfo => "warcinfo",
            RecordType::Request => "request",
            RecordType::Response => "response",
            RecordType::Revisit => "revisit",
            RecordType::Conversion => "conversion",
            RecordType::Metadata => "metadata",
            RecordType::Resource => "resource",
            RecordType::Other(s) => s,
        }
    }
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The header section of a WARC record: version line plus ordered `(name, value)` fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcHeaders {
    version: String,
    fields: Vec<(String, String)>,
    /// The exact bytes read from disk (version line through the empty line), dropped on edit.
    raw: Option<Vec<u8>>,
}

impl Default for WarcHeaders {
    fn default() -> Self {
        WarcHeaders::new()
    }
}

impl WarcHeaders {
    /// Empty headers with version `WARC/1.1`.
    pub fn new() -> Self {
        WarcHeaders {
            version: "WARC/1.1".to_string(),
            fields: Vec::with_capacity(12),
            raw: None,
        }
    }

    /// The version line, e.g. `WARC/1.1`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The first value of a field, case-insensitive name, surrounding whitespace trimmed.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    }

    /// Replace the first field of that name (or append it).
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.raw = None;
        let value = value.into();
        match self
            .fields
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            Some(slot) => slot.1 = value,
            None => self.fields.push((name.to_string(), value)),
        }
    }

    /// Append a field even if one of that name exists (WARC allows repeats, e.g. `WARC-Concurrent-To`).
    pub fn append(&mut self, name: &str, value: impl Into<String>) {
        self.raw = None;
        self.fields.push((name.to_string(), value.into()));
    }

    /// All fields in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.fields.iter().map(|(n, v)| (n.as_str(), v.trim()))
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// True when there are no fields.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Serialize: the original bytes if unchanged since read, else `version CRLF (name: value CRLF)* CRLF`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        if let Some(raw) = &self.raw {
            out.extend_from_slice(raw);
            return;
        }
        out.extend_from_slice(self.version.as_bytes());
        out.extend_from_slice(b"\r\n");
        for (n, v) in &self.fields {
            out.extend_from_slice(n.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(v.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
    }

    /// True when the headers are the exact bytes read from disk (unchanged since).
    pub fn is_raw(&self) -> bool {
        self.raw.is_some()
    }

    /// Serialize with one extra field before the empty line (ignored for raw headers).
    pub fn write_to_with(&self, out: &mut Vec<u8>, extra: Option<(&str, &str)>) {
        self.write_to(out);
        if let (None, Some((n, v))) = (&self.raw, extra) {
            out.truncate(out.len() - 2);
            out.extend_from_slice(n.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(v.as_bytes());
            out.extend_from_slice(b"\r\n\r\n");
        }
    }

    /// Serialized length in bytes.
    pub fn serialized_len(&self) -> usize {
        if let Some(raw) = &self.raw {
            return raw.len();
        }
        self.version.len()
            + 2
            + self
                .fields
                .iter()
                .map(|(n, v)| n.len() + v.len() + 4)
                .sum::<usize>()
            + 2
    }

    /// Parse a header section at the start of `bytes`. Returns the headers and the length of
    /// the section including the empty line, `Ok(None)` if `bytes` ends before the empty line,
    /// or `Err(reason)` when it is not a WARC header.
    pub fn parse(bytes: &[u8]) -> Result<Option<(WarcHeaders, usize)>, String> {
        Self::parse_at(bytes).map_err(|(reason, _)| reason)
    }

    /// [`WarcHeaders::parse`], with the error also saying where the damage is: the start of
    /// the offending line (0 for a missing version line). Reads line by line and stops at the
    /// first bad one, so junk costs one pass up to its first bad line, not one per line.
    pub(crate) fn parse_at(bytes: &[u8]) -> Result<Option<(WarcHeaders, usize)>, (String, usize)> {
        let mut version: Option<String> = None;
        let mut fields: Vec<(String, String)> = Vec::with_capacity(16);
        let mut pos = 0;
        while let Some(i) = memchr::memchr(b'\n', &bytes[pos..]) {
            let start = pos;
            let raw = &bytes[start..start + i];
            let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
            pos = start + i + 1;
            // Old writers put Latin-1 in headers: read values lossily, keep the raw bytes exact.
            let line = String::from_utf8_lossy(raw);
            let Some(version) = &version else {
                if !line.starts_with("WARC/") {
                    return Err((not_warc_reason(bytes), 0));
                }
                version = Some(line.into_owned());
                continue;
            };
            if line.is_empty() {
                let headers = WarcHeaders {
                    version: version.clone(),
                    fields,
                    raw: Some(bytes[..pos].to_vec()),
                };
                return Ok(Some((headers, pos)));
            }
            if pos > MAX_HEADER {
                return Err((
                    format!("no end of the header within {MAX_HEADER} bytes"),
                    start,
                ));
            }
            if line.starts_with([' ', '\t']) {
                match fields.last_mut() {
                    Some(last) => {
                        last.1.push(' ');
                        last.1.push_str(line.trim());
                    }
                    None => {
                        let reason = format!("continuation line before any field: {line:?}");
                        return Err((reason, start));
                    }
                }
                continue;
            }
            let Some((name, value)) = line.split_once(':') else {
                let reason = format!("header line without a colon: {:?}", clip(&line));
                return Err((reason, start));
            };
            let name = name.trim();
            if name.is_empty() || name.contains(' ') {
                return Err((format!("bad header name in line {:?}", clip(&line)), start));
            }
            fields.push((name.to_string(), value.trim().to_string()));
        }
        if version.is_none() && bytes.len() >= 6 && !bytes.starts_with(b"WARC/") {
            return Err((not_warc_reason(bytes), 0));
        }
        Ok(None)
    }
}

fn clip(s: &str) -> String {
    s.chars().take(80).collect()
}

fn not_warc_reason(bytes: &[u8]) -> String {
    let start: String = String::from_utf8_lossy(&bytes[..bytes.len().min(16)])
        .chars()
        .map(|c| if c.is_control() { '.' } else { c })
        .collect();
    format!("expected a `WARC/` version line, found {start:?}")
}

/// Longest header section read (a WARC header is a few hundred bytes).
const MAX_HEADER: usize = 1 << 20;

/// End of the header section (index just past the empty line), accepting CRLF or bare LF.
pub(crate) fn find_header_end(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'\n', &bytes[from..]) {
        let nl = from + i;
        let rest = &bytes[nl + 1..];
        if rest.starts_with(b"\r\n") {
            return Some(nl + 3);
        }
        if rest.starts_with(b"\n") {
            return Some(nl + 2);
        }
        from = nl + 1;
        if from > MAX_HEADER {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_keeps_raw_bytes_and_folds_continuations() {
        let raw =
            b"WARC/1.0\r\nWARC-Type:  response\r\nX-Long: a\r\n  b\r\nContent-Length: 3\r\n\r\nabc";
        let (h, n) = WarcHeaders::parse(raw).unwrap().unwrap();
        assert_eq!(&raw[n..], b"abc");
        assert_eq!(h.get("warc-type"), Some("response"));
        assert_eq!(h.get("X-Long"), Some("a b"));
        let mut out = Vec::new();
        h.write_to(&mut out);
        assert_eq!(out, &raw[..n]);
    }

    #[test]
    fn non_utf8_header_is_read_lossily_and_written_back_exactly() {
        let raw = b"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: http://e.com/caf\xe9\r\nContent-Length: 0\r\n\r\n";
        let (h, n) = WarcHeaders::parse(raw).unwrap().unwrap();
        assert_eq!(n, raw.len());
        assert!(
            h.get("WARC-Target-URI")
                .unwrap()
                .starts_with("http://e.com/caf")
        );
        let mut out = Vec::new();
        h.write_to(&mut out);
        assert_eq!(out, raw);
    }

    #[test]
    fn parse_rejects_non_warc_and_waits_for_more() {
        assert!(WarcHeaders::parse(b"HTTP/1.1 200 OK\r\n\r\n").is_err());
        assert!(
            WarcHeaders::parse(b"WARC/1.1\r\nWARC-Type: x\r\n")
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn set_replaces_and_invalidates_raw() {
        let (mut h, _) = WarcHeaders::parse(b"WARC/1.1\r\nA: 1\r\n\r\n")
            .unwrap()
            .unwrap();
        h.set("a", "2");
        let mut out = Vec::new();
        h.write_to(&mut out);
        assert_eq!(out, b"WARC/1.1\r\nA: 2\r\n\r\n");
        assert_eq!(h.serialized_len(), out.len());
    }
}
