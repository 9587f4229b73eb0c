//! A flat, pre-order copy of the parsed DOM: one [`FNode`] per element or text node, with the
//! parent index and the end of each subtree, so that every later pass is a linear loop over a
//! `Vec` (no recursion, no quadratic walks, safe on 100,000-node or 10,000-deep documents).

use scraper::node::Element;
use scraper::{Html, Node};

/// No parent (the root).
pub(super) const NONE: u32 = u32::MAX;

/// What a flat node is.
#[derive(Debug, Clone, Copy)]
pub(super) enum Kind<'a> {
    /// An element.
    Elem(&'a Element),
    /// A text node.
    Text(&'a str),
}

/// What an element's tag says, as bits of [`FNode::tags`]: read from the name once when the
/// DOM is flattened, tested with [`FNode::is`] by every later pass (no string comparison).
pub(super) mod tag {
    /// [`super::super::signals::is_hard_drop_tag`].
    pub const HARD_DROP: u16 = 1;
    /// [`super::super::signals::is_soft_drop_tag`].
    pub const SOFT_DROP: u16 = 1 << 1;
    /// [`super::super::signals::is_block`].
    pub const BLOCK: u16 = 1 << 2;
    /// [`super::super::signals::is_heading`].
    pub const HEADING: u16 = 1 << 3;
    pub const A: u16 = 1 << 4;
    pub const P: u16 = 1 << 5;
    pub const H1: u16 = 1 << 6;
    pub const LI: u16 = 1 << 7;
    pub const IMG: u16 = 1 << 8;
    /// `article` or `main`.
    pub const ARTICLE_MAIN: u16 = 1 << 9;
    /// `body` or `html`.
    pub const PAGE: u16 = 1 << 10;
    pub const HEADER: u16 = 1 << 11;
    pub const BODY: u16 = 1 << 12;

    /// The bits of the element named `name`.
    pub fn bits(name: &str) -> u16 {
        use super::super::signals::{is_block, is_hard_drop_tag, is_heading, is_soft_drop_tag};
        let mut b = 0;
        for (yes, bit) in [
            (is_hard_drop_tag(name), HARD_DROP),
            (is_soft_drop_tag(name), SOFT_DROP),
            (is_block(name), BLOCK),
            (is_heading(name), HEADING),
        ] {
            if yes {
                b |= bit;
            }
        }
        b | match name {
            "a" => A,
            "p" => P,
            "h1" => H1,
            "li" => LI,
            "img" => IMG,
            "article" | "main" => ARTICLE_MAIN,
            "html" => PAGE,
            "body" => PAGE | BODY,
            "header" => HEADER,
            _ => 0,
        }
    }
}

/// One node of the flat DOM.
#[derive(Debug, Clone, Copy)]
pub(super) struct FNode<'a> {
    /// Index of the parent, [`NONE`] for the root.
    pub parent: u32,
    /// One past the last index of this node's subtree (pre-order).
    pub end: u32,
    /// Element or text.
    pub kind: Kind<'a>,
    /// The element's [`tag`] bits (0 for text).
    pub tags: u16,
}

impl<'a> FNode<'a> {
    /// The element, if this is one.
    pub fn elem(&self) -> Option<&'a Element> {
        match self.kind {
            Kind::Elem(e) => Some(e),
            Kind::Text(_) => None,
        }
    }

    /// True when the element's tag has any of the [`tag`] `bits`.
    pub fn is(&self, bits: u16) -> bool {
        self.tags & bits != 0
    }

    /// The lower-case tag name ("" for text).
    pub fn tag(&self) -> &'a str {
        match self.kind {
            Kind::Elem(e) => e.name(),
            Kind::Text(_) => "",
        }
    }
}

/// Flatten `doc` in document order. Comments, doctypes and processing instructions are
/// skipped; the root element (`<html>`) is index 0 when present.
pub(super) fn flatten(doc: &Html) -> Vec<FNode<'_>> {
    let mut out: Vec<FNode<'_>> = Vec::with_capacity(doc.tree.values().len());
    let root = doc.tree.root();
    // Stack of flat indices of open elements (iterative walk: first_child / next_sibling).
    let mut stack: Vec<u32> = Vec::new();
    let mut cur = match root.first_child() {
        Some(c) => c,
        None => return out,
    };
    loop {
        let parent = stack.last().copied().unwrap_or(NONE);
        let mut descend = false;
        match cur.value() {
            Node::Element(e) => {
                let idx = out.len() as u32;
                out.push(FNode {
                    parent,
                    end: idx + 1,
                    kind: Kind::Elem(e),
                    tags: tag::bits(e.name()),
                });
                if cur.has_children() {
                    stack.push(idx);
                    descend = true;
                }
            }
            Node::Text(t) => {
                let idx = out.len() as u32;
                out.push(FNode {
                    parent,
                    end: idx + 1,
                    kind: Kind::Text(t),
                    tags: 0,
                });
            }
            _ => {}
        }
        if descend && let Some(c) = cur.first_child() {
            cur = c;
            continue;
        }
        // Move to the next sibling, closing finished elements on the way up.
        loop {
            if let Some(s) = cur.next_sibling() {
                cur = s;
                break;
            }
            match cur.parent() {
                Some(p) if p.id() != root.id() => {
                    if let Some(open) = stack.pop() {
                        let len = out.len() as u32;
                        out[open as usize].end = len;
                    }
                    cur = p;
                }
                _ => {
                    // Close whatever is left open (should be nothing) and stop.
                    let len = out.len() as u32;
                    while let Some(open) = stack.pop() {
                        out[open as usize].end = len;
                    }
                    return out;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_bits_of_common_elements() {
        use tag::*;
        let expected = [
            ("body", PAGE | BODY | BLOCK),
            ("html", PAGE | BLOCK),
            ("p", P | BLOCK),
            ("h1", H1 | HEADING | BLOCK),
            ("h2", HEADING | BLOCK),
            ("a", A),
            ("li", LI | BLOCK),
            ("img", IMG),
            ("nav", SOFT_DROP | BLOCK),
            ("script", HARD_DROP),
            ("main", ARTICLE_MAIN | BLOCK),
            ("article", ARTICLE_MAIN | BLOCK),
            ("header", HEADER | BLOCK),
            ("span", 0),
        ];
        for (name, bits) in expected {
            assert_eq!(tag::bits(name), bits, "{name}");
        }
        let doc = Html::parse_document("<article><p>x</p></article>");
        let f = flatten(&doc);
        assert!(f.iter().any(|n| n.is(tag::ARTICLE_MAIN)));
        assert!(f.iter().filter(|n| n.elem().is_none()).all(|n| n.tags == 0));
    }

    #[test]
    fn flat_order_and_ends() {
        let doc = Html::parse_document("<p>a<b>b</b></p><div>c</div>");
        let f = flatten(&doc);
        let tags: Vec<&str> = f.iter().map(|n| n.tag()).collect();
        assert_eq!(tags, ["html", "head", "body", "p", "", "b", "", "div", ""]);
        assert_eq!(f[0].end as usize, f.len());
        assert_eq!(f[3].end, 7);
        assert_eq!(f[5].parent, 3);
        assert_eq!(f[8].parent, 7);
    }
}
