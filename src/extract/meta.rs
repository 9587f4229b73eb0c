//! `<meta>` tags (OpenGraph, `article:*`, Dublin Core, `name=author|date|description`, ...),
//! `<link rel=canonical>`, `<html lang>` and `<title>`, read in one pass over the head.

use std::collections::HashMap;

use scraper::Html;

use crate::extract::interned::{elements_named, local_name, select_named};

/// The metadata of a page, keys lower-cased (`og:title`, `article:published_time`, ...).
#[derive(Debug, Clone, Default)]
pub struct Meta {
    values: HashMap<String, Vec<String>>,
    /// `<link rel=canonical href>`, as written.
    pub canonical: Option<String>,
    /// `<html lang>`.
    pub html_lang: Option<String>,
    /// `<title>` text.
    pub title_tag: Option<String>,
}

impl Meta {
    /// The first non-empty value of the first key that has one.
    pub fn first(&self, keys: &[&str]) -> Option<&str> {
        keys.iter()
            .find_map(|k| self.values.get(*k).and_then(|v| v.first()))
            .map(String::as_str)
    }

    /// Every value of `key`, in page order.
    pub fn all(&self, key: &str) -> &[String] {
        self.values.get(key).map_or(&[], Vec::as_slice)
    }
}

/// Collapse runs of whitespace into one space and trim.
pub fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Decode HTML character references left in a value (double-encoded meta content, JSON-LD
/// strings, which the HTML parser never decodes): numeric ones and the common named ones.
pub fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..].find(';').map(|e| e + 1).filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = if let Some(num) = name.strip_prefix('#') {
                let n = match num.strip_prefix(['x', 'X']) {
                    Some(h) => u32::from_str_radix(h, 16).ok()?,
                    None => num.parse().ok()?,
                };
                char::from_u32(n)?
            } else {
                match name {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    "nbsp" => ' ',
                    "raquo" => '»',
                    "laquo" => '«',
                    "ndash" => '–',
                    "mdash" => '—',
                    "hellip" => '…',
                    "rsquo" => '’',
                    "lsquo" => '‘',
                    "ldquo" => '“',
                    "rdquo" => '”',
                    "bdquo" => '„',
                    "middot" => '·',
                    "bull" => '•',
                    "copy" => '©',
                    _ => return None,
                }
            };
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Read the metadata of `doc`.
pub fn read(doc: &Html) -> Meta {
    let mut m = Meta::default();
    if let Some(sel) = css!("meta[content]") {
        for e in select_named(doc, [local_name!("meta")], sel) {
            let v = e.value();
            let Some(content) = v.attr("content") else {
                continue;
            };
            let content = squash(&unescape(content));
            if content.is_empty() {
                continue;
            }
            for attr in ["property", "name", "itemprop", "http-equiv"] {
                if let Some(k) = v.attr(attr) {
                    // `property` may hold several space-separated names.
                    for k in k.split_whitespace() {
                        m.values
                            .entry(k.to_ascii_lowercase())
                            .or_default()
                            .push(content.clone());
                    }
                }
            }
        }
    }
    if let Some(sel) = css!("link[rel][href]") {
        for e in select_named(doc, [local_name!("link")], sel) {
            let rel = e.value().attr("rel").unwrap_or("");
            if rel
                .split_whitespace()
                .any(|r| r.eq_ignore_ascii_case("canonical"))
            {
                m.canonical = e.value().attr("href").map(|h| h.trim().to_string());
                break;
            }
        }
    }
    m.html_lang = doc
        .root_element()
        .value()
        .attr("lang")
        .or_else(|| doc.root_element().value().attr("xml:lang"))
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty());
    m.title_tag = elements_named(doc, local_name!("title"))
        .next()
        .map(|t| squash(&t.text().collect::<String>()))
        .filter(|t| !t.is_empty());
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_meta_link_lang_title() {
        let doc = Html::parse_document(
            r#"<html lang="de"><head><title> T  x </title><meta property="og:title" content="OG">
            <meta name="Author" content="A"><link rel="canonical" href="/c"></head></html>"#,
        );
        let m = read(&doc);
        assert_eq!(m.first(&["og:title"]), Some("OG"));
        assert_eq!(m.first(&["missing", "author"]), Some("A"));
        assert_eq!(m.canonical.as_deref(), Some("/c"));
        assert_eq!(m.html_lang.as_deref(), Some("de"));
        assert_eq!(m.title_tag.as_deref(), Some("T x"));
    }

    #[test]
    fn unescapes_references() {
        assert_eq!(
            unescape("A &#038; B &raquo; C &#x2013; &bogus; &"),
            "A & B » C – &bogus; &"
        );
    }
}
