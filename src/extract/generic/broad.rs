//! The main content of a page that is not an article: not the single best text container but
//! the region holding the page's items, sections or posts ([`Shape`]).
//!
//! - Items (listings, documentation, landing pages): the page's `<main>` (or `role=main`) when
//!   it holds a good share of the text, otherwise the best text container (`score`) widened,
//!   ancestor by ancestor, until it holds most of the page's text; every paragraph but
//!   boilerplate phrases, links included (a teaser's headline is a link); filter panels
//!   (`filters`, `facets`, `sort` in a class or id, small and without paragraphs) left out.
//! - Product: the same widened region, through the article filters (link lists, short
//!   furniture out).
//! - Thread (forums): the best container's repeated siblings, one per post.
//!
//! The page is prepared without the class vocabulary: on these pages the class words of
//! article furniture (`search`, `card`, `promo`, `comment`, `reply`) name the content itself.

use super::dom::NONE;
use super::prep::Prep;
use super::score;
use super::signals;
use super::text::{self, Block};

/// `<main>` counts as the region when it holds at least 3/10 of the page's text.
const MAIN_SHARE: (u32, u32) = (3, 10);
/// The best container is widened until it holds at least 6/10 of the page's text.
const WIDEN_SHARE: (u32, u32) = (6, 10);

fn holds(p: &Prep<'_>, i: usize, share: (u32, u32)) -> bool {
    let total = p.text_len[p.body as usize].max(1);
    p.text_len[i].saturating_mul(share.1) >= total.saturating_mul(share.0)
}

/// The page's `<main>` element, when it holds enough of the text.
fn main_element(p: &Prep<'_>) -> Option<usize> {
    p.nodes.iter().enumerate().position(|(i, n)| {
        !p.dropped[i]
            && n.elem()
                .is_some_and(|e| e.name() == "main" || e.attr("role") == Some("main"))
            && holds(p, i, MAIN_SHARE)
    })
}

/// The best text container widened until it holds most of the page's text.
fn widened(p: &Prep<'_>, title: Option<&str>) -> Option<usize> {
    let r = score::find_region(p, title)?;
    let first = *r.roots.first()? as usize;
    // Several merged siblings: start from their parent.
    let mut cur = if r.roots.len() > 1 {
        match p.nodes[first].parent {
            NONE => first,
            par => par as usize,
        }
    } else {
        first
    };
    while cur != p.body as usize && !holds(p, cur, WIDEN_SHARE) {
        match p.nodes[cur].parent {
            NONE => break,
            par => cur = par as usize,
        }
    }
    Some(cur)
}

/// What the main content of a page that is not an article is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Items or sections (listings, documentation, landing pages).
    Items,
    /// A product: description, specifications, without link lists.
    Product,
    /// The posts of a forum thread.
    Thread,
}

fn first_class(e: &scraper::node::Element) -> Option<&str> {
    e.attr("class").and_then(|c| c.split_whitespace().next())
}

/// Tags a post can be (not a paragraph or an inline piece of one).
fn post_tag(tag: &str) -> bool {
    matches!(
        tag,
        "div" | "article" | "section" | "li" | "tr" | "table" | "dl"
    )
}

/// The children of `parent` shaped like `like` (tag and first class) that hold paragraph text.
fn alike_children(p: &Prep<'_>, parent: usize, like: &scraper::node::Element) -> Vec<u32> {
    let mut out = Vec::new();
    let mut k = parent + 1;
    while k < p.nodes[parent].end as usize {
        if !p.dropped[k]
            && p.good[k] > 0
            && p.nodes[k]
                .elem()
                .is_some_and(|o| o.name() == like.name() && first_class(o) == first_class(like))
        {
            out.push(k as u32);
        }
        k = p.nodes[k].end as usize;
    }
    out
}

/// The posts of a thread: the best container's siblings (or its nearest ancestor's) that
/// repeat its shape (tag and first class) with paragraph text; or else the container's own
/// largest group of alike post-shaped children. At least two posts.
fn posts(p: &Prep<'_>, title: Option<&str>) -> Option<Vec<u32>> {
    let r = score::find_region(p, title)?;
    let root = *r.roots.first()? as usize;
    // The container is one post: its siblings (or an ancestor's) are the others.
    let mut cur = root;
    for _ in 0..6 {
        let par = p.nodes[cur].parent;
        if cur == p.body as usize || par == NONE {
            break;
        }
        let e = p.nodes[cur].elem()?;
        let like = alike_children(p, par as usize, e);
        if like.len() >= 2 {
            return Some(like);
        }
        cur = par as usize;
    }
    // The container holds the posts: its largest group of alike post-shaped children, grouped
    // in one pass over the children (a list of 10,000 items stays linear).
    let mut groups: std::collections::HashMap<(&str, Option<&str>), Vec<u32>> =
        std::collections::HashMap::new();
    let mut k = root + 1;
    while k < p.nodes[root].end as usize {
        if let Some(e) = p.nodes[k].elem()
            && post_tag(e.name())
            && !p.dropped[k]
            && p.good[k] > 0
        {
            groups
                .entry((e.name(), first_class(e)))
                .or_default()
                .push(k as u32);
        }
        k = p.nodes[k].end as usize;
    }
    // Ties go to the group that starts first, so the choice does not depend on hash order.
    let best = groups
        .into_values()
        .max_by_key(|g| (g.len(), std::cmp::Reverse(g.first().copied())))
        .unwrap_or_default();
    (best.len() >= 2).then_some(best)
}

/// Class / id words of a listing's filter panels ("filter & sort", sizes, colours, price
/// ranges): controls, not items.
const FILTER_PANEL: [&str; 8] = [
    "filter",
    "filters",
    "facet",
    "facets",
    "refinement",
    "refinements",
    "sort",
    "sorting",
];

/// True when a class or id token holds one of [`FILTER_PANEL`] as a whole word (words split
/// at `-`, `_` and lower-to-upper case changes: `plp-filters`, `FacetList`, `sort_by`).
fn names_filter_panel(tokens: &str) -> bool {
    tokens.split_ascii_whitespace().any(|t| {
        let mut start = 0;
        let b = t.as_bytes();
        (1..=b.len()).any(|i| {
            let cut = i == b.len()
                || !b[i].is_ascii_alphanumeric()
                || (b[i].is_ascii_uppercase() && b[i - 1].is_ascii_lowercase());
            if !cut {
                return false;
            }
            // Bytes, not `str` slices: a class may hold multi-byte characters ("фильтр-x").
            let word = &b[start..i];
            start = if i < b.len() && !b[i].is_ascii_alphanumeric() {
                i + 1
            } else {
                i
            };
            FILTER_PANEL
                .iter()
                .any(|w| word.eq_ignore_ascii_case(w.as_bytes()))
        })
    })
}

/// Marks the filter panels of a page of items as dropped (see [`FILTER_PANEL`]). A panel is
/// controls: an element so named that holds a good share of the page's text (a quarter) or
/// paragraphs is the results list it filters ("filter-results"), and stays.
pub(super) fn drop_filter_panels(p: &mut Prep<'_>) {
    let total = p.text_len[p.body as usize];
    for (i, n) in p.nodes.iter().enumerate() {
        if let Some(e) = n.elem()
            && !matches!(e.name(), "body" | "html" | "main")
            && p.text_len[i].saturating_mul(4) < total
            && p.paras[i] <= 2
            && [e.attr("class"), e.attr("id")]
                .into_iter()
                .flatten()
                .any(names_filter_panel)
        {
            p.dropped[i] = true;
        }
    }
}

/// Paragraphs kept: everything but empty and boilerplate ones (link-heavy teasers stay).
fn keep(blocks: Vec<Block>) -> Vec<Block> {
    blocks
        .into_iter()
        .filter(|b| b.chars > 0 && !signals::is_boilerplate_text(&b.text, b.chars))
        .collect()
}

fn joined(blocks: &[Block]) -> String {
    blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The main content of the page `p` (prepared without the class vocabulary) as `shape` reads
/// it, paragraphs separated by a blank line; `None` for a thread without repeated posts. A
/// first heading repeating `title` is left out.
pub(super) fn body(p: &Prep<'_>, title: Option<&str>, shape: Shape) -> Option<String> {
    let mut blocks = match shape {
        Shape::Thread => text::filter(text::emit(p, &posts(p, title)?, true)),
        Shape::Items | Shape::Product => {
            let root = main_element(p)
                .or_else(|| widened(p, title))
                .unwrap_or(p.body as usize) as u32;
            if shape == Shape::Items {
                keep(text::emit(p, &[root], false))
            } else {
                text::filter(text::emit(p, &[root], true))
            }
        }
    };
    if let Some(t) = title
        && blocks
            .first()
            .is_some_and(|b| b.heading && score::matches_title(&b.text, t, true))
    {
        blocks.remove(0);
    }
    Some(joined(&blocks))
}

#[cfg(test)]
mod tests {
    use super::super::prep::prepare;
    use super::*;
    use scraper::Html;

    #[test]
    fn filter_panels_are_named_by_whole_words() {
        for yes in [
            "plp-filters",
            "FacetList",
            "sort_by",
            "x refinements",
            "filter",
        ] {
            assert!(names_filter_panel(yes), "{yes}");
        }
        for no in [
            "filtered-image",
            "sorted",
            "resort",
            "coffee-filtering",
            "фильтр-sort2é",
        ] {
            assert!(!names_filter_panel(no), "{no}");
        }
        assert!(names_filter_panel("фильтр sort"));
    }

    fn cards(n: usize) -> String {
        (0..n)
            .map(|k| {
                format!(
                    "<div class=card><h2><a href=/a{k}>Headline number {k} about the river</a></h2>\
                     <p>Teaser {k}: the council met again on Tuesday to talk about the bridge.</p></div>"
                )
            })
            .collect()
    }

    #[test]
    fn a_listing_keeps_every_teaser_and_its_linked_headline() {
        let html = format!(
            "<body><nav><a href=/>Home</a> <a href=/news>News</a></nav>\
             <main><h1>River news</h1>{}</main><footer>Contact us at the office</footer></body>",
            cards(8)
        );
        let doc = Html::parse_document(&html);
        let text = body(&prepare(&doc, false), Some("River news"), Shape::Items).unwrap();
        for k in 0..8 {
            assert!(
                text.contains(&format!("Headline number {k} about the river")),
                "{text}"
            );
            assert!(text.contains(&format!("Teaser {k}:")), "{text}");
        }
        assert!(!text.contains("Home"), "{text}");
        assert!(!text.contains("Contact us"), "{text}");
        assert!(!text.starts_with("River news"), "{text}");
    }

    #[test]
    fn a_listing_leaves_out_its_filter_panel_but_not_results_named_after_it() {
        let panel = "<div class=plp-filters><h3>Size</h3><ul><li>XS</li><li>S</li><li>M</li>\
                     <li>L</li></ul><h3>Sort by</h3><p>Price: Low to High</p></div>";
        let html = format!("<main>{panel}<div class=results>{}</div></main>", cards(8));
        let doc = Html::parse_document(&html);
        let mut p = prepare(&doc, false);
        drop_filter_panels(&mut p);
        let text = body(&p, None, Shape::Items).unwrap();
        assert!(text.contains("Teaser 7"), "{text}");
        assert!(!text.contains("Price: Low to High"), "{text}");
        // The results list itself in a "filter-results" element stays.
        let html = format!("<main><div class=filter-results>{}</div></main>", cards(8));
        let doc = Html::parse_document(&html);
        let mut p = prepare(&doc, false);
        drop_filter_panels(&mut p);
        let text = body(&p, None, Shape::Items).unwrap();
        assert!(
            text.contains("Teaser 0") && text.contains("Teaser 7"),
            "{text}"
        );
    }

    #[test]
    fn without_main_the_best_container_is_widened_to_the_items() {
        // The long first teaser wins the score; its siblings are items of the same list.
        let html = format!(
            "<body><div id=page><div id=list><div class=lead><p>{}</p></div>{}</div>\
             <div id=side><a href=/x>Sidebar link</a></div></div></body>",
            "A long lead teaser, with commas, and sentences. ".repeat(12),
            cards(6)
        );
        let doc = Html::parse_document(&html);
        let text = body(&prepare(&doc, false), None, Shape::Items).unwrap();
        assert!(text.starts_with("A long lead teaser"), "{text}");
        for k in 0..6 {
            assert!(text.contains(&format!("Headline number {k}")), "{text}");
        }
    }

    #[test]
    fn a_thread_is_every_post_not_just_the_longest() {
        let post = |k: usize, n: usize| {
            format!(
                "<div class=\"post reply\"><div class=author><a href=/u{k}>user{k}</a></div>\
                 <div class=content><p>{}</p></div></div>",
                format!("Post {k} says the pump fails, and the valve leaks again. ").repeat(n)
            )
        };
        let html = format!(
            "<body><nav><a href=/>Forum</a></nav><div id=thread>{}{}{}{}</div>\
             <aside><p>Similar threads about pumps, valves and leaks in old houses.</p></aside></body>",
            post(0, 9),
            post(1, 2),
            post(2, 3),
            post(3, 2)
        );
        let doc = Html::parse_document(&html);
        let text = body(&prepare(&doc, false), None, Shape::Thread).unwrap();
        for k in 0..4 {
            assert!(text.contains(&format!("Post {k} says")), "{text}");
        }
        assert!(!text.contains("Similar threads"), "{text}");
        // One post alone is no thread.
        let doc = Html::parse_document(&format!("<body><div id=t>{}</div></body>", post(0, 9)));
        assert_eq!(body(&prepare(&doc, false), None, Shape::Thread), None);
    }

    #[test]
    fn a_container_of_posts_gives_its_largest_group_of_alike_children() {
        let item = |class: &str, k: usize| {
            format!(
                "<div class={class}><p>Item {class} {k}: a reply long enough to count as text here.</p></div>"
            )
        };
        let mut inner = String::new();
        for k in 0..5_000 {
            inner.push_str(&item("post", k));
            if k % 1_000 == 0 {
                inner.push_str(&item("promo", k));
            }
        }
        // The scorer picks the thread container itself (its children are one post each).
        let html = format!("<body><div id=thread>{inner}</div></body>");
        let doc = Html::parse_document(&html);
        let text = body(&prepare(&doc, false), None, Shape::Thread).unwrap();
        assert!(text.contains("Item post 0:") && text.contains("Item post 4999:"));
        assert_eq!(text.matches("Item post").count(), 5_000, "every post once");
    }

    #[test]
    fn a_product_keeps_its_description_without_link_lists() {
        let links: String = (0..12)
            .map(|k| format!("<li><a href=/p{k}>Other kettle {k}</a></li>"))
            .collect();
        let html = format!(
            "<body><main><h1>Steel kettle</h1><div class=desc><p>{}</p><p>{}</p></div>\
             <ul class=specs><li>Capacity: 1.7 litres, boils in three minutes.</li></ul>\
             <div class=more><ul>{links}</ul></div></main></body>",
            "A brushed steel kettle with a concealed element, a lid that opens wide, and a filter. ".repeat(3),
            "It switches off when dry, and the base turns all the way round for either hand. ".repeat(2),
        );
        let doc = Html::parse_document(&html);
        let text = body(&prepare(&doc, false), Some("Steel kettle"), Shape::Product).unwrap();
        assert!(text.starts_with("A brushed steel kettle"), "{text}");
        assert!(text.contains("either hand"), "{text}");
        assert!(!text.contains("Other kettle"), "{text}");
    }

    #[test]
    fn an_empty_page_gives_an_empty_body() {
        let doc = Html::parse_document("<body></body>");
        for shape in [Shape::Items, Shape::Product] {
            assert_eq!(
                body(&prepare(&doc, false), Some("x"), shape).as_deref(),
                Some("")
            );
        }
        assert_eq!(body(&prepare(&doc, false), None, Shape::Thread), None);
        let doc = Html::parse_document("");
        assert_eq!(
            body(&prepare(&doc, false), None, Shape::Items).as_deref(),
            Some("")
        );
    }
}
