//! The local news site used by the discovery tests: robots.txt with a `Sitemap:` line, a home
//! page with RSS and Atom links, a sitemap index (listing itself) with a gzip child and a
//! nested index, a Google News sitemap, and the article pages.

use std::io::Write;

use super::server::TestSite;

pub(crate) fn gzip(data: &str) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(data.as_bytes()).unwrap();
    enc.finish().unwrap()
}

pub(crate) fn article(slug: &str) -> String {
    format!(
        "<!doctype html><html><head><title>{slug}</title></head><body><article><h1>{slug}</h1>\
         <p>Body of {slug}, long enough to be an article paragraph for the extractor.</p></article>\
         <a href=\"/about\">About</a></body></html>"
    )
}

/// News sitemap entries: (slug, publication date).
pub(crate) fn news_sitemap(entries: &[(&str, &str)]) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">"#,
    );
    for (slug, date) in entries {
        s.push_str(&format!(
            "<url><loc>{{base}}/articles/{slug}</loc><news:news><news:publication><news:name>Local Times</news:name>\
             <news:language>en</news:language></news:publication><news:publication_date>{date}</news:publication_date>\
             <news:title>{slug}</news:title></news:news></url>\n"
        ));
    }
    s + "</urlset>"
}

/// RSS items: (slug, RFC 2822 date).
pub(crate) fn rss(items: &[(&str, &str)]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Local Times</title>",
    );
    for (slug, date) in items {
        s.push_str(&format!(
            "<item><title>{slug}</title><link>{{base}}/articles/{slug}</link><pubDate>{date}</pubDate></item>"
        ));
    }
    s + "</channel></rss>"
}

/// Builds the site: every article listed somewhere, none linked from the home page.
pub(crate) fn populate(site: &TestSite) {
    site.put(
        "/robots.txt",
        "text/plain",
        "User-agent: *\nAllow: /\nSitemap: {base}/sitemap_index.xml\n",
    );
    site.put(
        "/",
        "text/html",
        r#"<!doctype html><html><head><title>Local Times</title>
        <link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml">
        <link rel="alternate" type="application/atom+xml" title="Atom" href="/atom.xml">
        </head><body><h1>Local Times</h1><a href="/about">About us</a></body></html>"#,
    );
    site.put("/about", "text/html", &article("about"));
    site.put(
        "/sitemap_index.xml",
        "application/xml",
        r#"<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <sitemap><loc>{base}/sitemaps/archive-2023.xml.gz</loc><lastmod>2023-12-31</lastmod></sitemap>
        <sitemap><loc>{base}/sitemaps/monthly-index.xml</loc><lastmod>2024-05-10</lastmod></sitemap>
        <sitemap><loc>{base}/news-sitemap.xml</loc><lastmod>2024-05-10T10:00:00Z</lastmod></sitemap>
        <sitemap><loc>{base}/sitemap_index.xml</loc></sitemap>
        </sitemapindex>"#,
    );
    let archive = "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
        <url><loc>{base}/articles/old-2023</loc><lastmod>2023-06-01</lastmod></url></urlset>"
        .replace("{base}", site.base.as_str().trim_end_matches('/'));
    site.put_bytes(
        "/sitemaps/archive-2023.xml.gz",
        "application/x-gzip",
        gzip(&archive),
    );
    site.put(
        "/sitemaps/monthly-index.xml",
        "application/xml",
        "<sitemapindex><sitemap><loc>{base}/sitemaps/2024-05.xml</loc><lastmod>2024-05-09</lastmod></sitemap></sitemapindex>",
    );
    site.put(
        "/sitemaps/2024-05.xml",
        "application/xml",
        "<urlset><url><loc>{base}/articles/may-feature</loc><lastmod>2024-05-02</lastmod></url></urlset>",
    );
    site.put(
        "/news-sitemap.xml",
        "application/xml",
        &news_sitemap(&[
            ("storm-warning", "2024-05-10T09:00:00Z"),
            ("council-vote", "2024-05-09T17:00:00Z"),
        ]),
    );
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &rss(&[
            ("storm-warning", "Fri, 10 May 2024 09:00:00 GMT"),
            ("rss-only", "Fri, 10 May 2024 11:00:00 GMT"),
        ]),
    );
    site.put(
        "/atom.xml",
        "application/atom+xml",
        r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>Local Times</title><id>urn:x</id><updated>2024-05-10T12:00:00Z</updated>
        <entry><title>atom-only</title><id>urn:a</id><link rel="alternate" href="{base}/articles/atom-only"/>
        <published>not a date</published><updated>2024-05-08T08:00:00Z</updated></entry></feed>"#,
    );
    for slug in [
        "storm-warning",
        "council-vote",
        "rss-only",
        "atom-only",
        "may-feature",
        "old-2023",
    ] {
        site.put(&format!("/articles/{slug}"), "text/html", &article(slug));
    }
}
