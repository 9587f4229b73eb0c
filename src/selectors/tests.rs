//! Unit tests of the parent module; its `mod tests;` line is behind #[cfg(test)], so none of this is built into the library.

use super::*;

fn load(files: &[(&str, &str)]) -> Result<RuleSet, LoadError> {
    let v: Vec<(String, String)> = files
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    RuleSet::load(&v)
}

fn errors(files: &[(&str, &str)]) -> Vec<ConfigError> {
    load(files).unwrap_err().errors
}

#[test]
fn good_config_loads_and_resolves_templates() {
    let rs = load(&[(
        "ex.toml",
        r#"
domains = ["example.com", "*.example.org"]
article_urls = ['/news/\d+']
remove = [".ad"]
[fields]
title = ["h1.new", "h1"]
published = { css = "time", attr = "datetime" }
[[templates]]
until = "2020-01-01"
[templates.fields]
title = "h2.old"
"#,
    )])
    .unwrap();
    let s = rs.lookup("www.example.com", None).unwrap();
    assert_eq!(s.hash.len(), 12);
    assert!(rs.lookup("a.b.example.org", None).is_some());
    assert!(rs.lookup("example.org", None).is_some());
    assert!(rs.lookup("notexample.com", None).is_none());
    assert!(s.is_article_url("https://example.com/news/12"));
    assert!(!s.is_article_url("https://example.com/about"));
    let old = s.resolve(
        DateTime::parse_from_rfc3339("2019-05-01T00:00:00Z")
            .ok()
            .map(|d| d.to_utc()),
    );
    assert_eq!(
        old.field(Field::Title).unwrap().candidates[0].css_src,
        "h2.old"
    );
    let new = s.resolve(
        DateTime::parse_from_rfc3339("2021-05-01T00:00:00Z")
            .ok()
            .map(|d| d.to_utc()),
    );
    assert_eq!(new.field(Field::Title).unwrap().candidates.len(), 2);
    assert!(new.field(Field::Published).is_some());
}

#[test]
fn unknown_key_names_file_and_key() {
    let e = errors(&[("a.toml", "domains = [\"a.com\"]\ntitel = \"h1\"\n")]);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].file, "a.toml");
    assert!(e[0].key.contains("line 2"), "{:?}", e[0]);
    assert!(e[0].reason.contains("titel"), "{:?}", e[0]);
}

#[test]
fn unknown_field_and_rule_keys() {
    let e = errors(&[(
        "a.toml",
        "domains = [\"a.com\"]\n[fields]\nheadline = \"h1\"\n",
    )]);
    assert!(e[0].reason.contains("headline"));
    let e = errors(&[(
        "a.toml",
        "domains = [\"a.com\"]\n[fields]\ntitle = { css = \"h1\", atr = \"x\" }\n",
    )]);
    assert_eq!(e[0].key, "fields.title.atr");
}

#[test]
fn invalid_css_is_reported_with_key() {
    let e = errors(&[(
        "a.toml",
        "domains = [\"a.com\"]\nremove = [\"div[\"]\n[fields]\ntitle = [\"h1\", \"p >> \"]\n",
    )]);
    let keys: Vec<&str> = e.iter().map(|e| e.key.as_str()).collect();
    assert!(
        keys.contains(&"fields.title[1]") && keys.contains(&"remove[0]"),
        "{keys:?}"
    );
    assert!(e.iter().all(|e| e.reason.contains("invalid CSS")));
}

#[test]
fn invalid_regex_is_reported() {
    let e = errors(&[(
        "a.toml",
        "domains = [\"a.com\"]\narticle_urls = [\"(\"]\n[fields]\ntitle = { css = \"h1\", regex = \"[a-\" }\n",
    )]);
    let keys: Vec<&str> = e.iter().map(|e| e.key.as_str()).collect();
    assert!(keys.contains(&"article_urls[0]"));
    assert!(keys.contains(&"fields.title.regex"));
}

#[test]
fn bad_date_windows_are_reported() {
    let e = errors(&[(
        "a.toml",
        "domains = [\"a.com\"]\n[[templates]]\nfrom = \"2021-13-01\"\n[[templates]]\nfrom = \"2022-01-01\"\nuntil = \"2021-01-01\"\n[[templates]]\n",
    )]);
    let keys: Vec<&str> = e.iter().map(|e| e.key.as_str()).collect();
    assert!(keys.contains(&"templates[0].from"), "{keys:?}");
    assert!(keys.contains(&"templates[1].until"), "{keys:?}");
    assert!(keys.contains(&"templates[2]"), "{keys:?}");
}

#[test]
fn overlapping_windows_and_bad_domains() {
    let e = errors(&[(
        "a.toml",
        "domains = [\"https://a.com/\"]\n[[templates]]\nfrom = \"2020-01-01\"\n[[templates]]\nfrom = \"2021-01-01\"\n",
    )]);
    let keys: Vec<&str> = e.iter().map(|e| e.key.as_str()).collect();
    assert!(keys.contains(&"domains[0]"));
    assert!(keys.contains(&"templates[1]"));
}

#[test]
fn all_files_report_at_once_and_duplicate_domains() {
    let e = errors(&[
        ("a.toml", "domains = [\"a.com\"]\n[fields]\ntitle = 3\n"),
        ("b.toml", "domains = []\n"),
        ("c.toml", "domains = [\"c.com\"]\n"),
        ("d.toml", "domains = [\"c.com\"]\n"),
        ("e.toml", "not toml ["),
    ]);
    let files: Vec<&str> = e.iter().map(|e| e.file.as_str()).collect();
    assert_eq!(files, ["a.toml", "b.toml", "e.toml", "d.toml"]);
    let msg = LoadError { errors: e }.to_string();
    assert!(msg.starts_with("4 error(s)"));
}
