//! The dataset card written beside every export (`<out>.schema.md`): fields, types, the
//! Article schema version, provenance, and counts per page kind, site, month and language.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::row::{COLUMNS, ColumnType, DatasetRow};
use crate::model::SCHEMA_VERSION;

/// Counts gathered while rows are written.
#[derive(Debug, Default, Clone)]
pub struct DatasetStats {
    /// Rows written.
    pub rows: u64,
    /// Rows per page kind (`article`, `liveblog`, ...).
    pub per_kind: BTreeMap<String, u64>,
    /// Rows per Article schema version their parse was written with.
    pub per_schema: BTreeMap<u32, u64>,
    /// Rows per site (host).
    pub per_site: BTreeMap<String, u64>,
    /// Rows per publication month (`YYYY-MM`, or `unknown`).
    pub per_month: BTreeMap<String, u64>,
    /// Rows per language.
    pub per_language: BTreeMap<String, u64>,
    /// Rows whose field came from each source, per field: `field -> source -> count`.
    pub provenance: BTreeMap<String, BTreeMap<String, u64>>,
}

impl DatasetStats {
    /// Count one row.
    pub fn add(&mut self, row: &DatasetRow) {
        let a = &row.article;
        self.rows += 1;
        *self
            .per_kind
            .entry(a.page_kind.name().to_string())
            .or_default() += 1;
        *self.per_schema.entry(a.schema_version).or_default() += 1;
        let site = a.site.clone().unwrap_or_else(|| "unknown".into());
        *self.per_site.entry(site).or_default() += 1;
        let month = a
            .published
            .map(|d| d.format("%Y-%m").to_string())
            .unwrap_or_else(|| "unknown".into());
        *self.per_month.entry(month).or_default() += 1;
        let lang = a.language.clone().unwrap_or_else(|| "unknown".into());
        *self.per_language.entry(lang).or_default() += 1;
        for (field, source) in &a.fields_from {
            let source = serde_json::to_value(source)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            *self
                .provenance
                .entry(field.clone())
                .or_default()
                .entry(source)
                .or_default() += 1;
        }
    }
}

fn type_name(kind: ColumnType, format: &str) -> &'static str {
    match (kind, format) {
        (ColumnType::Text, _) => "string (nullable)",
        (ColumnType::RequiredText, _) => "string",
        (ColumnType::TextList, "parquet") => "list<string>",
        (ColumnType::TextList, "csv") => "JSON array of strings",
        (ColumnType::TextList, _) => "array of strings",
        (ColumnType::Timestamp, "parquet") => "timestamp[us, tz=UTC] (nullable)",
        (ColumnType::Timestamp, _) => "RFC 3339 string with offset (nullable)",
        (ColumnType::Int, _) => "int64 (nullable)",
        (ColumnType::RequiredInt, _) => "int64",
        (ColumnType::Float, "parquet") => "float32 (nullable)",
        (ColumnType::Float, _) => "number (nullable)",
        (ColumnType::Bool, _) => "boolean",
    }
}

fn table(out: &mut String, title: &str, counts: &BTreeMap<String, u64>) {
    let _ = writeln!(out, "\n## {title}\n\n| value | rows |\n|---|---:|");
    for (k, v) in counts {
        let _ = writeln!(out, "| {} | {v} |", k.replace('|', "\\|"));
    }
}

/// Render the card for a dataset in `format` built from `sources`.
pub fn render(format: &str, sources: &[String], stats: &DatasetStats, filters: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Dataset card\n");
    let _ = writeln!(
        out,
        "Written by newsarc {} as `{format}`.\n",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(out, "- rows: {}", stats.rows);
    let _ = writeln!(
        out,
        "- filters: {}",
        if filters.is_empty() { "none" } else { filters }
    );
    let _ = writeln!(out, "- source archives: {}", sources.len());
    for s in sources {
        let _ = writeln!(out, "  - `{s}`");
    }
    let _ = writeln!(
        out,
        "\nEvery row can be traced to its raw bytes: `warc_file` + `warc_offset` + `warc_length` \
         locate the response record (`newsarc get` or any WARC reader that seeks)."
    );
    let _ = writeln!(
        out,
        "\n## Schema\n\nRows are Article JSON plus the provenance columns. This build writes \
         Article schema version {SCHEMA_VERSION}; a row keeps the version of the build that \
         parsed it. Version 2 extended `page_kind` from article, listing, error, other to \
         article, liveblog, gallery, video, listing, forum, product, documentation, service, \
         error, other, and added `page_kind_confidence` (0 to 1, null when the classifier gave \
         no score; always null in version 1 rows). Articles, live blogs, galleries and videos \
         are the parsed kinds, exported by default; the others are archived raw and have rows \
         only where a parse of them exists and `--kinds` asks for them."
    );
    let versions: Vec<String> = stats
        .per_schema
        .iter()
        .map(|(v, n)| format!("version {v}: {n}"))
        .collect();
    let _ = writeln!(
        out,
        "\n- rows per schema version: {}",
        if versions.is_empty() {
            "none".to_string()
        } else {
            versions.join(", ")
        }
    );
    let _ = writeln!(
        out,
        "\n## Fields\n\n| column | type | meaning |\n|---|---|---|"
    );
    for c in COLUMNS {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} |",
            c.name,
            type_name(c.kind, format),
            c.doc
        );
    }
    let _ = writeln!(out, "\n## Provenance (rows per field and source)\n");
    let _ = writeln!(
        out,
        "| field | selector | json-ld | meta | generic | request |\n|---|---:|---:|---:|---:|---:|"
    );
    for (field, sources) in &stats.provenance {
        let n = |s: &str| sources.get(s).copied().unwrap_or(0);
        let _ = writeln!(
            out,
            "| {field} | {} | {} | {} | {} | {} |",
            n("selector"),
            n("json-ld"),
            n("meta"),
            n("generic"),
            n("request")
        );
    }
    table(&mut out, "Rows per page kind", &stats.per_kind);
    table(&mut out, "Rows per site", &stats.per_site);
    table(&mut out, "Rows per publication month", &stats.per_month);
    table(&mut out, "Rows per language", &stats.per_language);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_lists_columns_and_counts() {
        let mut stats = DatasetStats::default();
        let mut row = crate::export::table::tests::sample_row(1);
        row.article.site = Some("example.com".into());
        row.article
            .fields_from
            .insert("title".into(), crate::model::FieldSource::JsonLd);
        stats.add(&row);
        stats.add(&row);
        row.article.page_kind = crate::model::PageKind::Video;
        row.article.schema_version = 1;
        stats.add(&row);
        let card = render("parquet", &["a.warc.zst".into()], &stats, "");
        assert!(card.contains("| `published` | timestamp[us, tz=UTC] (nullable) |"));
        assert!(card.contains("| example.com | 3 |"));
        assert!(card.contains("| 2023-06 | 3 |"));
        assert!(card.contains("| title | 0 | 3 | 0 | 0 | 0 |"));
        assert!(card.contains("- rows: 3"));
        assert!(card.contains("## Rows per page kind"), "{card}");
        assert!(card.contains("| article | 2 |\n| video | 1 |"), "{card}");
        assert!(card.contains("writes Article schema version 2"), "{card}");
        assert!(
            card.contains("rows per schema version: version 1: 1, version 2: 2"),
            "{card}"
        );
        assert!(
            card.contains("| `page_kind_confidence` | float32 (nullable) |"),
            "{card}"
        );
    }
}
