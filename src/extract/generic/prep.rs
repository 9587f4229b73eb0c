//! Linear passes over the flat DOM: which nodes are removed as boilerplate, which block each
//! piece of text belongs to, and per-node text / link-text / paragraph counts (bottom-up, one
//! pass, so every later decision is O(1) per node).

use std::collections::HashMap;

use super::dom::{FNode, Kind, NONE, flatten, tag};
use super::signals;
use crate::extract::interned;
use scraper::Html;

/// The analysed page.
pub(super) struct Prep<'a> {
    /// The flat DOM in document order.
    pub nodes: Vec<FNode<'a>>,
    /// Removed: boilerplate or hidden, itself or through an ancestor.
    pub dropped: Vec<bool>,
    /// Inside an `<a>`.
    pub in_link: Vec<bool>,
    /// Visible non-space characters in the subtree.
    pub text_len: Vec<u32>,
    /// Of which inside links.
    pub link_len: Vec<u32>,
    /// Characters of inline text whose nearest block is this node.
    pub own_len: Vec<u32>,
    /// Of which inside links.
    pub own_link: Vec<u32>,
    /// Commas (any script) in the node's own inline text.
    pub commas: Vec<u32>,
    /// Sentence ends (`.`, `!`, `?`, `。` ...) in the node's own inline text.
    pub stops: Vec<u32>,
    /// Paragraph-like blocks (own text of at least 25 characters, low link density) in the
    /// subtree.
    pub paras: Vec<u32>,
    /// Non-link characters of the paragraph-like blocks in the subtree.
    pub good: Vec<u32>,
    /// Commas in the subtree.
    pub sub_commas: Vec<u32>,
    /// `<li>` elements in the subtree.
    pub lis: Vec<u32>,
    /// `<img>` elements in the subtree.
    pub imgs: Vec<u32>,
    /// Class/id signals per element.
    pub sigs: Vec<signals::ClassSig>,
    /// The `<body>` (or the root) index.
    pub body: u32,
}

impl Prep<'_> {
    /// Link density of the subtree of `i`.
    pub fn link_density(&self, i: usize) -> f32 {
        let t = self.text_len[i];
        if t == 0 {
            0.0
        } else {
            self.link_len[i] as f32 / t as f32
        }
    }
}

/// Non-whitespace characters, commas and sentence stops of a text node.
fn count_chars(t: &str) -> (u32, u32, u32) {
    let mut n = 0u32;
    let mut commas = 0u32;
    let mut stops = 0u32;
    if t.is_ascii() {
        // Most text is ASCII: bytes, no character decoding (the same counts: ASCII
        // whitespace in Unicode's sense is tab to carriage return and space).
        for &b in t.as_bytes() {
            match b {
                b'\t'..=b'\r' | b' ' => continue,
                b',' | b';' => commas += 1,
                b'.' | b'!' | b'?' => stops += 1,
                _ => {}
            }
            n += 1;
        }
        return (n, commas, stops);
    }
    for c in t.chars() {
        if c.is_whitespace() {
            continue;
        }
        n += 1;
        match c {
            ',' | '，' | '、' | '،' | '؛' | ';' => commas += 1,
            '.' | '!' | '?' | '。' | '！' | '？' | '؟' | '।' => stops += 1,
            _ => {}
        }
    }
    (n, commas, stops)
}

/// Analyse `doc`. `strict`: also remove elements by their class/id vocabulary (the lenient
/// retry keeps them and relies on scoring and the conditional clean).
pub(super) fn prepare(doc: &Html, strict: bool) -> Prep<'_> {
    let nodes = flatten(doc);
    let n = nodes.len();
    // Pass 1 (top-down): hard removals (scripts, media, form controls) inherit downwards.
    let mut hard = vec![false; n];
    let mut body = NONE;
    for i in 0..n {
        let p = nodes[i].parent;
        let inherited = p != NONE && hard[p as usize];
        hard[i] = inherited || nodes[i].is(tag::HARD_DROP);
        if body == NONE && nodes[i].is(tag::BODY) {
            body = i as u32;
        }
    }
    if body == NONE {
        body = 0;
    }
    // Pass 2 (bottom-up): raw text length, ignoring hard removals only.
    let mut raw = vec![0u32; n];
    // Paragraphs (`<p>` with at least 60 characters) in the subtree, before soft removals.
    let mut raw_p = vec![0u32; n];
    // `<h1>` elements in the subtree.
    let mut raw_h1 = vec![0u32; n];
    // Largest text of a well-known article-body container in the subtree.
    let mut strong_raw = vec![0u32; n];
    let mut sigs: Vec<signals::ClassSig> = vec![signals::ClassSig::default(); n];
    let mut own_stats = vec![(0u32, 0u32, 0u32); n];
    let mut class_sigs: HashMap<(Option<&str>, Option<&str>), signals::ClassSig> = HashMap::new();
    for i in (0..n).rev() {
        if hard[i] {
            continue;
        }
        match nodes[i].kind {
            Kind::Text(t) => {
                own_stats[i] = count_chars(t);
                raw[i] = own_stats[i].0;
            }
            Kind::Elem(e) => {
                if raw[i] >= 60 && nodes[i].is(tag::P) {
                    raw_p[i] += 1;
                }
                if nodes[i].is(tag::H1) {
                    raw_h1[i] += 1;
                }
                let (class, id) = (interned::class(e), interned::id(e));
                if class.is_some() || id.is_some() {
                    // Cards and list items repeat their classes: classify each pair once.
                    sigs[i] = *class_sigs
                        .entry((class, id))
                        .or_insert_with(|| signals::class_id_sig(e));
                }
                sigs[i].strong |= signals::itemprop_body(e);
                if sigs[i].strong {
                    strong_raw[i] = raw[i];
                }
            }
        }
        let p = nodes[i].parent;
        if p != NONE {
            let p = p as usize;
            raw[p] = raw[p].saturating_add(raw[i]);
            raw_p[p] += raw_p[i];
            raw_h1[p] += raw_h1[i];
            strong_raw[p] = strong_raw[p].max(strong_raw[i]);
        }
    }
    let total = raw.first().copied().unwrap_or(0).max(1);
    let total_p = raw_p.first().copied().unwrap_or(0);
    let main_strong = strong_raw.first().copied().unwrap_or(0);
    // Pass 3 (top-down): soft removals (furniture tags, roles, classes, hidden), unless the
    // element holds at least half of the page's text (then the class is a layout accident).
    let mut dropped = vec![false; n];
    let mut in_link = vec![false; n];
    let mut block_of = vec![NONE; n];
    let mut in_article = vec![false; n];
    for i in 0..n {
        let p = nodes[i].parent;
        let (pd, pl, pb, pa) = if p == NONE {
            (false, false, NONE, false)
        } else {
            let p = p as usize;
            (dropped[p], in_link[p], block_of[p], in_article[p])
        };
        let mut d = pd || hard[i];
        let mut b = pb;
        let mut l = pl;
        if let Some(e) = nodes[i].elem() {
            let node = nodes[i];
            if !d {
                let sig = sigs[i];
                // Holds the article body container: a layout wrapper, whatever its class.
                let holds_body = strong_raw[i] >= 200 && strong_raw[i] == main_strong;
                let big_text = raw[i].saturating_mul(2) >= total;
                let big = if holds_body {
                    true
                } else if sig.comments {
                    raw[i].saturating_mul(4) >= total.saturating_mul(3)
                } else {
                    big_text
                        || (!sig.media && raw_p[i] >= 3 && raw_p[i].saturating_mul(2) >= total_p)
                };
                // An inline element that is a small part of its paragraph (a dateline, a
                // linked name) is text, whatever its class.
                let inline_part = !node.is(tag::BLOCK)
                    && pb != NONE
                    && raw[i].saturating_mul(2) < raw[pb as usize];
                // Hidden: kept only when it is nearly the whole page (an anti-flicker wrapper).
                let hidden =
                    signals::is_hidden(e) && raw[i].saturating_mul(10) < total.saturating_mul(9);
                if hidden {
                    d = true;
                } else if !holds_body
                    && raw[i].saturating_mul(5) < total.saturating_mul(4)
                    && node.is(tag::SOFT_DROP)
                {
                    // <aside>, <nav>, <footer>: furniture by tag, even with many paragraphs.
                    d = true;
                } else if !big {
                    // A page header holding the title and a lead paragraph is the article's.
                    let soft = (node.is(tag::HEADER) && !pa && !(raw_h1[i] > 0 && raw_p[i] > 0))
                        || signals::is_boilerplate_role(e)
                        || (strict
                            && sig.boiler
                            && !inline_part
                            && !sig.strong
                            && !node.is(tag::PAGE | tag::ARTICLE_MAIN));
                    d = soft;
                }
            }
            if node.is(tag::BLOCK) {
                b = i as u32;
            }
            if node.is(tag::A) {
                l = true;
            }
        }
        in_article[i] = pa || nodes[i].is(tag::ARTICLE_MAIN);
        dropped[i] = d;
        in_link[i] = l;
        block_of[i] = b;
    }
    // Pass 4: own inline text per block.
    let mut own_len = vec![0u32; n];
    let mut own_link = vec![0u32; n];
    let mut commas = vec![0u32; n];
    let mut stops = vec![0u32; n];
    for i in 0..n {
        if dropped[i] || !matches!(nodes[i].kind, Kind::Text(_)) {
            continue;
        }
        let b = block_of[i];
        if b == NONE {
            continue;
        }
        let b = b as usize;
        let (len, c, s) = own_stats[i];
        own_len[b] += len;
        commas[b] += c;
        stops[b] += s;
        if in_link[i] {
            own_link[b] += len;
        }
    }
    // Pass 5 (bottom-up): subtree sums.
    let mut text_len = vec![0u32; n];
    let mut link_len = vec![0u32; n];
    let mut paras = vec![0u32; n];
    let mut lis = vec![0u32; n];
    let mut good = vec![0u32; n];
    let mut sub_commas = commas.clone();
    let mut imgs = vec![0u32; n];
    for i in (0..n).rev() {
        if dropped[i] {
            continue;
        }
        match nodes[i].kind {
            Kind::Text(_) => {
                text_len[i] += own_stats[i].0;
                if in_link[i] {
                    link_len[i] += own_stats[i].0;
                }
            }
            Kind::Elem(_) => {
                if own_len[i] >= 25 && own_link[i] * 2 < own_len[i] {
                    paras[i] += 1;
                    good[i] += own_len[i] - own_link[i];
                }
                lis[i] += u32::from(nodes[i].is(tag::LI));
                imgs[i] += u32::from(nodes[i].is(tag::IMG));
            }
        }
        let p = nodes[i].parent;
        if p != NONE {
            let p = p as usize;
            text_len[p] += text_len[i];
            link_len[p] += link_len[i];
            paras[p] += paras[i];
            good[p] += good[i];
            sub_commas[p] += sub_commas[i];
            lis[p] += lis[i];
            imgs[p] += imgs[i];
        }
    }
    Prep {
        nodes,
        dropped,
        in_link,
        text_len,
        link_len,
        own_len,
        own_link,
        commas,
        stops,
        paras,
        good,
        sub_commas,
        lis,
        imgs,
        sigs,
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_and_unicode_text_count_alike() {
        let ascii = " a,b;\tc.\u{b}d!\x0ce? f\r\n";
        assert_eq!(count_chars(ascii), (11, 2, 3));
        // The same text with one non-ASCII letter goes the character way: one more letter.
        let mixed = format!("{ascii}é");
        assert_eq!(count_chars(&mixed), (12, 2, 3));
        assert_eq!(count_chars("，、。！ x"), (5, 2, 2));
    }

    #[test]
    fn drops_nav_and_counts_text() {
        let doc = Html::parse_document(
            "<body><nav><a href=x>Home</a></nav><div class=c><p>Hello, world. This is text enough.</p></div></body>",
        );
        let p = prepare(&doc, true);
        let nav = p.nodes.iter().position(|n| n.tag() == "nav").unwrap();
        assert!(p.dropped[nav]);
        let para = p.nodes.iter().position(|n| n.tag() == "p").unwrap();
        assert_eq!(p.own_len[para], 29);
        assert_eq!(p.commas[para], 1);
        assert_eq!(p.paras[p.body as usize], 1);
        assert_eq!(p.link_len[p.body as usize], 0);
    }
}
