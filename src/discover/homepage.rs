//! Feed links advertised by an HTML page:
//! `<link rel="alternate" type="application/rss+xml|atom+xml|feed+json" href="...">`.

use scraper::{Html, Selector};
use url::Url;

/// Bytes of a page looked at; `<link>` elements live in `<head>`, near the top.
const MAX_HTML_BYTES: usize = 2 << 20;

/// Feed URLs declared by `<link rel="alternate">` elements of an HTML page fetched from
/// `page_url`, resolved against `<base href>` when present, in document order, deduplicated,
/// at most `max`. Only the first 2 MiB of the page are parsed.
pub fn feed_links(html: &[u8], page_url: &Url, max: usize) -> Vec<Url> {
    let html = &html[..html.len().min(MAX_HTML_BYTES)];
    let doc = Html::parse_document(&String::from_utf8_lossy(html));
    let base = Selector::parse("base[href]")
        .ok()
        .and_then(|sel| {
            doc.select(&sel)
                .next()
                .and_then(|e| e.value().attr("href"))
                .map(String::from)
        })
        .and_then(|href| page_url.join(href.trim()).ok())
        .unwrap_or_else(|| page_url.clone());
    let Ok(sel) = Selector::parse("link[href][type]") else {
        return Vec::new();
    };
    let mut out: Vec<Url> = Vec::new();
    for el in doc.select(&sel) {
        let v = el.value();
        let rel_ok = v.attr("rel").is_some_and(|r| {
            r.split_ascii_whitespace()
                .any(|t| t.eq_ignore_ascii_case("alternate"))
        });
        let ty = v
            .attr("type")
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let ty = ty.split(';').next().unwrap_or_default().trim();
        let type_ok = matches!(
            ty,
            "application/rss+xml"
                | "application/atom+xml"
                | "application/feed+json"
                | "application/json"
        );
        // `application/json` alternates are often oEmbed or API links: only take ones that say feed.
        let json_ok = ty != "application/json"
            || v.attr("title")
                .is_some_and(|t| t.to_ascii_lowercase().contains("feed"));
        if !(rel_ok && type_ok && json_ok) {
            continue;
        }
        let Some(href) = v.attr("href").map(str::trim).filter(|h| !h.is_empty()) else {
            continue;
        };
        if push_http_url(&mut out, &base, href, max) {
            break;
        }
    }
    out
}

/// Resolves `value` against `base` and appends it to `out` when it is a new http(s) URL.
/// Returns true once `out` holds `max` URLs (the caller stops looking).
pub(crate) fn push_http_url(out: &mut Vec<Url>, base: &Url, value: &str, max: usize) -> bool {
    if let Ok(u) = base.join(value)
        && matches!(u.scheme(), "http" | "https")
        && !out.contains(&u)
    {
        out.push(u);
    }
    out.len() >= max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_rss_atom_and_json_feed_links() {
        let html = br#"<!doctype html><html><head>
            <link rel="stylesheet" href="/s.css" type="text/css">
            <link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.xml">
            <link rel="alternate" type="application/atom+xml" href="https://example.com/atom.xml">
            <link rel="Alternate home" type="application/feed+json; charset=utf-8" href="feed.json">
            <link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/1">
            <link rel="alternate" type="application/rss+xml" href="/feed.xml">
            <link rel="alternate" hreflang="de" href="/de/">
            <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
            </head><body><link rel="alternate" type="application/rss+xml" href="/body-feed"></body></html>"#;
        let page = Url::parse("https://example.com/news/").unwrap();
        let got: Vec<String> = feed_links(html, &page, 10)
            .iter()
            .map(|u| u.to_string())
            .collect();
        assert_eq!(
            got,
            [
                "https://example.com/feed.xml",
                "https://example.com/atom.xml",
                "https://example.com/news/feed.json",
                "https://example.com/body-feed",
            ]
        );
        assert_eq!(feed_links(html, &page, 1).len(), 1);
    }

    #[test]
    fn base_href_and_garbage() {
        let html = br#"<html><head><base href="https://cdn.example.org/x/">
            <link rel=alternate type=application/rss+xml href=rss></head></html>"#;
        let page = Url::parse("https://example.com/").unwrap();
        assert_eq!(
            feed_links(html, &page, 10)[0].as_str(),
            "https://cdn.example.org/x/rss"
        );
        assert!(feed_links(b"\xff\x00<<<link", &page, 10).is_empty());
        assert!(feed_links(b"", &page, 10).is_empty());
    }
}
