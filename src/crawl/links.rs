//! Fallback link extraction (`a[href]`, resolved against `<base href>` or the page URL) used
//! when the extractor returns no links.

use scraper::{Html, Selector};
use url::Url;

/// Absolute http(s) links of an HTML page, in document order (duplicates kept).
pub(crate) fn links(body: &[u8], page_url: &str) -> Vec<String> {
    let Ok(page) = Url::parse(page_url) else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(body);
    let doc = Html::parse_document(&text);
    let base = Selector::parse("base[href]")
        .ok()
        .and_then(|s| {
            doc.select(&s)
                .next()
                .and_then(|e| e.value().attr("href"))
                .map(str::to_string)
        })
        .and_then(|h| page.join(&h).ok())
        .unwrap_or(page);
    let Ok(sel) = Selector::parse("a[href], area[href]") else {
        return Vec::new();
    };
    doc.select(&sel)
        .filter_map(|e| e.value().attr("href"))
        .filter_map(|h| base.join(h.trim()).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .map(|u| u.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_and_filters() {
        let html = br#"<html><head><base href="/news/"></head><body>
            <a href="a.html">A</a><a href="mailto:x@y">m</a><a href="http://o.example/b">B</a>
            <a href="javascript:void(0)">j</a></body></html>"#;
        assert_eq!(
            links(html, "http://x.example/index.html"),
            vec!["http://x.example/news/a.html", "http://o.example/b"]
        );
        assert!(links(b"\xff\xfe garbage", "http://x/").is_empty());
        assert!(links(b"<a href=x>", "not a url").is_empty());
    }
}
