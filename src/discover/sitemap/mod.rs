//! Streaming sitemap parser: `<urlset>` (with Google News and image extensions), `<sitemapindex>`
//! and plain-text sitemaps, gzip-compressed or not.
//!
//! [`SitemapReader`] pulls XML events from any [`Read`] (a `BufRead` works as is) with
//! quick-xml and yields one [`SitemapItem`] at a time, so a 100 MB sitemap is parsed in bounded
//! memory. Every cap in [`SitemapLimits`] is enforced while reading: decompressed bytes (which
//! also stops gzip bombs), bytes of one XML event, number of entries, length of a text field.
//! Broken XML is handled leniently: everything before the damage is yielded, then one
//! [`SitemapError`] names the byte offset, and the iterator ends. Relative, unparseable or
//! non-HTTP `<loc>`s are rejected (counted in [`SitemapStats`]), never yielded.
//!
//! ```
//! use newsarc::discover::sitemap::{SitemapItem, SitemapLimits, SitemapReader};
//! let xml = br#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
//!   <url><loc>https://example.com/a</loc><lastmod>2024-05-01</lastmod></url></urlset>"#;
//! let url = url::Url::parse("https://example.com/sitemap.xml").unwrap();
//! let mut reader = SitemapReader::new(&xml[..], &url, &SitemapLimits::default()).unwrap();
//! let Some(Ok(SitemapItem::Url(entry))) = reader.next() else { panic!() };
//! assert_eq!(entry.loc.as_str(), "https://example.com/a");
//! ```

use std::io::{self, BufRead, BufReader, Read};

use chrono::{DateTime, Utc};
use quick_xml::events::Event;
use url::Url;

mod types;

pub use types::{
    MAX_WARNINGS, NewsMeta, ParsedSitemap, SitemapError, SitemapItem, SitemapKind, SitemapLimits,
    SitemapRef, SitemapStats, SitemapUrl, parse_sitemap,
};

use crate::discover::body::{BodyKind, GuardState, Guarded, Trip, maybe_gunzip, peek, sniff};
use crate::discover::dates::parse_date;
use types::{check_loc, clip};

/// Element names the parser cares about (local names, any namespace prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    UrlSet,
    SitemapIndex,
    Url,
    Sitemap,
    Loc,
    Lastmod,
    News,
    Publication,
    Name,
    Language,
    PublicationDate,
    Title,
    Keywords,
    Image,
    Other,
}

fn classify(local: &[u8]) -> Tag {
    match local {
        b"urlset" => Tag::UrlSet,
        b"sitemapindex" => Tag::SitemapIndex,
        b"url" => Tag::Url,
        b"sitemap" => Tag::Sitemap,
        b"loc" => Tag::Loc,
        b"lastmod" => Tag::Lastmod,
        b"news" => Tag::News,
        b"publication" => Tag::Publication,
        b"name" => Tag::Name,
        b"language" => Tag::Language,
        b"publication_date" => Tag::PublicationDate,
        b"title" => Tag::Title,
        b"keywords" => Tag::Keywords,
        b"image" => Tag::Image,
        _ => Tag::Other,
    }
}

/// The text field being collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Loc,
    Lastmod,
    NewsName,
    NewsLanguage,
    NewsDate,
    NewsTitle,
    NewsKeywords,
    ImageLoc,
}

/// Which field (if any) an element opened under `stack` collects.
fn field_for(stack: &[Tag], tag: Tag) -> Option<Field> {
    use Tag as T;
    match (stack, tag) {
        ([T::UrlSet, T::Url] | [T::SitemapIndex, T::Sitemap], T::Loc) => Some(Field::Loc),
        ([T::UrlSet, T::Url] | [T::SitemapIndex, T::Sitemap], T::Lastmod) => Some(Field::Lastmod),
        ([T::UrlSet, T::Url, T::News], T::PublicationDate) => Some(Field::NewsDate),
        ([T::UrlSet, T::Url, T::News], T::Title) => Some(Field::NewsTitle),
        ([T::UrlSet, T::Url, T::News], T::Keywords) => Some(Field::NewsKeywords),
        ([T::UrlSet, T::Url, T::News, T::Publication], T::Name) => Some(Field::NewsName),
        ([T::UrlSet, T::Url, T::News, T::Publication], T::Language) => Some(Field::NewsLanguage),
        ([T::UrlSet, T::Url, T::Image], T::Loc) => Some(Field::ImageLoc),
        _ => None,
    }
}

/// Fields of the `<url>` or `<sitemap>` being read.
#[derive(Debug, Default)]
struct Pending {
    loc: Option<String>,
    lastmod: Option<String>,
    news: Option<NewsMeta>,
    news_date: Option<String>,
    images: Vec<String>,
}

/// Deepest element nesting tracked; deeper elements are ignored (but still counted).
const MAX_DEPTH: usize = 32;
/// Bytes peeked to tell XML from a plain-text sitemap.
const SNIFF_BYTES: usize = 1024;

type Source<'a> = BufReader<Box<dyn Read + Send + 'a>>;

enum Mode<'a> {
    Xml(Box<quick_xml::Reader<Source<'a>>>),
    Text(Source<'a>),
    Done,
}

/// A streaming sitemap parser; see the [module docs](self).
pub struct SitemapReader<'a> {
    url: String,
    mode: Mode<'a>,
    guard: GuardState,
    limits: SitemapLimits,
    kind: Option<SitemapKind>,
    stats: SitemapStats,
    buf: Vec<u8>,
    stack: Vec<Tag>,
    too_deep: usize,
    field: Option<(Field, usize)>,
    text: String,
    text_overflow: bool,
    pending: Option<Pending>,
}

impl<'a> SitemapReader<'a> {
    /// Starts reading a sitemap fetched from `url` (used for messages only: `<loc>`s must be
    /// absolute). Gzip is detected from the magic bytes. Fails only if the first bytes cannot
    /// be read; everything else is reported by the iterator.
    pub fn new<R: Read + Send + 'a>(
        reader: R,
        url: &Url,
        limits: &SitemapLimits,
    ) -> Result<Self, SitemapError> {
        let url_s = url.to_string();
        let io_err = |source| SitemapError::Io {
            url: url_s.clone(),
            offset: 0,
            source,
        };
        let (gzip, decoded) = maybe_gunzip(reader).map_err(io_err)?;
        let (guarded, guard) = Guarded::new(decoded, limits.max_bytes, limits.max_event_bytes);
        let mut stats = SitemapStats {
            gzip,
            ..SitemapStats::default()
        };
        let (prefix, replay) = match peek(Box::new(guarded) as Box<dyn Read + Send>, SNIFF_BYTES) {
            Ok(p) => p,
            Err(e) => return Err(io_or_trip(&url_s, &guard, limits, 0, e)),
        };
        stats.bytes = guard.total();
        let source = BufReader::with_capacity(64 << 10, replay);
        let (mode, kind) = match sniff(&prefix) {
            BodyKind::Text => (Mode::Text(source), Some(SitemapKind::Text)),
            BodyKind::Html => {
                return Err(SitemapError::NotASitemap {
                    url: url_s,
                    root: "html".into(),
                });
            }
            BodyKind::Json => {
                return Err(SitemapError::NotASitemap {
                    url: url_s,
                    root: "JSON".into(),
                });
            }
            _ => {
                let mut xml = quick_xml::Reader::from_reader(source);
                let cfg = xml.config_mut();
                cfg.allow_dangling_amp = true;
                cfg.trim_text(false);
                (Mode::Xml(Box::new(xml)), None)
            }
        };
        Ok(SitemapReader {
            url: url_s,
            mode,
            guard,
            limits: limits.clone(),
            kind,
            stats,
            buf: Vec::with_capacity(4096),
            stack: Vec::with_capacity(8),
            too_deep: 0,
            field: None,
            text: String::new(),
            text_overflow: false,
            pending: None,
        })
    }

    /// The kind of sitemap, once the root element (or first line) has been read.
    pub fn kind(&self) -> Option<SitemapKind> {
        self.kind
    }

    /// Counters and warnings so far.
    pub fn stats(&self) -> &SitemapStats {
        &self.stats
    }

    /// Consumes the reader, returning its final counters and warnings.
    pub fn into_stats(self) -> SitemapStats {
        self.stats
    }

    fn fail(&mut self, err: SitemapError) -> Option<Result<SitemapItem, SitemapError>> {
        self.mode = Mode::Done;
        self.stats.bytes = self.guard.total();
        Some(Err(err))
    }

    /// Counts an entry against the cap; `Err` when the cap is exceeded.
    fn admit(
        &mut self,
        item: SitemapItem,
        offset: u64,
    ) -> Option<Result<SitemapItem, SitemapError>> {
        if self.stats.entries >= self.limits.max_entries {
            let err = SitemapError::TooManyEntries {
                url: self.url.clone(),
                limit: self.limits.max_entries,
                offset,
            };
            return self.fail(err);
        }
        self.stats.entries += 1;
        Some(Ok(item))
    }

    fn next_text_line(&mut self) -> Option<Result<SitemapItem, SitemapError>> {
        loop {
            let Mode::Text(src) = &mut self.mode else {
                return None;
            };
            self.guard.mark();
            self.buf.clear();
            let offset = self.guard.total();
            match src.read_until(b'\n', &mut self.buf) {
                Ok(0) => {
                    self.mode = Mode::Done;
                    self.stats.bytes = self.guard.total();
                    return None;
                }
                Ok(_) => {}
                Err(e) => {
                    let err = io_or_trip(&self.url, &self.guard, &self.limits, offset, e);
                    return self.fail(err);
                }
            }
            let line = String::from_utf8_lossy(&self.buf);
            let line = line.trim().trim_start_matches('\u{feff}');
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match check_loc(line) {
                Ok(loc) => {
                    let item = SitemapItem::Url(SitemapUrl {
                        loc,
                        lastmod: None,
                        news: None,
                        images: vec![],
                    });
                    return self.admit(item, offset);
                }
                Err(why) => {
                    self.stats.rejected_locs += 1;
                    self.stats.warn(format!(
                        "byte {offset}: line rejected ({why}): {}",
                        clip(line)
                    ));
                }
            }
        }
    }

    fn on_start(&mut self, local: &[u8]) -> Result<(), SitemapError> {
        let tag = classify(local);
        if self.stack.is_empty() {
            match tag {
                Tag::UrlSet if self.kind.is_none() => self.kind = Some(SitemapKind::UrlSet),
                Tag::SitemapIndex if self.kind.is_none() => self.kind = Some(SitemapKind::Index),
                _ if self.kind.is_none() => {
                    return Err(SitemapError::NotASitemap {
                        url: self.url.clone(),
                        root: clip(&String::from_utf8_lossy(local)),
                    });
                }
                // Junk after the root element: ignore it, but track nesting.
                _ => {}
            }
        }
        if self.too_deep > 0 || self.stack.len() >= MAX_DEPTH {
            self.too_deep += 1;
            return Ok(());
        }
        match (self.stack.as_slice(), tag) {
            ([Tag::UrlSet], Tag::Url) | ([Tag::SitemapIndex], Tag::Sitemap) => {
                self.pending = Some(Pending::default());
            }
            ([Tag::UrlSet, Tag::Url], Tag::News) => {
                if let Some(p) = &mut self.pending {
                    p.news.get_or_insert_with(NewsMeta::default);
                }
            }
            _ => {}
        }
        if self.field.is_none()
            && let Some(field) = field_for(&self.stack, tag)
        {
            self.field = Some((field, self.stack.len()));
            self.text.clear();
            self.text_overflow = false;
        }
        self.stack.push(tag);
        Ok(())
    }

    fn on_text(&mut self, text: &str) {
        if self.field.is_none() || self.text_overflow {
            return;
        }
        if self.text.len() + text.len() > self.limits.max_text_bytes {
            self.text_overflow = true;
            self.text.clear();
            return;
        }
        self.text.push_str(text);
    }

    /// Handles an end tag; returns a finished entry when a `<url>`/`<sitemap>` closes.
    fn on_end(&mut self, offset: u64) -> Option<Result<SitemapItem, SitemapError>> {
        if self.too_deep > 0 {
            self.too_deep -= 1;
            return None;
        }
        let tag = self.stack.pop()?;
        if let Some((field, depth)) = self.field
            && depth == self.stack.len()
        {
            self.field = None;
            self.finish_field(field, offset);
        }
        match (self.stack.as_slice(), tag) {
            ([Tag::UrlSet], Tag::Url) | ([Tag::SitemapIndex], Tag::Sitemap) => {
                let pending = self.pending.take()?;
                let item = self.build(pending, tag == Tag::Url, offset)?;
                self.admit(item, offset)
            }
            _ => None,
        }
    }

    fn finish_field(&mut self, field: Field, offset: u64) {
        if self.text_overflow {
            self.stats.oversized_fields += 1;
            self.stats.warn(format!(
                "byte {offset}: {field:?} longer than {} bytes dropped",
                self.limits.max_text_bytes
            ));
            return;
        }
        let value = self.text.trim().to_string();
        let Some(p) = &mut self.pending else { return };
        match field {
            Field::Loc => p.loc = Some(value),
            Field::Lastmod => p.lastmod = Some(value),
            Field::ImageLoc => {
                if p.images.len() < self.limits.max_images {
                    p.images.push(value);
                }
            }
            Field::NewsDate => p.news_date = Some(value),
            Field::NewsName | Field::NewsLanguage | Field::NewsTitle | Field::NewsKeywords => {
                let news = p.news.get_or_insert_with(NewsMeta::default);
                let value = (!value.is_empty()).then_some(value);
                match field {
                    Field::NewsName => news.publication = value,
                    Field::NewsLanguage => news.language = value,
                    Field::NewsTitle => news.title = value,
                    _ => {
                        news.keywords = value
                            .iter()
                            .flat_map(|v| v.split(','))
                            .map(str::trim)
                            .filter(|k| !k.is_empty())
                            .map(String::from)
                            .collect();
                    }
                }
            }
        }
    }

    fn date(&mut self, raw: Option<String>, what: &str, offset: u64) -> Option<DateTime<Utc>> {
        let raw = raw.filter(|r| !r.is_empty())?;
        let parsed = parse_date(&raw);
        if parsed.is_none() {
            self.stats.bad_dates += 1;
            self.stats.warn(format!(
                "byte {offset}: invalid {what} {:?} ignored",
                clip(&raw)
            ));
        }
        parsed
    }

    fn build(&mut self, p: Pending, is_url: bool, offset: u64) -> Option<SitemapItem> {
        let loc = match p.loc.as_deref().map(check_loc) {
            Some(Ok(loc)) => loc,
            Some(Err(why)) => {
                self.stats.rejected_locs += 1;
                let raw = p.loc.as_deref().unwrap_or_default();
                self.stats.warn(format!(
                    "byte {offset}: <loc> rejected ({why}): {}",
                    clip(raw)
                ));
                return None;
            }
            None => {
                self.stats.rejected_locs += 1;
                self.stats
                    .warn(format!("byte {offset}: entry without <loc> skipped"));
                return None;
            }
        };
        let lastmod = self.date(p.lastmod, "lastmod", offset);
        if !is_url {
            return Some(SitemapItem::Sitemap(SitemapRef { loc, lastmod }));
        }
        let news = match p.news {
            Some(mut news) => {
                news.published = self.date(p.news_date, "news:publication_date", offset);
                Some(news)
            }
            None => None,
        };
        let mut images = Vec::new();
        for raw in p.images {
            match check_loc(&raw) {
                Ok(u) => images.push(u),
                Err(why) => self.stats.warn(format!(
                    "byte {offset}: image:loc rejected ({why}): {}",
                    clip(&raw)
                )),
            }
        }
        Some(SitemapItem::Url(SitemapUrl {
            loc,
            lastmod,
            news,
            images,
        }))
    }
}

impl Iterator for SitemapReader<'_> {
    type Item = Result<SitemapItem, SitemapError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut buf = std::mem::take(&mut self.buf);
        let out = loop {
            let xml = match &mut self.mode {
                Mode::Done => break None,
                Mode::Text(_) => {
                    self.buf = buf;
                    return self.next_text_line();
                }
                Mode::Xml(xml) => xml,
            };
            buf.clear();
            self.guard.mark();
            let event = xml.read_event_into(&mut buf);
            let offset = xml.buffer_position();
            let err_offset = xml.error_position();
            match event {
                Err(quick_xml::Error::Io(e)) => {
                    let e = io::Error::new(e.kind(), e.to_string());
                    let err = io_or_trip(&self.url, &self.guard, &self.limits, err_offset, e);
                    break self.fail(err);
                }
                Err(e) => {
                    let err = SitemapError::Malformed {
                        url: self.url.clone(),
                        offset: err_offset,
                        message: e.to_string(),
                    };
                    break self.fail(err);
                }
                Ok(Event::Start(e)) => {
                    if let Err(err) = self.on_start(e.local_name().as_ref().as_bytes()) {
                        break self.fail(err);
                    }
                }
                Ok(Event::Empty(e)) => {
                    if let Err(err) = self.on_start(e.local_name().as_ref().as_bytes()) {
                        break self.fail(err);
                    }
                    if let Some(item) = self.on_end(offset) {
                        break Some(item);
                    }
                }
                Ok(Event::End(_)) => {
                    if let Some(item) = self.on_end(offset) {
                        break Some(item);
                    }
                }
                Ok(Event::Text(t)) => self.on_text(&t),
                Ok(Event::CData(t)) => self.on_text(&t),
                Ok(Event::GeneralRef(r)) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c),
                        Ok(None) => match &*r {
                            "amp" => Some('&'),
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "quot" => Some('"'),
                            "apos" => Some('\''),
                            _ => None,
                        },
                        Err(_) => None,
                    };
                    match resolved {
                        Some(c) => self.on_text(c.encode_utf8(&mut [0u8; 4])),
                        None => self.on_text(&format!("&{};", &*r)),
                    }
                }
                Ok(Event::Eof) => {
                    self.mode = Mode::Done;
                    self.stats.bytes = self.guard.total();
                    if self.kind.is_none() {
                        break Some(Err(SitemapError::NotASitemap {
                            url: self.url.clone(),
                            root: "no root element".into(),
                        }));
                    }
                    if let Some(open) = self.stack.last() {
                        break Some(Err(SitemapError::Truncated {
                            url: self.url.clone(),
                            offset,
                            open: format!("{open:?}").to_lowercase(),
                        }));
                    }
                    break None;
                }
                Ok(_) => {}
            }
        };
        self.buf = buf;
        out
    }
}

/// Turns an I/O error into the right [`SitemapError`], looking at which cap (if any) tripped.
fn io_or_trip(
    url: &str,
    guard: &GuardState,
    limits: &SitemapLimits,
    offset: u64,
    source: io::Error,
) -> SitemapError {
    match guard.tripped() {
        Some(Trip::TotalBytes(limit)) => SitemapError::TooLarge {
            url: url.into(),
            limit,
        },
        Some(Trip::EventBytes(limit)) => SitemapError::ElementTooLarge {
            url: url.into(),
            offset: guard.total().max(offset),
            limit: limit.min(limits.max_event_bytes),
        },
        None => SitemapError::Io {
            url: url.into(),
            offset: guard.total().max(offset),
            source,
        },
    }
}

#[cfg(test)]
mod tests;
