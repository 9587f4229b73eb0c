//! Feeds: RSS 0.9x/1.0/2.0, Atom, JSON Feed (gzip by magic bytes) with the salvage path for
//! broken XML, and the feed `<link>`s of an HTML page.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsarc::discover::feed::{FeedLimits, parse_feed};
use newsarc::discover::homepage::feed_links;
use url::Url;

fuzz_target!(|data: &[u8]| {
    let Ok(url) = Url::parse("https://news.example.com/feed.xml") else {
        return;
    };
    if let Ok(feed) = parse_feed(data, &url, &FeedLimits::default()) {
        assert!(feed.entries.len() <= FeedLimits::default().max_entries);
    }
    let _ = feed_links(data, &url, 32);
});
