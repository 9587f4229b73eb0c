//! The sinks a dataset is written to: JSON lines, CSV and Parquet behind one trait.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::ExportError;
use super::row::{COLUMNS, DatasetRow, Value};

/// A dataset file being written, one row at a time.
pub trait TableWriter {
    /// Append one row.
    fn write_row(&mut self, row: &DatasetRow) -> Result<(), ExportError>;
    /// Flush everything and close the file.
    fn finish(self: Box<Self>) -> Result<(), ExportError>;
}

pub(crate) fn create(path: &Path) -> Result<BufWriter<File>, ExportError> {
    File::create(path)
        .map(|f| BufWriter::with_capacity(1 << 20, f))
        .map_err(|source| ExportError::Io {
            path: path.to_path_buf(),
            source,
        })
}

/// JSON lines: one Article object (plus provenance columns) per line.
pub struct JsonlWriter {
    path: PathBuf,
    out: BufWriter<File>,
}

impl JsonlWriter {
    /// Create (truncate) `path`.
    pub fn create(path: &Path) -> Result<Self, ExportError> {
        Ok(JsonlWriter {
            path: path.to_path_buf(),
            out: create(path)?,
        })
    }
}

impl TableWriter for JsonlWriter {
    fn write_row(&mut self, row: &DatasetRow) -> Result<(), ExportError> {
        let io = |source| ExportError::Io {
            path: self.path.clone(),
            source,
        };
        serde_json::to_writer(&mut self.out, row).map_err(|e| io(e.into()))?;
        self.out.write_all(b"\n").map_err(io)
    }

    fn finish(mut self: Box<Self>) -> Result<(), ExportError> {
        self.out.flush().map_err(|source| ExportError::Io {
            path: self.path.clone(),
            source,
        })
    }
}

/// CSV with a header row and RFC 4180 quoting. Lists are JSON arrays; timestamps RFC 3339.
pub struct CsvWriter {
    path: PathBuf,
    out: csv::Writer<BufWriter<File>>,
    fields: Vec<String>,
}

impl CsvWriter {
    /// Create (truncate) `path` and write the header.
    pub fn create(path: &Path) -> Result<Self, ExportError> {
        Self::create_with_header(path, true)
    }

    /// Create (truncate) `path`, with or without the header line.
    pub fn create_with_header(path: &Path, header: bool) -> Result<Self, ExportError> {
        let mut out = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(create(path)?);
        if header {
            out.write_record(COLUMNS.iter().map(|c| c.name))
                .map_err(|e| csv_error(path, e))?;
        }
        Ok(CsvWriter {
            path: path.to_path_buf(),
            out,
            fields: Vec::with_capacity(COLUMNS.len()),
        })
    }
}

fn csv_error(path: &Path, e: csv::Error) -> ExportError {
    ExportError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e),
    }
}

/// The text form of a value in CSV.
fn csv_field(v: Value<'_>) -> String {
    match v {
        Value::Text(t) => t.unwrap_or_default().to_string(),
        Value::Owned(t) => t.unwrap_or_default(),
        Value::List(l) => serde_json::to_string(l).unwrap_or_default(),
        Value::Timestamp(t) => t.map(|(_, s)| s).unwrap_or_default(),
        Value::Int(i) => i.map(|i| i.to_string()).unwrap_or_default(),
        Value::Float(f) => f.map(|f| f.to_string()).unwrap_or_default(),
        Value::Bool(b) => b.to_string(),
    }
}

impl TableWriter for CsvWriter {
    fn write_row(&mut self, row: &DatasetRow) -> Result<(), ExportError> {
        self.fields.clear();
        self.fields
            .extend(COLUMNS.iter().map(|c| csv_field((c.get)(row))));
        self.out
            .write_record(&self.fields)
            .map_err(|e| csv_error(&self.path, e))
    }

    fn finish(mut self: Box<Self>) -> Result<(), ExportError> {
        self.out.flush().map_err(|source| ExportError::Io {
            path: self.path.clone(),
            source,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::Article;

    pub(crate) fn sample_row(i: usize) -> DatasetRow {
        let mut a = Article::empty(&format!("https://example.com/news/{i}"));
        a.title = Some(format!("Title \"{i}\", with comma"));
        a.authors = vec!["Ada Lovelace".into(), "Alan Turing".into()];
        a.body = "First paragraph.\n\nSecond, \"quoted\" paragraph.".into();
        a.word_count = 5;
        a.published = chrono::DateTime::parse_from_rfc3339("2023-06-22T10:35:12-04:00").ok();
        DatasetRow {
            article: a,
            capture_time: None,
            warc_file: Some("x.warc.zst".into()),
            warc_offset: Some(100 + i as u64),
            warc_length: Some(50),
            response_record_id: None,
            conversion_record_id: None,
            parsed_time: None,
        }
    }

    #[test]
    fn csv_quotes_per_rfc4180_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        let mut w: Box<dyn TableWriter> = Box::new(CsvWriter::create(&path).unwrap());
        w.write_row(&sample_row(1)).unwrap();
        w.finish().unwrap();
        let mut r = csv::Reader::from_path(&path).unwrap();
        let headers = r.headers().unwrap().clone();
        assert_eq!(headers.len(), COLUMNS.len());
        let rec = r.records().next().unwrap().unwrap();
        let get = |n: &str| {
            rec.get(headers.iter().position(|h| h == n).unwrap())
                .unwrap()
        };
        assert_eq!(get("title"), "Title \"1\", with comma");
        assert_eq!(
            get("body"),
            "First paragraph.\n\nSecond, \"quoted\" paragraph."
        );
        assert_eq!(get("authors"), r#"["Ada Lovelace","Alan Turing"]"#);
        assert_eq!(get("published"), "2023-06-22T10:35:12-04:00");
        assert_eq!(get("warc_offset"), "101");
        assert_eq!(get("canonical_url"), "");
    }

    #[test]
    fn jsonl_is_one_object_per_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.jsonl");
        let mut w: Box<dyn TableWriter> = Box::new(JsonlWriter::create(&path).unwrap());
        w.write_row(&sample_row(1)).unwrap();
        w.write_row(&sample_row(2)).unwrap();
        w.finish().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let rows: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1]["url"], "https://example.com/news/2");
        assert_eq!(rows[0]["warc_offset"], 101);
        assert_eq!(rows[0]["published"], "2023-06-22T10:35:12-04:00");
    }
}
