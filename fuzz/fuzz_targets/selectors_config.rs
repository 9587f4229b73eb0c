//! Selector config files: TOML parsing and compilation (CSS selectors, regexes, dated
//! templates), then the compiled rules applied to a small page of the config's first domain.
#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use newsarc::extract::{ExtractInput, ExtractOptions, extract};
use newsarc::selectors::RuleSet;

const PAGE: &[u8] = br#"<!doctype html><html lang="en"><head><title>Story - Site</title>
<meta property="article:published_time" content="2024-05-03T10:00:00Z"></head>
<body><header class="top">Site</header><article><h1 class="headline">Story</h1>
<p class="byline">By <a rel="author">Ann Writer</a></p><time datetime="2024-05-03">3 May</time>
<div class="body"><p>First paragraph of the story, long enough to count.</p>
<p>Second paragraph.</p><aside class="ad">Ad</aside></div></article></body></html>"#;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(rules) = RuleSet::load(&[("fuzz.toml".to_string(), text.to_string())]) else {
        return;
    };
    let domain = toml::from_str::<toml::Table>(text)
        .ok()
        .and_then(|t| {
            t.get("domains")?
                .as_array()?
                .first()?
                .as_str()
                .map(str::to_string)
        })
        .unwrap_or_else(|| "example.com".into());
    let url = format!(
        "https://{}/2024/05/03/story",
        domain.trim_start_matches("*.")
    );
    let captured = Utc.with_ymd_and_hms(2020, 1, 2, 3, 4, 5).single();
    for site in rules.sites() {
        let _ = site.is_article_url(&url);
        let _ = site.resolve(None);
        let _ = site.resolve(captured);
    }
    let mut input = ExtractInput::new(PAGE, &url);
    input.captured = captured;
    let _ = extract(&input, &rules, &ExtractOptions::default());
});
