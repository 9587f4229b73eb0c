//! Turn one HTML page (bytes + URL + capture date + rules) into an [`Article`]: charset decoding,
//! site selectors, JSON-LD / OpenGraph / meta, the generic body extractor, dates, authors,
//! language and links. Pure and synchronous: no network, disk, clock or tokio.
//!
//! [`extract`] is a short pipeline, one step per file:
//!
//! 1. `page`: decode the bytes (`charset`) and parse the DOM, once.
//! 2. `signals`: everything the page says, read once into a `PageSignals`: the declared
//!    metadata (JSON-LD, meta tags) and links of the page as received; the site's selector
//!    rules (paywall markers, then `remove`); page chrome and the page's date style on the
//!    cleaned DOM; the date under the headline and the byline when first asked for.
//! 3. `resolve/`: one resolver per field. Each tries the field's sources in order — the site's
//!    selector config, JSON-LD, meta tags, generic heuristics — and returns the value with the
//!    source that gave it, recorded in [`Article::fields_from`].
//! 4. `kind/`: the page kind and its confidence; a listing, documentation, service, product
//!    or forum page's body is then extracted again as its items, product text or posts
//!    (`generic/broad.rs`).
//! 5. `assemble`: the [`Article`] and the links.

/// A CSS selector compiled once per call site (an immutable constant, not a cache).
macro_rules! css {
    ($s:expr) => {{
        static S: std::sync::LazyLock<Option<scraper::Selector>> =
            std::sync::LazyLock::new(|| scraper::Selector::parse($s).ok());
        S.as_ref()
    }};
}

mod assemble;
pub mod authors;
pub mod charset;
pub mod check;
pub mod dates;
pub mod generic;
pub mod headline;
pub mod heuristics;
pub(crate) mod interned;
pub mod jsonld;
pub mod kind;
pub mod language;
pub mod links;
pub mod literal_regex;
pub mod meta;
mod page;
pub mod published;
pub mod relative_dates;
mod resolve;
mod signals;
mod site;
pub mod sniff;
pub mod text;
mod word_count;

pub use word_count::word_count;

use chrono::{DateTime, Utc};

pub use kind::Features;

use crate::model::{Article, PageKind};
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
    /// Skip the generic body extractor when no site rule gives the body (metadata only).
    pub skip_generic_body: bool,
    /// Skip the page-kind classifier: `page_kind` is the body extractor's verdict and the
    /// confidence is absent. For callers that only want the fields, and for measuring what
    /// the classifier costs (`cargo bench --bench extract`).
    pub skip_page_kind: bool,
    /// Keep the classifier's feature vector in [`Extraction::kind_features`] (what
    /// `scripts/train_kind.py` trains on; `newsarc eval --kind-features-out`).
    pub keep_kind_features: bool,
}

/// The result of extracting one page.
#[derive(Debug, Clone)]
pub struct Extraction {
    /// The article fields (with `page_kind` saying whether it is an article at all).
    pub article: Article,
    /// Absolute http(s) links found in the page, in document order, for the crawler.
    pub links: Vec<String>,
    /// The page-kind features, in the order [`kind::features::name`] names them, when
    /// [`ExtractOptions::keep_kind_features`] asked for them (and the page was classified).
    pub kind_features: Option<Features>,
}

/// Extract `input` with `rules` (possibly empty).
pub fn extract(input: &ExtractInput<'_>, rules: &RuleSet, opts: &ExtractOptions) -> Extraction {
    // 1. Decode and parse.
    let page = page::Page::load(input);
    // 2. Page signals, read once.
    let signals = signals::PageSignals::read(page, rules, input.captured, opts);
    // 3. One resolver per field.
    let mut fields = resolve::fields(&signals, opts);
    // 4. Page kind: the classifier over signals and fields; an empty page is no article.
    let mut words = word_count(&fields.body.text.value);
    let (verdict, features) = if signals.page.empty {
        let other = kind::Verdict {
            kind: PageKind::Other,
            confidence: 1.0,
        };
        (Some(other), None)
    } else if opts.skip_page_kind {
        (None, None)
    } else {
        let (v, x) = kind::classify(&signals, &fields, words);
        (Some(v), opts.keep_kind_features.then_some(x))
    };
    if let Some(v) = &verdict
        && resolve::for_kind(&signals, &mut fields, v.kind, opts)
    {
        words = word_count(&fields.body.text.value);
    }
    // 5. Assembly.
    let mut ex = assemble::extraction(signals, fields, verdict, words);
    ex.kind_features = features;
    ex
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A section front: a headline and twelve linked teasers, nothing declaring an article.
    fn front() -> String {
        let cards: String = (0..12)
            .map(|k| {
                format!(
                    "<div class=teaser><h2><a href=/news/2024/05/0{k}/story-{k}>Council votes on \
                     bridge plan number {k}</a></h2><p>Teaser {k}: the vote was close.</p></div>"
                )
            })
            .collect();
        format!(
            "<html><head><title>Local news</title></head><body><nav><a href=/>Home</a></nav>\
             <main><h1>Local news</h1>{cards}</main></body></html>"
        )
    }

    #[test]
    fn a_listing_body_is_its_teasers_unless_the_generic_body_is_skipped() {
        let html = front();
        let input = ExtractInput::new(html.as_bytes(), "https://example.org/news/");
        let rules = RuleSet::default();
        let ex = extract(&input, &rules, &ExtractOptions::default());
        assert_eq!(ex.article.page_kind, PageKind::Listing);
        for k in 0..12 {
            assert!(
                ex.article.body.contains(&format!("bridge plan number {k}")),
                "{}",
                ex.article.body
            );
        }
        assert_eq!(ex.article.word_count, word_count(&ex.article.body));
        let opts = ExtractOptions {
            skip_generic_body: true,
            ..ExtractOptions::default()
        };
        let ex = extract(&input, &rules, &opts);
        assert_eq!(ex.article.body, "");
        assert_eq!(ex.article.word_count, 0);
    }
}
