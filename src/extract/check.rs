//! Fixture checks: compare an extraction with an expected-fields JSON (the format of
//! `tests/fixtures/<site>/*.json`). Shared by `newsarc selectors test` and the test suite.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{ExtractInput, ExtractOptions, extract};
use crate::selectors::RuleSet;

/// Keys of an expected JSON that are not Article fields.
const CONTROL_KEYS: &[&str] = &[
    "body_must_contain",
    "body_must_not_contain",
    "captured",
    "content_type",
];

/// Run one fixture: extract `html` as described by `expected` (its `url`, optional `captured`
/// and `content_type`) and list every mismatch (empty: the fixture passes).
pub fn check_fixture(rules: &RuleSet, html: &[u8], expected: &Value) -> Vec<String> {
    let mut fails = Vec::new();
    let Some(exp) = expected.as_object() else {
        return vec!["expected JSON is not an object".into()];
    };
    let Some(url) = exp.get("url").and_then(Value::as_str) else {
        return vec!["expected JSON has no \"url\"".into()];
    };
    let captured = exp
        .get("captured")
        .and_then(Value::as_str)
        .and_then(|c| DateTime::parse_from_rfc3339(c).ok())
        .map(|d| d.with_timezone(&Utc));
    let input = ExtractInput {
        body: html,
        url,
        content_type: exp.get("content_type").and_then(Value::as_str),
        captured,
    };
    let art = extract(&input, rules, &ExtractOptions::default()).article;
    let got = match serde_json::to_value(&art) {
        Ok(v) => v,
        Err(e) => return vec![format!("article does not serialise: {e}")],
    };
    for (k, want) in exp {
        if CONTROL_KEYS.contains(&k.as_str()) {
            continue;
        }
        match got.get(k) {
            None => fails.push(format!("{k}: not an Article field")),
            Some(have) if have != want => {
                let show = |v: &Value| {
                    let s = v.to_string();
                    if s.chars().count() > 160 {
                        format!("{}…", s.chars().take(160).collect::<String>())
                    } else {
                        s
                    }
                };
                fails.push(format!("{k}: expected {} got {}", show(want), show(have)));
            }
            Some(_) => {}
        }
    }
    let list = |key: &str| -> Vec<String> {
        exp.get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    for s in list("body_must_contain") {
        if !art.body.contains(&s) {
            fails.push(format!("body lacks {s:?}"));
        }
    }
    for s in list("body_must_not_contain") {
        if art.body.contains(&s) {
            fails.push(format!("body contains {s:?}"));
        }
    }
    fails
}
