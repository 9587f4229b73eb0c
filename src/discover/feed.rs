//! RSS 0.9x/1.0/2.0, Atom and JSON Feed parsing (via feed-rs) into article links with dates.
//!
//! A feed is small (a few hundred KiB), so it is read whole, up to [`FeedLimits::max_bytes`]
//! after gzip decompression. Each entry becomes a [`FeedEntry`] with an absolute http(s) link
//! (relative links are resolved against the feed URL; an RSS `<guid>` that is a URL serves when
//! `<link>` is missing). An invalid date never drops an entry: the date becomes `None` and a
//! warning is recorded. A feed too broken for feed-rs keeps the entries complete before the
//! damage (see `feed_salvage`), with a warning naming the byte offset.
//!
//! ```
//! use newsarc::discover::feed::{parse_feed, FeedLimits};
//! let rss = br#"<rss version="2.0"><channel><title>T</title>
//!   <item><title>A</title><link>/a</link><pubDate>yesterday-ish</pubDate></item>
//! </channel></rss>"#;
//! let url = url::Url::parse("https://example.com/feed").unwrap();
//! let feed = parse_feed(&rss[..], &url, &FeedLimits::default()).unwrap();
//! assert_eq!(feed.entries[0].link.as_str(), "https://example.com/a");
//! assert_eq!(feed.entries[0].published, None);
//! assert_eq!(feed.bad_dates, 1);
//! ```

use std::io::{self, Read};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use feed_rs::model::{Entry, FeedType};
use url::Url;

use super::body::maybe_gunzip;
use super::dates::parse_date;
use super::feed_salvage::salvage;
use super::sitemap::MAX_WARNINGS;

/// Caps for one feed document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedLimits {
    /// Bytes read (after decompression) before giving up with [`FeedError::TooLarge`];
    /// default 16 MiB.
    pub max_bytes: u64,
    /// Entries kept; later ones are counted in [`ParsedFeed::skipped`]. Default 10,000.
    pub max_entries: usize,
}

impl Default for FeedLimits {
    fn default() -> Self {
        FeedLimits {
            max_bytes: 16 << 20,
            max_entries: 10_000,
        }
    }
}

/// The syndication format a feed was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedFormat {
    /// RSS 2.0 (and 0.9x).
    Rss,
    /// RSS 1.0 (RDF).
    Rdf,
    /// Atom 1.0.
    Atom,
    /// JSON Feed 1.x.
    JsonFeed,
}

/// One feed item that links to a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEntry {
    /// The article URL (absolute http/https).
    pub link: Url,
    /// The item title.
    pub title: Option<String>,
    /// `pubDate`, `published`, `date_published`, `dc:date`.
    pub published: Option<DateTime<Utc>>,
    /// `updated`, `date_modified`.
    pub updated: Option<DateTime<Utc>>,
}

/// A parsed feed: its entries plus everything that was skipped or repaired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedFeed {
    /// Format detected.
    pub format: FeedFormat,
    /// The feed's own title.
    pub title: Option<String>,
    /// Entries with a usable link, in feed order.
    pub entries: Vec<FeedEntry>,
    /// Entries without a usable link, or beyond [`FeedLimits::max_entries`].
    pub skipped: u64,
    /// Dates that could not be parsed (the entry is kept without that date).
    pub bad_dates: u64,
    /// The first few warnings.
    pub warnings: Vec<String>,
}

/// Why a feed could not be parsed at all.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// Larger than [`FeedLimits::max_bytes`] after decompression.
    #[error("{url}: feed larger than {limit} bytes (raise the feed size cap)")]
    TooLarge {
        /// The feed's URL.
        url: String,
        /// The cap.
        limit: u64,
    },
    /// Not a feed, or a feed too broken to parse.
    #[error("{url}: not a parseable RSS/Atom/JSON feed: {message}")]
    Parse {
        /// The feed's URL.
        url: String,
        /// What the parser said (with its position when it gave one).
        message: String,
    },
    /// Reading or decompressing failed.
    #[error("{url}: read error: {source}")]
    Io {
        /// The feed's URL.
        url: String,
        /// The I/O error.
        source: io::Error,
    },
}

/// Parses an RSS, Atom or JSON feed fetched from `url` (gzip detected by magic bytes).
pub fn parse_feed<R: Read + Send>(
    reader: R,
    url: &Url,
    limits: &FeedLimits,
) -> Result<ParsedFeed, FeedError> {
    let io_err = |source| FeedError::Io {
        url: url.to_string(),
        source,
    };
    let (_, decoded) = maybe_gunzip(reader).map_err(io_err)?;
    let mut body = Vec::new();
    decoded
        .take(limits.max_bytes.saturating_add(1))
        .read_to_end(&mut body)
        .map_err(io_err)?;
    if body.len() as u64 > limits.max_bytes {
        return Err(FeedError::TooLarge {
            url: url.to_string(),
            limit: limits.max_bytes,
        });
    }
    parse_feed_bytes(&body, url, limits)
}

/// Parses a feed that is already in memory (and already decompressed).
pub fn parse_feed_bytes(
    body: &[u8],
    url: &Url,
    limits: &FeedLimits,
) -> Result<ParsedFeed, FeedError> {
    let bad_dates: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = Arc::clone(&bad_dates);
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(url.as_str()))
        .sanitize_content(false)
        .timestamp_parser(move |raw| {
            let parsed = parse_date(raw);
            if parsed.is_none() {
                // A poisoned lock still holds a valid Vec.
                sink.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(raw.trim().to_string());
            }
            parsed
        })
        .build();
    let feed = match parser.parse(body) {
        Ok(feed) => feed,
        Err(e) => return salvaged_or(body, url, limits, e.to_string()),
    };
    drop(parser);
    let format = match feed.feed_type {
        FeedType::Atom => FeedFormat::Atom,
        FeedType::JSON => FeedFormat::JsonFeed,
        FeedType::RSS1 => FeedFormat::Rdf,
        FeedType::RSS0 | FeedType::RSS2 => FeedFormat::Rss,
    };
    let mut out = ParsedFeed {
        format,
        title: feed
            .title
            .map(|t| t.content.trim().to_string())
            .filter(|t| !t.is_empty()),
        entries: Vec::new(),
        skipped: 0,
        bad_dates: 0,
        warnings: Vec::new(),
    };
    {
        let bad = bad_dates.lock().unwrap_or_else(|e| e.into_inner());
        out.bad_dates = bad.len() as u64;
        for raw in bad.iter().take(MAX_WARNINGS) {
            out.warnings
                .push(format!("{url}: invalid date {raw:?} ignored"));
        }
    }
    for (i, entry) in feed.entries.into_iter().enumerate() {
        if out.entries.len() >= limits.max_entries {
            out.skipped += 1;
            continue;
        }
        match entry_link(&entry, url) {
            Some(link) => out.entries.push(FeedEntry {
                link,
                title: entry
                    .title
                    .map(|t| t.content.trim().to_string())
                    .filter(|t| !t.is_empty()),
                published: entry.published,
                updated: entry.updated,
            }),
            None => {
                out.skipped += 1;
                if out.warnings.len() < MAX_WARNINGS {
                    out.warnings
                        .push(format!("{url}: entry {} has no usable link", i + 1));
                }
            }
        }
    }
    Ok(out)
}

/// When feed-rs refuses a document that looks like an RSS/Atom feed, keeps the entries that
/// were complete before the damage (with a warning); otherwise returns the parse error.
fn salvaged_or(
    body: &[u8],
    url: &Url,
    limits: &FeedLimits,
    message: String,
) -> Result<ParsedFeed, FeedError> {
    let salvaged = salvage(body, url, limits.max_entries);
    if salvaged.entries.is_empty() {
        return Err(FeedError::Parse {
            url: url.to_string(),
            message,
        });
    }
    let at = salvaged
        .broken_at
        .map(|o| format!(" at byte {o}"))
        .unwrap_or_default();
    let warning = format!(
        "{url}: broken feed{at} ({message}); kept the {} entries before the damage",
        salvaged.entries.len()
    );
    Ok(ParsedFeed {
        format: if salvaged.is_atom {
            FeedFormat::Atom
        } else {
            FeedFormat::Rss
        },
        title: None,
        entries: salvaged.entries,
        skipped: 0,
        bad_dates: salvaged.bad_dates,
        warnings: vec![warning],
    })
}

/// The page an entry points to: the alternate (or only) link, else a URL-shaped id.
fn entry_link(entry: &Entry, base: &Url) -> Option<Url> {
    let is_page = |rel: Option<&str>| matches!(rel, None | Some("alternate"));
    let preferred = entry
        .links
        .iter()
        .find(|l| is_page(l.rel.as_deref()) && l.media_type.as_deref().is_none_or(is_html))
        .or_else(|| entry.links.iter().find(|l| is_page(l.rel.as_deref())))
        .map(|l| l.href.as_str());
    let candidates = preferred
        .into_iter()
        .chain(std::iter::once(entry.id.as_str()));
    for href in candidates {
        let href = href.trim();
        if href.is_empty() {
            continue;
        }
        if let Ok(u) = base.join(href)
            && matches!(u.scheme(), "http" | "https")
            && u.host().is_some()
            // An id is a link only when it is written as an absolute URL.
            && (Some(href) == preferred || href.starts_with("http"))
        {
            return Some(u);
        }
    }
    None
}

fn is_html(media_type: &str) -> bool {
    let m = media_type.trim().to_ascii_lowercase();
    m.starts_with("text/html") || m.starts_with("application/xhtml")
}

#[cfg(test)]
#[path = "feed_tests.rs"]
mod tests;
