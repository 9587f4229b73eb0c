//! Generic guesses for pages whose selectors and metadata say nothing: the title from `<h1>` /
//! `<title>`, the date from `time[datetime]` and date-like elements inside the article (never
//! page chrome: headers, navigation, sidebars, related lists), the URL or a "Published on"
//! line, and the byline from `rel=author` / `.byline` / `.author` elements.

use chrono::{DateTime, FixedOffset};
use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node, Selector};

use super::dates::{parse_date, parse_loose, url_date};
use super::text::inline_text;

/// Class / id fragments of page chrome whose dates and names are not the article's.
const CHROME: &[&str] = &[
    "related",
    "widget",
    "sidebar",
    "recommend",
    "latest",
    "popular",
    "trending",
    "comment",
    "footer",
    "menu",
    "navbar",
    "topbar",
    "top-bar",
    "header-top",
    "top-header",
    "td-header",
    "site-header",
    "masthead",
    "breadcrumb",
    "teaser",
    "more-",
    "newsletter",
    "promo",
    "weather",
    "ticker",
    "cookie",
    "share",
    "social",
    "author-box",
    "author_box",
    "authorbox",
    "bio",
];

/// True when `node` sits inside page chrome (nav, aside, footer, related lists, widgets, ...).
pub fn in_chrome(node: NodeRef<'_, Node>) -> bool {
    node.ancestors().any(|a| match a.value() {
        Node::Element(e) => {
            if matches!(e.name(), "nav" | "aside" | "footer") {
                return true;
            }
            let mut hay = String::new();
            if let Some(c) = e.attr("class") {
                hay.push_str(c);
            }
            if let Some(i) = e.attr("id") {
                hay.push(' ');
                hay.push_str(i);
            }
            if hay.is_empty() {
                return false;
            }
            let hay = hay.to_ascii_lowercase();
            CHROME.iter().any(|c| hay.contains(c))
        }
        _ => false,
    })
}

fn sel(s: &str) -> Option<Selector> {
    Selector::parse(s).ok()
}

/// The headline from the first `<h1>` outside chrome, else `<title>` without its site suffix.
pub fn title(doc: &Html, title_tag: Option<&str>, site_name: Option<&str>) -> Option<String> {
    let tag = title_tag.map(|t| strip_site_suffix(t, site_name));
    if let Some(s) = sel("h1") {
        let h1s: Vec<String> = doc
            .select(&s)
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
        if h1s.len() == 1 {
            return h1s.into_iter().next();
        }
    }
    tag.filter(|t| !t.is_empty())
}

/// `"Headline | Site"` → `"Headline"` (also ` - `, ` – `, ` — `, ` :: `, ` · `, ` » `).
pub fn strip_site_suffix(t: &str, site_name: Option<&str>) -> String {
    let t = t.trim();
    if let Some(site) = site_name.filter(|s| !s.is_empty()) {
        for sep in [" | ", " - ", " – ", " — ", " :: ", " · ", " » ", ": "] {
            if let Some(rest) = t
                .strip_suffix(site)
                .and_then(|r| r.strip_suffix(sep.trim_end()))
            {
                return rest.trim().to_string();
            }
            if let Some(rest) = t
                .strip_prefix(site)
                .and_then(|r| r.strip_prefix(sep.trim_start()))
            {
                return rest.trim().to_string();
            }
        }
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

/// A date value from an element: `datetime` / `content` attribute, else its text.
fn element_date(e: ElementRef<'_>) -> Option<DateTime<FixedOffset>> {
    let v = e.value();
    for a in ["datetime", "content", "data-datetime", "data-date", "title"] {
        if let Some(d) = v.attr(a).and_then(parse_date) {
            return Some(d);
        }
    }
    let t = inline_text(e);
    if t.chars().count() <= 120 {
        parse_loose(&t)
    } else {
        None
    }
}

/// The publication date guessed from the page, and a note of where it was found.
pub fn published(doc: &Html, url: &str) -> Option<DateTime<FixedOffset>> {
    let tries = [
        "[itemprop=datePublished]",
        "time[pubdate], time.published, time.entry-date, .published time, .entry-date",
        "article time[datetime], main time[datetime], [role=main] time[datetime]",
        "time[datetime]",
    ];
    for t in tries {
        let Some(s) = sel(t) else { continue };
        if let Some(d) = doc
            .select(&s)
            .filter(|e| !in_chrome(**e))
            .find_map(element_date)
        {
            return Some(d);
        }
    }
    if let Some(d) = url_date(url) {
        return Some(d);
    }
    let classy = "[class*=date], [class*=Date], [id*=date], [class*=publish], [class*=time], \
                  [class*=meta], [class*=byline], [class*=dateline]";
    if let Some(s) = sel(classy) {
        for e in doc.select(&s).filter(|e| !in_chrome(**e)).take(200) {
            let t = inline_text(e);
            if t.chars().count() > 120 {
                continue;
            }
            if let Some(d) = parse_loose(&t) {
                return Some(d);
            }
        }
    }
    None
}

/// The modification date from `[itemprop=dateModified]`.
pub fn modified(doc: &Html) -> Option<DateTime<FixedOffset>> {
    let s = sel("[itemprop=dateModified]")?;
    doc.select(&s).find_map(element_date)
}

/// Byline text from author-ish elements outside chrome.
pub fn byline(doc: &Html) -> Vec<String> {
    let tries = [
        "[itemprop=author] [itemprop=name]",
        "[itemprop=author]",
        "a[rel=author], [rel=author]",
        ".byline, .by-line, .article-byline, .author-name, .authorName, .author_name",
        "[class*=byline], [class*=author] a, .author, [class*=Author], [class*=author]",
    ];
    for t in tries {
        let Some(s) = sel(t) else { continue };
        let found: Vec<String> = doc
            .select(&s)
            .filter(|e| !in_chrome(**e))
            .map(|e| {
                e.value()
                    .attr("content")
                    .map(str::to_string)
                    .unwrap_or_else(|| inline_text(e))
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

/// Tags from `a[rel=tag]` links.
pub fn tags(doc: &Html) -> Vec<String> {
    let Some(s) = sel("a[rel~=tag]") else {
        return Vec::new();
    };
    doc.select(&s)
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
    }

    #[test]
    fn header_widget_date_is_ignored() {
        let doc = Html::parse_document(
            r#"<div class="td-header-top-menu"><div class="td_data_time">Friday, May 3, 2024</div></div>
            <article><p class="post-date">June 22, 2023</p></article>
            <div class="related"><time datetime="2024-05-01">x</time></div>"#,
        );
        let d = published(&doc, "https://x.com/a").unwrap();
        assert_eq!(d.to_rfc3339(), "2023-06-22T00:00:00+00:00");
    }
}
