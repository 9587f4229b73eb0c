//! Extraction: the hstoday golden test, every selector config's fixtures, and bad input.

use std::path::{Path, PathBuf};

use newsarc::extract::check::check_fixture;
use newsarc::extract::{ExtractInput, ExtractOptions, extract};
use newsarc::model::{FieldSource, PageKind};
use newsarc::selectors::RuleSet;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Load every `selectors/*.toml` of the repository.
fn repo_rules() -> RuleSet {
    let mut files = Vec::new();
    for e in std::fs::read_dir(root().join("selectors")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "toml") {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            files.push((name, std::fs::read_to_string(&p).unwrap()));
        }
    }
    files.sort();
    RuleSet::load(&files).unwrap_or_else(|e| panic!("{e}"))
}

fn fixture(site: &str, file: &str) -> Vec<u8> {
    std::fs::read(root().join("tests/fixtures").join(site).join(file)).unwrap()
}

fn hstoday_expected() -> serde_json::Value {
    serde_json::from_slice(&fixture("hstoday", "expected.json")).unwrap()
}

const HSTODAY_URL: &str = "https://www.hstoday.us/featured/third-high-level-conference-of-heads-of-counterterrorism-agencies-concludes-with-calls-for-reinvigorating-multilateralism/";

#[test]
fn hstoday_golden_every_field_exact() {
    let fails = check_fixture(
        &repo_rules(),
        &fixture("hstoday", "page.html"),
        &hstoday_expected(),
    );
    assert!(
        fails.is_empty(),
        "hstoday fixture mismatches:\n{}",
        fails.join("\n")
    );
}

#[test]
fn hstoday_records_origins_and_selector_ref() {
    let html = fixture("hstoday", "page.html");
    let out = extract(
        &ExtractInput::new(&html, HSTODAY_URL),
        &repo_rules(),
        &ExtractOptions::default(),
    );
    let a = &out.article;
    assert_eq!(a.selectors.as_ref().unwrap().name, "hstoday");
    assert_eq!(a.fields_from["body"], FieldSource::Selector);
    assert_eq!(a.fields_from["published"], FieldSource::Selector);
    assert_eq!(a.fields_from["site_name"], FieldSource::Selector);
    assert_eq!(a.site.as_deref(), Some("hstoday.us"));
    assert!(
        out.links
            .iter()
            .any(|l| l == "https://www.un.org/counterterrorism/")
    );
    assert!(out.links.iter().all(|l| l.starts_with("http")));
}

#[test]
fn hstoday_without_site_rules_still_gets_metadata_right() {
    let html = fixture("hstoday", "page.html");
    let opts = ExtractOptions {
        no_site_rules: true,
        ..Default::default()
    };
    let a = extract(
        &ExtractInput::new(&html, HSTODAY_URL),
        &RuleSet::empty(),
        &opts,
    )
    .article;
    let exp = hstoday_expected();
    assert_eq!(a.title.as_deref(), exp["title"].as_str());
    assert_eq!(
        a.published.unwrap().to_rfc3339(),
        "2023-06-22T10:35:12-04:00"
    );
    assert_eq!(
        a.modified.unwrap().to_rfc3339(),
        "2023-06-22T10:41:03-04:00"
    );
    assert_eq!(a.authors, ["Homeland Security Today"]);
    assert_eq!(a.section.as_deref(), Some("Counterterrorism"));
    assert_eq!(a.language.as_deref(), Some("en"));
    assert_eq!(a.site_name.as_deref(), Some("HSToday"));
    assert_eq!(a.fields_from["published"], FieldSource::JsonLd);
    assert!(a.selectors.is_none());
}

#[test]
fn every_selector_config_fixture_passes() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsarc"))
        .args(["selectors", "test"])
        .arg(root().join("selectors"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "selectors test failed:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("hstoday"), "{text}");
}

fn run(body: &[u8], ct: Option<&str>) -> newsarc::model::Article {
    let input = ExtractInput {
        body,
        url: "https://example.com/a",
        content_type: ct,
        captured: None,
    };
    extract(&input, &RuleSet::empty(), &ExtractOptions::default()).article
}

#[test]
fn empty_file_gives_empty_article() {
    let a = run(b"", None);
    assert_eq!(a.page_kind, PageKind::Other);
    assert!(a.body.is_empty() && a.title.is_none());
}

#[test]
fn binary_garbage_does_not_panic() {
    let junk: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let a = run(&junk, Some("text/html"));
    assert!(a.title.is_none() || !a.title.as_deref().unwrap().is_empty());
}

#[test]
fn invalid_utf8_is_replaced_not_fatal() {
    let a = run(b"<html><head><meta charset=utf-8><title>Caf\xe9 \xff\xfe news</title></head><body><p>x</p></body></html>", None);
    let t = a.title.unwrap();
    assert!(t.starts_with("Caf"), "{t}");
}

#[test]
fn wrong_declared_charset_is_corrected() {
    // Declared latin-1, actually UTF-8: must not become "GrÃ¼ÃŸe".
    let a = run(
        "<html><head><meta charset=iso-8859-1><title>Grüße aus Köln</title></head></html>"
            .as_bytes(),
        None,
    );
    assert_eq!(a.title.as_deref(), Some("Grüße aus Köln"));
    assert!(!a.warnings.is_empty());
}

#[test]
fn windows_1252_from_meta_only() {
    let mut page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"><title>".to_vec();
    page.extend_from_slice(b"\x93Quoted\x94 caf\xe9 na\xefve\x85</title></head></html>");
    let a = run(&page, None);
    assert_eq!(a.title.as_deref(), Some("“Quoted” café naïve…"));
}

#[test]
fn shift_jis_from_content_type_only() {
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("<html><head><title>日本語のニュース記事</title></head><body><p>東京で会議が開かれた。</p></body></html>");
    let a = run(&bytes, Some("text/html; charset=Shift_JIS"));
    assert_eq!(a.title.as_deref(), Some("日本語のニュース記事"));
    assert!(a.body.contains("東京で会議"));
}

#[test]
fn malformed_json_ld_falls_back_to_meta() {
    let page = br#"<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>
        <meta property="og:title" content="From OG"><meta property="article:published_time" content="2021-03-04T05:06:07+01:00">
        </head><body><p>Text.</p></body></html>"#;
    let a = run(page, None);
    assert_eq!(a.title.as_deref(), Some("From OG"));
    assert_eq!(
        a.published.unwrap().to_rfc3339(),
        "2021-03-04T05:06:07+01:00"
    );
    assert!(a.warnings.iter().any(|w| w.contains("JSON-LD")));
}

#[test]
fn fixtures_folder_exists_for_every_config() {
    for s in repo_rules().sites() {
        for t in &s.tests {
            let p = Path::new("tests/fixtures").join(&s.name).join(&t.page);
            assert!(
                root().join(&p).exists(),
                "{} names a missing fixture {}",
                s.name,
                p.display()
            );
        }
    }
}

fn newsarc() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_newsarc"));
    c.current_dir(root());
    c
}

#[test]
fn cli_input_list_keeps_order_reports_errors_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let page = root().join("tests/fixtures/hstoday/page.html");
    let list = dir.path().join("list.tsv");
    let mut text = String::new();
    for i in 0..5 {
        text.push_str(&format!("{}\t{HSTODAY_URL}?n={i}\n", page.display()));
    }
    text.push_str("/nonexistent/page.html\thttps://example.com/x\n");
    text.push_str(&format!("{}\t{HSTODAY_URL}\n", page.display()));
    std::fs::write(&list, text).unwrap();
    let out = newsarc()
        .arg("extract")
        .arg("--input-list")
        .arg(&list)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 7);
    for (i, l) in lines.iter().take(5).enumerate() {
        assert_eq!(l["url"], format!("{HSTODAY_URL}?n={i}"));
        assert_eq!(l["selectors"]["name"], "hstoday");
        assert!(l["source"].as_str().unwrap().ends_with("page.html"));
    }
    assert!(
        lines[5]["error"]
            .as_str()
            .unwrap()
            .contains("/nonexistent/page.html")
    );
    assert_eq!(lines[6]["title"], hstoday_expected()["title"]);
}

#[test]
fn cli_stdin_and_no_site_rules() {
    use std::io::Write;
    let mut child = newsarc()
        .args(["extract", "-", "--no-site-rules", "--url", HSTODAY_URL])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&fixture("hstoday", "page.html"))
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["source"], "-");
    assert!(v["selectors"].is_null());
    assert_eq!(v["published"], "2023-06-22T10:35:12-04:00");
}

#[test]
fn cli_selectors_check_reports_every_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.toml"),
        "domains = [\"a.com\"]\nbogus = 1\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.toml"),
        "domains = [\"b.com\"]\n[fields]\ntitle = \"h1[\"\n",
    )
    .unwrap();
    let out = newsarc()
        .args(["selectors", "check"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("a.toml") && err.contains("bogus"), "{err}");
    assert!(err.contains("b.toml: fields.title: invalid CSS"), "{err}");
}

#[test]
fn dated_templates_paywall_and_regex_apply_by_capture_date() {
    let cfg = r#"
domains = ["example.com"]
paywall = [".paywall"]
remove = [".ad"]
[fields]
title = "h1.new"
published = { css = ".dateline", regex = 'Updated (\w+ \d+, \d{4})' }
body = ".story"
[[templates]]
until = "2020-01-01"
[templates.fields]
title = "h2.old"
"#;
    let rules = RuleSet::load(&[("example.toml".into(), cfg.into())]).unwrap();
    let html = br#"<html><body><h2 class="old">Old headline</h2><h1 class="new">New headline</h1>
        <p class="dateline">Posted today. Updated June 22, 2023</p><div class="paywall"></div>
        <div class="story"><p>One.</p><div class="ad">Buy!</div><p>Two.</p></div></body></html>"#;
    let at = |d: &str| {
        let input = ExtractInput {
            body: html,
            url: "https://www.example.com/a",
            content_type: None,
            captured: chrono::DateTime::parse_from_rfc3339(d)
                .ok()
                .map(|d| d.to_utc()),
        };
        extract(&input, &rules, &ExtractOptions::default()).article
    };
    let old = at("2019-05-01T00:00:00Z");
    assert_eq!(old.title.as_deref(), Some("Old headline"));
    let new = at("2024-05-01T00:00:00Z");
    assert_eq!(new.title.as_deref(), Some("New headline"));
    assert_eq!(
        new.published.unwrap().to_rfc3339(),
        "2023-06-22T00:00:00+00:00"
    );
    assert_eq!(new.body, "One.\n\nTwo.");
    assert!(new.paywalled);
    assert_eq!(new.fields_from["title"], FieldSource::Selector);
}

/// Regression: `remove` detached elements, but selectors and heuristics walk every node the
/// parser made, so a removed element still gave authors, dates and titles.
#[test]
fn removed_elements_give_no_field() {
    let cfg = r#"
domains = ["example.com"]
remove = [".ad"]
[fields]
authors = { css = ".who", many = true }
body = ".story"
"#;
    let rules = RuleSet::load(&[("example.toml".into(), cfg.into())]).unwrap();
    let html = br#"<html><head><title>Bridge vote</title></head><body>
        <div class="ad"><h1>Buy now</h1><p class="who">Ad Person</p></div>
        <div class="ad"><time datetime="2019-01-01T00:00:00Z">1 Jan 2019</time></div>
        <div class="story"><p class="who">Jane Doe</p><p>The council voted on the bridge plan
        on Tuesday after a long debate about its cost and its route.</p></div></body></html>"#;
    let a = extract(
        &ExtractInput::new(html, "https://www.example.com/news/bridge"),
        &rules,
        &ExtractOptions::default(),
    )
    .article;
    assert_eq!(a.published, None, "{:?}", a.fields_from);
    assert_eq!(a.authors, ["Jane Doe"]);
    assert_ne!(a.title.as_deref(), Some("Buy now"));
    assert!(!a.body.contains("Ad Person"), "{}", a.body);
}

/// The Guardian's 2020s design puts the headline and the byline in `aside`s: its config removes
/// every other aside (ads, onward links) but keeps those two.
#[test]
fn guardian_config_keeps_the_headline_and_byline_asides() {
    let rules = repo_rules();
    for style in ["--grid-area:meta", "--grid-area: meta"] {
        let html = format!(
            r#"<html><head><title>Whales sing | The Guardian</title></head><body><main><article>
            <aside style="--grid-area:title"><h1>Whales sing new songs</h1></aside>
            <aside style="{style}"><address><a rel="author" href="/profile/jane-doe">Jane Doe</a>
            </address></aside>
            <aside class="ad-slot-container"><p>Advertisement: buy a boat today</p></aside>
            <div data-gu-name="body"><p>Humpback whales in the Pacific sing songs that change
            from year to year, and researchers have now recorded a new one spreading east.</p>
            </div></article></main></body></html>"#
        );
        let input = ExtractInput::new(
            html.as_bytes(),
            "https://www.theguardian.com/environment/2025/dec/05/whales-sing",
        );
        let a = extract(&input, &rules, &ExtractOptions::default()).article;
        assert_eq!(
            a.selectors.as_ref().map(|s| s.name.as_str()),
            Some("guardian")
        );
        assert_eq!(a.title.as_deref(), Some("Whales sing new songs"), "{style}");
        assert_eq!(a.authors, ["Jane Doe"], "{style}");
        assert_eq!(a.fields_from["authors"], FieldSource::Selector);
        assert!(!a.body.contains("Advertisement"), "{}", a.body);
        assert!(a.body.contains("Humpback whales"), "{}", a.body);
    }
}

#[test]
fn language_is_detected_when_markup_is_silent() {
    let page = "<html><body><article><p>Die Bundesregierung hat am Mittwoch beschlossen, dass die neuen \
        Regeln ab dem nächsten Jahr für alle Unternehmen gelten sollen, die mehr als fünfzig \
        Mitarbeiter haben. Kritiker halten das für zu spät.</p></article></body></html>";
    let a = run(page.as_bytes(), None);
    assert_eq!(a.language.as_deref(), Some("de"));
    assert_eq!(a.fields_from["language"], FieldSource::Generic);
}

#[test]
fn json_ld_paywall_and_author_cleaning() {
    let page = br#"<html><head><script type="application/ld+json">[{"@type":"ReportageNewsArticle",
        "headline":"H","isAccessibleForFree":false,"datePublished":"Thu, 22 Jun 2023 10:35:12 +0200",
        "author":[{"@type":"Person","name":"By Jane Doe, Staff Writer"},"John Roe | Reuters"]}]</script></head></html>"#;
    let a = run(page, None);
    assert!(a.paywalled);
    assert_eq!(a.authors, ["Jane Doe", "John Roe"]);
    assert_eq!(
        a.published.unwrap().to_rfc3339(),
        "2023-06-22T10:35:12+02:00"
    );
}

/// `newsarc extract URL` asks the site's robots.txt first: a disallowed page is not fetched
/// (an error object, exit 1); an allowed one is fetched once and extracted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extract_url_honours_robots_txt() {
    use crate::server::{Handler, Reply, Server};
    use std::sync::Arc;
    let handler: Handler = Arc::new(|path: &str, _h, _n| match path {
        "/robots.txt" => Reply::ok("text/plain", "User-agent: *\nDisallow: /private/\n"),
        "/private/secret" | "/news/ok" => Reply::html(
            "<html lang=en><head><title>Allowed Story</title></head><body><article><h1>Allowed Story</h1>\
             <p>A paragraph of the story that is long enough to count as article text here.</p>\
             <p>A second paragraph of the story, also long enough to be kept by the extractor.</p>\
             </article></body></html>",
        ),
        _ => Reply::status(404),
    });
    let server = Server::start("127.0.0.1", handler).await;
    let base = format!("http://{}", server.addr);
    let run = |url: String| {
        tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_newsarc"))
                .args(["extract", &url, "--no-site-rules"])
                .output()
                .unwrap()
        })
    };
    let denied = run(format!("{base}/private/secret")).await.unwrap();
    assert_eq!(denied.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&denied.stdout).unwrap();
    assert!(v["error"].as_str().unwrap().contains("robots.txt"), "{v}");
    assert_eq!(server.count("/private/secret"), 0, "{:?}", server.paths());

    let allowed = run(format!("{base}/news/ok")).await.unwrap();
    assert_eq!(
        allowed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&allowed.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&allowed.stdout).unwrap();
    assert_eq!(v["title"], "Allowed Story");
    assert_eq!(server.count("/news/ok"), 1);
    assert_eq!(server.count("/robots.txt"), 2);
}

/// Regression (devset 0a29620f): a date-only microdata value (`2019-10-18`) once pulled the
/// JSON-LD instant `2019-10-19T03:00Z` into a -04:00 offset; the date shown under the headline
/// (19.10.2019) decides the local day.
#[test]
fn shown_date_not_microdata_localizes_a_utc_timestamp() {
    let page = br#"<html><head><script type="application/ld+json">
        {"@type":"NewsArticle","headline":"Titel","datePublished":"2019-10-19T03:00:00.000Z"}
        </script><meta itemprop="datePublished" content="2019-10-18"></head><body><article>
        <h1>Titel</h1><div class="metainfo"><time datetime="2019-10-19T03:00:00.000Z">19.10.2019, 05:00 Uhr</time></div>
        <p>Ein Absatz mit genug Text, damit es ein Artikel ist.</p></article></body></html>"#;
    let a = run(page, None);
    let got = a.published.map(|d| d.date_naive().to_string());
    assert_eq!(got.as_deref(), Some("2019-10-19"));
    assert_eq!(a.fields_from.get("published"), Some(&FieldSource::JsonLd));
}

/// A generic `<meta name=date>` (the last save) loses to the date shown under the headline;
/// `article:published_time` does not.
#[test]
fn weak_meta_date_loses_to_the_shown_date() {
    let page = |meta: &str| {
        format!(
            r#"<html><head>{meta}</head><body><h1>Faire Lieferketten</h1>
            <div class="news-single-timedata">05.02.2020 <span>- Redaktion: E. Fuhr</span></div>
            <p>Text des Artikels.</p></body></html>"#
        )
    };
    let a = run(
        page(r#"<meta name="date" content="2020-02-12">"#).as_bytes(),
        None,
    );
    assert_eq!(
        a.published.map(|d| d.date_naive().to_string()).as_deref(),
        Some("2020-02-05")
    );
    assert_eq!(a.fields_from.get("published"), Some(&FieldSource::Generic));
    let a = run(
        page(r#"<meta property="article:published_time" content="2020-02-12T10:00:00Z">"#)
            .as_bytes(),
        None,
    );
    assert_eq!(
        a.published.map(|d| d.date_naive().to_string()).as_deref(),
        Some("2020-02-12")
    );
    assert_eq!(a.fields_from.get("published"), Some(&FieldSource::Meta));
}

/// Regression (readability/wikipedia-2): Wikipedia's JSON-LD `headline` is a one-line
/// description; its `name` is the title the page shows.
#[test]
fn json_ld_name_wins_when_only_it_matches_the_page_title() {
    let page = br#"<html><head><title>New Zealand - Wikipedia</title>
        <script type="application/ld+json">{"@type":"Article","name":"New Zealand",
        "headline":"constitutional monarchy in Oceania","datePublished":"2001-10-29T01:59:14Z"}</script>
        </head><body><h1>New Zealand</h1><p>New Zealand is an island country.</p></body></html>"#;
    let a = run(page, None);
    assert_eq!(a.title.as_deref(), Some("New Zealand"));
    // A headline that matches the page keeps its place.
    let page = br#"<html><head><title>Big storm hits coast | Paper</title>
        <script type="application/ld+json">{"@type":"NewsArticle","name":"storm-page",
        "headline":"Big storm hits coast"}</script></head><body><h1>Big storm hits coast</h1></body></html>"#;
    assert_eq!(
        run(page, None).title.as_deref(),
        Some("Big storm hits coast")
    );
}

/// A declared user name is replaced by the name the page shows for it; a declared placeholder
/// ("admin") gives way to the byline.
#[test]
fn handles_and_placeholders_in_declared_authors() {
    let page = br#"<html><head><meta name="author" content="arianschlichenmayer"></head><body>
        <article><h1>Sportzentrum erweitert</h1><p class="byline">Von Arian Schlichenmayer</p>
        <p>Text des Artikels.</p></article></body></html>"#;
    let a = run(page, None);
    assert_eq!(a.authors, ["Arian Schlichenmayer"]);
    // Still the declared author, shown as the page writes it.
    assert_eq!(a.fields_from.get("authors"), Some(&FieldSource::Meta));
    let page = br#"<html><head><meta name="author" content="admin"></head><body>
        <article><h1>Eigentumsvorbehalt</h1><p class="byline">Von Tobias Kuske</p>
        <p>Text des Artikels.</p></article></body></html>"#;
    let a = run(page, None);
    assert_eq!(a.authors, ["Tobias Kuske"]);
    assert_eq!(a.fields_from.get("authors"), Some(&FieldSource::Generic));
}

/// An ambiguous slash date is read the way the page's language writes dates.
#[test]
fn slash_dates_follow_the_page_language() {
    let page = |lang: &str| {
        format!(
            r#"<html lang="{lang}"><body><article><h1>Adolescente resgatada</h1>
            <p class="date">03/05/2022 20h36</p><p>Texto da reportagem.</p></article></body></html>"#
        )
    };
    let day = |lang| {
        run(page(lang).as_bytes(), None)
            .published
            .map(|d| d.date_naive().to_string())
    };
    assert_eq!(day("pt-BR").as_deref(), Some("2022-05-03"));
    assert_eq!(day("en-US").as_deref(), Some("2022-03-05"));
}

/// Regression (review of session 2): class and id names that start with multi-byte characters
/// once panicked the chrome test (a byte slice at index 4 or 9 inside a character).
#[test]
fn non_ascii_class_names_do_not_panic() {
    let page = r#"<html lang="ru"><body><div id="новости" class="記事 ação-x tag-новое">
        <article class="статья"><h1 class="заголовок">Новости дня</h1>
        <div class="дата">03/05/2022</div><p class="автор">Автор: Иван Петров</p>
        <p>Текст статьи о событиях дня, достаточно длинный для извлечения.</p></article>
        </div></body></html>"#;
    let a = run(page.as_bytes(), None);
    assert_eq!(a.title.as_deref(), Some("Новости дня"));
    assert_eq!(
        a.published.map(|d| d.date_naive().to_string()).as_deref(),
        Some("2022-05-03")
    );
}

/// A dotted user name ("edilson.la.rosa") is shown as the page's byline writes it, and a blog's
/// <h1> that is its own name (og:site_name) is not taken for the headline.
#[test]
fn dotted_handles_and_site_name_headlines() {
    let page = br#"<html><head><meta name="author" content="edilson.la.rosa"></head><body>
        <article><h1>Ronaldo marca</h1><p class="byline">Por Edilson La Rosa</p>
        <p>Texto del articulo.</p></article></body></html>"#;
    assert_eq!(run(page, None).authors, ["Edilson La Rosa"]);
    let page = r#"<html><head><meta property="og:site_name" content="史蒂文的家_藍天">
        <meta property="og:title" content="新竹尖石_美樹營地賞楓 (2) @ 史蒂文的家_藍天 :: 痞客邦 PIXNET ::">
        </head><body><h1><a href="/blog">史蒂文的家_藍天</a></h1><p>文章內容。</p></body></html>"#;
    let t = run(page.as_bytes(), None).title.unwrap_or_default();
    assert!(t.starts_with("新竹尖石_美樹營地賞楓 (2)"), "{t}");
}

/// A declared author that is the site's own name in its host ("L-MAG" on l-mag.de) is the
/// publisher: the byline in the page names the person.
#[test]
fn host_named_publisher_is_not_the_author() {
    let page = br#"<html><head><meta name="author" content="L-MAG"></head><body><article>
        <h1>Holocaust-Gedenktag</h1><p class="byline">Von Claudia Lindner</p>
        <p>Text des Artikels.</p></article></body></html>"#;
    let input = ExtractInput::new(page, "https://www.l-mag.de/news/gedenken");
    let a = extract(&input, &RuleSet::empty(), &ExtractOptions::default()).article;
    assert_eq!(a.authors, ["Claudia Lindner"]);
}

/// Every fixture page, mutated 12 ways with a fixed seed (truncated, bytes flipped, tags broken,
/// hostile headline and dates inserted, invalid bytes appended), extracts without a panic, with
/// and without site rules, and keeps its URL.
#[test]
fn mutated_fixture_pages_never_panic() {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures"))
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|d| std::fs::read_dir(d.path()).into_iter().flatten().flatten())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    pages.sort();
    assert!(pages.len() >= 9, "fixture pages: {}", pages.len());
    let rules = repo_rules();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let hostile = "<h1><span class=\"記事 tag-новое\">Кикер</span>標題\u{ad} 2020/13/45</h1>\
                   <time datetime=\"9999-99-99\">31.02.2021</time><p>Von: (</p>";
    let mut runs = 0;
    for p in &pages {
        let body = std::fs::read(p).unwrap_or_default();
        for k in 0..12 {
            let mut m = body.clone();
            let at = |r: u64, m: &Vec<u8>| (r as usize) % m.len().max(1);
            match k % 6 {
                0 => m.truncate(at(rnd(), &m)),
                1 => {
                    for _ in 0..64 {
                        let i = at(rnd(), &m);
                        if let Some(b) = m.get_mut(i) {
                            *b = rnd() as u8;
                        }
                    }
                }
                2 => {
                    let i = at(rnd(), &m);
                    m.splice(i..i, hostile.bytes());
                }
                3 => m.retain(|c| *c != b'>' || rnd() % 5 != 0),
                4 => m.extend(std::iter::repeat_n(0xFFu8, 2048)),
                _ => m = m.iter().rev().copied().collect(),
            }
            let url = "https://www.hstoday.us/2023/06/22/page.html";
            for no_site_rules in [false, true] {
                let opts = ExtractOptions {
                    no_site_rules,
                    ..Default::default()
                };
                let a = extract(&ExtractInput::new(&m, url), &rules, &opts).article;
                assert_eq!(a.url, url, "{} mutation {k}", p.display());
                runs += 1;
            }
        }
    }
    assert_eq!(runs, pages.len() * 24);
}

#[test]
fn cli_prints_each_pages_kind_on_stderr_only() {
    let dir = tempfile::tempdir().unwrap();
    let page = root().join("tests/fixtures/hstoday/page.html");
    let mut listing =
        String::from("<html><head><title>Politics</title></head><body><h1>Politics</h1><ul>");
    for i in 0..40 {
        listing.push_str(&format!(
            "<li><a href=\"/politics/story-{i}\">Council story number {i} about the budget and the trams</a></li>"
        ));
    }
    listing.push_str("</ul></body></html>");
    let front = dir.path().join("front.html");
    std::fs::write(&front, listing).unwrap();
    let list = dir.path().join("list.tsv");
    std::fs::write(
        &list,
        format!(
            "{}\t{HSTODAY_URL}\n/nonexistent/page.html\thttps://example.com/x\n{}\thttps://example.com/politics/\n",
            page.display(),
            front.display()
        ),
    )
    .unwrap();
    let run = |quiet: bool| {
        let mut c = newsarc();
        c.arg("extract").arg("--input-list").arg(&list);
        if quiet {
            c.arg("--quiet");
        }
        c.output().unwrap()
    };
    let out = run(false);
    assert_eq!(out.status.code(), Some(1), "the missing file fails");
    let err = String::from_utf8_lossy(&out.stderr);
    let kinds: Vec<&str> = err.lines().filter(|l| l.starts_with("kind: ")).collect();
    // One line per page in input order (none for the input that failed): kind, confidence, URL.
    let parsed: Vec<(&str, f64, &str)> = kinds
        .iter()
        .map(|l| {
            let mut it = l.trim_start_matches("kind: ").splitn(2, ' ');
            let kind = it.next().unwrap();
            let (conf, url) = it.next().unwrap().split_once("  ").unwrap();
            (kind, conf.parse::<f64>().unwrap(), url)
        })
        .collect();
    assert_eq!(parsed.len(), 2, "{err}");
    assert_eq!(
        (parsed[0].0, parsed[0].2),
        ("article", HSTODAY_URL),
        "{err}"
    );
    assert_eq!(
        (parsed[1].0, parsed[1].2),
        ("listing", "https://example.com/politics/"),
        "{err}"
    );
    assert!(parsed.iter().all(|p| p.1 > 0.5 && p.1 <= 1.0), "{err}");
    // stdout is the JSON lines, untouched.
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[2]["page_kind"], "listing");
    let conf = lines[2]["page_kind_confidence"].as_f64().unwrap();
    assert!(kinds[1].contains(&format!(" {conf:.2} ")), "{err}");

    let quiet = run(true);
    let err = String::from_utf8_lossy(&quiet.stderr);
    assert!(!err.contains("kind: "), "{err}");
    assert_eq!(String::from_utf8(quiet.stdout).unwrap(), stdout);
}

/// A page that shows its date only as an age ("3 hours ago"): the age counts back from the
/// capture time; without one, or for an age that names no day, there is no date; an absolute
/// date on the page wins over an age.
#[test]
fn relative_dates_count_back_from_the_capture_time() {
    let page = |age: &str, extra: &str| {
        format!(
            "<html><head><title>Bridge closes</title>{extra}</head><body><main><article>\
             <h1>Bridge closes for repairs</h1><div class=meta><span>{age}</span></div>\
             <p>The old bridge over the river closed on Tuesday for repairs that will take \
             until June, officials said at a press conference in the town hall.</p>\
             </article></main></body></html>"
        )
    };
    let captured = chrono::DateTime::parse_from_rfc3339("2024-05-02T01:30:00Z")
        .map(|t| t.with_timezone(&chrono::Utc))
        .ok();
    let published = |html: &str, captured| {
        let mut input = ExtractInput::new(html.as_bytes(), "https://example.org/news/bridge");
        input.captured = captured;
        let a = extract(&input, &RuleSet::empty(), &ExtractOptions::default()).article;
        a.published.map(|d| d.to_rfc3339())
    };
    assert_eq!(
        published(&page("3 hours ago", ""), captured).as_deref(),
        Some("2024-05-01T22:30:00+00:00")
    );
    assert_eq!(
        published(&page("vor 2 Tagen", ""), captured).as_deref(),
        Some("2024-04-30T01:30:00+00:00")
    );
    assert_eq!(published(&page("3 hours ago", ""), None), None);
    assert_eq!(published(&page("2 weeks ago", ""), captured), None);
    let declared = r#"<meta property="article:published_time" content="2024-04-29T08:00:00Z">"#;
    assert_eq!(
        published(&page("3 hours ago", declared), captured).as_deref(),
        Some("2024-04-29T08:00:00+00:00")
    );
}
