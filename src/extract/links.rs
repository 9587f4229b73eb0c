//! The page's links for the crawler: absolute http(s) URLs resolved against `<base href>` and
//! the page URL, fragments removed, duplicates dropped, in document order.

use std::collections::HashSet;

use scraper::Html;

use crate::extract::interned::{self, local_name};
use url::Url;

/// The base URL of `doc`: `<base href>` resolved against `page`, else `page`.
pub fn base_url(doc: &Html, page: Option<&Url>) -> Option<Url> {
    let href = css!("base[href]").and_then(|s| {
        interned::select_named(doc, [local_name!("base")], s)
            .next()
            .and_then(|b| b.value().attr("href").map(str::to_string))
    });
    match (href, page) {
        (Some(h), Some(p)) => p.join(h.trim()).ok().or_else(|| Some(p.clone())),
        (Some(h), None) => Url::parse(h.trim()).ok(),
        (None, p) => p.cloned(),
    }
}

/// Resolve `href` against `base` into an absolute http(s) URL without fragment.
pub fn absolute(base: Option<&Url>, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let mut u = match base {
        Some(b) => b.join(href).ok()?,
        None => Url::parse(href).ok()?,
    };
    if u.scheme() != "http" && u.scheme() != "https" {
        return None;
    }
    u.set_fragment(None);
    Some(u.into())
}

/// Every link of `doc` (`a[href]`, `area[href]`).
pub fn links(doc: &Html, base: Option<&Url>) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    if let Some(sel) = css!("a[href], area[href]") {
        for a in interned::select_named(doc, [local_name!("a"), local_name!("area")], sel) {
            if let Some(u) =
                interned::get(a.value(), &local_name!("href")).and_then(|h| absolute(base, h))
                && seen.insert(u.clone())
            {
                out.push(u);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_href_and_filters() {
        let doc = Html::parse_document(
            r##"<base href="/sub/"><a href="a#x">1</a><a href="mailto:x@y">2</a>
            <a href="https://o.org/b">3</a><a href="a">dup</a><a href="#top">4</a>"##,
        );
        let page = Url::parse("https://ex.com/p/q").unwrap();
        let base = base_url(&doc, Some(&page));
        assert_eq!(
            links(&doc, base.as_ref()),
            ["https://ex.com/sub/a", "https://o.org/b"]
        );
    }
}
