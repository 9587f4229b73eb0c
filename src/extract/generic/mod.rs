//! The generic main-content extractor: finds the article body on a page with no site rules.

use scraper::{Html, Selector};

use crate::model::PageKind;

/// Hints the rest of the extractor passes in (title as an anchor, JSON-LD `articleBody`).
#[derive(Debug, Clone, Default)]
pub struct GenericContext {
    /// The article title, if already known from metadata.
    pub title: Option<String>,
    /// JSON-LD `articleBody`, if present (checked against the DOM; may be truncated).
    pub json_ld_body: Option<String>,
}

/// The body found by the generic extractor.
#[derive(Debug, Clone, Default)]
pub struct GenericBody {
    /// Plain text, paragraphs separated by a blank line.
    pub text: String,
    /// Article, listing, error page, other.
    pub page_kind: PageKind,
}

/// Find the main text of `doc`.
pub fn extract_body(doc: &Html, _ctx: &GenericContext) -> GenericBody {
    let mut paras = Vec::new();
    if let Ok(sel) = Selector::parse("p") {
        for p in doc.select(&sel) {
            let t = p.text().collect::<String>();
            let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
            if !t.is_empty() {
                paras.push(t);
            }
        }
    }
    GenericBody {
        text: paras.join("\n\n"),
        page_kind: PageKind::Article,
    }
}
