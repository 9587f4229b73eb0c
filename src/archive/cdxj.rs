//! The CDXJ index in pywb's format (`SURT 14-digit-timestamp {json}`), one sorted file beside
//! each archive file (`x.warc.zst` → `x.cdxj`), loading, lookup by URL, and rebuilding.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::ArchiveError;
use super::digest::digest_value;
use super::headers::RecordType;
use super::read_record_from;
use super::reader::{ArchiveReader, ReadRecord};
use super::record::Record;
use super::source::{ArchiveSource, Source};

/// One index line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CdxjEntry {
    /// SURT key of the URL.
    pub surt: String,
    /// 14-digit UTC capture timestamp.
    pub timestamp: String,
    /// The URL as captured.
    pub url: String,
    /// Media type (`warc/revisit` for revisits, as pywb writes).
    pub mime: Option<String>,
    /// HTTP status, for HTTP records.
    pub status: Option<u16>,
    /// Payload digest (Base32 without `sha1:`), or block digest for non-HTTP records.
    pub digest: Option<String>,
    /// Length of the record in the file.
    pub length: u64,
    /// Offset of the record in the file.
    pub offset: u64,
    /// File name of the archive (no folder).
    pub filename: String,
    /// `response`, `revisit`, `conversion`, `metadata`, `resource`, …
    pub record_type: String,
    /// Full path of the archive file (not stored in the index; filled in on load).
    pub path: PathBuf,
}

#[derive(Serialize, Deserialize)]
struct Json {
    url: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    mime: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    status: Option<NumOrStr>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    digest: Option<String>,
    length: NumOrStr,
    offset: NumOrStr,
    filename: String,
    #[serde(skip_serializing_if = "Option::is_none", default, rename = "type")]
    record_type: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum NumOrStr {
    Num(u64),
    Str(String),
}

impl NumOrStr {
    fn get(&self) -> Option<u64> {
        match self {
            NumOrStr::Num(n) => Some(*n),
            NumOrStr::Str(s) => s.parse().ok(),
        }
    }
}

impl CdxjEntry {
    /// The entry for a record read from `path`; `None` for warcinfo/request records and
    /// records without a target URI (pywb indexes captures, not requests).
    pub fn from_record(r: &ReadRecord, path: &Path) -> Option<CdxjEntry> {
        Self::for_record(&r.record, r.offset, r.length, path)
    }

    /// The entry for `rec` stored at (offset, length) in `path`; see [`CdxjEntry::from_record`].
    pub fn for_record(rec: &Record, offset: u64, length: u64, path: &Path) -> Option<CdxjEntry> {
        let kind = rec.record_type();
        if matches!(kind, RecordType::Warcinfo | RecordType::Request) {
            return None;
        }
        let url = rec.target_uri()?.to_string();
        let date = rec.date()?;
        let (mime, status) =
            if rec.is_http() && matches!(kind, RecordType::Response | RecordType::Revisit) {
                let info = super::http::head_info(&rec.block);
                let status = info.as_ref().map(|i| i.0).filter(|&s| s != 0);
                let mime = if kind == RecordType::Revisit {
                    Some("warc/revisit".to_string())
                } else {
                    info.and_then(|i| i.1)
                };
                (mime, status)
            } else {
                (rec.content_type(), None)
            };
        let digest = rec
            .headers
            .get("WARC-Payload-Digest")
            .or(rec.headers.get("WARC-Block-Digest"))
            .map(|d| digest_value(d).to_string());
        Some(CdxjEntry {
            surt: surt(&url),
            timestamp: date.format("%Y%m%d%H%M%S").to_string(),
            url,
            mime,
            status,
            digest,
            length,
            offset,
            filename: file_name(path),
            record_type: kind.as_str().to_string(),
            path: path.to_path_buf(),
        })
    }

    /// The index line (without newline).
    pub fn to_line(&self) -> String {
        let j = Json {
            url: self.url.clone(),
            mime: self.mime.clone(),
            status: self.status.map(|s| NumOrStr::Str(s.to_string())),
            digest: self.digest.clone(),
            length: NumOrStr::Str(self.length.to_string()),
            offset: NumOrStr::Str(self.offset.to_string()),
            filename: self.filename.clone(),
            record_type: (self.record_type != "response").then(|| self.record_type.clone()),
        };
        // Serializing a struct of strings cannot fail.
        let json = serde_json::to_string(&j).unwrap_or_default();
        format!("{} {} {}", self.surt, self.timestamp, json)
    }

    /// Parse one index line; `dir` is the folder of the archive files.
    pub fn parse_line(line: &str, dir: &Path) -> Result<CdxjEntry, String> {
        let mut parts = line.splitn(3, ' ');
        let surt = parts.next().unwrap_or_default().to_string();
        let timestamp = parts.next().ok_or("no timestamp")?.to_string();
        let json = parts.next().ok_or("no JSON block")?;
        let j: Json = serde_json::from_str(json).map_err(|e| e.to_string())?;
        Ok(CdxjEntry {
            surt,
            timestamp,
            mime: j.mime,
            status: j
                .status
                .and_then(|s| s.get())
                .and_then(|s| u16::try_from(s).ok()),
            digest: j.digest,
            length: j.length.get().ok_or("bad length")?,
            offset: j.offset.get().ok_or("bad offset")?,
            path: dir.join(&j.filename),
            filename: j.filename,
            record_type: j.record_type.unwrap_or_else(|| "response".into()),
            url: j.url,
        })
    }

    fn sort_key(&self) -> (&str, &str, &str, u64) {
        (&self.surt, &self.timestamp, &self.filename, self.offset)
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// SURT key as pywb builds it: scheme and `www.` dropped, host labels reversed and joined
/// with `,`, `)` before the path, query arguments sorted, everything lowercased.
pub fn surt(url: &str) -> String {
    let Ok(u) = url::Url::parse(url.trim()) else {
        return raw_key(url);
    };
    let Some(host) = u.host_str() else {
        return raw_key(url);
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let host = strip_www(&host);
    let mut key = if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
        host.to_string()
    } else {
        host.split('.').rev().collect::<Vec<_>>().join(",")
    };
    if let Some(p) = u.port() {
        key.push(':');
        key.push_str(&p.to_string());
    }
    key.push(')');
    key.push_str(&u.path().to_ascii_lowercase());
    if let Some(q) = u.query() {
        let mut args: Vec<&str> = q.split('&').filter(|a| !a.is_empty()).collect();
        args.sort_unstable();
        if !args.is_empty() {
            key.push('?');
            key.push_str(&args.join("&").to_ascii_lowercase());
        }
    }
    key
}

/// The key of something that is not a URL with a host: lowercased, with whitespace and
/// control characters percent-encoded, since a space or line break would split the index line.
fn raw_key(url: &str) -> String {
    let mut key = String::with_capacity(url.len());
    for c in url.trim().chars() {
        if c.is_whitespace() || c.is_control() {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                key.push_str(&format!("%{b:02X}"));
            }
        } else {
            key.push(c.to_ascii_lowercase());
        }
    }
    key
}

fn strip_www(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix("www") {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if let Some(r) = rest[digits..].strip_prefix('.')
            && r.contains('.')
        {
            return r;
        }
    }
    host
}

/// Where the index of an archive file lives: `x.warc.zst` → `x.cdxj`.
pub fn cdxj_path(archive: &Path) -> PathBuf {
    let name = file_name(archive);
    let stem = ["warc.zst", "warc.gz", "warc"]
        .iter()
        .find_map(|ext| name.strip_suffix(&format!(".{ext}")))
        .unwrap_or(&name);
    archive.with_file_name(format!("{stem}.cdxj"))
}

/// Sort entries as the index file stores them.
pub fn sort_entries(entries: &mut [CdxjEntry]) {
    entries.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// Write the index file for `archive`, lines sorted bytewise as pywb expects (atomically:
/// temp file, fsync, rename). `entries` are left sorted by [`sort_entries`].
pub fn write_index(archive: &Path, entries: &mut [CdxjEntry]) -> Result<PathBuf, ArchiveError> {
    sort_entries(entries);
    let path = cdxj_path(archive);
    let tmp = path.with_extension("cdxj.tmp");
    let mut lines: Vec<String> = entries.iter().map(CdxjEntry::to_line).collect();
    lines.sort_unstable();
    let mut out = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for l in &lines {
        out.extend_from_slice(l.as_bytes());
        out.push(b'\n');
    }
    let mut f = std::fs::File::create(&tmp).map_err(|e| ArchiveError::io(&tmp, e))?;
    f.write_all(&out).map_err(|e| ArchiveError::io(&tmp, e))?;
    f.sync_all().map_err(|e| ArchiveError::io(&tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| ArchiveError::io(&path, e))?;
    Ok(path)
}

/// Scan an archive (leniently) and return its index entries plus the errors met on the way.
pub fn scan_entries(archive: &Path) -> Result<(Vec<CdxjEntry>, Vec<ArchiveError>), ArchiveError> {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for item in ArchiveReader::open(archive)?.lenient(true) {
        match item {
            Ok(r) => entries.extend(CdxjEntry::from_record(&r, archive)),
            Err(e) => errors.push(e),
        }
    }
    Ok((entries, errors))
}

/// Scan any source (leniently) for its index entries, plus the errors met on the way.
pub fn scan_source_entries(
    src: &dyn ArchiveSource,
) -> Result<(Vec<CdxjEntry>, Vec<ArchiveError>), ArchiveError> {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for item in ArchiveReader::from_source(src)?.lenient(true) {
        match item {
            Ok(r) => entries.extend(CdxjEntry::from_record(&r, src.name())),
            Err(e) => errors.push(e),
        }
    }
    Ok((entries, errors))
}

/// Parse index text; entries get `path` as their file.
pub fn parse_index(
    text: &str,
    index_name: &Path,
    path: &Path,
) -> Result<Vec<CdxjEntry>, ArchiveError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('!') {
            continue;
        }
        let mut e = CdxjEntry::parse_line(line, dir).map_err(|reason| ArchiveError::BadIndex {
            path: index_name.to_path_buf(),
            line: i + 1,
            reason,
        })?;
        e.path = path.to_path_buf();
        out.push(e);
    }
    Ok(out)
}

/// Rebuild the index file of an archive; returns the number of entries and the read errors.
pub fn rebuild_index(archive: &Path) -> Result<(usize, Vec<ArchiveError>), ArchiveError> {
    let (mut entries, errors) = scan_entries(archive)?;
    write_index(archive, &mut entries)?;
    Ok((entries.len(), errors))
}

/// Read an index file.
pub fn read_index(cdxj: &Path, dir: &Path) -> Result<Vec<CdxjEntry>, ArchiveError> {
    let text = std::fs::read_to_string(cdxj).map_err(|e| ArchiveError::io(cdxj, e))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('!') {
            continue;
        }
        out.push(
            CdxjEntry::parse_line(line, dir).map_err(|reason| ArchiveError::BadIndex {
                path: cdxj.to_path_buf(),
                line: i + 1,
                reason,
            })?,
        );
    }
    Ok(out)
}

/// Is the index of `archive` present and at least as new as the archive?
pub fn index_is_fresh(archive: &Path) -> bool {
    let mtime = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (mtime(archive), mtime(&cdxj_path(archive))) {
        (Some(a), Some(i)) => i >= a,
        _ => false,
    }
}

/// The merged, sorted index of several archive files.
#[derive(Debug, Default)]
pub struct Index {
    entries: Vec<CdxjEntry>,
    /// The files, by name, for [`Index::read_record`].
    sources: HashMap<PathBuf, Source>,
}

impl Index {
    /// Load the index of each file; a missing or stale index is rebuilt in memory by scanning.
    pub fn load(archive_files: &[PathBuf]) -> Result<Index, ArchiveError> {
        let mut entries = Vec::new();
        for a in archive_files {
            if index_is_fresh(a) {
                let dir = a.parent().unwrap_or(Path::new("."));
                let mut es = read_index(&cdxj_path(a), dir)?;
                // Entries of this file carry its real path even if the index names another folder.
                for e in &mut es {
                    e.path = a.clone();
                }
                entries.extend(es);
            } else {
                entries.extend(scan_entries(a)?.0);
            }
        }
        sort_entries(&mut entries);
        Ok(Index {
            entries,
            sources: HashMap::new(),
        })
    }

    /// Load the index of each source: its CDXJ when it has one that fits the file (no entry
    /// past its end), else by scanning the file (streamed once).
    pub fn load_sources(sources: &[Source]) -> Result<Index, ArchiveError> {
        let mut entries = Vec::new();
        for src in sources {
            let name = src.name();
            let stored = match src.index_text()? {
                Some(text) => Some(parse_index(&text, &cdxj_path(name), name)?),
                None => None,
            };
            let fits = |es: &Vec<CdxjEntry>| match src.size() {
                Some(size) => es.iter().all(|e| e.offset.saturating_add(e.length) <= size),
                None => true,
            };
            match stored.filter(fits) {
                Some(es) => entries.extend(es),
                None => entries.extend(scan_source_entries(src.as_ref())?.0),
            }
        }
        sort_entries(&mut entries);
        let sources = sources
            .iter()
            .map(|s| (s.name().to_path_buf(), s.clone()))
            .collect();
        Ok(Index { entries, sources })
    }

    /// The source an entry of [`Index::load_sources`] came from.
    pub fn source(&self, e: &CdxjEntry) -> Option<&Source> {
        self.sources.get(&e.path)
    }

    /// Read the record an entry points at, from the source it was loaded from (a local
    /// file when the index was loaded by path).
    pub fn read_record(&self, e: &CdxjEntry) -> Result<Record, ArchiveError> {
        match self.sources.get(&e.path) {
            Some(src) => read_record_from(src.as_ref(), e.offset, e.length),
            None => super::read_record_at(&e.path, e.offset, e.length),
        }
    }

    /// All captures of `url` (any record type), oldest first.
    pub fn lookup(&self, url: &str) -> Vec<&CdxjEntry> {
        let key = surt(url);
        let start = self
            .entries
            .partition_point(|e| e.surt.as_str() < key.as_str());
        self.entries[start..]
            .iter()
            .take_while(|e| e.surt == key)
            .collect()
    }

    /// Every entry, sorted.
    pub fn entries(&self) -> &[CdxjEntry] {
        &self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surt_like_pywb() {
        assert_eq!(
            surt("https://www.Example.com/News/1?b=2&a=1#frag"),
            "com,example)/news/1?a=1&b=2"
        );
        assert_eq!(surt("http://example.com:8080/"), "com,example:8080)/");
        assert_eq!(surt("http://127.0.0.1:3000/x"), "127.0.0.1:3000)/x");
        assert_eq!(surt("http://www2.bbc.co.uk/"), "uk,co,bbc)/");
        // Not a URL: kept, with the spaces that would split the index line encoded.
        assert_eq!(surt("not a url"), "not%20a%20url");
    }

    #[test]
    fn cdxj_path_replaces_extension() {
        assert_eq!(
            cdxj_path(Path::new("a/x-1.warc.zst")),
            Path::new("a/x-1.cdxj")
        );
        assert_eq!(cdxj_path(Path::new("x.warc.gz")), Path::new("x.cdxj"));
    }

    #[test]
    fn line_round_trip_and_pywb_strings() {
        let e = CdxjEntry {
            surt: "com,example)/".into(),
            timestamp: "20240503100000".into(),
            url: "https://example.com/".into(),
            mime: Some("text/html".into()),
            status: Some(200),
            digest: Some("AAAA".into()),
            length: 10,
            offset: 20,
            filename: "x.warc.zst".into(),
            record_type: "response".into(),
            path: PathBuf::from("d/x.warc.zst"),
        };
        let line = e.to_line();
        assert!(line.contains(r#""status":"200""#), "{line}");
        assert!(!line.contains("type"));
        let back = CdxjEntry::parse_line(&line, Path::new("d")).unwrap();
        assert_eq!(back, e);
        assert!(CdxjEntry::parse_line("x 1 {bad", Path::new(".")).is_err());
    }
}
