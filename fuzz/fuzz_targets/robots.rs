//! robots.txt: the rules for our agent (allow/deny, Crawl-delay) and its `Sitemap:` lines.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsarc::discover::robots_sitemaps::robots_sitemaps;
use newsarc::fetch::robots::RobotsRules;
use url::Url;

const PATHS: &[&str] = &[
    "https://news.example.com/",
    "https://news.example.com/2024/05/03/story.html?id=7",
    "https://news.example.com/private/a%2Fb",
    "https://news.example.com/search?q=x*y$",
    "https://news.example.com/%E2%82%AC/caf%C3%A9",
];

fuzz_target!(|data: &[u8]| {
    let rules = RobotsRules::from_response("newsarc", Some(200), data);
    for p in PATHS {
        let _ = rules.allowed(p);
    }
    let _ = rules.crawl_delay();
    let _ = rules.sitemaps();
    let Ok(url) = Url::parse("https://news.example.com/robots.txt") else {
        return;
    };
    let _ = robots_sitemaps(data, &url, 64);
});
