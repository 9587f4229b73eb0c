//! `extract::extract` on arbitrary bytes. The first input byte picks the variant: bit 0 = with
//! the repository's `selectors/` rules, bits 1–4 = which site's URL the page claims to be
//! from, bit 5 = a Content-Type with a charset, bit 6 = a capture date; the rest is the body.
#![no_main]

use std::sync::OnceLock;

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use newsarc::extract::{ExtractInput, ExtractOptions, extract};
use newsarc::selectors::RuleSet;

/// One URL per config in `selectors/` (in file-name order), plus one no config matches.
const URLS: &[&str] = &[
    "https://www.bbc.com/news/articles/c0000000000o",
    "https://edition.cnn.com/2024/05/03/us/story/index.html",
    "https://www.theguardian.com/environment/2024/may/03/story",
    "https://www.hstoday.us/subject-matter-areas/story/",
    "https://www.lemonde.fr/international/article/2024/05/03/story_6000000_3210.html",
    "https://www.nytimes.com/2024/05/03/world/africa/story.html",
    "https://www.seattletimes.com/business/story/",
    "https://www.telegraph.co.uk/world-news/2024/05/03/story/",
    "https://www.washingtonpost.com/world/2024/05/03/story/",
    "https://news.example.com/2024/05/03/story.html",
];

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../selectors");
        let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
            .expect("selectors/ is readable")
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
            .map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let text = std::fs::read_to_string(e.path()).expect("selector config is UTF-8");
                (name, text)
            })
            .collect();
        files.sort();
        RuleSet::load(&files).expect("the repository's selector configs compile")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, body)) = data.split_first() else {
        return;
    };
    let with_rules = mode & 1 != 0;
    let url = URLS[usize::from((mode >> 1) & 0x0f) % URLS.len()];
    let mut input = ExtractInput::new(body, url);
    if mode & 0x20 != 0 {
        input.content_type = Some("text/html; charset=windows-1252");
    }
    if mode & 0x40 != 0 {
        input.captured = Utc.with_ymd_and_hms(2021, 3, 4, 5, 6, 7).single();
    }
    let empty = RuleSet::empty();
    let rules = if with_rules { rules() } else { &empty };
    let opts = ExtractOptions {
        no_site_rules: !with_rules,
        skip_generic_body: false,
    };
    let _ = extract(&input, rules, &opts);
});
