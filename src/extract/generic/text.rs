//! Turning the chosen region into paragraphs: a conditional clean of link-heavy or gallery
//! containers inside it, inline text joined with collapsed whitespace, `<br><br>` as a
//! paragraph break, and a per-paragraph filter for short furniture (ad labels, share prompts,
//! link lists, cookie notices).

use super::dom::Kind;
use super::prep::Prep;
use super::signals;

/// One output paragraph.
#[derive(Debug, Clone)]
pub(super) struct Block {
    /// The text, whitespace collapsed (lines kept inside `<pre>` and after a single `<br>`).
    pub text: String,
    /// Non-space characters.
    pub chars: usize,
    /// Of which inside links.
    pub link: usize,
    /// A heading (`h1`-`h6`).
    pub heading: bool,
}

/// readability's "clean conditionally": a container inside the article that is probably not
/// article text (a link list, an image gallery, a widget).
fn unlikely_container(p: &Prep<'_>, i: usize) -> bool {
    let Some(e) = p.nodes[i].elem() else {
        return false;
    };
    let tag = e.name();
    if !matches!(
        tag,
        "div" | "section" | "ul" | "ol" | "table" | "form" | "dl" | "fieldset" | "figure" | "aside"
    ) {
        return false;
    }
    let text = p.text_len[i];
    let weight = p.sigs[i].weight;
    if weight < 0.0 && p.paras[i] < 3 {
        return true;
    }
    if p.sub_commas[i] >= 10 {
        return false;
    }
    let paras = p.paras[i] as f32;
    let imgs = p.imgs[i] as f32;
    let lis = p.lis[i] as f32;
    let ld = p.link_density(i);
    let is_list = matches!(tag, "ul" | "ol" | "dl");
    if imgs > 1.0 && paras / imgs < 0.5 && text < 200 {
        return true;
    }
    if !is_list && tag != "table" && lis > paras * 2.0 + 2.0 && ld > 0.3 {
        return true;
    }
    if ((weight < 25.0 && ld > 0.33) || (weight >= 25.0 && ld > 0.5)) && p.good[i] < 150 {
        return true;
    }
    false
}

struct Emitter {
    blocks: Vec<Block>,
    buf: String,
    buf_link: usize,
    buf_chars: usize,
    heading: bool,
}

impl Emitter {
    fn push_text(&mut self, t: &str, pre: bool, link: bool) {
        for c in t.chars() {
            // Soft hyphens and zero-width spaces / joiners-of-words are invisible.
            if matches!(c, '\u{ad}' | '\u{200b}' | '\u{2060}' | '\u{feff}') {
                continue;
            }
            if c.is_whitespace() && !(pre && c == '\n') {
                let after_text = !self.buf.is_empty() && !self.buf.ends_with(char::is_whitespace);
                if after_text || (pre && c != '\r') {
                    self.buf.push(' ');
                }
            } else {
                self.buf.push(c);
                if !c.is_whitespace() {
                    self.buf_chars += 1;
                    if link {
                        self.buf_link += 1;
                    }
                }
            }
        }
    }

    fn newline(&mut self) {
        while self.buf.ends_with(' ') {
            self.buf.pop();
        }
        self.buf.push('\n');
    }

    fn flush(&mut self) {
        if self.buf_chars == 0 {
            self.buf.clear();
            self.buf_link = 0;
            self.heading = false;
            return;
        }
        let ld = self.buf_link as f32 / self.buf_chars as f32;
        let mut para = String::new();
        let buf = std::mem::take(&mut self.buf);
        for line in buf.split('\n') {
            let line = line.trim();
            if line.is_empty() {
                self.finish(&mut para, ld);
            } else {
                if !para.is_empty() {
                    para.push('\n');
                }
                para.push_str(line);
            }
        }
        self.finish(&mut para, ld);
        self.buf_link = 0;
        self.buf_chars = 0;
        self.heading = false;
    }

    fn finish(&mut self, para: &mut String, ld: f32) {
        if para.is_empty() {
            return;
        }
        let text = std::mem::take(para);
        let chars = text.chars().filter(|c| !c.is_whitespace()).count();
        self.blocks.push(Block {
            text,
            chars,
            link: (ld * chars as f32).round() as usize,
            heading: self.heading,
        });
    }
}

/// The paragraphs of the subtrees `roots`, in document order.
pub(super) fn emit(p: &Prep<'_>, roots: &[u32], clean: bool) -> Vec<Block> {
    let mut em = Emitter {
        blocks: Vec::new(),
        buf: String::new(),
        buf_link: 0,
        buf_chars: 0,
        heading: false,
    };
    for &r in roots {
        let r = r as usize;
        let end_r = p.nodes[r].end as usize;
        // Open block elements: (subtree end, is <pre>).
        let mut open: Vec<(usize, bool)> = Vec::new();
        let mut pre_depth = 0usize;
        let mut i = r;
        while i < end_r {
            while let Some(&(e, is_pre)) = open.last() {
                if e <= i {
                    open.pop();
                    if is_pre {
                        pre_depth -= 1;
                    }
                    em.flush();
                } else {
                    break;
                }
            }
            if p.dropped[i] || (clean && i != r && unlikely_container(p, i)) {
                i = p.nodes[i].end as usize;
                continue;
            }
            match p.nodes[i].kind {
                Kind::Text(t) => em.push_text(t, pre_depth > 0, p.in_link[i]),
                Kind::Elem(e) => {
                    let tag = e.name();
                    if tag == "br" {
                        em.newline();
                    } else if signals::is_block(tag) {
                        em.flush();
                        let is_pre = tag == "pre";
                        if is_pre {
                            pre_depth += 1;
                        }
                        if signals::is_heading(tag) {
                            em.heading = true;
                        }
                        open.push((p.nodes[i].end as usize, is_pre));
                    }
                }
            }
            i += 1;
        }
        em.flush();
    }
    em.blocks
}

/// Drop furniture paragraphs: ad labels, share prompts, cookie notices, short link lists, and
/// headings left dangling at the end.
pub(super) fn filter(blocks: Vec<Block>) -> Vec<Block> {
    let mut out: Vec<Block> = blocks
        .into_iter()
        .map(|mut b| {
            // Lines of a `<br>`-separated block are filtered one by one.
            if b.text.contains('\n') {
                let lines: Vec<&str> = b
                    .text
                    .split('\n')
                    .filter(|l| {
                        let c = l.chars().filter(|c| !c.is_whitespace()).count();
                        !signals::is_boilerplate_text(l, c)
                    })
                    .collect();
                let kept = lines.join("\n");
                if kept.len() != b.text.len() {
                    let chars = kept.chars().filter(|c| !c.is_whitespace()).count();
                    b.link = b.link * chars / b.chars.max(1);
                    b.chars = chars;
                    b.text = kept;
                }
            }
            b
        })
        .filter(|b| {
            if b.chars == 0 {
                return false;
            }
            if signals::is_boilerplate_text(&b.text, b.chars) {
                return false;
            }
            let ld = if b.chars == 0 {
                0.0
            } else {
                b.link as f32 / b.chars as f32
            };
            !(ld > 0.5 && b.chars < 200)
        })
        .collect();
    // Cut at a heading that opens after-article furniture ("About the author", "Related",
    // "Comments") when little text follows it.
    let total: usize = out.iter().map(|b| b.chars).sum();
    let mut after = total;
    let mut cut = None;
    for (k, b) in out.iter().enumerate() {
        after -= b.chars;
        if k > 0 && after * 5 < total * 2 && signals::is_tail_section(&b.text, b.chars) {
            cut = Some(k);
            break;
        }
    }
    if let Some(k) = cut {
        out.truncate(k);
    }
    // An author bio closing the text.
    if out.len() > 1
        && out
            .last()
            .is_some_and(|b| signals::is_author_bio(&b.text, b.chars))
    {
        out.pop();
    }
    // Leading labels (kicker, category, breadcrumb rest): short, no sentence, before the text.
    let labels = out
        .iter()
        .take(out.len().saturating_sub(1))
        .take_while(|b| b.chars <= 25 && !b.heading && !ends_sentence(&b.text))
        .count();
    out.drain(..labels);
    while out.last().is_some_and(|b| b.heading) {
        out.pop();
    }
    out
}

fn ends_sentence(t: &str) -> bool {
    t.trim_end().ends_with([
        '.', '!', '?', '。', '！', '？', ':', '"', '”', '»', '«', '؟',
    ])
}
