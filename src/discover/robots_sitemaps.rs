//! Where a site's sitemaps are: `Sitemap:` lines of robots.txt and the conventional paths
//! tried when robots.txt names none ([`DEFAULT_SITEMAP_GUESSES`]).

use url::Url;

/// Paths tried on a site that declares no sitemap (configurable per site).
pub const DEFAULT_SITEMAP_GUESSES: &[&str] = &[
    "/sitemap.xml",
    "/sitemap_index.xml",
    "/news-sitemap.xml",
    "/sitemap-news.xml",
];

/// `Sitemap:` URLs declared in a robots.txt body, in order, without duplicates.
///
/// The directive is matched case-insensitively anywhere in the file (it is not tied to a
/// user-agent group); relative values are resolved against `robots_url`, and anything that
/// does not become an http(s) URL is skipped. At most `max` URLs are returned.
pub fn robots_sitemaps(robots_txt: &[u8], robots_url: &Url, max: usize) -> Vec<Url> {
    let text = String::from_utf8_lossy(robots_txt);
    let mut out: Vec<Url> = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or_default().trim();
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        if !key.trim().eq_ignore_ascii_case("sitemap") {
            continue;
        }
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        if super::homepage::push_http_url(&mut out, robots_url, value, max) {
            break;
        }
    }
    out
}

/// The guess paths resolved against a site's home URL (invalid paths are skipped).
pub fn sitemap_guesses<S: AsRef<str>>(home: &Url, paths: &[S]) -> Vec<Url> {
    let mut out: Vec<Url> = Vec::new();
    for p in paths {
        if let Ok(u) = home.join(p.as_ref())
            && !out.contains(&u)
        {
            out.push(u);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_lines_anywhere_any_case() {
        let robots = b"User-agent: *\nDisallow: /private\n\
            Sitemap: https://example.com/sitemap_index.xml\n\
            sitemap:https://example.com/news-sitemap.xml # news\n\
            SITEMAP: /relative.xml\n\
            Sitemap: https://example.com/sitemap_index.xml\n\
            Sitemap: ftp://example.com/x.xml\n\
            Sitemap:\n\
            User-agent: bot\nsitemap: https://cdn.example.net/s.xml.gz\n";
        let base = Url::parse("https://example.com/robots.txt").unwrap();
        let got: Vec<String> = robots_sitemaps(robots, &base, 100)
            .iter()
            .map(|u| u.to_string())
            .collect();
        assert_eq!(
            got,
            [
                "https://example.com/sitemap_index.xml",
                "https://example.com/news-sitemap.xml",
                "https://example.com/relative.xml",
                "https://cdn.example.net/s.xml.gz",
            ]
        );
        assert_eq!(robots_sitemaps(robots, &base, 2).len(), 2);
        assert!(robots_sitemaps(b"\xff\xfe garbage \x00", &base, 10).is_empty());
    }

    #[test]
    fn guesses_resolve_against_home() {
        let home = Url::parse("https://example.com/news/").unwrap();
        let got: Vec<String> = sitemap_guesses(&home, DEFAULT_SITEMAP_GUESSES)
            .iter()
            .map(|u| u.to_string())
            .collect();
        assert_eq!(got[0], "https://example.com/sitemap.xml");
        assert_eq!(got.len(), 4);
        let got = sitemap_guesses(&home, &["sitemap.xml", "sitemap.xml"]);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].as_str(), "https://example.com/news/sitemap.xml");
    }
}
