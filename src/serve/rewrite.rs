//! Links of a replayed page pointed back into the archive. Only the served copy is changed;
//! the archived bytes never are. Every http(s) URL in a link attribute (`src`, `href`,
//! `srcset`, `poster`, ...) or a CSS `url(...)` becomes `<prefix><absolute URL>`, so a
//! captured sub-resource is served from the archive and anything else is asked of the
//! archive too (404), never of the live web. What this misses (URLs built by scripts, which
//! do not run) is blocked by the replay's Content-Security-Policy.

use std::sync::LazyLock;

use regex::bytes::{Captures, Regex};
use url::Url;

// Static patterns: compiling them cannot fail (checked by the tests below).
static ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i-u)(\s(src|href|poster|action|background|data|data-src|srcset|data-srcset|imagesrcset)\s*=\s*)("[^"]*"|'[^']*'|[^\s>"'=<`]+)"#,
    )
    .unwrap_or_else(|e| unreachable!("{e}"))
});
static CSS_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i-u)url\(\s*("[^"]*"|'[^']*'|[^)'"\s]+)\s*\)"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});
static IMPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i-u)@import\s+("[^"]*"|'[^']*')"#).unwrap_or_else(|e| unreachable!("{e}"))
});
static REFRESH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i-u)(<meta\s[^>]*http-equiv\s*=\s*["']?refresh[^>]*content\s*=\s*["']?\s*\d*\s*[;,]\s*url\s*=\s*)(['"]?)([^"'\s>]+)"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});
static BASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i-u)<base\s[^>]*href\s*=\s*["']?([^"'\s>]+)"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// Where a page's links go: `prefix` is the replay path up to and including the timestamp
/// and slash (`/replay/20240503100001/`).
#[derive(Debug, Clone)]
pub struct Rewriter {
    prefix: String,
    base: Url,
}

impl Rewriter {
    /// Links of the page at `page` (a `<base href>` in the HTML overrides it).
    pub fn new(prefix: &str, page: &Url) -> Rewriter {
        Rewriter {
            prefix: prefix.to_string(),
            base: page.clone(),
        }
    }

    /// The replay URL of `value` (a link as written in the page), or `None` to leave it:
    /// fragments, `data:`, `javascript:`, `mailto:` and other non-http schemes.
    pub fn url(&self, value: &str) -> Option<String> {
        let v = value.trim();
        if v.is_empty() || v.starts_with('#') || v.starts_with(&self.prefix) {
            return None;
        }
        let abs = self.base.join(v).ok()?;
        matches!(abs.scheme(), "http" | "https").then(|| format!("{}{}", self.prefix, abs))
    }

    /// The HTML with its link attributes and CSS URLs rewritten.
    pub fn html(&self, body: &[u8]) -> Vec<u8> {
        let mut me = self.clone();
        if let Some(b) = BASE.captures(body).and_then(|c| c.get(1)) {
            let href = decode_entities(&String::from_utf8_lossy(b.as_bytes()));
            if let Ok(u) = self.base.join(&href) {
                me.base = u;
            }
        }
        let out = ATTR.replace_all(body, |c: &Captures<'_>| me.attribute(c));
        // A refresh would navigate a page replayed on its own (not in the iframe) away.
        let out = REFRESH.replace_all(&out, |c: &Captures<'_>| {
            let target = decode_entities(&String::from_utf8_lossy(&c[3]));
            match me.url(&target) {
                Some(u) => [&c[1], &c[2], u.replace('&', "&amp;").as_bytes()].concat(),
                None => c[0].to_vec(),
            }
        });
        me.css(&out)
    }

    /// CSS (a style sheet, or the `<style>` and `style=` parts of a page) with its `url()`
    /// and `@import` targets rewritten.
    pub fn css(&self, body: &[u8]) -> Vec<u8> {
        let out = CSS_URL.replace_all(body, |c: &Captures<'_>| {
            let raw = unquote(&c[1]);
            match self.url(&decode_entities(&raw)) {
                Some(u) => format!("url(\"{}\")", u.replace('"', "%22")).into_bytes(),
                None => c[0].to_vec(),
            }
        });
        IMPORT
            .replace_all(&out, |c: &Captures<'_>| {
                let raw = unquote(&c[1]);
                match self.url(&raw) {
                    Some(u) => format!("@import \"{}\"", u.replace('"', "%22")).into_bytes(),
                    None => c[0].to_vec(),
                }
            })
            .into_owned()
    }

    fn attribute(&self, c: &Captures<'_>) -> Vec<u8> {
        let name = String::from_utf8_lossy(&c[2]).to_ascii_lowercase();
        let value = decode_entities(&unquote(&c[3]));
        let new = if name.ends_with("srcset") {
            Some(self.srcset(&value))
        } else {
            self.url(&value)
        };
        match new {
            Some(v) => {
                let mut out = c[1].to_vec();
                out.push(b'"');
                out.extend_from_slice(v.replace('&', "&amp;").replace('"', "&quot;").as_bytes());
                out.push(b'"');
                out
            }
            None => c[0].to_vec(),
        }
    }

    /// `a.jpg 1x, b.jpg 2x` with each URL rewritten.
    fn srcset(&self, value: &str) -> String {
        value
            .split(',')
            .map(|item| {
                let item = item.trim();
                let (u, rest) = item.split_once(char::is_whitespace).unwrap_or((item, ""));
                let u = self.url(u).unwrap_or_else(|| u.to_string());
                if rest.is_empty() {
                    u
                } else {
                    format!("{u} {}", rest.trim())
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn unquote(v: &[u8]) -> String {
    let s = String::from_utf8_lossy(v);
    let s = s.trim();
    let inner = s
        .strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .or_else(|| s.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
        .unwrap_or(s);
    inner.to_string()
}

/// The entities that occur in URLs in attributes.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&amp;", "&")
        .replace("&#38;", "&")
        .replace("&#x26;", "&")
        .replace("&quot;", "\"")
        .replace("&#47;", "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rw() -> Rewriter {
        Rewriter::new(
            "/replay/20240503100001/",
            &Url::parse("https://www.example.com/news/a.html").unwrap(),
        )
    }

    #[test]
    fn links_go_to_the_replay_path() {
        let html = br##"<html><head><link rel=stylesheet href="/s.css"><script async src='https://ads.example.net/gpt.js?a=1&amp;b=2'></script>
<style>body{background:url(bg.png)} @import "x.css";</style></head>
<body><a href="#top">t</a><a href="mailto:x@y.z">m</a><img src=data:image/png;base64,AAA>
<img srcset="a.jpg 1x, //cdn.example.com/b.jpg 2x" src="a.jpg"><div style="background-image:url('/i.png')"></div></body></html>"##;
        let out = String::from_utf8(rw().html(html)).unwrap();
        assert!(
            out.contains(r#"href="/replay/20240503100001/https://www.example.com/s.css""#),
            "{out}"
        );
        assert!(
            out.contains(
                r#"src="/replay/20240503100001/https://ads.example.net/gpt.js?a=1&amp;b=2""#
            ),
            "{out}"
        );
        assert!(
            out.contains(r#"url("/replay/20240503100001/https://www.example.com/news/bg.png")"#),
            "{out}"
        );
        assert!(
            out.contains(r#"@import "/replay/20240503100001/https://www.example.com/news/x.css""#),
            "{out}"
        );
        assert!(out.contains(r##"href="#top""##));
        assert!(out.contains(r#"href="mailto:x@y.z""#));
        assert!(out.contains("src=data:image/png;base64,AAA"));
        assert!(out.contains(r#"srcset="/replay/20240503100001/https://www.example.com/news/a.jpg 1x, /replay/20240503100001/https://cdn.example.com/b.jpg 2x""#), "{out}");
        assert!(
            out.contains(r#"url("/replay/20240503100001/https://www.example.com/i.png")"#),
            "{out}"
        );
        assert!(
            !out.contains("\"https://"),
            "no live URL left in a link: {out}"
        );
    }

    #[test]
    fn meta_refresh_stays_in_the_archive() {
        let html = br#"<meta http-equiv="refresh" content="5; url=https://live.example.org/x?a=1&amp;b=2">"#;
        let out = String::from_utf8(rw().html(html)).unwrap();
        assert!(
            out.contains(
                r#"content="5; url=/replay/20240503100001/https://live.example.org/x?a=1&amp;b=2""#
            ),
            "{out}"
        );
        let rel =
            String::from_utf8(rw().html(b"<META HTTP-EQUIV=Refresh CONTENT='0;URL=next.html'>"))
                .unwrap();
        assert!(
            rel.contains("URL=/replay/20240503100001/https://www.example.com/news/next.html'"),
            "{rel}"
        );
    }

    #[test]
    fn base_href_is_honoured_and_non_utf8_bytes_survive() {
        let mut html =
            b"<base href=\"https://other.example.org/dir/\"><img src=\"p.png\">\xff".to_vec();
        html.extend_from_slice(b"<a href=\"/x\">");
        let out = rw().html(&html);
        let s = String::from_utf8_lossy(&out);
        assert!(
            s.contains("/replay/20240503100001/https://other.example.org/dir/p.png"),
            "{s}"
        );
        assert!(out.contains(&0xff));
    }
}
