//! The data a sitemap yields ([`SitemapItem`]), its caps ([`SitemapLimits`]), counters
//! ([`SitemapStats`]) and errors ([`SitemapError`]).

use std::io::{self, Read};

use chrono::{DateTime, Utc};
use url::Url;

use super::SitemapReader;

/// Caps that keep one sitemap from exhausting memory or time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapLimits {
    /// Entries (`<url>` or `<sitemap>`) yielded before stopping with
    /// [`SitemapError::TooManyEntries`]. The protocol allows 50,000; default 100,000.
    pub max_entries: u64,
    /// Bytes read after decompression before stopping with [`SitemapError::TooLarge`].
    /// The protocol allows 50 MB; default 256 MiB. This is also the gzip bomb guard.
    pub max_bytes: u64,
    /// Bytes of one XML event (a tag or a run of text); default 1 MiB.
    pub max_event_bytes: u64,
    /// Characters kept of one text field (`loc`, `news:title`, ...); longer values are dropped
    /// with a warning. Default 8 KiB (the protocol limits `loc` to 2,048).
    pub max_text_bytes: usize,
    /// `image:loc` values kept per URL; default 16.
    pub max_images: usize,
}

impl Default for SitemapLimits {
    fn default() -> Self {
        SitemapLimits {
            max_entries: 100_000,
            max_bytes: 256 << 20,
            max_event_bytes: 1 << 20,
            max_text_bytes: 8 << 10,
            max_images: 16,
        }
    }
}

/// Which kind of sitemap a document turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SitemapKind {
    /// `<urlset>`: page URLs.
    UrlSet,
    /// `<sitemapindex>`: URLs of further sitemaps.
    Index,
    /// A plain-text sitemap: one URL per line.
    Text,
}

/// Google News sitemap fields of one `<url>` (`<news:news>`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewsMeta {
    /// `news:publication/news:name`.
    pub publication: Option<String>,
    /// `news:publication/news:language`.
    pub language: Option<String>,
    /// `news:publication_date`.
    pub published: Option<DateTime<Utc>>,
    /// `news:title`.
    pub title: Option<String>,
    /// `news:keywords`, split on commas.
    pub keywords: Vec<String>,
}

/// One `<url>` of a urlset (or one line of a text sitemap).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapUrl {
    /// The page URL (absolute http/https).
    pub loc: Url,
    /// `<lastmod>`.
    pub lastmod: Option<DateTime<Utc>>,
    /// `<news:news>` when present.
    pub news: Option<NewsMeta>,
    /// `<image:image><image:loc>` values (absolute http/https only).
    pub images: Vec<Url>,
}

/// One `<sitemap>` of a sitemap index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapRef {
    /// The child sitemap's URL.
    pub loc: Url,
    /// `<lastmod>` of the child sitemap.
    pub lastmod: Option<DateTime<Utc>>,
}

/// One entry yielded by [`SitemapReader`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SitemapItem {
    /// A page from a urlset or text sitemap.
    Url(SitemapUrl),
    /// A child sitemap from a sitemap index.
    Sitemap(SitemapRef),
}

/// Why a sitemap could not be read (completely). Entries before the error were yielded.
#[derive(Debug, thiserror::Error)]
pub enum SitemapError {
    /// The root element is not `<urlset>` or `<sitemapindex>` (or the body is not XML/text).
    #[error("{url}: not a sitemap (root element <{root}>)")]
    NotASitemap {
        /// The sitemap's URL.
        url: String,
        /// The root element found, or a description of the body.
        root: String,
    },
    /// The XML is broken at `offset` (decompressed bytes).
    #[error("{url}: malformed XML at byte {offset}: {message}")]
    Malformed {
        /// The sitemap's URL.
        url: String,
        /// Byte offset of the damage in the decompressed document.
        offset: u64,
        /// What the XML reader said.
        message: String,
    },
    /// The document ended with elements still open.
    #[error("{url}: document ends at byte {offset} inside <{open}> (truncated download?)")]
    Truncated {
        /// The sitemap's URL.
        url: String,
        /// Document length.
        offset: u64,
        /// The innermost open element.
        open: String,
    },
    /// More than [`SitemapLimits::max_bytes`] after decompression (or a gzip bomb).
    #[error(
        "{url}: larger than {limit} bytes after decompression; stopped there (raise max_bytes)"
    )]
    TooLarge {
        /// The sitemap's URL.
        url: String,
        /// The cap.
        limit: u64,
    },
    /// More than [`SitemapLimits::max_entries`] entries.
    #[error("{url}: more than {limit} entries; stopped at byte {offset} (raise max_entries)")]
    TooManyEntries {
        /// The sitemap's URL.
        url: String,
        /// The cap.
        limit: u64,
        /// Where reading stopped.
        offset: u64,
    },
    /// One tag or text run longer than [`SitemapLimits::max_event_bytes`].
    #[error("{url}: an XML tag or text longer than {limit} bytes near byte {offset}")]
    ElementTooLarge {
        /// The sitemap's URL.
        url: String,
        /// Where reading stopped.
        offset: u64,
        /// The cap.
        limit: u64,
    },
    /// Reading or decompressing failed (e.g. a corrupt gzip stream).
    #[error("{url}: read error at byte {offset}: {source}")]
    Io {
        /// The sitemap's URL.
        url: String,
        /// Decompressed bytes read before the failure.
        offset: u64,
        /// The I/O error.
        source: io::Error,
    },
}

/// Counters and the first few warnings of one sitemap; nothing is dropped silently.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SitemapStats {
    /// Entries yielded.
    pub entries: u64,
    /// `<loc>`s rejected (relative, unparseable, not http/https, missing).
    pub rejected_locs: u64,
    /// Dates that could not be parsed (the entry is kept without that date).
    pub bad_dates: u64,
    /// Text fields dropped for exceeding [`SitemapLimits::max_text_bytes`].
    pub oversized_fields: u64,
    /// Decompressed bytes read.
    pub bytes: u64,
    /// Whether the body was gzip-compressed.
    pub gzip: bool,
    /// The first [`MAX_WARNINGS`] warnings, each naming the byte offset.
    pub warnings: Vec<String>,
}

/// How many warning messages [`SitemapStats`] keeps (counters keep counting).
pub const MAX_WARNINGS: usize = 20;

impl SitemapStats {
    pub(crate) fn warn(&mut self, msg: String) {
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(msg);
        }
    }
}

/// Everything a [`SitemapReader`] produced, for callers that want the whole document at once.
#[derive(Debug)]
pub struct ParsedSitemap {
    /// The kind of sitemap (`None` if not even the root element was read).
    pub kind: Option<SitemapKind>,
    /// The entries, in document order.
    pub items: Vec<SitemapItem>,
    /// Counters and warnings.
    pub stats: SitemapStats,
    /// The error that stopped reading early, if any (entries before it are in `items`).
    pub error: Option<SitemapError>,
}

/// Parses a whole sitemap into memory (fine for the usual 50,000-entry documents; use
/// [`SitemapReader`] directly to stream).
pub fn parse_sitemap<R: Read + Send>(
    reader: R,
    url: &Url,
    limits: &SitemapLimits,
) -> ParsedSitemap {
    let mut sm = match SitemapReader::new(reader, url, limits) {
        Ok(sm) => sm,
        Err(e) => {
            return ParsedSitemap {
                kind: None,
                items: vec![],
                stats: SitemapStats::default(),
                error: Some(e),
            };
        }
    };
    let mut items = Vec::new();
    let mut error = None;
    for item in sm.by_ref() {
        match item {
            Ok(i) => items.push(i),
            Err(e) => error = Some(e),
        }
    }
    ParsedSitemap {
        kind: sm.kind(),
        items,
        stats: sm.into_stats(),
        error,
    }
}

/// Validates a `<loc>`: an absolute http(s) URL.
pub(crate) fn check_loc(raw: &str) -> Result<Url, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("empty");
    }
    match Url::parse(raw) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(u),
        Ok(_) => Err("not an http(s) URL"),
        Err(url::ParseError::RelativeUrlWithoutBase) => Err("relative URL"),
        Err(_) => Err("invalid URL"),
    }
}

/// Shortens a value for a warning message.
pub(crate) fn clip(s: &str) -> String {
    const MAX: usize = 120;
    if s.len() <= MAX {
        return s.to_string();
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}
