//! Field-by-field comparison of two parses of one capture (what a re-parse changed).

use serde_json::Value;

use crate::model::Article;

/// The fields compared, in display order.
const FIELDS: [&str; 21] = [
    "title",
    "description",
    "authors",
    "published",
    "modified",
    "section",
    "tags",
    "language",
    "site_name",
    "canonical_url",
    "image",
    "page_kind",
    "page_kind_confidence",
    "paywalled",
    "word_count",
    "body",
    "fields_from",
    "extractor",
    "selectors",
    "schema_version",
    "warnings",
];

/// One row of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffRow {
    /// Field name.
    pub field: String,
    /// Value in the first parse (shortened).
    pub a: String,
    /// Value in the second parse (shortened).
    pub b: String,
    /// True when the values differ.
    pub changed: bool,
}

/// Compare every field of `a` and `b`.
pub fn diff(a: &Article, b: &Article) -> Vec<DiffRow> {
    let (va, vb) = (
        serde_json::to_value(a).unwrap_or(Value::Null),
        serde_json::to_value(b).unwrap_or(Value::Null),
    );
    FIELDS
        .iter()
        .map(|f| {
            let (x, y) = (&va[*f], &vb[*f]);
            DiffRow {
                field: (*f).to_string(),
                a: show(x),
                b: show(y),
                changed: x != y,
            }
        })
        .collect()
}

/// A value as text: strings bare, the rest as JSON; long values cut at 600 characters.
fn show(v: &Value) -> String {
    let s = match v {
        Value::Null => "—".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let n = s.chars().count();
    if n > 600 {
        let head: String = s.chars().take(600).collect();
        format!("{head}… ({n} characters)")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_changed_fields_only() {
        let mut a = Article::empty("https://example.com/a");
        a.title = Some("Old".into());
        a.body = "x".repeat(700);
        let mut b = a.clone();
        b.title = Some("New".into());
        let rows = diff(&a, &b);
        let changed: Vec<&str> = rows
            .iter()
            .filter(|r| r.changed)
            .map(|r| r.field.as_str())
            .collect();
        assert_eq!(changed, ["title"]);
        let body = rows.iter().find(|r| r.field == "body").unwrap();
        assert!(body.a.ends_with("(700 characters)"));
        assert_eq!(rows.iter().find(|r| r.field == "section").unwrap().a, "—");
    }
}
