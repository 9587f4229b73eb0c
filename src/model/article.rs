//! The Article JSON (schema version 2) that extraction produces and exports consume.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// Version of the Article JSON schema written into every conversion record.
///
/// History: 1, the first release; 2, `page_kind` gained the kinds a news archive meets
/// (`liveblog`, `gallery`, `video`, `forum`, `product`, `documentation`, `service`) and
/// `page_kind_confidence` was added. Version 1 JSON still reads (confidence absent).
pub const SCHEMA_VERSION: u32 = 2;

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
///
/// The first four are parsed into dataset rows ([`PageKind::is_parsed`]); the others are
/// archived raw only.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum PageKind {
    /// A single article: the body holds its text.
    #[default]
    Article,
    /// A live blog: a stream of dated updates on one story.
    Liveblog,
    /// A photo gallery: images with captions as the main content.
    Gallery,
    /// A video page: one video as the main content, with its description.
    Video,
    /// A list of links to other pages: home, section, tag, author, archive or search pages.
    Listing,
    /// A forum or Q&A thread: posts by several people.
    Forum,
    /// A product or shop page: price, cart, specifications.
    Product,
    /// Documentation: reference or how-to pages with code blocks and a docs sidebar.
    Documentation,
    /// A marketing or landing page: hero, features, calls to action.
    Service,
    /// An error page (not found, gone), a soft 404, or a login or consent wall.
    Error,
    /// Not HTML, HTML with no usable text, or none of the above.
    Other,
}

impl PageKind {
    /// Every kind, in declaration order.
    pub const ALL: [PageKind; 11] = [
        PageKind::Article,
        PageKind::Liveblog,
        PageKind::Gallery,
        PageKind::Video,
        PageKind::Listing,
        PageKind::Forum,
        PageKind::Product,
        PageKind::Documentation,
        PageKind::Service,
        PageKind::Error,
        PageKind::Other,
    ];

    /// Whether pages of this kind are parsed and stored (conversion records, dataset rows):
    /// articles, live blogs, galleries and videos. Everything else is archived raw only.
    pub fn is_parsed(self) -> bool {
        matches!(
            self,
            PageKind::Article | PageKind::Liveblog | PageKind::Gallery | PageKind::Video
        )
    }

    /// The kind's name as written in Article JSON (`article`, `liveblog`, ...).
    pub fn name(self) -> &'static str {
        match self {
            PageKind::Article => "article",
            PageKind::Liveblog => "liveblog",
            PageKind::Gallery => "gallery",
            PageKind::Video => "video",
            PageKind::Listing => "listing",
            PageKind::Forum => "forum",
            PageKind::Product => "product",
            PageKind::Documentation => "documentation",
            PageKind::Service => "service",
            PageKind::Error => "error",
            PageKind::Other => "other",
        }
    }

    /// The kind named `name` (as [`PageKind::name`] writes it), if any.
    pub fn from_name(name: &str) -> Option<PageKind> {
        PageKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

impl std::fmt::Display for PageKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
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

/// One parsed article page (Article JSON, schema version 2).
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
    /// How sure the classifier is of `page_kind`, 0 to 1 (absent in schema version 1).
    #[serde(default, serialize_with = "short_f32")]
    pub page_kind_confidence: Option<f32>,
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
            page_kind_confidence: None,
            fields_from: BTreeMap::new(),
            extractor: extractor_info(),
            selectors: None,
            warnings: Vec::new(),
        }
    }
}

/// An `f32` written as its shortest decimal (`0.644`, not the `0.6439999938` of its f64 value).
fn short_f32<S: serde::Serializer>(v: &Option<f32>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(x) => s.serialize_f64(x.to_string().parse::<f64>().unwrap_or(f64::from(*x))),
        None => s.serialize_none(),
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

    #[test]
    fn kind_names_match_serde_and_round_trip() {
        for k in PageKind::ALL {
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.name()));
            assert_eq!(PageKind::from_name(k.name()), Some(k));
        }
        assert_eq!(PageKind::from_name("articles"), None);
        let parsed: Vec<_> = PageKind::ALL
            .into_iter()
            .filter(|k| k.is_parsed())
            .collect();
        assert_eq!(
            parsed,
            [
                PageKind::Article,
                PageKind::Liveblog,
                PageKind::Gallery,
                PageKind::Video
            ]
        );
    }

    #[test]
    fn schema_1_json_without_confidence_still_reads() {
        let mut v = serde_json::to_value(Article::empty("https://example.com/a")).unwrap();
        let obj = v.as_object_mut().unwrap();
        obj.remove("page_kind_confidence");
        obj.insert("schema_version".into(), 1.into());
        obj.insert("page_kind".into(), "listing".into());
        let a: Article = serde_json::from_value(v).unwrap();
        assert_eq!((a.schema_version, a.page_kind), (1, PageKind::Listing));
        assert_eq!(a.page_kind_confidence, None);
    }

    #[test]
    fn confidence_is_written_as_a_short_decimal() {
        let mut a = Article::empty("https://example.com/a");
        a.page_kind_confidence = Some(0.644);
        let v = serde_json::to_value(&a).unwrap();
        assert_eq!(v["page_kind_confidence"].to_string(), "0.644");
        let back: Article = serde_json::from_value(v).unwrap();
        assert_eq!(back.page_kind_confidence, Some(0.644));
    }
}
