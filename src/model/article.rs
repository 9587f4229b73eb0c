//! The Article JSON (schema version 1) that extraction produces and exports consume.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// Version of the Article JSON schema written into every conversion record.
pub const SCHEMA_VERSION: u32 = 1;

/// Where one field of an [`Article`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldSource {
    /// A CSS selector from the site's selector config.
    Selector,
    /// A JSON-LD block (`NewsArticle`, `Article`, ...).
    JsonLd,
    /// OpenGraph, `article:*`, Dublin Core, `<meta name=...>`, `<link rel=canonical>`, `<html lang>`.
    Meta,
    /// The generic heuristics (body extractor, title/date/author guesses, language detection).
    Generic,
    /// Taken from the request itself (the URL, the capture time).
    Request,
}

/// What kind of page the extractor thinks it saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageKind {
    /// A single article: the body holds its text.
    #[default]
    Article,
    /// A section front, home page, tag page or other list of links.
    Listing,
    /// An error or "not found" page.
    Error,
    /// Not HTML, or HTML with no usable text.
    Other,
}

/// The extractor that produced an article: its name and version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtractorInfo {
    /// Always `newsarc`.
    pub name: String,
    /// The crate version (`CARGO_PKG_VERSION`).
    pub version: String,
}

impl ExtractorInfo {
    /// `name/version`, as written in the `Newsarc-Extractor` header of conversion records.
    pub fn label(&self) -> String {
        format!("{}/{}", self.name, self.version)
    }
}

/// The extractor information of this build.
pub fn extractor_info() -> ExtractorInfo {
    ExtractorInfo {
        name: env!("CARGO_PKG_NAME").to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    }
}

/// The selector config that was applied: its name and a hash of its file contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectorsRef {
    /// Config name (the file stem, e.g. `hstoday`).
    pub name: String,
    /// First 12 hex digits of the SHA-256 of the config file (`name@hash` names a version).
    pub hash: String,
}

impl SelectorsRef {
    /// `name@hash`, as written in the `Newsarc-Selectors` header of conversion records.
    pub fn label(&self) -> String {
        format!("{}@{}", self.name, self.hash)
    }
}

/// One parsed article page (Article JSON, schema version 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Schema version; [`SCHEMA_VERSION`] for everything this build writes.
    pub schema_version: u32,
    /// The URL the page was fetched from (after redirects).
    pub url: String,
    /// `<link rel=canonical>` / `og:url` / JSON-LD `url`, absolute.
    pub canonical_url: Option<String>,
    /// The host the page belongs to, lower-case, without `www.` (e.g. `hstoday.us`).
    pub site: Option<String>,
    /// The publication's own name (`og:site_name`, JSON-LD publisher), e.g. `HSToday`.
    pub site_name: Option<String>,
    /// The headline, without the site suffix of `<title>`.
    pub title: Option<String>,
    /// The standfirst / summary.
    pub description: Option<String>,
    /// Person (or credited organisation) names, cleaned of "By", roles and e-mail addresses.
    pub authors: Vec<String>,
    /// Publication time, RFC 3339 with the page's offset when known.
    pub published: Option<DateTime<FixedOffset>>,
    /// Last modification time, RFC 3339 with the page's offset when known.
    pub modified: Option<DateTime<FixedOffset>>,
    /// BCP 47 language tag (`en`, `de`, `pt-BR`).
    pub language: Option<String>,
    /// Section or category (`Politics`).
    pub section: Option<String>,
    /// Keywords / tags, in page order, without duplicates.
    pub tags: Vec<String>,
    /// Lead image URL, absolute.
    pub image: Option<String>,
    /// Plain text of the article, paragraphs separated by a blank line.
    pub body: String,
    /// Number of words in `body` (whitespace-separated tokens; CJK characters count one each).
    pub word_count: usize,
    /// True when the page says it is behind a paywall.
    pub paywalled: bool,
    /// Whether this is an article, a listing, an error page or something else.
    pub page_kind: PageKind,
    /// Per field name (`title`, `authors`, ...): where its value came from.
    pub fields_from: BTreeMap<String, FieldSource>,
    /// The extractor that produced this record.
    pub extractor: ExtractorInfo,
    /// The selector config applied, if any.
    pub selectors: Option<SelectorsRef>,
    /// Things the extractor noticed but could not fix (bad charset, unparsable date, ...).
    pub warnings: Vec<String>,
}

impl Article {
    /// An empty article for `url`, with this build's extractor info.
    pub fn empty(url: &str) -> Self {
        Article {
            schema_version: SCHEMA_VERSION,
            url: url.to_string(),
            canonical_url: None,
            site: None,
            site_name: None,
            title: None,
            description: None,
            authors: Vec::new(),
            published: None,
            modified: None,
            language: None,
            section: None,
            tags: Vec::new(),
            image: None,
            body: String::new(),
            word_count: 0,
            paywalled: false,
            page_kind: PageKind::Article,
            fields_from: BTreeMap::new(),
            extractor: extractor_info(),
            selectors: None,
            warnings: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_round_trips_through_json() {
        let mut a = Article::empty("https://example.com/a");
        a.title = Some("T".into());
        a.published = DateTime::parse_from_rfc3339("2023-06-22T10:35:12-04:00").ok();
        a.fields_from.insert("title".into(), FieldSource::JsonLd);
        let json = serde_json::to_string(&a).unwrap();
        assert!(json.contains("\"published\":\"2023-06-22T10:35:12-04:00\""));
        assert!(json.contains("\"title\":\"json-ld\""));
        let back: Article = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
    }
}
