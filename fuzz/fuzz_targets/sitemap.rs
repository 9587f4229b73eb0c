//! Sitemaps: `<urlset>`, `<sitemapindex>`, Google News and image extensions, plain-text
//! sitemaps, gzip by magic bytes; streamed with the default caps.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsarc::discover::sitemap::{SitemapLimits, parse_sitemap};
use url::Url;

fuzz_target!(|data: &[u8]| {
    let Ok(url) = Url::parse("https://news.example.com/sitemap.xml") else {
        return;
    };
    let parsed = parse_sitemap(data, &url, &SitemapLimits::default());
    assert!(parsed.stats.entries as usize >= parsed.items.len());
});
