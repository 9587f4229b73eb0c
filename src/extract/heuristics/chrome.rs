//! Page chrome: the parts of a page around the article (navigation, headers, sidebars,
//! related lists, teasers, cookie banners) whose dates and names are never the article's, told
//! apart by element names and whole-word class / id tokens, anchored on the headline and the
//! article body.

use std::collections::HashSet;

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::{ElementRef, Html, Node};

use crate::extract::interned::{self as attrs, local_name};

/// Class / id fragments of page chrome whose dates and names are never the article's.
const CHROME: &[&str] = &[
    "related",
    "widget",
    "sidebar",
    "recommend",
    "latest",
    "popular",
    "trending",
    "comment",
    "menu",
    "navbar",
    "topbar",
    "top-bar",
    "header-top",
    "top-header",
    "site-header",
    "masthead",
    "breadcrumb",
    "teaser",
    "newsletter",
    "promo",
    "weather",
    "ticker",
    "cookie",
    "more-stories",
    "read-more",
    "readmore",
    "header-menu",
    "top-menu",
    "td-header",
    "footer-widget",
    "relatedposts",
    "yarpp",
];

/// Fragments that are chrome for bylines (author boxes and bios hold names, not bylines).
const BYLINE_CHROME: &[&str] = &[
    "share",
    "social",
    "author-box",
    "authorbox",
    "bio",
    "comment",
    "copyright",
];

/// True when one class / id token holds `term` as whole dash/underscore-separated words
/// (`related-posts`, `td_header_top`, `comments`), not as a substring (`layoutRightSidebar`
/// is a layout, `metadata` is not `meta`).
fn token_has(tokens: &str, term: &str) -> bool {
    // Byte-wise, allocation-free (this runs for every ancestor of every candidate element):
    // ASCII case-insensitive, `_` equal to `-`.
    let sep = |b: u8| b == b'-' || b == b'_';
    let eq = |a: u8, b: u8| a.eq_ignore_ascii_case(&b) || (sep(a) && sep(b));
    let needle = term.as_bytes();
    tokens
        .split_ascii_whitespace()
        .filter(|t| {
            // Byte prefix: a class may start with a multi-byte character (`новости`).
            let low = |p: &str| {
                t.as_bytes()
                    .get(..p.len())
                    .is_some_and(|b| b.eq_ignore_ascii_case(p.as_bytes()))
            };
            !low("category-") && !low("tag-") && !low("elementor-widget")
        })
        .any(|t| {
            let hay = t.as_bytes();
            hay.len() >= needle.len()
                && (0..=hay.len() - needle.len()).any(|i| {
                    let j = i + needle.len();
                    (i == 0 || sep(hay[i - 1]))
                        && hay[i..j].iter().zip(needle).all(|(a, b)| eq(*a, *b))
                        && (j == hay.len()
                            || sep(hay[j])
                            || (hay[j].eq_ignore_ascii_case(&b's')
                                && (j + 1 == hay.len() || sep(hay[j + 1]))))
                })
        })
}

fn chrome_hit(node: NodeRef<'_, Node>, words: &[&str], keep: &HashSet<NodeId>) -> bool {
    for a in node.ancestors() {
        let Node::Element(e) = a.value() else {
            continue;
        };
        match e.name() {
            "body" | "html" => return false,
            _ if keep.contains(&a.id()) => continue,
            "nav" | "aside" => return true,
            // An `<article>` / `<main>` is content; its classes say how it is laid out
            // ("masthead-empty", "has-sidebar"), not that it is chrome.
            "article" | "main" => return false,
            _ => {}
        }
        for v in [attrs::class(e), attrs::id(e)].into_iter().flatten() {
            if words.iter().any(|c| token_has(v, c)) {
                return true;
            }
        }
    }
    false
}

/// A well-known article-body container: `[itemprop=articleBody], .entry-content, .post-body,
/// .article-body, .post-content, .article-content`.
fn is_body_container(e: &scraper::node::Element) -> bool {
    const CLASSES: [&str; 5] = [
        "entry-content",
        "post-body",
        "article-body",
        "post-content",
        "article-content",
    ];
    attrs::get(e, &local_name!("itemprop")) == Some("articleBody")
        // One split of the value for the five names (this runs for every element).
        || attrs::class(e).is_some_and(|v| v.split_ascii_whitespace().any(|t| CLASSES.contains(&t)))
}

/// Page-chrome detection for one document. Elements that hold the article itself (the
/// ancestors of the headline and of the article body) are never chrome, whatever their class
/// says (`content right-sidebar`, Blogger's `widget Blog`); the two blocks right after the
/// headline are not chrome for being called "teaser" (a standfirst), but stay chrome for any
/// other chrome word.
pub struct Chrome {
    keep: HashSet<NodeId>,
}

impl Chrome {
    /// Chrome detection with no knowledge of where the article is.
    pub fn plain() -> Self {
        Chrome {
            keep: HashSet::new(),
        }
    }

    /// Chrome detection anchored on the headline and the article body of `doc`.
    pub fn new(doc: &Html) -> Self {
        let mut keep = HashSet::new();
        let outside_site_header = |e: &ElementRef<'_>| {
            !e.ancestors().any(|a| matches!(a.value(), Node::Element(x) if matches!(x.name(), "nav" | "aside" | "header" | "footer")))
        };
        let h1s = attrs::elements_named(doc, local_name!("h1"));
        if let Some(e) = headline(h1s.filter(outside_site_header)) {
            keep.extend(e.ancestors().map(|n| n.id()));
            // The blocks right after the headline are its standfirst and dateline even when
            // called "teaser" (`l-detail-page__teaser-text`); any other chrome word (a related
            // list, share bar or author box right after the headline) still counts.
            let teaser_only = |x: &scraper::node::Element| {
                !matches!(x.name(), "nav" | "aside")
                    && [attrs::class(x), attrs::id(x)].iter().all(|a| {
                        a.is_none_or(|v| {
                            !CHROME
                                .iter()
                                .chain(BYLINE_CHROME)
                                .filter(|w| **w != "teaser")
                                .any(|w| token_has(v, w))
                        })
                    })
            };
            keep.extend(
                e.next_siblings()
                    .filter(|n| n.value().is_element())
                    .take(2)
                    .filter(|n| matches!(n.value(), Node::Element(x) if teaser_only(x)))
                    .map(|n| n.id()),
            );
        }
        // The article body is the biggest of the candidates (sidebars reuse the classes).
        let biggest = doc
            .tree
            .nodes()
            .filter_map(ElementRef::wrap)
            .filter(|e| is_body_container(e.value()))
            .take(12)
            .max_by_key(|e| e.text().map(str::len).sum::<usize>());
        if let Some(e) = biggest {
            keep.extend(e.ancestors().map(|n| n.id()));
        }
        Chrome { keep }
    }

    /// True when `node` sits inside page chrome (nav, aside, related lists, widgets, headers of
    /// the site, ...). Stops at the enclosing `<article>` / `<main>`.
    pub fn hit(&self, node: NodeRef<'_, Node>) -> bool {
        chrome_hit(node, CHROME, &self.keep)
    }

    /// [`Chrome::hit`], plus author boxes, share bars and footers (for bylines).
    pub fn byline_hit(&self, node: NodeRef<'_, Node>) -> bool {
        self.hit(node) || chrome_hit(node, BYLINE_CHROME, &self.keep)
    }
}

/// The headline among candidate `<h1>`s: the first that is not the site's wordmark, else the
/// wordmark itself (a page whose only `<h1>` is its name starts its content after it).
pub(super) fn headline<'a>(
    mut h1s: impl Iterator<Item = ElementRef<'a>>,
) -> Option<ElementRef<'a>> {
    let first = h1s.next()?;
    if !is_wordmark(first) {
        return Some(first);
    }
    Some(h1s.find(|h| !is_wordmark(*h)).unwrap_or(first))
}

/// True when an `<h1>` is the site's wordmark, not a headline: it shows no text of its own
/// (a logo image) or all its text is a link to the site's home page (`<h1><a href="/">The AI
/// Maker</a></h1>` in a top bar that is not a `<header>`).
fn is_wordmark(h1: ElementRef<'_>) -> bool {
    // One walk, counting the home links open around the current node (no ancestor walk per
    // text node: a deep headline stays linear).
    let home_link = |n: NodeRef<'_, Node>| {
        matches!(n.value(), Node::Element(e) if e.name() == "a"
            && e.attr("href").is_some_and(is_home_href))
    };
    let mut open_links = 0usize;
    for edge in h1.traverse() {
        match edge {
            Edge::Open(n) if home_link(n) => open_links += 1,
            Edge::Close(n) if home_link(n) => open_links = open_links.saturating_sub(1),
            Edge::Open(n) => {
                if let Node::Text(t) = n.value()
                    && open_links == 0
                    && !t.trim().is_empty()
                {
                    return false;
                }
            }
            Edge::Close(_) => {}
        }
    }
    true
}

/// True when a link goes to a site's home page: `/`, `./`, `https://host` or `https://host/`.
fn is_home_href(href: &str) -> bool {
    let h = href.trim();
    let path = match h.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => h,
    };
    matches!(path, "" | "/" | "./" | "/index.html")
}

/// True when `node` sits inside page chrome, without anchoring (see [`Chrome`]).
pub fn in_chrome(node: NodeRef<'_, Node>) -> bool {
    Chrome::plain().hit(node)
}

#[cfg(test)]
mod tests {
    use super::super::published;
    use super::*;

    /// Regression (WCXB 0137): `<article class="full masthead-empty">` made the whole post
    /// chrome, its author link and all.
    #[test]
    fn an_articles_layout_classes_do_not_make_it_chrome() {
        let doc = Html::parse_document(
            "<article class='full masthead-empty has-sidebar'><h1>Tutoring</h1><p>Text.</p>\
             <footer class=meta><p class=name><a rel=author href=/author/h>Halina Goetz</a></p>\
             </footer></article><div class=sidebar><p class=name>Other</p></div>",
        );
        let chrome = Chrome::new(&doc);
        let name = |s: &str| {
            doc.select(&scraper::Selector::parse(s).unwrap())
                .next()
                .unwrap()
        };
        assert!(!chrome.hit(*name("a[rel=author]")));
        assert!(chrome.hit(*name(".sidebar p")));
    }

    #[test]
    fn chrome_tokens_are_whole_words() {
        assert!(token_has("post related-posts", "related"));
        assert!(token_has("td_header_top", "header-top"));
        assert!(token_has("Comments", "comment"));
        assert!(token_has("x TOP-BAR", "top-bar"));
        assert!(!token_has("layoutRightSidebar", "sidebar"));
        assert!(!token_has("metadata", "meta"));
        assert!(!token_has("category-related tag-menu", "related"));
        assert!(!token_has("promotion", "promo"));
        assert!(token_has("promos", "promo"));
        // Multi-byte class names (no char-boundary slicing).
        assert!(!token_has("новости 記事 ação-x", "related"));
        assert!(token_has("記事 related", "related"));
    }

    /// The publication date `published` guesses for `doc` at `url`, as `YYYY-MM-DD`.
    fn published_day(doc: &Html, url: &str) -> String {
        published(doc, url, &Chrome::new(doc), super::super::slash_order(doc))
            .map(|d| d.date_naive().to_string())
            .unwrap_or_default()
    }

    #[test]
    fn standfirst_after_headline_is_not_a_teaser() {
        // bmz.de: the dateline sits in `l-detail-page__teaser-text` right after the <h1>.
        let doc = Html::parse_document(
            "<main><div class=col><h1>Neue Hilfe</h1><div class=l-detail-page__teaser-text>\
             <p>Pressemitteilung vom 25. Januar 2022 | Berlin – Die Ministerin besucht heute \
             das Programm.</p></div></div>\
             <div class=teaser-list><p>Meldung vom 2. Februar 2021</p></div></main>",
        );
        assert_eq!(published_day(&doc, "https://x.de/a"), "2022-01-25");
        // A teaser elsewhere stays chrome.
        let chrome = Chrome::new(&doc);
        let teaser = doc.select(css!(".teaser-list p").unwrap()).next().unwrap();
        assert!(chrome.hit(*teaser));
    }

    #[test]
    fn a_wordmark_h1_does_not_anchor_the_page() {
        // Substack: the site's name is an <h1> linking home in a top bar; the post, an
        // <article class="newsletter-post">, holds the real headline and the date.
        let doc = Html::parse_document(
            r#"<div class=topbar-x><h1><a href="/"><img alt=x>The AI Maker</a></h1></div>
            <article class="newsletter-post post"><div class=post-header><h1>How I built it</h1>
            <div class=meta-x>Dec 04, 2025</div></div><p>Text.</p></article>"#,
        );
        let h1s: Vec<_> = doc.select(css!("h1").unwrap()).collect();
        assert!(is_wordmark(h1s[0]));
        assert!(!is_wordmark(h1s[1]));
        let date = doc.select(css!(".meta-x").unwrap()).next().unwrap();
        assert!(!Chrome::new(&doc).hit(*date));
        assert_eq!(
            published_day(&doc, "https://x.substack.com/p/a"),
            "2025-12-04"
        );
        // A headline that links to its own page is no wordmark.
        let doc = Html::parse_document(r#"<h1><a href="/2025/12/a">Headline</a></h1>"#);
        let h = doc.select(css!("h1").unwrap()).next().unwrap();
        assert!(!is_wordmark(h));
        let doc = Html::parse_document(r#"<h1><a href="https://x.com/">X News</a></h1>"#);
        let h = doc.select(css!("h1").unwrap()).next().unwrap();
        assert!(is_wordmark(h));
        // Text after the home link is the headline's own.
        let doc = Html::parse_document(r#"<h1><a href="/">X</a> Council votes</h1>"#);
        let h = doc.select(css!("h1").unwrap()).next().unwrap();
        assert!(!is_wordmark(h));
        // Deep nesting inside the home link still counts as the link's text.
        let deep = format!(r#"<h1><a href="/">{}</a></h1>"#, "<span>x ".repeat(3_000));
        let doc = Html::parse_document(&deep);
        let h = doc.select(css!("h1").unwrap()).next().unwrap();
        assert!(is_wordmark(h));
    }

    #[test]
    fn only_a_teaser_class_is_forgiven_after_the_headline() {
        let doc = Html::parse_document(
            "<main><div><h1>Titel</h1><div class=teaser-text><p>Lead</p></div>\
             <div class=related-posts><p>Other story</p></div></div></main>",
        );
        let chrome = Chrome::new(&doc);
        let lead = doc.select(css!(".teaser-text p").unwrap()).next().unwrap();
        let related = doc
            .select(css!(".related-posts p").unwrap())
            .next()
            .unwrap();
        assert!(!chrome.hit(*lead));
        assert!(chrome.hit(*related));
    }
}
