//! The main content of a page that is not an article (a listing, documentation, a landing
//! page): not the single best text container but the region holding the page's items or
//! sections, with their link text (teaser headlines are links).
//!
//! The region is the page's `<main>` (or `role=main`) when it holds a good share of the text;
//! otherwise the best text container (`score`) widened, ancestor by ancestor, until it holds
//! most of the page's text. Furniture is removed by tag and role only: on these pages the
//! class vocabulary of article pages (`search`, `card`, `promo`, ...) names the content itself.

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

/// Paragraphs kept: everything but empty and boilerplate ones (link-heavy teasers stay).
fn keep(blocks: Vec<Block>) -> Vec<Block> {
    blocks
        .into_iter()
        .filter(|b| b.chars > 0 && !signals::is_boilerplate_text(&b.text, b.chars))
        .collect()
}

/// The broad main content of the page `p` (prepared without the class vocabulary),
/// paragraphs separated by a blank line. A first heading repeating `title` is left out.
pub(super) fn body(p: &Prep<'_>, title: Option<&str>) -> String {
    let root = main_element(p)
        .or_else(|| widened(p, title))
        .unwrap_or(p.body as usize);
    let mut blocks = keep(text::emit(p, &[root as u32], false));
    if let Some(t) = title
        && blocks
            .first()
            .is_some_and(|b| b.heading && score::matches_title(&b.text, t, true))
    {
        blocks.remove(0);
    }
    blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::super::prep::prepare;
    use super::*;
    use scraper::Html;

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
        let text = body(&prepare(&doc, false), Some("River news"));
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
    fn without_main_the_best_container_is_widened_to_the_items() {
        // The long first teaser wins the score; its siblings are items of the same list.
        let html = format!(
            "<body><div id=page><div id=list><div class=lead><p>{}</p></div>{}</div>\
             <div id=side><a href=/x>Sidebar link</a></div></div></body>",
            "A long lead teaser, with commas, and sentences. ".repeat(12),
            cards(6)
        );
        let doc = Html::parse_document(&html);
        let text = body(&prepare(&doc, false), None);
        assert!(text.starts_with("A long lead teaser"), "{text}");
        for k in 0..6 {
            assert!(text.contains(&format!("Headline number {k}")), "{text}");
        }
    }

    #[test]
    fn an_empty_page_gives_an_empty_body() {
        let doc = Html::parse_document("<body></body>");
        assert_eq!(body(&prepare(&doc, false), Some("x")), "");
        let doc = Html::parse_document("");
        assert_eq!(body(&prepare(&doc, false), None), "");
    }
}
