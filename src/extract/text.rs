//! Text of DOM elements: inline text (whitespace collapsed) and block text (paragraphs
//! separated by a blank line, `<br>` as a line break; scripts, styles, forms and captions left out).

use ego_tree::NodeRef;
use ego_tree::iter::Edge;
use scraper::{ElementRef, Node};

/// Elements whose content is never text.
const SKIP: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "button",
    "form",
    "select",
    "textarea",
    "input",
    "figcaption",
    "object",
    "embed",
    "video",
    "audio",
    "canvas",
    "math",
];

/// Elements that start a new paragraph.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "nav",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "figure",
    "hr",
    "address",
    "details",
    "summary",
    "center",
];

/// The inline text of `el`: all text, whitespace collapsed, scripts and styles left out.
pub fn inline_text(el: ElementRef<'_>) -> String {
    let mut out = String::new();
    push_inline(*el, &mut out);
    crate::extract::meta::squash(&out)
}

fn push_inline(node: NodeRef<'_, Node>, out: &mut String) {
    for edge in node.traverse() {
        if let Edge::Open(n) = edge {
            match n.value() {
                Node::Text(t)
                    if !n
                        .ancestors()
                        .take_while(|a| a.id() != node.id())
                        .any(is_skipped) =>
                {
                    out.push_str(t);
                }
                Node::Element(e) if e.name() == "br" || BLOCK.contains(&e.name()) => out.push(' '),
                _ => {}
            }
        }
    }
}

/// The inline text of `el` if it is at most `max` bytes long (whitespace collapsed), else
/// `None` — without reading more than about `max` bytes or [`short_text_nodes`]`(max)` nodes
/// of a large subtree (so asking every element of a deep chain of empty elements stays
/// linear, not quadratic, in the page size). Unlike
/// [`inline_text`], a number that starts a text node is kept apart from the letters or digits
/// that end the previous one (dates split over elements), since this text is read for dates
/// and names.
pub fn short_text(el: ElementRef<'_>, max: usize) -> Option<String> {
    let mut out = String::new();
    let mut raw = 0usize;
    let node_cap = short_text_nodes(max);
    for (nodes, (n, skipped)) in opened(el).enumerate() {
        if nodes >= node_cap {
            return None;
        }
        match n.value() {
            Node::Text(_) if skipped => {}
            Node::Text(t) => {
                raw += t.trim().len();
                if raw > max * 2 + 64 {
                    return None;
                }
                // A number in the next element is a separate token: a date badge
                // `<span>Feb</span><span>18</span><span>2009</span>` reads "Feb 18 2009",
                // not "Feb182009".
                if out.ends_with(|c: char| c.is_ascii_digit() || c.is_alphabetic())
                    && t.starts_with(|c: char| c.is_ascii_digit())
                {
                    out.push(' ');
                }
                out.push_str(t);
            }
            Node::Element(e) if e.name() == "br" || BLOCK.contains(&e.name()) => out.push(' '),
            _ => {}
        }
    }
    let s = crate::extract::meta::squash(&out);
    (s.len() <= max).then_some(s)
}

/// The first characters of the inline text of `el` as [`short_text`]`(el, max)` reads it,
/// lower-cased, without whitespace and without the leading characters in `lead`, written to
/// `out`: how many were written; `None` when `el` holds more nodes than `short_text` reads
/// (it would give `None`). For a cheap test before asking for the text itself.
pub fn lower_head(
    el: ElementRef<'_>,
    max: usize,
    lead: &[char],
    out: &mut [char],
) -> Option<usize> {
    let node_cap = short_text_nodes(max);
    let mut n = 0usize;
    for (nodes, (x, skipped)) in opened(el).enumerate() {
        if nodes >= node_cap {
            return None;
        }
        let Node::Text(t) = x.value() else { continue };
        if skipped {
            continue;
        }
        for c in t.chars() {
            if c.is_whitespace() || (n == 0 && lead.contains(&c)) {
                continue;
            }
            for l in c.to_lowercase() {
                let Some(slot) = out.get_mut(n) else {
                    return Some(n);
                };
                *slot = l;
                n += 1;
            }
        }
    }
    Some(n)
}

/// The nodes of `el` (itself first) in document order, each with whether it sits inside a
/// skipped element below `el` (scripts, styles, ...: their text is not read). Tracks the
/// skipped elements open by depth: no ancestor walk per node.
fn opened(el: ElementRef<'_>) -> impl Iterator<Item = (NodeRef<'_, Node>, bool)> {
    let mut skip_depth = 0usize;
    el.traverse().filter_map(move |edge| match edge {
        Edge::Open(x) => {
            if x.id() != el.id() && is_skipped(x) {
                skip_depth += 1;
            }
            Some((x, skip_depth > 0))
        }
        Edge::Close(x) => {
            if x.id() != el.id() && is_skipped(x) {
                skip_depth = skip_depth.saturating_sub(1);
            }
            None
        }
    })
}

/// How many nodes an element whose text may be `max` bytes long may hold: far more than any
/// date line or byline has (a handful of spans per word), far fewer than a page section.
pub fn short_text_nodes(max: usize) -> usize {
    max * 2 + 256
}

/// The first `n` characters of the inline text of `el` (reads no further than needed, and
/// no more than [`short_text_nodes`]`(n)` nodes: the text that starts a deep chain of empty
/// elements is not worth a walk to its bottom from every element of the chain).
pub fn text_prefix(el: ElementRef<'_>, n: usize) -> String {
    let mut out = String::new();
    let node_cap = short_text_nodes(n);
    // Skipped elements (scripts, styles, ...) open below `el`: their text is not read.
    let mut skip_depth = 0usize;
    for (seen, edge) in el.traverse().enumerate() {
        if seen > 2 * node_cap {
            break;
        }
        let x = match edge {
            Edge::Open(x) => x,
            Edge::Close(x) => {
                if x.id() != el.id() && is_skipped(x) {
                    skip_depth = skip_depth.saturating_sub(1);
                }
                continue;
            }
        };
        if x.id() != el.id() && is_skipped(x) {
            skip_depth += 1;
        }
        if skip_depth == 0
            && let Node::Text(t) = x.value()
        {
            out.push_str(t);
            out.push(' ');
            if out.trim_start().chars().count() > n {
                break;
            }
        }
    }
    crate::extract::meta::squash(&out).chars().take(n).collect()
}

fn is_skipped(n: NodeRef<'_, Node>) -> bool {
    matches!(n.value(), Node::Element(e) if SKIP.contains(&e.name()))
}

/// The block text of `el`: paragraphs separated by a blank line.
pub fn block_text(el: ElementRef<'_>) -> String {
    let mut paras: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut skip_depth = 0usize;
    let flush = |cur: &mut String, paras: &mut Vec<String>| {
        let lines: Vec<String> = cur
            .split('\n')
            .map(crate::extract::meta::squash)
            .filter(|l| !l.is_empty())
            .collect();
        if !lines.is_empty() {
            paras.push(lines.join("\n"));
        }
        cur.clear();
    };
    for edge in el.traverse() {
        match edge {
            Edge::Open(n) => match n.value() {
                Node::Element(e) => {
                    let name = e.name();
                    if skip_depth > 0 || SKIP.contains(&name) {
                        skip_depth += 1;
                    } else if name == "br" {
                        cur.push('\n');
                    } else if BLOCK.contains(&name) {
                        flush(&mut cur, &mut paras);
                    }
                }
                Node::Text(t) if skip_depth == 0 => {
                    // Newlines in source text are plain whitespace.
                    cur.extend(
                        t.chars()
                            .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
                    );
                }
                _ => {}
            },
            Edge::Close(n) => {
                if let Node::Element(e) = n.value() {
                    if skip_depth > 0 {
                        skip_depth -= 1;
                    } else if BLOCK.contains(&e.name()) {
                        flush(&mut cur, &mut paras);
                    } else if matches!(e.name(), "td" | "th") {
                        cur.push(' ');
                    }
                }
            }
        }
    }
    flush(&mut cur, &mut paras);
    paras.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};

    #[test]
    fn blocks_become_paragraphs() {
        let doc = Html::parse_fragment(
            "<div id=x><p>One <b>two</b>\n three</p><script>x()</script><div>Four<br>five</div>\
             <figure><img><figcaption>cap</figcaption></figure></div>",
        );
        let sel = Selector::parse("#x").unwrap();
        let el = doc.select(&sel).next().unwrap();
        assert_eq!(block_text(el), "One two three\n\nFour\nfive");
        assert_eq!(inline_text(el), "One two three Four five");
    }

    #[test]
    fn deep_chains_are_not_walked_to_the_bottom() {
        // Regression: 50,000 unclosed <div>s took 44 s, every element of the chain walking
        // to the text at its bottom (short_text for dates, text_prefix after it).
        let html = format!("<div id=top>{}3 May 2024", "<span>".repeat(2000));
        let doc = Html::parse_fragment(&html);
        let top = doc
            .select(&Selector::parse("#top").unwrap())
            .next()
            .unwrap();
        assert_eq!(short_text(top, 80), None);
        assert_eq!(text_prefix(top, 25), "");
        // A shallow element with the same text still reads it.
        let doc = Html::parse_fragment("<div id=top><span><b>3 May</b> 2024</span></div>");
        let top = doc
            .select(&Selector::parse("#top").unwrap())
            .next()
            .unwrap();
        assert_eq!(short_text(top, 80).as_deref(), Some("3 May 2024"));
        assert_eq!(text_prefix(top, 25), "3 May 2024");
    }

    #[test]
    fn lower_head_reads_the_start_of_short_text() {
        let doc = Html::parse_fragment(
            "<div id=x> | <b>ÀB</b>c <script>zz</script>D e f g</div><div id=y>\
             <span></span><span></span></div>",
        );
        let x = doc.select(&Selector::parse("#x").unwrap()).next().unwrap();
        let mut out = ['\0'; 5];
        assert_eq!(lower_head(x, 90, &['|'], &mut out), Some(5));
        assert_eq!(out.iter().collect::<String>(), "àbcde");
        // Without the separator rule the bar is a character like any other.
        assert_eq!(lower_head(x, 90, &[], &mut out), Some(5));
        assert_eq!(out[0], '|');
        // More nodes than short_text reads: None, as short_text gives.
        let y = doc.select(&Selector::parse("#y").unwrap()).next().unwrap();
        assert_eq!(lower_head(y, 90, &[], &mut out), Some(0));
        let deep = format!("<div id=z>{}</div>", "<i></i>".repeat(500));
        let doc = Html::parse_fragment(&deep);
        let z = doc.select(&Selector::parse("#z").unwrap()).next().unwrap();
        assert_eq!(lower_head(z, 90, &[], &mut out), None);
        assert_eq!(short_text(z, 90), None);
    }

    #[test]
    fn short_text_separates_numbers_of_neighbouring_elements() {
        let doc = Html::parse_fragment(
            "<div id=x><span>Feb</span><span>18</span><span>2009</span></div>\
             <div id=y><span>By</span><a>Alex Doe</a> You<b>Tube</b></div>",
        );
        let sel = Selector::parse("#x").unwrap();
        let el = doc.select(&sel).next().unwrap();
        assert_eq!(short_text(el, 80).as_deref(), Some("Feb 18 2009"));
        assert_eq!(short_text(el, 5), None);
        let sel = Selector::parse("#y").unwrap();
        let el = doc.select(&sel).next().unwrap();
        // Words are never split (the byline reader handles a bare "By" element itself).
        assert_eq!(short_text(el, 80).as_deref(), Some("ByAlex Doe YouTube"));
    }
}
