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

/// One node of the flat DOM.
#[derive(Debug, Clone, Copy)]
pub(super) struct FNode<'a> {
    /// Index of the parent, [`NONE`] for the root.
    pub parent: u32,
    /// One past the last index of this node's subtree (pre-order).
    pub end: u32,
    /// Element or text.
    pub kind: Kind<'a>,
}

impl<'a> FNode<'a> {
    /// The element, if this is one.
    pub fn elem(&self) -> Option<&'a Element> {
        match self.kind {
            Kind::Elem(e) => Some(e),
            Kind::Text(_) => None,
        }
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
