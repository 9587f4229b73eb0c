//! One dataset row: an [`Article`] plus where its bytes live in the archive.
//!
//! [`COLUMNS`] is the single list of dataset columns; the CSV header, the Parquet schema and the
//! dataset card are all derived from it, so the three formats cannot drift apart.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::{Article, SelectorsRef};

/// An article and its provenance in the archive.
#[derive(Debug, Clone, Serialize)]
pub struct DatasetRow {
    /// The parsed article (newest or one specific version).
    #[serde(flatten)]
    pub article: Article,
    /// When the raw response was captured (WARC-Date of the response record).
    pub capture_time: Option<DateTime<Utc>>,
    /// The archive file that holds the raw response.
    pub warc_file: Option<String>,
    /// Byte offset of the raw response record in `warc_file`.
    pub warc_offset: Option<u64>,
    /// Length in bytes (compressed frame) of the raw response record.
    pub warc_length: Option<u64>,
    /// WARC-Record-ID of the raw response.
    pub response_record_id: Option<String>,
    /// WARC-Record-ID of the conversion record this row was read from.
    pub conversion_record_id: Option<String>,
    /// When the conversion (parse) was made.
    pub parsed_time: Option<DateTime<Utc>>,
}

/// The logical type of a dataset column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// UTF-8 text, may be null.
    Text,
    /// UTF-8 text, never null.
    RequiredText,
    /// A list of strings (never null, may be empty).
    TextList,
    /// A timestamp with time zone (UTC instant), may be null.
    Timestamp,
    /// A 64-bit integer, may be null.
    Int,
    /// A 64-bit integer, never null.
    RequiredInt,
    /// A 32-bit float, may be null.
    Float,
    /// A boolean, never null.
    Bool,
}

/// One dataset column: name, type, what it means (for the dataset card) and how to read it.
#[derive(Clone, Copy)]
pub struct Column {
    /// Column name in every format.
    pub name: &'static str,
    /// Its type.
    pub kind: ColumnType,
    /// Meaning and provenance, one sentence.
    pub doc: &'static str,
    /// Reads the column's value from a row.
    pub get: for<'a> fn(&'a DatasetRow) -> Value<'a>,
}

impl std::fmt::Debug for Column {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Column")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .finish()
    }
}

/// A column's value in one row, borrowed.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// Text or null.
    Text(Option<&'a str>),
    /// Owned text (computed columns) or null.
    Owned(Option<String>),
    /// A list of strings.
    List(&'a [String]),
    /// Microseconds since the Unix epoch (UTC) and the RFC 3339 text with the original offset.
    Timestamp(Option<(i64, String)>),
    /// Integer or null.
    Int(Option<i64>),
    /// 32-bit float or null.
    Float(Option<f32>),
    /// Boolean.
    Bool(bool),
}

fn ts<Tz: chrono::TimeZone>(t: &Option<DateTime<Tz>>) -> Value<'static>
where
    Tz::Offset: std::fmt::Display,
{
    Value::Timestamp(t.as_ref().map(|t| (t.timestamp_micros(), t.to_rfc3339())))
}

fn int(v: Option<u64>) -> Value<'static> {
    Value::Int(v.and_then(|v| i64::try_from(v).ok()))
}

fn text(s: &Option<String>) -> Value<'_> {
    Value::Text(s.as_deref())
}

macro_rules! column {
    ($name:literal, $kind:ident, $doc:literal, |$r:ident| $get:expr) => {
        Column {
            name: $name,
            kind: ColumnType::$kind,
            doc: $doc,
            get: |$r| $get,
        }
    };
}

/// Every dataset column, in output order.
pub const COLUMNS: &[Column] = &[
    column!(
        "url",
        RequiredText,
        "URL the page was fetched from (after redirects).",
        |r| Value::Text(Some(&r.article.url))
    ),
    column!(
        "canonical_url",
        Text,
        "rel=canonical / og:url / JSON-LD url.",
        |r| text(&r.article.canonical_url)
    ),
    column!("site", Text, "Host without www.", |r| text(&r.article.site)),
    column!(
        "site_name",
        Text,
        "Publication name (og:site_name, JSON-LD publisher).",
        |r| text(&r.article.site_name)
    ),
    column!("title", Text, "Headline.", |r| text(&r.article.title)),
    column!("description", Text, "Standfirst / summary.", |r| text(
        &r.article.description
    )),
    column!("authors", TextList, "Author names.", |r| Value::List(
        &r.article.authors
    )),
    column!(
        "published",
        Timestamp,
        "Publication time (UTC instant; JSONL and CSV keep the page's offset).",
        |r| ts(&r.article.published)
    ),
    column!("modified", Timestamp, "Last modification time.", |r| ts(&r
        .article
        .modified)),
    column!(
        "language",
        Text,
        "BCP 47 language tag (markup, else detected).",
        |r| text(&r.article.language)
    ),
    column!("section", Text, "Section or category.", |r| text(
        &r.article.section
    )),
    column!("tags", TextList, "Keywords / tags.", |r| Value::List(
        &r.article.tags
    )),
    column!("image", Text, "Lead image URL.", |r| text(&r.article.image)),
    column!(
        "body",
        RequiredText,
        "Article text, paragraphs separated by a blank line.",
        |r| Value::Text(Some(&r.article.body))
    ),
    column!("word_count", RequiredInt, "Words in body.", |r| Value::Int(
        i64::try_from(r.article.word_count).ok()
    )),
    column!("paywalled", Bool, "The page declares a paywall.", |r| {
        Value::Bool(r.article.paywalled)
    }),
    column!(
        "page_kind",
        RequiredText,
        "What the page is: article, liveblog, gallery or video (the parsed kinds, exported by \
         default), or listing, forum, product, documentation, service, error, other \
         (`--kinds`). Schema 1 rows know only article, listing, error and other.",
        |r| Value::Text(Some(r.article.page_kind.name()))
    ),
    column!(
        "page_kind_confidence",
        Float,
        "How sure the classifier was of page_kind, 0 to 1 (null: no score given; always null \
         in schema 1 rows).",
        |r| Value::Float(r.article.page_kind_confidence)
    ),
    column!(
        "fields_from",
        RequiredText,
        "JSON object: field -> selector | json-ld | meta | generic | request.",
        |r| Value::Owned(serde_json::to_string(&r.article.fields_from).ok())
    ),
    column!(
        "extractor",
        RequiredText,
        "Extractor name/version that parsed the page.",
        |r| Value::Owned(Some(r.article.extractor.label()))
    ),
    column!(
        "selectors",
        Text,
        "Selector config used, name@hash (null: none).",
        |r| Value::Owned(r.article.selectors.as_ref().map(SelectorsRef::label))
    ),
    column!("warnings", TextList, "Extraction warnings.", |r| {
        Value::List(&r.article.warnings)
    }),
    column!(
        "capture_time",
        Timestamp,
        "WARC-Date of the raw response record.",
        |r| ts(&r.capture_time)
    ),
    column!(
        "warc_file",
        Text,
        "Archive file holding the raw response.",
        |r| text(&r.warc_file)
    ),
    column!(
        "warc_offset",
        Int,
        "Offset of the raw response record in warc_file.",
        |r| int(r.warc_offset)
    ),
    column!(
        "warc_length",
        Int,
        "Length of the raw response record as stored (compressed).",
        |r| int(r.warc_length)
    ),
    column!(
        "response_record_id",
        Text,
        "WARC-Record-ID of the raw response.",
        |r| text(&r.response_record_id)
    ),
    column!(
        "conversion_record_id",
        Text,
        "WARC-Record-ID of the parsed (conversion) record.",
        |r| text(&r.conversion_record_id)
    ),
    column!(
        "parsed_time",
        Timestamp,
        "When the page was parsed (WARC-Date of the conversion record).",
        |r| ts(&r.parsed_time)
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_read_the_right_fields() {
        let row = DatasetRow {
            article: Article::empty("https://e.com/a"),
            capture_time: None,
            warc_file: Some("f.warc.zst".into()),
            warc_offset: Some(7),
            warc_length: Some(9),
            response_record_id: None,
            conversion_record_id: None,
            parsed_time: None,
        };
        let get = |name: &str| (COLUMNS.iter().find(|c| c.name == name).unwrap().get)(&row);
        assert_eq!(get("url"), Value::Text(Some("https://e.com/a")));
        assert_eq!(get("page_kind"), Value::Text(Some("article")));
        assert_eq!(get("page_kind_confidence"), Value::Float(None));
        let names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
        let at = names.iter().position(|n| *n == "page_kind").unwrap();
        assert_eq!(names[at + 1], "page_kind_confidence");
        let mut row = row;
        row.article.page_kind = crate::model::PageKind::Liveblog;
        row.article.page_kind_confidence = Some(0.75);
        let get = |name: &str| (COLUMNS.iter().find(|c| c.name == name).unwrap().get)(&row);
        assert_eq!(get("page_kind"), Value::Text(Some("liveblog")));
        assert_eq!(get("page_kind_confidence"), Value::Float(Some(0.75)));
        assert_eq!(get("warc_file"), Value::Text(Some("f.warc.zst")));
        assert_eq!(get("warc_offset"), Value::Int(Some(7)));
        assert_eq!(get("selectors"), Value::Owned(None));
    }
}
