//! Turn one HTML page (bytes + URL + capture date + rules) into an [`Article`]: charset decoding,
//! site selectors, JSON-LD / OpenGraph / meta, the generic body extractor, dates, authors,
//! language and links. Pure and synchronous: no network, disk, clock or tokio.

pub mod generic;

use chrono::{DateTime, Utc};
use scraper::{Html, Selector};

use crate::model::{Article, FieldSource};
use crate::selectors::RuleSet;

/// One page to extract.
#[derive(Debug, Clone, Copy)]
pub struct ExtractInput<'a> {
    /// The body exactly as received (any charset; content-encoding already removed).
    pub body: &'a [u8],
    /// The URL the page was fetched from (after redirects); base for relative links.
    pub url: &'a str,
    /// The HTTP `Content-Type` header, if known (its `charset` wins over the page's own).
    pub content_type: Option<&'a str>,
    /// When the page was captured (selects the template of a dated selector config).
    pub captured: Option<DateTime<Utc>>,
}

impl<'a> ExtractInput<'a> {
    /// An input with only bytes and URL.
    pub fn new(body: &'a [u8], url: &'a str) -> Self {
        ExtractInput {
            body,
            url,
            content_type: None,
            captured: None,
        }
    }
}

/// Switches for one extraction run.
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    /// Ignore site selector configs: metadata + generic only.
    pub no_site_rules: bool,
}

/// The result of extracting one page.
#[derive(Debug, Clone)]
pub struct Extraction {
    /// The article fields (with `page_kind` saying whether it is an article at all).
    pub article: Article,
    /// Absolute http(s) links found in the page, in document order, for the crawler.
    pub links: Vec<String>,
}

/// Extract `input` with `rules` (possibly empty).
pub fn extract(input: &ExtractInput<'_>, _rules: &RuleSet, _opts: &ExtractOptions) -> Extraction {
    let text = String::from_utf8_lossy(input.body);
    let doc = Html::parse_document(&text);
    let mut article = Article::empty(input.url);
    if let Ok(sel) = Selector::parse("title") {
        if let Some(t) = doc.select(&sel).next() {
            let title = t.text().collect::<String>().trim().to_string();
            if !title.is_empty() {
                article.title = Some(title);
                article
                    .fields_from
                    .insert("title".into(), FieldSource::Generic);
            }
        }
    }
    let body = generic::extract_body(&doc, &generic::GenericContext::default());
    article.word_count = body.text.split_whitespace().count();
    article.body = body.text;
    article.page_kind = body.page_kind;
    Extraction {
        article,
        links: Vec::new(),
    }
}
