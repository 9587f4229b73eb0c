//! Reading discovery bodies safely: gzip detection by magic bytes, a hard cap on decompressed
//! bytes (which also defuses gzip bombs), a cap on the bytes of one XML event, and content
//! sniffing (sitemap, feed, HTML, plain text) from the first bytes.

use std::io::{self, Cursor, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use flate2::read::MultiGzDecoder;

/// Why a [`Guarded`] reader refused to read further.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trip {
    /// More than the allowed number of (decompressed) bytes.
    TotalBytes(u64),
    /// One XML event (tag or text run) longer than the allowed size.
    EventBytes(u64),
}

/// Shared view of a [`Guarded`] reader's counters, kept by the parser that owns the reader
/// (the reader itself is buried inside `BufReader` and `quick_xml::Reader`).
#[derive(Debug, Clone, Default)]
pub(crate) struct GuardState {
    total: Arc<AtomicU64>,
    since_mark: Arc<AtomicU64>,
    tripped: Arc<Mutex<Option<Trip>>>,
}

impl GuardState {
    /// Bytes delivered so far (after decompression).
    pub(crate) fn total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }
    /// Starts a new event: the per-event counter restarts from zero.
    pub(crate) fn mark(&self) {
        self.since_mark.store(0, Ordering::Relaxed);
    }
    /// The cap that stopped reading, if any.
    pub(crate) fn tripped(&self) -> Option<Trip> {
        // A poisoned lock still holds a valid `Option<Trip>`.
        *self.tripped.lock().unwrap_or_else(|e| e.into_inner())
    }
    fn trip(&self, trip: Trip) {
        *self.tripped.lock().unwrap_or_else(|e| e.into_inner()) = Some(trip);
    }
}

/// A reader that fails with an I/O error once it has delivered `max_total` bytes, or
/// `max_event` bytes since the last [`GuardState::mark`].
pub(crate) struct Guarded<R> {
    inner: R,
    max_total: u64,
    max_event: u64,
    state: GuardState,
}

impl<R: Read> Guarded<R> {
    pub(crate) fn new(inner: R, max_total: u64, max_event: u64) -> (Self, GuardState) {
        let state = GuardState::default();
        let me = Guarded {
            inner,
            max_total,
            max_event,
            state: state.clone(),
        };
        (me, state)
    }
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(trip) = self.state.tripped() {
            return Err(io::Error::other(format!("{trip:?}")));
        }
        let total = self.state.total();
        let since = self.state.since_mark.load(Ordering::Relaxed);
        if total >= self.max_total {
            // Allow reading exactly max_total bytes: probe for one more to tell "too big" from EOF.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => {
                    self.state.trip(Trip::TotalBytes(self.max_total));
                    Err(io::Error::other("size cap reached"))
                }
            };
        }
        if since >= self.max_event {
            self.state.trip(Trip::EventBytes(self.max_event));
            return Err(io::Error::other("event size cap reached"));
        }
        let room = (self.max_total - total).min(self.max_event - since);
        let want = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.state.total.store(total + n as u64, Ordering::Relaxed);
        self.state
            .since_mark
            .store(since + n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Reads up to `n` bytes (fewer only at EOF) and returns them with a reader that replays them.
pub(crate) fn peek<'a, R: Read + Send + 'a>(
    mut reader: R,
    n: usize,
) -> io::Result<(Vec<u8>, Box<dyn Read + Send + 'a>)> {
    let mut prefix = Vec::with_capacity(n);
    (&mut reader).take(n as u64).read_to_end(&mut prefix)?;
    let replay = Cursor::new(prefix.clone()).chain(reader);
    Ok((prefix, Box::new(replay)))
}

/// Returns true when `prefix` starts with the gzip magic bytes.
pub(crate) fn is_gzip(prefix: &[u8]) -> bool {
    prefix.starts_with(&[0x1f, 0x8b])
}

/// Wraps `reader` in a gzip decoder when its first bytes are the gzip magic (whatever the
/// Content-Type or file name says); otherwise returns it unchanged.
pub(crate) fn maybe_gunzip<'a, R: Read + Send + 'a>(
    reader: R,
) -> io::Result<(bool, Box<dyn Read + Send + 'a>)> {
    let (prefix, replay) = peek(reader, 2)?;
    if is_gzip(&prefix) {
        Ok((true, Box::new(MultiGzDecoder::new(replay))))
    } else {
        Ok((false, replay))
    }
}

/// What a (decompressed) body looks like from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// An XML sitemap (`<urlset>` or `<sitemapindex>`).
    Sitemap,
    /// An RSS, RDF or Atom feed.
    XmlFeed,
    /// A JSON document (JSON Feed).
    Json,
    /// An HTML page.
    Html,
    /// Something else that starts like text: perhaps a plain-text sitemap (one URL per line).
    Text,
    /// XML whose root element was not seen in the sniffed prefix, or binary data.
    Unknown,
}

/// Guesses what a decompressed body is from its first bytes (1 KiB or more is plenty).
pub fn sniff(prefix: &[u8]) -> BodyKind {
    let s = prefix.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(prefix);
    let start = s
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(s.len());
    let s = &s[start..];
    match s.first() {
        None => BodyKind::Unknown,
        Some(b'{') => BodyKind::Json,
        Some(b'<') => sniff_markup(s),
        Some(_) if s.starts_with(b"http://") || s.starts_with(b"https://") => BodyKind::Text,
        Some(_) => BodyKind::Unknown,
    }
}

/// Finds the first element name in markup, skipping declarations, comments and doctypes.
fn sniff_markup(s: &[u8]) -> BodyKind {
    let mut rest = s;
    loop {
        let Some(lt) = memchr::memchr(b'<', rest) else {
            return BodyKind::Unknown;
        };
        rest = &rest[lt + 1..];
        if rest.starts_with(b"!--") {
            match memchr::memmem::find(rest, b"-->") {
                Some(end) => rest = &rest[end + 3..],
                None => return BodyKind::Unknown,
            }
            continue;
        }
        if rest.len() >= 8 && rest[..8].eq_ignore_ascii_case(b"!doctype") {
            let doctype = &rest[..rest.len().min(64)];
            if doctype.windows(4).any(|w| w.eq_ignore_ascii_case(b"html")) {
                return BodyKind::Html;
            }
        }
        if rest.starts_with(b"?") || rest.starts_with(b"!") {
            continue;
        }
        let end = rest
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
            .unwrap_or(rest.len());
        let name = &rest[..end];
        let local = match memchr::memchr(b':', name) {
            Some(i) => &name[i + 1..],
            None => name,
        };
        let lower = local.to_ascii_lowercase();
        return match lower.as_slice() {
            b"urlset" | b"sitemapindex" => BodyKind::Sitemap,
            b"rss" | b"feed" | b"rdf" => BodyKind::XmlFeed,
            b"html" | b"head" | b"body" => BodyKind::Html,
            _ => BodyKind::Unknown,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn sniffs_common_bodies() {
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?>\n<urlset xmlns=\"x\">"),
            BodyKind::Sitemap
        );
        assert_eq!(sniff(b"\xEF\xBB\xBF  <sitemapindex>"), BodyKind::Sitemap);
        assert_eq!(
            sniff(b"<?xml?><!-- generated --><rss version=\"2.0\">"),
            BodyKind::XmlFeed
        );
        assert_eq!(
            sniff(b"<feed xmlns=\"http://www.w3.org/2005/Atom\">"),
            BodyKind::XmlFeed
        );
        assert_eq!(sniff(b"<rdf:RDF xmlns:rdf=\"...\">"), BodyKind::XmlFeed);
        assert_eq!(sniff(b"<!DOCTYPE html><html lang=en>"), BodyKind::Html);
        assert_eq!(sniff(b"<html><head>"), BodyKind::Html);
        assert_eq!(
            sniff(b"  {\"version\": \"https://jsonfeed.org/version/1.1\"}"),
            BodyKind::Json
        );
        assert_eq!(
            sniff(b"https://example.com/a\nhttps://example.com/b\n"),
            BodyKind::Text
        );
        assert_eq!(sniff(b""), BodyKind::Unknown);
        assert_eq!(sniff(b"\x00\x01binary"), BodyKind::Unknown);
        assert_eq!(sniff(b"<!-- unterminated comment"), BodyKind::Unknown);
    }

    #[test]
    fn gunzips_by_magic_bytes_only() {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(b"<urlset/>").unwrap();
        let gz = enc.finish().unwrap();
        let (was_gz, mut r) = maybe_gunzip(&gz[..]).unwrap();
        let mut out = String::new();
        r.read_to_string(&mut out).unwrap();
        assert!(was_gz);
        assert_eq!(out, "<urlset/>");

        let (was_gz, mut r) = maybe_gunzip(&b"<urlset/>"[..]).unwrap();
        let mut out = String::new();
        r.read_to_string(&mut out).unwrap();
        assert!(!was_gz);
        assert_eq!(out, "<urlset/>");
        // A one-byte body is not gzip and is replayed whole.
        let (was_gz, mut r) = maybe_gunzip(&b"x"[..]).unwrap();
        let mut out = String::new();
        r.read_to_string(&mut out).unwrap();
        assert!(!was_gz);
        assert_eq!(out, "x");
    }

    #[test]
    fn guard_caps_total_and_event_bytes() {
        let data = [b'a'; 100];
        let (mut g, st) = Guarded::new(&data[..], 100, 1000);
        let mut out = Vec::new();
        g.read_to_end(&mut out).unwrap();
        assert_eq!(out.len(), 100, "exactly the cap is fine");
        assert_eq!(st.tripped(), None);

        let (mut g, st) = Guarded::new(&data[..], 99, 1000);
        let mut out = Vec::new();
        assert!(g.read_to_end(&mut out).is_err());
        assert_eq!(st.tripped(), Some(Trip::TotalBytes(99)));
        assert_eq!(st.total(), 99);

        let (mut g, st) = Guarded::new(&data[..], 1000, 10);
        let mut buf = [0u8; 8];
        assert_eq!(g.read(&mut buf).unwrap(), 8);
        st.mark();
        assert_eq!(g.read(&mut buf).unwrap(), 8);
        assert_eq!(g.read(&mut buf).unwrap(), 2);
        assert!(g.read(&mut buf).is_err());
        assert_eq!(st.tripped(), Some(Trip::EventBytes(10)));
    }
}
