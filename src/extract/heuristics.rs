//! Generic guesses for pages whose selectors and metadata say nothing: the title from `<h1>` /
//! `<title>`, the date from `time[datetime]` and date-like elements inside the article (never
//! page chrome: headers, navigation, sidebars, related lists), the URL or a "Published on"
//! line, and the byline from `rel=author` / `.byline` / `.author` elements.

use chrono::{DateTime, FixedOffset};
use std::collections::HashSet;

use ego_tree::{NodeId, NodeRef};
use scraper::{ElementRef, Html, Node};

use super::dates::{SlashOrder, parse_date_in, parse_loose_in, url_date};
use super::text::{inline_text, short_text, text_prefix};

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
            !low("category-") && !low("tag-")
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
            _ => {}
        }
        for attr in ["class", "id"] {
            if let Some(v) = e.attr(attr)
                && words.iter().any(|c| token_has(v, c))
            {
                return true;
            }
        }
        if matches!(e.name(), "article" | "main") {
            return false;
        }
    }
    false
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
        if let Some(s) = css!("h1")
            && let Some(e) = doc.select(s).find(outside_site_header)
        {
            keep.extend(e.ancestors().map(|n| n.id()));
            // The blocks right after the headline are its standfirst and dateline even when
            // called "teaser" (`l-detail-page__teaser-text`); any other chrome word (a related
            // list, share bar or author box right after the headline) still counts.
            let teaser_only = |x: &scraper::node::Element| {
                !matches!(x.name(), "nav" | "aside")
                    && ["class", "id"].iter().all(|a| {
                        x.attr(a).is_none_or(|v| {
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
        let body = css!(
            "[itemprop=articleBody], .entry-content, .post-body, .article-body, .post-content, .article-content"
        );
        if let Some(s) = body {
            // The article body is the biggest of the candidates (sidebars reuse the classes).
            let biggest = doc
                .select(s)
                .take(12)
                .max_by_key(|e| e.text().map(str::len).sum::<usize>());
            if let Some(e) = biggest {
                keep.extend(e.ancestors().map(|n| n.id()));
            }
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

/// True when `node` sits inside page chrome, without anchoring (see [`Chrome`]).
pub fn in_chrome(node: NodeRef<'_, Node>) -> bool {
    Chrome::plain().hit(node)
}

/// The texts of the first few `<h1>` elements outside chrome.
pub fn h1s(doc: &Html) -> Vec<String> {
    let Some(s) = css!("h1") else {
        return Vec::new();
    };
    doc.select(s)
        .filter(|h| !in_chrome(**h))
        .map(inline_text)
        .filter(|t| t.chars().count() >= 4)
        .take(4)
        .collect()
}

fn tokens(s: &str) -> std::collections::HashSet<String> {
    s.replace(
        [
            '\u{ad}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}',
        ],
        "",
    )
    .split(|c: char| !c.is_alphanumeric())
    .filter(|w| !w.is_empty())
    .map(str::to_lowercase)
    .collect()
}

/// True when two titles are the same headline written differently (shared words, or one
/// holding the other).
pub fn similar(a: &str, b: &str) -> bool {
    let (ta, tb) = (tokens(a), tokens(b));
    if ta.is_empty() || tb.is_empty() {
        return false;
    }
    let inter = ta.intersection(&tb).count();
    let min = ta.len().min(tb.len());
    let union = ta.len() + tb.len() - inter;
    inter == min || inter * 2 >= union
}

/// The headline from the first `<h1>` outside chrome, else `<title>` without its site suffix.
pub fn title(doc: &Html, title_tag: Option<&str>, site_name: Option<&str>) -> Option<String> {
    let tag = title_tag.map(|t| strip_site_suffix(t, site_name));
    if let Some(s) = css!("h1") {
        let h1s: Vec<String> = doc
            .select(s)
            .filter(|h| !in_chrome(**h))
            .map(inline_text)
            .filter(|t| t.chars().count() >= 4)
            .take(4)
            .collect();
        // Prefer an h1 that the <title> contains (the headline, not a logo).
        if let Some(t) = &tag {
            let tl = t.to_lowercase();
            if let Some(h) = h1s.iter().find(|h| tl.contains(&h.to_lowercase())) {
                return Some(h.clone());
            }
        }
        // A lone <h1> unlike a longer <title> is a section or site label ("Allergies Health
        // Center" over "Babies Who Eat Peanuts Early May Avoid Allergy").
        // Only the <title>'s first segment counts ("Section - Site" titles name no headline).
        let words = |s: &str| s.split_whitespace().count();
        let head = |t: &str| {
            [" - ", " | ", " – ", " — ", " · ", " » ", " :: "]
                .iter()
                .filter_map(|x| t.find(x))
                .min()
                .map_or(t.to_string(), |i| t[..i].to_string())
        };
        if let [h] = h1s.as_slice()
            && !tag
                .as_deref()
                .is_some_and(|t| !similar(h, t) && words(&head(t)) >= 5.max(words(h) + 1))
        {
            return Some(h.clone());
        }
    }
    tag.filter(|t| !t.is_empty())
}

/// `"Headline | Site"` → `"Headline"` (also ` - `, ` – `, ` — `, ` :: `, ` · `, ` » `, and a
/// leading `"Site | Headline"`).
pub fn strip_site_suffix(t: &str, site_name: Option<&str>) -> String {
    strip_site_names(t, site_name.as_slice())
}

/// [`strip_site_suffix`] with every name the page gives itself (`og:site_name`, the JSON-LD
/// publisher, ...): the first that ends or starts the title is cut, else a short last segment.
pub fn strip_site_names(t: &str, site_names: &[&str]) -> String {
    let t = t.trim();
    if let Some(cut) = strip_named_sites(t, site_names) {
        return cut;
    }
    for sep in [" | ", " – ", " — ", " :: ", " · ", " » ", " - "] {
        if let Some(i) = t.rfind(sep) {
            let (head, tail) = (&t[..i], &t[i + sep.len()..]);
            // The suffix is the shorter side, and short (a site name).
            if tail.split_whitespace().count() <= 4 && head.chars().count() > tail.chars().count() {
                return head.trim().to_string();
            }
        }
    }
    t.to_string()
}

/// The title without one of `site_names` at its end or start (with its separator), if one is
/// there. A dash or colon counts as a separator only with a space on the headline's side (and,
/// for a dash, on the site's side too): "EnBW-Chef tritt zurück" and "Streit um Fake-News" are
/// compound words, not "Site-Headline".
pub fn strip_named_sites(t: &str, site_names: &[&str]) -> Option<String> {
    let t = t.trim();
    const SEPS: [&str; 8] = ["|", "::", "·", "»", "–", "—", "-", ":"];
    // Whether `sep` may separate with these spaces; `after` is the space after the separator
    // (its side away from a prefix site, toward a suffix site).
    let spaced = |sep: &str, before: bool, after: bool| match sep {
        "-" | "–" | "—" => before && after,
        ":" => after,
        _ => true,
    };
    for site in site_names
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        // "Headline | Site".
        if let Some(r) = t.strip_suffix(site) {
            let trimmed = r.trim_end();
            let site_side = trimmed.len() < r.len();
            let head = SEPS.iter().find_map(|sep| {
                let h = trimmed.strip_suffix(sep)?;
                spaced(sep, h.ends_with(char::is_whitespace), site_side).then_some(h.trim())
            });
            if let Some(h) = head.filter(|h| !h.is_empty()) {
                return Some(h.to_string());
            }
        }
        // "Site | Headline": the headline is the longer side (a page whose og:site_name is
        // its own headline would otherwise keep only the real site name).
        if let Some(r) = t.strip_prefix(site) {
            let trimmed = r.trim_start();
            let site_side = trimmed.len() < r.len();
            let tail = SEPS.iter().find_map(|sep| {
                let h = trimmed.strip_prefix(sep)?;
                spaced(sep, site_side, h.starts_with(char::is_whitespace)).then_some(h.trim())
            });
            if let Some(h) =
                tail.filter(|h| !h.is_empty() && h.chars().count() > site.chars().count())
            {
                return Some(h.to_string());
            }
        }
    }
    None
}

/// How the page writes ambiguous slash dates, from its `<html lang>`.
/// How the page writes ambiguous slash dates, from its `<html lang>`, else its `og:locale` or
/// `content-language` meta.
pub fn slash_order(doc: &Html) -> SlashOrder {
    let root = doc.root_element();
    let lang = root
        .value()
        .attr("lang")
        .or_else(|| root.value().attr("xml:lang"))
        .filter(|l| !l.trim().is_empty())
        .or_else(|| {
            css!(r#"meta[property="og:locale"], meta[http-equiv="content-language" i]"#)
                .and_then(|s| doc.select(s).find_map(|m| m.value().attr("content")))
        });
    SlashOrder::for_language(lang)
}

/// A date value from an element: `datetime` / `content` attribute, else its text.
fn element_date(e: ElementRef<'_>, order: SlashOrder) -> Option<DateTime<FixedOffset>> {
    let v = e.value();
    for a in ["datetime", "content", "data-datetime", "data-date", "title"] {
        if let Some(d) = v.attr(a).and_then(|x| parse_date_in(x, order)) {
            return Some(d);
        }
    }
    short_text(e, 160).and_then(|t| parse_loose_in(&t, order))
}

/// The publication date guessed from the page, and a note of where it was found.
pub fn published(doc: &Html, url: &str, chrome: &Chrome) -> Option<DateTime<FixedOffset>> {
    let order = slash_order(doc);
    let tries = [
        css!(
            "[itemprop=datePublished], [itemprop=dateCreated], [property~='schema:datePublished'], \
         [property~='schema:dateCreated'], [property~='dc:date'], [property~='dcterms:created']"
        ),
        css!(
            "time[pubdate], time.published, time.entry-date, .published time, .entry-date, abbr.published, .published[title]"
        ),
        css!("article time[datetime], main time[datetime], [role=main] time[datetime]"),
        css!("time[datetime]"),
    ];
    for s in tries.into_iter().flatten() {
        if let Some(d) = doc
            .select(s)
            .filter(|e| !chrome.hit(**e))
            .find_map(|e| element_date(e, order))
        {
            return Some(d);
        }
    }
    if let Some(d) = url_date(url) {
        return Some(d);
    }
    if let Some(d) = labelled_date(doc, chrome, order) {
        return Some(d);
    }
    let classy = css!(
        "[class*=date], [class*=Date], [class*=datum], [id*=date], [class*=publish], [class*=time], \
                  [class*=meta], [class*=byline], [class*=dateline]"
    );
    if let Some(s) = classy {
        for e in doc.select(s).take(1000) {
            let Some(t) = short_text(e, 160) else {
                continue;
            };
            if chrome.hit(*e) {
                continue;
            }
            if let Some(d) = parse_loose_in(&t, order).filter(|_| !not_a_publication_date(&t)) {
                return Some(d);
            }
        }
    }
    near_headline_date(doc, chrome, false, order)
        .or_else(|| title_tag_date(doc, order))
        .or_else(|| headline_article_time(doc))
}

/// A date that is a whole segment of the `<title>` ("08.11.2021 | Fachtag", "News | 2.11.2021").
fn title_tag_date(doc: &Html, order: SlashOrder) -> Option<DateTime<FixedOffset>> {
    let t = doc.select(css!("title")?).next().map(inline_text)?;
    t.split(['|', '–', '—', '·'])
        .map(str::trim)
        .filter(|seg| seg.len() <= 24 && seg.starts_with(|c: char| c.is_ascii_digit()))
        .find_map(|seg| parse_loose_in(seg, order))
}

/// The date the page shows its readers with the headline (a dateline, a `<time>` under the
/// `<h1>`), outside chrome; see [`near_headline_date`].
/// `None` when the page has no headline outside chrome.
pub fn shown_date(doc: &Html, chrome: &Chrome) -> Option<DateTime<FixedOffset>> {
    near_headline_date(doc, chrome, true, slash_order(doc))
}

/// The first short element from the headline's container on (or a paragraph starting with a
/// date) whose text holds a date, outside chrome. A `<time>` whose `datetime` names the same
/// day as its text gives the attribute's full timestamp. With `need_headline` (the shown date)
/// there must be an `<h1>` and the scan stays inside its `<article>` / `<main>`; without, it is
/// the last resort of [`published`] and runs to the end of the page.
fn near_headline_date(
    doc: &Html,
    chrome: &Chrome,
    need_headline: bool,
    order: SlashOrder,
) -> Option<DateTime<FixedOffset>> {
    let h1 = css!("h1").and_then(|s| doc.select(s).find(|h| !chrome.hit(**h)));
    if need_headline && h1.is_none() {
        return None;
    }
    // Start at the headline's container: a dateline may sit just before the <h1>. A wrapper
    // that holds nothing but the headline does not count as its container.
    let is_page = |n: NodeRef<'_, Node>| matches!(n.value(), Node::Element(x) if matches!(x.name(), "body" | "html"));
    // The shown date belongs to the headline's article, not to whatever follows it.
    let scope = h1
        .filter(|_| need_headline)
        .and_then(|h| {
            h.ancestors().find(
                |a| matches!(a.value(), Node::Element(x) if matches!(x.name(), "article" | "main")),
            )
        })
        .unwrap_or(*doc.root_element());
    let start = h1
        .and_then(|h| h.parent())
        .map(|p| {
            let alone = p.children().filter(|c| c.value().is_element()).count() == 1;
            match p.parent() {
                Some(gp)
                    if alone && gp.value().is_element() && !is_page(gp) && p.id() != scope.id() =>
                {
                    gp
                }
                _ => p,
            }
        })
        .map(|p| p.id());
    let mut after = h1.is_none();
    for n in scope.descendants() {
        if Some(n.id()) == start {
            after = true;
        }
        if !after {
            continue;
        }
        let Some(e) = ElementRef::wrap(n) else {
            continue;
        };
        if !matches!(
            e.value().name(),
            "p" | "span"
                | "div"
                | "li"
                | "time"
                | "small"
                | "td"
                | "dd"
                | "em"
                | "strong"
                | "b"
                | "font"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
        ) {
            continue;
        }
        let candidate = match short_text(e, 80) {
            Some(t) => parse_loose_in(&t, order)
                .filter(|_| !not_a_publication_date(&t))
                .map(|shown| {
                    // The element's own `<time>` (or the one inside it) gives time and offset.
                    let time = if e.value().name() == "time" {
                        Some(e)
                    } else {
                        css!("time[datetime]").and_then(|s| e.select(s).next())
                    };
                    time.and_then(|t| t.value().attr("datetime"))
                        .and_then(|x| parse_date_in(x, order))
                        .filter(|d| d.date_naive() == shown.date_naive())
                        .unwrap_or(shown)
                }),
            None => {
                let head = text_prefix(e, 25);
                parse_loose_in(&head, order)
                    .filter(|_| head.starts_with(|c: char| c.is_ascii_digit()))
            }
        };
        if let Some(d) = candidate
            && !chrome.hit(n)
        {
            return Some(d);
        }
    }
    None
}

/// Words that introduce a publication date ("Datum:", "Veröffentlicht am", "Notizia del").
const DATE_LABELS: &[&str] = &[
    "datum",
    "erscheinungsdatum",
    "erstellungsdatum",
    "publikationsdatum",
    "sendedatum",
    "veröffentlichungsdatum",
    "date:",
    "published",
    "posted",
    "veröffentlich",
    "erschienen",
    "publié",
    "publicado",
    "pubblicato",
    "gepubliceerd",
    "erstellt",
    "stand:",
    "created",
    "last edited",
    "mitteilung vom",
    "meldung vom",
    "artikel vom",
    "beitrag vom",
    "notizia del",
    "comunicato del",
    "communiqué du",
];

/// A date after a label ("Datum:", "Published", "Veröffentlicht am", "Publié le", ...) in the
/// page text outside chrome: the label's text node and the text after it.
fn labelled_date(doc: &Html, chrome: &Chrome, order: SlashOrder) -> Option<DateTime<FixedOffset>> {
    let texts: Vec<NodeRef<'_, Node>> = doc
        .root_element()
        .descendants()
        .filter(|n| n.value().is_text())
        .filter(|n| !n.parent().is_some_and(is_code))
        .collect();
    for (i, n) in texts.iter().enumerate() {
        let Node::Text(t) = n.value() else { continue };
        if t.len() > 300 {
            continue;
        }
        let low = t.to_lowercase();
        let Some(pos) = find_label(&low, DATE_LABELS) else {
            continue;
        };
        if chrome.hit(*n) {
            continue;
        }
        let mut window: String = low[pos..].to_string();
        for next in texts.iter().skip(i + 1).take(4) {
            if window.len() > 80 {
                break;
            }
            if let Node::Text(x) = next.value() {
                window.push(' ');
                window.push_str(x);
            }
        }
        let window: String = window.chars().take(100).collect();
        if let Some(d) = parse_loose_in(&window, order) {
            return Some(d);
        }
    }
    None
}

/// Labels of dates that are never the article's: a clock in the page chrome ("Aktuelle Zeit:",
/// "It is currently"), a member's registration in a forum profile ("Registriert:").
const OTHER_DATE_LABELS: &[&str] = &[
    "aktuelle zeit",
    "current time",
    "it is currently",
    "today is",
    "heute ist",
    "nous sommes le",
    "hoy es",
    "registriert:",
    "registered:",
    "joined:",
    "mitglied seit",
    "member since",
    "inscrit le",
];

/// The position of the first label of `labels` in `low`. A one-word label must start a word
/// ("datum" in "Datum:" but not in "Geburtsdatum", "date:" not in "Update:"); a phrase may end
/// a compound ("mitteilung vom" in "Pressemitteilung vom").
fn find_label(low: &str, labels: &[&str]) -> Option<usize> {
    labels
        .iter()
        .filter_map(|l| {
            low.match_indices(l).map(|(i, _)| i).find(|&i| {
                l.contains(' ')
                    || !low[..i]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphanumeric)
            })
        })
        .min()
}

/// True when a short text dates something other than the article (see [`OTHER_DATE_LABELS`]).
fn not_a_publication_date(text: &str) -> bool {
    let low = text.to_lowercase();
    OTHER_DATE_LABELS.iter().any(|l| low.contains(l))
}

/// A date after a label in a short text such as the page description
/// ("ORSO MARSICANO (Notizia del 14 Gennaio 2020)").
pub fn labelled_text_date(text: &str, order: SlashOrder) -> Option<DateTime<FixedOffset>> {
    let low = text.to_lowercase();
    if not_a_publication_date(&low) {
        return None;
    }
    let pos = find_label(&low, DATE_LABELS)?;
    let window: String = low[pos..].chars().take(100).collect();
    parse_loose_in(&window, order)
}

/// A `<time datetime>` anywhere in the `<article>` that holds the headline, even in its
/// sidebar: the article's own date block, for pages where nothing else dates the article.
fn headline_article_time(doc: &Html) -> Option<DateTime<FixedOffset>> {
    let h1 = doc.select(css!("article h1")?).find(|h| !in_chrome(**h))?;
    let article = h1
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "article")?;
    article.select(css!("time[datetime]")?).find_map(|t| {
        t.value()
            .attr("datetime")
            .and_then(|x| parse_date_in(x, slash_order(doc)))
    })
}

fn is_code(n: NodeRef<'_, Node>) -> bool {
    matches!(n.value(), Node::Element(e) if matches!(e.name(), "script" | "style" | "noscript" | "template"))
}

/// The modification date from `[itemprop=dateModified]`.
pub fn modified(doc: &Html) -> Option<DateTime<FixedOffset>> {
    let s = css!("[itemprop=dateModified]")?;
    let order = slash_order(doc);
    doc.select(s).find_map(|e| element_date(e, order))
}

/// Byline text from author-ish elements outside chrome.
pub fn byline(doc: &Html, chrome: &Chrome) -> Vec<String> {
    let tries = [
        css!("[itemprop=author] [itemprop=name]"),
        css!("[itemprop=author]"),
        css!("a[rel=author], [rel=author]"),
        css!(".byline, .by-line, .article-byline, .author-name, .authorName, .author_name"),
        css!("[class*=byline], [class*=author] a, .author, [class*=Author], [class*=author]"),
        css!(".vcard .fn, .post-author .fn, [id*=author]"),
    ];
    let labelled = labelled_byline(doc, chrome);
    if !labelled.is_empty() {
        return labelled;
    }
    for s in tries.into_iter().flatten() {
        let found: Vec<String> = doc
            .select(s)
            .filter(|e| !chrome.byline_hit(**e))
            .filter_map(|e| match e.value().attr("content") {
                Some(c) => Some(c.to_string()),
                None => short_text(e, 120),
            })
            .filter(|t| !t.is_empty() && t.chars().count() <= 100)
            .take(5)
            .collect();
        let names = super::authors::clean_authors(&found);
        if !names.is_empty() {
            return names;
        }
    }
    Vec::new()
}

/// A short element whose text starts with a byline label ("By", "Von", "Par", "Autor:",
/// "Text:", "Eingestellt von", ...), outside chrome: the names after the label.
fn labelled_byline(doc: &Html, chrome: &Chrome) -> Vec<String> {
    const LABELS: &[&str] = &[
        "by ",
        "by:",
        "von:",
        "par:",
        "von ",
        "par ",
        "por ",
        "door ",
        "autor:",
        "autorin:",
        "autoren ",
        "autor ",
        "author:",
        "text:",
        "text von ",
        "texto:",
        "eingestellt von ",
        "gespeichert von ",
        "geschrieben von ",
        "verfasst von ",
        "redaktion:",
        "written by ",
        "posted by ",
        "posté par ",
        "publié par ",
    ];
    let Some(s) = css!("p, span, div, em, i, b, strong, small, li, h4, h5, h6, td, address, dd")
    else {
        return Vec::new();
    };
    for e in doc.select(s).take(20_000) {
        let Some(t) = short_text(e, 90) else { continue };
        // "– Redaktion: Jane Doe" after a dateline: leading separators are not text.
        let t = t.trim_start_matches(['-', '–', '—', '|', '·', '•', ' ']);
        let low = t.to_lowercase();
        // A bare label ("By", "Von:") takes the name from the text after its element.
        let Some(label) = LABELS
            .iter()
            .find(|l| low.starts_with(*l) || l.strip_suffix(' ') == Some(low.as_str()))
        else {
            continue;
        };
        if chrome.byline_hit(*e) {
            continue;
        }
        // The label is ASCII-case-insensitive; cut the same number of bytes from the original.
        let rest = t
            .get(label.len()..)
            .unwrap_or("")
            .trim_start_matches([':', ' ']);
        // "<strong>Text:</strong> Jane Doe": the name follows the label's element.
        let following;
        let rest = if rest.trim().is_empty() {
            following = following_text(*e, 80);
            following.trim_start_matches([':', ' '])
        } else {
            rest
        };
        let cut = [
            " am ", " on ", " le ", " el ", " il ", " | ", " · ", " • ", " - ", " – ", ", den ",
        ]
        .iter()
        .filter_map(|c| rest.find(c))
        .chain(rest.find(|c: char| c.is_ascii_digit()))
        .chain(credit_cut(rest))
        .min()
        .unwrap_or(rest.len());
        // "von rund 2000 Besuchern" is not a byline: a name starts upper-case.
        if !rest.starts_with(|c: char| !c.is_lowercase()) && low.starts_with("von ") {
            continue;
        }
        let names = super::authors::clean_authors(&[&rest[..cut]]);
        if !names.is_empty() {
            return names;
        }
    }
    Vec::new()
}

/// Where the next credit of a credits line starts ("Text von Jane Doe Illustration von ...",
/// "Text: Jane Doe Fotos: ..."): the byline ends there.
fn credit_cut(rest: &str) -> Option<usize> {
    // ASCII lower-casing keeps byte offsets valid in `rest`.
    let low = rest.to_ascii_lowercase();
    [
        " illustration",
        " foto",
        " photo",
        " bild:",
        " bilder:",
        " grafik",
        " images:",
    ]
    .iter()
    .filter_map(|c| low.find(c))
    .min()
}

/// The inline text right after `node` (its following siblings, up to the next block), at most
/// about `max` bytes.
fn following_text(node: NodeRef<'_, Node>, max: usize) -> String {
    let mut out = String::new();
    for sib in node.next_siblings() {
        match sib.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(el) => {
                if matches!(
                    el.name(),
                    "br" | "p"
                        | "div"
                        | "li"
                        | "ul"
                        | "ol"
                        | "table"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "section"
                ) {
                    if out.trim().is_empty() && el.name() == "br" {
                        continue;
                    }
                    break;
                }
                match ElementRef::wrap(sib).and_then(|e| short_text(e, max)) {
                    Some(t) => out.push_str(&t),
                    None => break,
                }
            }
            _ => {}
        }
        out.push(' ');
        if out.len() > max {
            break;
        }
    }
    crate::extract::meta::squash(&out)
}

/// Tags from `a[rel=tag]` links.
pub fn tags(doc: &Html) -> Vec<String> {
    let Some(s) = css!("a[rel~=tag]") else {
        return Vec::new();
    };
    doc.select(s)
        .map(inline_text)
        .filter(|t| !t.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffix_is_stripped() {
        assert_eq!(
            strip_site_suffix("Big news - HSToday", Some("HSToday")),
            "Big news"
        );
        assert_eq!(
            strip_site_suffix("Big news today | The Paper", None),
            "Big news today"
        );
        assert_eq!(strip_site_suffix("Plain", None), "Plain");
        // The site name is longer than the headline; no spaces around the bar; a prefix.
        assert_eq!(
            strip_site_suffix(
                "Lehrberufe KFT - Siegfried Marcus Berufsschule",
                Some("Siegfried Marcus Berufsschule")
            ),
            "Lehrberufe KFT"
        );
        assert_eq!(
            strip_site_suffix(
                "NEWS WEB EASY|子どもへの体罰を禁止する法律ができる",
                Some("NEWS WEB EASY")
            ),
            "子どもへの体罰を禁止する法律ができる"
        );
        assert_eq!(
            strip_site_suffix(
                "Bürgerbeteiligung für Windpark Steinheim | EnBW",
                Some("Bürgerbeteiligung für Windpark Steinheim")
            ),
            "Bürgerbeteiligung für Windpark Steinheim"
        );
        assert_eq!(
            strip_site_names(
                "Ladensterben » ☆☆☆☆☆ - Journalistenwatch e.V.",
                &[
                    "Journalistenwatch - Newswatch",
                    "☆☆☆☆☆ - Journalistenwatch e.V."
                ]
            ),
            "Ladensterben"
        );
        // Compound words are not "Site-Headline".
        for (title, site) in [
            ("EnBW-Chef tritt zurück", "EnBW"),
            ("BMZ-Ministerin besucht Kenia", "BMZ"),
            ("Streit um Fake-News", "News"),
        ] {
            assert_eq!(strip_named_sites(title, &[site]), None, "{title}");
        }
        assert_eq!(
            strip_named_sites("Spiegel: Regierung plant Reform", &["Spiegel"]).as_deref(),
            Some("Regierung plant Reform")
        );
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

    #[test]
    fn header_widget_date_is_ignored() {
        let doc = Html::parse_document(
            r#"<div class="td-header-top-menu"><div class="td_data_time">Friday, May 3, 2024</div></div>
            <article><p class="post-date">June 22, 2023</p></article>
            <div class="related"><time datetime="2024-05-01">x</time></div>"#,
        );
        let d = published(&doc, "https://x.com/a", &Chrome::new(&doc)).unwrap();
        assert_eq!(d.to_rfc3339(), "2023-06-22T00:00:00+00:00");
    }

    #[test]
    fn credits_line_byline_stops_at_next_credit() {
        let doc = Html::parse_document(
            "<article><h1>Kunst und Essen</h1><p><em>Text von Jane Doe &nbsp; &nbsp;Illustration von Max Muster</em></p>\
             <p>Als ich das vorletzte Mal in Leipzig war, widerfuhr mir etwas.</p></article>",
        );
        assert_eq!(
            byline(&doc, &Chrome::new(&doc)),
            vec!["Jane Doe".to_string()]
        );
        assert_eq!(credit_cut("Jane Doe Fotos: X"), Some(8));
        assert_eq!(credit_cut("Jane Doe"), None);
    }

    #[test]
    fn press_release_dateline() {
        let doc = Html::parse_document(
            "<main><h1>Neue Hilfe</h1><div class=intro><p>Pressemitteilung vom 25. Januar 2022 | Berlin\
             <strong>–</strong> Die Ministerin besucht heute das Programm.</p></div></main>",
        );
        let d = published(&doc, "https://x.de/a", &Chrome::new(&doc)).unwrap();
        assert_eq!(d.to_rfc3339(), "2022-01-25T00:00:00+00:00");
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
        let d = published(&doc, "https://x.de/a", &Chrome::new(&doc)).unwrap();
        assert_eq!(d.date_naive().to_string(), "2022-01-25");
        // A teaser elsewhere stays chrome.
        let chrome = Chrome::new(&doc);
        let teaser = doc.select(css!(".teaser-list p").unwrap()).next().unwrap();
        assert!(chrome.hit(*teaser));
    }

    #[test]
    fn shown_date_needs_a_headline_and_skips_clocks() {
        let doc = Html::parse_document(
            "<body><div class=time>Aktuelle Zeit: 14.10.2020, 12:18</div>\
             <p class=author>r23 » 21.01.2009, 05:42</p></body>",
        );
        assert_eq!(shown_date(&doc, &Chrome::new(&doc)), None);
        // The last-resort scan skips the forum clock and takes the post's date.
        let d = published(&doc, "", &Chrome::new(&doc)).unwrap();
        assert_eq!(d.date_naive().to_string(), "2009-01-21");
    }

    #[test]
    fn shown_time_keeps_its_datetime_attribute() {
        let doc = Html::parse_document(
            r#"<article><h1>Titel</h1><div class=meta><time datetime="2019-10-19T03:00:00.000Z">19.10.2019, 05:00 Uhr</time></div></article>"#,
        );
        assert_eq!(
            shown_date(&doc, &Chrome::new(&doc))
                .map(|d| d.to_rfc3339())
                .as_deref(),
            Some("2019-10-19T03:00:00+00:00")
        );
    }

    #[test]
    fn dateline_before_a_wrapped_headline() {
        // acpjournals.org: the date sits before the wrapper that holds only the <h1>.
        let doc = Html::parse_document(
            "<article><div class=citation><div class=top><span>Original Research</span>\
             <span>7 April 2020</span></div><div class=title-wrap><h1>A study</h1></div></div>\
             <p>Body text.</p></article>",
        );
        assert_eq!(
            shown_date(&doc, &Chrome::new(&doc))
                .map(|d| d.date_naive().to_string())
                .as_deref(),
            Some("2020-04-07")
        );
    }

    #[test]
    fn date_badge_in_separate_elements() {
        let doc = Html::parse_document(
            r#"<div class="post"><div class="datum"><span class="monat">Feb</span> <span class="tag">18</span><span class="jahr">2009</span></div>
            <h2>Post</h2><p>Text</p></div>"#,
        );
        let d = published(&doc, "", &Chrome::new(&doc)).unwrap();
        assert_eq!(d.date_naive().to_string(), "2009-02-18");
    }

    #[test]
    fn time_in_the_articles_own_sidebar_is_a_last_resort() {
        let doc = Html::parse_document(
            r#"<article class="post"><div class="header"><h1>Best of</h1></div>
            <div class="sidebar"><p class="time"><time datetime="2022-01-28">28. Januar 2022</time></p></div>
            <p>Text.</p></article><aside><time datetime="2023-05-05">5.5.2023</time></aside>"#,
        );
        let d = published(&doc, "", &Chrome::new(&doc)).unwrap();
        assert_eq!(d.date_naive().to_string(), "2022-01-28");
    }

    #[test]
    fn labelled_date_in_a_description() {
        let d = labelled_text_date(
            "ORSO MARSICANO: 2019 UN ANNO DA RECORD (Notizia del 14 Gennaio 2020)",
            SlashOrder::DayFirst,
        );
        assert_eq!(
            d.map(|d| d.date_naive().to_string()).as_deref(),
            Some("2020-01-14")
        );
        assert_eq!(
            labelled_text_date("Published in 1998, this book", SlashOrder::MonthFirst),
            None
        );
        assert_eq!(
            labelled_text_date("A story from 14 January 2020", SlashOrder::MonthFirst),
            None
        );
        // Labels start a word: a birth date or a re-creation is no publication.
        for text in [
            "Geburtsdatum: 3. Mai 1950",
            "recreated on 4 July 1990",
            "Update: 4.7.1999",
        ] {
            assert_eq!(
                labelled_text_date(text, SlashOrder::DayFirst),
                None,
                "{text}"
            );
        }
    }

    #[test]
    fn bare_and_dashed_byline_labels() {
        // sonnenernergie.de: the label alone in <b>, the name after line breaks.
        let doc = Html::parse_document(
            "<article><h1>Windrebell</h1><p>Text des Artikels.</p>\
             <a href='#'><b>Von:</b><br><br> Götz Warnke</a></article>",
        );
        assert_eq!(
            byline(&doc, &Chrome::new(&doc)),
            vec!["Götz Warnke".to_string()]
        );
        // ejwue.de: "- Redaktion: Name (role)" after the date.
        let doc = Html::parse_document(
            "<article><h1>Lieferketten</h1><div class=news-single-timedata>05.02.2020 \
             <span>- Redaktion: Eberhard Fuhr (Pressesprecher des EJW)</span></div></article>",
        );
        assert_eq!(
            byline(&doc, &Chrome::new(&doc)),
            vec!["Eberhard Fuhr".to_string()]
        );
        // abc13.com: "By" and the name in neighbouring elements with no space between.
        let doc = Html::parse_document(
            "<article><h1>Lewd act</h1><div><span>By</span><span><a href='/a'>Alex Bozarjian</a></span>\
             </div><p>Text.</p></article>",
        );
        assert_eq!(
            byline(&doc, &Chrome::new(&doc)),
            vec!["Alex Bozarjian".to_string()]
        );
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

    #[test]
    fn shown_date_stays_inside_the_headline_article() {
        let doc = Html::parse_document(
            "<body><article><h1>Titel</h1><p>Kein Datum hier.</p></article>\
             <section><p>12.03.2021</p></section></body>",
        );
        assert_eq!(shown_date(&doc, &Chrome::new(&doc)), None);
        // The last resort still scans the whole page.
        assert!(published(&doc, "", &Chrome::new(&doc)).is_some());
    }

    #[test]
    fn lone_h1_unlike_a_long_plain_title_is_a_label() {
        let doc = Html::parse_document(
            "<html><head><title>Babies Who Eat Peanuts Early May Avoid Allergy</title></head>\
             <body><h1>Allergies Health Center</h1></body></html>",
        );
        let tag = "Babies Who Eat Peanuts Early May Avoid Allergy";
        assert_eq!(title(&doc, Some(tag), None).as_deref(), Some(tag));
        // A "Section - Site" title names no headline: the <h1> stays.
        let doc = Html::parse_document("<body><h1>Chorgeschichte</h1></body>");
        assert_eq!(
            title(&doc, Some("Geschichte - St. Georgs Chorknaben Ulm"), None).as_deref(),
            Some("Chorgeschichte")
        );
    }
}
