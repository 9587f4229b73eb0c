//! Finding the main content container: readability-style paragraph scoring propagated to
//! ancestors, weighted by class names, tags, link density and CMS / schema.org body markers,
//! then the top candidate's siblings that look like article text are merged in.

use super::dom::{NONE, tag};
use super::prep::Prep;

/// The chosen content region: subtree roots in document order.
#[derive(Debug, Clone)]
pub(super) struct Region {
    /// Subtree roots whose text forms the article.
    pub roots: Vec<u32>,
}

fn init_score(tag: &str) -> f32 {
    match tag {
        "div" | "article" | "main" | "section" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

fn bonus(p: &Prep<'_>, i: usize) -> f32 {
    let Some(e) = p.nodes[i].elem() else {
        return 0.0;
    };
    let sig = p.sigs[i];
    let mut b = sig.weight;
    if sig.strong {
        b += 30.0;
    }
    match e.name() {
        "article" => b += 15.0,
        "main" => b += 10.0,
        _ => {}
    }
    b
}

/// Score every paragraph, propagate to five ancestors, pick the best container and merge its
/// relevant siblings. `None` when the page has no paragraph at all.
pub(super) fn find_region(p: &Prep<'_>, title: Option<&str>) -> Option<Region> {
    let n = p.nodes.len();
    let mut score = vec![0f32; n];
    let mut seen = vec![false; n];
    let mut any = false;
    for i in 0..n {
        if p.dropped[i] || p.own_len[i] < 25 {
            continue;
        }
        if p.nodes[i].is(tag::HEADING | tag::PAGE) {
            continue;
        }
        if p.own_link[i] * 2 > p.own_len[i] {
            continue;
        }
        let len = p.own_len[i] as f32;
        // Paragraphs with links (references, teasers) count less.
        let ld = p.own_link[i] as f32 / len;
        let s = (1.0 + (p.commas[i] as f32).min(20.0) + (len / 100.0).min(3.0))
            * (1.0 - ld)
            * (1.0 - ld);
        any = true;
        let mut a = p.nodes[i].parent;
        let mut level = 0u32;
        while a != NONE && level < 5 {
            let ai = a as usize;
            if !seen[ai] {
                seen[ai] = true;
                score[ai] = init_score(p.nodes[ai].tag()) + bonus(p, ai);
            }
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            score[ai] += s / div;
            a = p.nodes[ai].parent;
            level += 1;
        }
    }
    if !any {
        return None;
    }
    // Final candidate scores: scaled by (1 - link density).
    let mut best = NONE;
    let mut best_score = f32::MIN;
    let mut cands: Vec<(f32, u32)> = Vec::new();
    for i in 0..n {
        if !seen[i] {
            continue;
        }
        score[i] *= 1.0 - p.link_density(i);
        cands.push((score[i], i as u32));
        if score[i] > best_score {
            best_score = score[i];
            best = i as u32;
        }
    }
    if best == NONE {
        return None;
    }
    let is_ancestor = |a: u32, d: u32| a <= d && d < p.nodes[a as usize].end;
    let body = p.body;
    // Several near-top candidates share an ancestor: the article is split, take the ancestor.
    cands.sort_by(|a, b| b.0.total_cmp(&a.0));
    let alts: Vec<u32> = cands
        .iter()
        .skip(1)
        .take(5)
        .filter(|(s, _)| *s >= best_score * 0.75)
        .map(|(_, i)| *i)
        .collect();
    if alts.len() >= 3 {
        let mut a = p.nodes[best as usize].parent;
        while a != NONE && a != body {
            let c = alts.iter().filter(|&&x| is_ancestor(a, x)).count();
            if c >= 3 {
                best = a;
                break;
            }
            a = p.nodes[a as usize].parent;
        }
    }
    // The title as an anchor: a page with several articles (infinite scroll, teasers with
    // text) whose title heading lies in another container than the top candidate.
    let mut lead = None;
    let heading = title.and_then(|t| title_heading(p, t));
    if let Some(h) = heading {
        let top_range = best..p.nodes[best as usize].end;
        if !top_range.contains(&h) {
            // Lowest ancestor of the heading with real paragraph text.
            let mut a = p.nodes[h as usize].parent;
            while a != NONE && a != body && p.good[a as usize] < 300 {
                a = p.nodes[a as usize].parent;
            }
            // The heading's container must be article-like (mostly paragraph text).
            if a != NONE
                && a != body
                && !is_ancestor(a, best)
                && p.good[a as usize] * 2 >= p.text_len[a as usize]
            {
                let a_end = p.nodes[a as usize].end;
                if a_end <= best && text_between(p, a_end, best) < 200 {
                    // Header and lead right before the text: keep both.
                    lead = Some(a);
                } else {
                    let (lo, hi) = (a as usize, a_end as usize);
                    let mut alt = NONE;
                    let mut alt_score = f32::MIN;
                    for (i, &s) in score.iter().enumerate().take(hi).skip(lo) {
                        if seen[i] && s > alt_score {
                            alt_score = s;
                            alt = i as u32;
                        }
                    }
                    if alt != NONE && alt_score >= best_score * 0.3 {
                        best = alt;
                    }
                }
            }
        }
    }
    // Walk up while the parent scores higher.
    let mut last = score[best as usize];
    let threshold = last / 3.0;
    let mut a = p.nodes[best as usize].parent;
    while a != NONE && a != body {
        let ai = a as usize;
        if seen[ai] {
            if score[ai] < threshold {
                break;
            }
            if score[ai] > last {
                best = a;
                break;
            }
            last = score[ai];
        }
        a = p.nodes[ai].parent;
    }
    // An only child: take the parent.
    loop {
        let par = p.nodes[best as usize].parent;
        if par == NONE || par == body || p.nodes[par as usize].parent == NONE {
            break;
        }
        let mut elems = 0;
        let mut c = par as usize + 1;
        let end = p.nodes[par as usize].end as usize;
        while c < end {
            if (p.nodes[c].elem().is_some() && !p.dropped[c]) || p.text_len[c] > 0 {
                elems += 1;
            }
            c = p.nodes[c].end as usize;
        }
        if elems == 1 {
            best = par;
        } else {
            break;
        }
    }
    // Text spread over many small containers (one per paragraph): walk up while the parent
    // holds clearly more paragraph text and is not a link farm.
    loop {
        let par = p.nodes[best as usize].parent;
        if par == NONE || par == body {
            break;
        }
        let (gb, gp) = (p.good[best as usize], p.good[par as usize]);
        if gp as f32 >= gb as f32 * 1.4 && gp >= gb + 150 && p.link_density(par as usize) < 0.3 {
            best = par;
        } else {
            break;
        }
    }
    // Sibling merge.
    let top = best;
    let ts = score[top as usize];
    let mut roots = Vec::new();
    let par = p.nodes[top as usize].parent;
    if par == NONE {
        roots.push(top);
        return Some(Region { roots });
    }
    let sib_threshold = (ts * 0.3).max(10.0);
    let top_class = p.nodes[top as usize]
        .elem()
        .and_then(|e| e.attr("class"))
        .unwrap_or("");
    let mut c = par as usize + 1;
    let end = p.nodes[par as usize].end as usize;
    while c < end {
        let next = p.nodes[c].end as usize;
        if p.dropped[c] {
            c = next;
            continue;
        }
        if c as u32 == top {
            roots.push(top);
            c = next;
            continue;
        }
        let mut keep = false;
        if seen[c] {
            let mut s = score[c];
            let cls = p.nodes[c]
                .elem()
                .and_then(|e| e.attr("class"))
                .unwrap_or("");
            if !top_class.is_empty() && cls == top_class {
                s += ts * 0.2;
            }
            keep = s >= sib_threshold || ((c as u32) < top && s >= sib_threshold * 0.5);
        }
        if !keep && p.text_len[c] > 0 {
            let ld = p.link_density(c);
            let len = p.text_len[c];
            let tag = p.nodes[c].tag();
            if matches!(tag, "p" | "" | "blockquote" | "pre" | "ul" | "ol") {
                keep = (len > 80 && ld < 0.25) || (len > 0 && ld == 0.0 && p.stops[c] > 0);
            } else if p.paras[c] >= 1 && (c as u32) < top {
                keep = len > 100 && ld < 0.2;
            }
        }
        if keep {
            roots.push(c as u32);
        }
        c = next;
    }
    if let Some(a) = lead {
        let first = roots.first().copied().unwrap_or(top);
        if a < first && p.nodes[a as usize].end <= first {
            roots.insert(0, a);
        }
    }
    // Lead / standfirst paragraphs between the title heading (or the last h1) and the text.
    let first = roots.first().copied().unwrap_or(top);
    let anchor = heading
        .filter(|&h| p.nodes[h as usize].end <= first)
        .or_else(|| {
            (0..first as usize)
                .rev()
                .find(|&i| p.nodes[i].is(tag::H1) && !p.dropped[i])
                .map(|i| i as u32)
        });
    if let Some(h) = anchor {
        let mut leads = Vec::new();
        let mut chars = 0u32;
        let mut i = p.nodes[h as usize].end as usize;
        while i < first as usize {
            if p.dropped[i] {
                i = p.nodes[i].end as usize;
                continue;
            }
            let own = p.own_len[i];
            if own >= 40 && p.own_link[i] * 4 < own && (own >= 80 || !p.nodes[i].is(tag::HEADING)) {
                leads.push(i as u32);
                chars += p.text_len[i];
                i = p.nodes[i].end as usize;
                continue;
            }
            i += 1;
        }
        if !leads.is_empty() && leads.len() <= 3 && chars <= 1200 {
            let end = p.nodes[first as usize].end;
            leads.retain(|&b| p.nodes[b as usize].end <= first || b >= end);
            for (k, b) in leads.into_iter().enumerate() {
                roots.insert(k, b);
            }
        }
    }
    Some(Region { roots })
}

/// Visible characters in text nodes with index in `from..to`.
fn text_between(p: &Prep<'_>, from: u32, to: u32) -> u32 {
    let mut n = 0u32;
    let mut i = from as usize;
    while i < to as usize {
        if p.dropped[i] {
            i = p.nodes[i].end as usize;
            continue;
        }
        if matches!(p.nodes[i].kind, super::dom::Kind::Text(_)) {
            n += p.text_len[i];
        }
        i += 1;
    }
    n
}

fn norm_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// `heading` matches `title`: one contains the other, or most words are shared.
/// `strict`: containment counts only between strings of similar length ("Bee Simulator" is
/// not the title of the section "Bee Simulator Mehrspieler").
pub(super) fn matches_title(heading: &str, title: &str, strict: bool) -> bool {
    let tw = norm_words(title);
    let hw = norm_words(heading);
    if tw.len() < 2 || hw.len() < 2 {
        return false;
    }
    let tjoined = tw.join(" ");
    let hjoined = hw.join(" ");
    let shared = hw.iter().filter(|w| tw.contains(w)).count();
    let (short, long) = (hw.len().min(tw.len()), hw.len().max(tw.len()));
    ((tjoined.contains(&hjoined) || hjoined.contains(&tjoined))
        && (!strict || short * 10 >= long * 8))
        || shared * 10 >= long * 7
}

/// The first `h1`/`h2` whose text matches `title` (one contains the other, or most words
/// shared).
fn title_heading(p: &Prep<'_>, title: &str) -> Option<u32> {
    for (i, node) in p.nodes.iter().enumerate() {
        if p.dropped[i] || !matches!(node.tag(), "h1" | "h2") {
            continue;
        }
        let mut text = String::new();
        for t in &p.nodes[i..node.end as usize] {
            if let super::dom::Kind::Text(s) = t.kind {
                text.push_str(s);
                text.push(' ');
            }
        }
        if matches_title(&text, title, false) {
            return Some(i as u32);
        }
    }
    None
}
