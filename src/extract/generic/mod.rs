//! The generic main-content extractor: finds the article body on a page with no site rules.
//!
//! Works on the already-parsed DOM (no second parse) in a few linear passes:
//! [`dom`] flattens the tree (iteratively), [`prep`] removes furniture (hidden elements,
//! navigation, share bars, comments, ads, ... by tag, role and class) and counts text and link
//! text bottom-up, [`score`] picks the content container (paragraph scores propagated to
//! ancestors, link density, CMS body classes, `<article>`, `itemprop=articleBody`) and merges
//! its siblings, [`text`] turns it into paragraphs and filters short furniture, [`kind`] tells
//! articles from list and error pages. JSON-LD `articleBody` replaces the DOM text when the DOM
//! yields clearly less. [`extract_shaped`] reads a page that is not an article as its items,
//! product text or posts (`broad`). See `docs/extraction.md`.

mod broad;
mod dom;
mod kind;
mod prep;
mod score;
mod signals;
mod text;

use scraper::Html;

pub use broad::Shape;
pub(crate) use kind::is_error_title;

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

fn nonspace_chars(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

/// JSON-LD `articleBody` as paragraphs (its own line breaks kept as paragraph breaks).
fn json_paragraphs(s: &str) -> String {
    s.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The text of a description that may hold markup (`<h4>Title</h4><p>Text</p>`, as product
/// data often does): one paragraph per block element or line, whitespace folded.
pub fn markup_paragraphs(s: &str) -> String {
    if !s.contains('<') {
        return json_paragraphs(s);
    }
    let doc = Html::parse_fragment(s);
    let mut out = String::with_capacity(s.len());
    for n in doc.root_element().descendants() {
        match n.value() {
            scraper::Node::Text(t) => out.push_str(t),
            scraper::Node::Element(e)
                if matches!(
                    e.name(),
                    "p" | "br" | "li" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "tr"
                ) =>
            {
                out.push('\n')
            }
            _ => {}
        }
    }
    json_paragraphs(&out)
}

fn body_blocks(p: &prep::Prep<'_>, title: Option<&str>) -> (Vec<text::Block>, usize) {
    let mut blocks = match score::find_region(p, title) {
        Some(r) => text::filter(text::emit(p, &r.roots, true)),
        None => Vec::new(),
    };
    let mut chars: usize = blocks.iter().map(|b| b.chars).sum();
    // Fallback: the container holds little of the page's paragraph text, take the whole body.
    let body_paras: usize = p.paras.get(p.body as usize).copied().unwrap_or(0) as usize;
    if chars < 250 && (body_paras >= 2 || blocks.is_empty()) {
        let all = text::filter(text::emit(p, &[p.body], true));
        let all_chars: usize = all.iter().map(|b| b.chars).sum();
        if all_chars > chars * 2 {
            blocks = all;
            chars = all_chars;
        }
    }
    (blocks, chars)
}

/// The main content of a page that is not an article, read as `shape` (see `broad`); `None`
/// for a thread without repeated posts.
pub fn extract_shaped(doc: &Html, ctx: &GenericContext, shape: Shape) -> Option<String> {
    let mut p = prep::prepare(doc, false);
    if shape == Shape::Items {
        broad::drop_filter_panels(&mut p);
    }
    let title = ctx.title.as_deref().or(document_title(&p));
    broad::body(&p, title, shape)
}

/// Find the main text of `doc`.
pub fn extract_body(doc: &Html, ctx: &GenericContext) -> GenericBody {
    extract_inner(doc, ctx, true)
}

/// [`extract_body`]; `noscript`: may parse `<noscript>` markup (not in the nested call).
fn extract_inner(doc: &Html, ctx: &GenericContext, noscript: bool) -> GenericBody {
    let mut p = prep::prepare(doc, true);
    let doc_title = document_title(&p);
    let title = ctx.title.as_deref().or(doc_title);
    let (mut blocks, mut chars) = body_blocks(&p, title);
    // Short result: the class vocabulary may have removed a layout wrapper; retry without it
    // and keep the longer text (readability's retry).
    if chars < 500 {
        let lenient = prep::prepare(doc, false);
        let (b2, c2) = body_blocks(&lenient, title);
        if c2 > chars + chars / 2 + 100 {
            blocks = b2;
            chars = c2;
            p = lenient;
        }
    }
    // The title is its own field: a heading repeating it at the top is not body text.
    if let Some(t) = title {
        let mut k = 0;
        while k < blocks.len().min(3) {
            if blocks[k].heading && score::matches_title(&blocks[k].text, t, true) {
                chars = chars.saturating_sub(blocks[k].chars);
                blocks.remove(k);
            } else {
                k += 1;
            }
        }
    }
    let mut text = blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    // Content only in <noscript> (pages that render the article with a script): the markup
    // inside is raw text for a scripting-enabled parser; parse that fragment alone.
    if chars < 200
        && noscript
        && let Some(frag) = noscript_markup(&p)
    {
        let sub_doc = Html::parse_fragment(frag);
        let sub_ctx = GenericContext {
            title: title.map(str::to_string),
            json_ld_body: None,
        };
        let sub = extract_inner(&sub_doc, &sub_ctx, false);
        let sc = nonspace_chars(&sub.text);
        if sc > chars * 2 && sub.page_kind == PageKind::Article {
            return sub;
        }
    }
    // JSON-LD articleBody: used when it is clearly longer than what the DOM gave.
    if let Some(j) = ctx.json_ld_body.as_deref() {
        let jc = nonspace_chars(j);
        if jc > chars + chars / 2 + 200 {
            text = json_paragraphs(j);
            chars = jc;
        }
    }
    let page_kind = kind::classify(&p, title, chars);
    if page_kind != PageKind::Article {
        text.clear();
    }
    GenericBody { text, page_kind }
}

/// The largest `<noscript>` whose raw text looks like article markup (has paragraphs).
fn noscript_markup<'a>(p: &prep::Prep<'a>) -> Option<&'a str> {
    let mut best: Option<&'a str> = None;
    for (i, n) in p.nodes.iter().enumerate() {
        if n.tag() != "noscript" {
            continue;
        }
        for c in &p.nodes[i + 1..n.end as usize] {
            if let dom::Kind::Text(t) = c.kind
                && t.len() > 200
                && t.contains("<p")
                && best.is_none_or(|b| t.len() > b.len())
            {
                best = Some(t);
            }
        }
    }
    best
}

fn document_title<'a>(p: &prep::Prep<'a>) -> Option<&'a str> {
    let i = p.nodes.iter().position(|n| n.tag() == "title")?;
    match p.nodes.get(i + 1)?.kind {
        dom::Kind::Text(t) if p.nodes[i + 1].parent == i as u32 => Some(t),
        _ => None,
    }
}

#[doc(hidden)]
/// Debug aid for `examples/generic_eval` (`DBG=1`): page counts, then each removed subtree
/// (tag, class/id, size in nodes).
pub fn debug_dropped(doc: &Html) -> Vec<String> {
    let p = prep::prepare(doc, true);
    let mut v = vec![format!(
        "nodes={} body={} text={} paras={} doc_nodes={}",
        p.nodes.len(),
        p.body,
        p.text_len.get(p.body as usize).copied().unwrap_or(0),
        p.paras.get(p.body as usize).copied().unwrap_or(0),
        doc.tree.values().count()
    )];
    for i in 0..p.nodes.len() {
        let par = p.nodes[i].parent;
        if p.dropped[i]
            && (par == dom::NONE || !p.dropped[par as usize])
            && let Some(e) = p.nodes[i].elem()
        {
            v.push(format!(
                "{} {:?} end={}",
                e.name(),
                signals::class_id(e),
                p.nodes[i].end as usize - i
            ));
        }
    }
    v
}
