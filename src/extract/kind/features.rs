//! The page-kind feature vector: what the URL, the declared metadata, the resolved fields and
//! the DOM say about the kind of page. [`NAMES`] and [`Features::compute`] list the same
//! features in the same order; the model file names them too, and a test checks all three agree.

use std::sync::LazyLock;

use regex::Regex;
use url::Url;

use super::body_text;
use super::dom_stats::{CLASS_WORDS, DomStats};
use crate::extract::resolve::{Fields, squeeze};
use crate::extract::signals::PageSignals;
use crate::model::PageKind;

/// The feature names, in vector order (then the body-text features of [`body_text::NAMES`],
/// one class-word feature per [`CLASS_WORDS`] entry, named `class_<word>`, and `price_props`).
pub const NAMES: [&str; 84] = [
    "url_date",
    "url_slug_words",
    "url_depth",
    "url_listing_word",
    "url_page_number",
    "url_query",
    "url_root",
    "url_long_number",
    "url_html_ext",
    "url_product_word",
    "url_forum_word",
    "url_docs_word",
    "url_media_word",
    "url_last_listing",
    "url_service_word",
    "ld_article",
    "ld_liveblog",
    "ld_collection",
    "ld_product",
    "ld_forum",
    "ld_docs",
    "ld_webpage",
    "ld_none",
    "ld_video",
    "ld_gallery",
    "ld_faq",
    "ld_service",
    "ld_event",
    "ld_recipe",
    "og_article",
    "og_website",
    "og_product",
    "og_video",
    "og_none",
    "meta_published",
    "meta_author",
    "meta_modified",
    "has_title",
    "has_published",
    "authors",
    "body_words",
    "body_share",
    "site_rule_body",
    "generic_listing",
    "generic_error",
    "error_title",
    "shown_date",
    "byline",
    "title_is_h1",
    "body_long_paras",
    "body_mean_para",
    "title_words",
    "h1_words",
    "text",
    "link_share",
    "long_para_share",
    "chrome_share",
    "code_share",
    "long_paras",
    "paras",
    "h1",
    "h2",
    "h3",
    "linked_headings",
    "linked_heading_share",
    "links",
    "articles",
    "times",
    "linked_item_share",
    "pres",
    "forms",
    "inputs",
    "passwords",
    "textareas",
    "buttons",
    "images",
    "media",
    "calls_to_action",
    "heading_per_para",
    "dated_cards",
    "sections",
    "item_text_share",
    "item_plain_share",
    "heading_text_share",
];

/// How many features the vector has: [`NAMES`], the body-text ones, one per class word, and
/// `price_props`.
pub const LEN: usize = NAMES.len() + body_text::NAMES.len() + CLASS_WORDS.len() + 1;

/// The name of feature `i`.
pub fn name(i: usize) -> String {
    let text = NAMES.len();
    let class = text + body_text::NAMES.len();
    match i {
        i if i < text => NAMES[i].to_string(),
        i if i < class => body_text::NAMES[i - text].to_string(),
        i if i < class + CLASS_WORDS.len() => format!("class_{}", CLASS_WORDS[i - class]),
        _ => "price_props".to_string(),
    }
}

static URL_DATE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?:^|[/_-])(?:19|20)\d{2}(?:[/_-]?)(?:0[1-9]|1[0-2])(?:[/_-]?(?:[0-2]\d|3[01]))?(?:[/_.-]|$)").ok()
});
static URL_LONG_NUMBER: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\d{5,}").ok());
static URL_PAGE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)/page/\d+|[?&](?:page|p|pg|start|offset)=\d+|/p\d+/?$").ok());

fn matches(re: &LazyLock<Option<Regex>>, s: &str) -> bool {
    re.as_ref().is_some_and(|r| r.is_match(s))
}

/// Path segments (already lower case) holding any of `words`, whole or as one of their
/// hyphen-separated parts.
fn segment_has(segments: &[&str], words: &[&str]) -> bool {
    segments.iter().any(|s| {
        words.contains(s) || (s.len() > 1 && s.split(['-', '_', '.']).any(|p| words.contains(&p)))
    })
}

/// The page-kind features of one page.
#[derive(Debug, Clone)]
pub struct Features(pub Vec<f32>);

impl Features {
    /// Compute the features from the page signals, the resolved fields, the DOM counts and the
    /// generic body extractor's own verdict.
    pub(super) fn compute(
        sig: &PageSignals<'_>,
        fields: &Fields,
        dom: &DomStats,
        words: usize,
    ) -> Features {
        let mut v = Vec::with_capacity(LEN);
        url_features(sig.page.page_url.as_ref(), &mut v);
        declared_features(sig, dom, &mut v);
        field_features(sig, fields, dom, words as u32, &mut v);
        dom_features(dom, &mut v);
        body_text::push(&fields.body.text.value, &mut v);
        v.extend(dom.words.0.iter().map(|&n| log(n)));
        v.push(log(dom.price_props));
        Features(v)
    }
}

fn b(x: bool) -> f32 {
    if x { 1.0 } else { 0.0 }
}

fn log(n: u32) -> f32 {
    (n as f32).ln_1p()
}

fn share(part: u32, whole: u32) -> f32 {
    if whole == 0 {
        0.0
    } else {
        (part as f32 / whole as f32).min(1.0)
    }
}

/// Words of a URL path segment's slug (`a-long-story.html`: 3), without its extension.
pub(super) fn slug_words(segment: &str) -> usize {
    let stem = segment.rsplit_once('.').map_or(segment, |(s, _)| s);
    stem.split(['-', '_']).filter(|w| w.len() > 1).count()
}

fn url_features(url: Option<&Url>, v: &mut Vec<f32>) {
    let path = url.map(Url::path).unwrap_or("/");
    let query = url.and_then(Url::query).unwrap_or("");
    let lower = path.to_ascii_lowercase();
    let segments: Vec<&str> = lower
        .split('/')
        .filter(|s| !s.is_empty())
        .take(12)
        .collect();
    let last = segments.last().copied().unwrap_or("");
    let stem = last.rsplit_once('.').map_or(last, |(s, _)| s);
    let slug_words = slug_words(last) as u32;
    let with_query = format!("{path}?{query}");
    v.push(b(matches(&URL_DATE, path)));
    v.push(log(slug_words));
    v.push(segments.len().min(10) as f32);
    v.push(b(segment_has(&segments, &LISTING_WORDS)));
    v.push(b(matches(&URL_PAGE, &with_query)));
    v.push(b(!query.is_empty()));
    v.push(b(segments.is_empty()));
    v.push(b(matches(&URL_LONG_NUMBER, path)));
    v.push(b([".html", ".htm", ".shtml", ".php", ".aspx"]
        .iter()
        .any(|e| last.ends_with(e))));
    v.push(b(segment_has(
        &segments,
        &[
            "product", "products", "p", "dp", "shop", "store", "item", "buy", "pricing",
        ],
    )));
    v.push(b(segment_has(
        &segments,
        &[
            "forum",
            "forums",
            "thread",
            "threads",
            "t",
            "questions",
            "question",
            "community",
            "discussion",
            "discussions",
            "viewtopic.php",
            "showthread.php",
            "r",
            "comments",
        ],
    )));
    v.push(b(segment_has(
        &segments,
        &[
            "docs",
            "doc",
            "documentation",
            "api",
            "reference",
            "guide",
            "guides",
            "manual",
            "wiki",
            "tutorial",
            "tutorials",
            "learn",
            "help",
            "kb",
            "library",
        ],
    )));
    v.push(b(segment_has(
        &segments,
        &[
            "live",
            "gallery",
            "galleries",
            "photos",
            "video",
            "videos",
            "watch",
            "pictures",
        ],
    )));
    v.push(b(segments.is_empty()
        || LISTING_WORDS.contains(&stem)
        || stem.chars().all(|c| c.is_ascii_digit())));
    v.push(b(segment_has(
        &segments,
        &[
            "pricing",
            "plans",
            "features",
            "solutions",
            "services",
            "service",
            "about",
            "contact",
            "careers",
            "demo",
            "platform",
            "enterprise",
            "capabilities",
            "industries",
            "programs",
            "overview",
            "why",
            "tools",
            "calculator",
            "calculators",
            "what-we-do",
            "apply",
            "admissions",
            "locations",
            "membership",
            "support",
        ],
    )));
}

/// Last path segments of listing pages.
const LISTING_WORDS: [&str; 24] = [
    "tag",
    "tags",
    "category",
    "categories",
    "topic",
    "topics",
    "author",
    "authors",
    "section",
    "archive",
    "archives",
    "search",
    "index",
    "latest",
    "news",
    "blog",
    "collections",
    "collection",
    "list",
    "all",
    "stories",
    "articles",
    "posts",
    "page",
];

/// Which group a declared `@type` / `itemtype` / `og:type` belongs to.
fn ld_group(t: &str) -> Option<usize> {
    Some(match t {
        "LiveBlogPosting" => 1,
        "CollectionPage" | "ItemList" | "SearchResultsPage" | "ProfilePage" | "Blog" => 2,
        "Product" | "Offer" | "AggregateOffer" | "ProductGroup" | "IndividualProduct" => 3,
        "QAPage" | "DiscussionForumPosting" | "Question" | "Answer" | "Comment" => 4,
        "TechArticle" | "APIReference" | "SoftwareSourceCode" | "HowTo" => 5,
        "WebPage" | "AboutPage" | "ContactPage" => 6,
        "VideoObject" | "VideoGallery" => 8,
        "ImageGallery" | "MediaGallery" => 9,
        "FAQPage" => 10,
        "Service" | "SoftwareApplication" | "WebApplication" | "LocalBusiness" | "Course" => 11,
        "Event" => 12,
        "Recipe" => 13,
        t if t.ends_with("Article") || t == "BlogPosting" || t == "Report" => 0,
        _ => return None,
    })
}

fn declared_features(sig: &PageSignals<'_>, dom: &DomStats, v: &mut Vec<f32>) {
    let mut groups = [false; 14];
    let declared = sig.ld.types.iter().chain(&dom.item_types);
    let mut any = false;
    for t in declared {
        any = true;
        if let Some(g) = ld_group(t) {
            groups[g] = true;
        }
    }
    groups[7] = !any;
    v.extend(groups.iter().map(|&g| b(g)));
    let og = sig
        .meta
        .first(&["og:type"])
        .map(|t| t.trim().to_ascii_lowercase());
    let og = og.as_deref();
    v.push(b(
        og.is_some_and(|t| t == "article" || t.ends_with(":article"))
    ));
    v.push(b(og == Some("website")));
    v.push(b(og.is_some_and(|t| t.contains("product"))));
    v.push(b(og.is_some_and(|t| t.starts_with("video"))));
    v.push(b(og.is_none()));
    v.push(b(sig
        .meta
        .first(&[
            "article:published_time",
            "og:published_time",
            "date",
            "pubdate",
        ])
        .is_some()));
    v.push(b(sig.meta.first(&["author", "article:author"]).is_some()));
    v.push(b(sig
        .meta
        .first(&["article:modified_time", "og:updated_time"])
        .is_some()));
}

fn field_features(sig: &PageSignals<'_>, f: &Fields, dom: &DomStats, words: u32, v: &mut Vec<f32>) {
    let body_bytes = f.body.text.value.len() as u32;
    let title = f.title.value.as_deref().or(sig.meta.title_tag.as_deref());
    v.push(b(f.title.value.is_some()));
    v.push(b(f.published.value.is_some()));
    v.push(f.authors.value.len().min(5) as f32);
    v.push(log(words));
    v.push(share(body_bytes, dom.text));
    v.push(b(
        f.body.text.source == Some(crate::model::FieldSource::Selector)
    ));
    v.push(b(f.body.page_kind == Some(PageKind::Listing)));
    v.push(b(f.body.page_kind == Some(PageKind::Error)));
    v.push(b(title.is_some_and(crate::extract::generic::is_error_title)));
    v.push(b(sig.shown_date_seen()));
    v.push(b(sig.byline_seen()));
    let h1 = squeeze(&dom.first_h1);
    v.push(b(!h1.is_empty()
        && f.title.value.as_deref().is_some_and(|t| {
            let t = squeeze(t);
            t == h1 || (h1.len() > 12 && t.contains(&h1)) || (t.len() > 12 && h1.contains(&t))
        })));
    let (mut paras, mut bytes, mut long) = (0usize, 0usize, 0u32);
    for p in f.body.text.value.split("\n\n").filter(|p| !p.is_empty()) {
        paras += 1;
        bytes += p.len();
        long += u32::from(p.len() >= 150);
    }
    v.push(log(long));
    v.push(log((bytes / paras.max(1)) as u32));
    let title_words = f
        .title
        .value
        .as_deref()
        .map_or(0, |t| t.split_whitespace().count());
    v.push(log(title_words as u32));
    v.push(log(dom.first_h1.split_whitespace().count() as u32));
}

fn dom_features(d: &DomStats, v: &mut Vec<f32>) {
    v.push(log(d.text));
    v.push(share(d.link_text, d.text));
    v.push(share(d.long_para_text, d.text));
    v.push(share(d.chrome_text, d.text));
    v.push(share(d.code_text, d.text));
    v.push(log(d.long_paras));
    v.push(log(d.paras));
    v.push(log(d.h1));
    v.push(log(d.h2));
    v.push(log(d.h3));
    v.push(log(d.linked_headings));
    v.push(share(d.linked_headings, d.h2 + d.h3));
    v.push(log(d.links));
    v.push(log(d.articles));
    v.push(log(d.times));
    v.push(share(d.linked_items, d.list_items));
    v.push(log(d.pres));
    v.push(log(d.forms));
    v.push(log(d.inputs));
    v.push(log(d.passwords));
    v.push(log(d.textareas));
    v.push(log(d.buttons));
    v.push(log(d.images));
    v.push(log(d.videos + d.video_frames));
    v.push(log(d.calls_to_action));
    v.push(share(d.h2 + d.h3, d.long_paras + 1));
    v.push(log(d.times.min(d.linked_headings + d.linked_items)));
    v.push(log(d.sections));
    v.push(share(d.item_text, d.text));
    v.push(share(d.item_plain_text, d.text));
    v.push(share(d.heading_text, d.text));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        let names: Vec<String> = (0..LEN).map(name).collect();
        let set: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(set.len(), LEN);
    }

    #[test]
    fn url_shapes() {
        let f = |u: &str| {
            let mut v = Vec::new();
            url_features(Url::parse(u).ok().as_ref(), &mut v);
            v
        };
        let a = f("https://x.com/2024/05/17/a-long-slug-about-the-news.html");
        assert_eq!((a[0], a[8]), (1.0, 1.0));
        assert!(a[1] > 1.5);
        let t = f("https://x.com/tag/politics/page/2");
        assert_eq!((t[0], t[3], t[4]), (0.0, 1.0, 1.0));
        assert_eq!(f("https://x.com/")[6], 1.0);
        assert_eq!(f("https://x.com/forums/thread-123")[10], 1.0);
        assert_eq!(f("https://x.com/docs/install")[11], 1.0);
        assert_eq!(f("https://x.com/20240517-slug")[0], 1.0);
        assert_eq!(f("https://x.com/item/2024")[0], 0.0);
    }
}
