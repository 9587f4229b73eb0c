//! Parquet output through the low-level column writer (no Arrow dependency).
//!
//! Types: strings are `BYTE_ARRAY (STRING)`, lists of strings are the standard 3-level
//! `LIST`, timestamps are `INT64 TIMESTAMP(MICROS, isAdjustedToUTC=true)` (a time zone-aware
//! instant for DuckDB, pyarrow and Polars), counts are `INT64`, scores `FLOAT` (32-bit). Pages are zstd-compressed, and
//! rows are buffered per column and written as one row group every [`ROW_GROUP_ROWS`] rows or
//! [`ROW_GROUP_BYTES`] bytes of text, so memory stays bounded on any archive size.
//!
//! The same writer builds a Parquet file in memory ([`ParquetWriter::in_memory`]): the Python
//! binding hands those bytes to Spark as Arrow batches, so its rows are this writer's.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::{Compression, ZstdLevel};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, FloatType, Int64Type};
use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterPropertiesBuilder};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

use super::ExportError;
use super::row::{COLUMNS, ColumnType, DatasetRow, Value};
use super::table::{TableWriter, create};

/// Rows per row group.
pub const ROW_GROUP_ROWS: usize = 50_000;
/// Buffered text bytes that close a row group early (long bodies).
pub const ROW_GROUP_BYTES: usize = 128 << 20;

/// The Parquet message type for [`COLUMNS`].
pub fn schema() -> String {
    let mut s = String::from("message article {\n");
    for c in COLUMNS {
        let n = c.name;
        let line = match c.kind {
            ColumnType::Text => format!("OPTIONAL BYTE_ARRAY {n} (STRING);"),
            ColumnType::RequiredText => format!("REQUIRED BYTE_ARRAY {n} (STRING);"),
            ColumnType::TextList => format!(
                "REQUIRED GROUP {n} (LIST) {{ REPEATED GROUP list {{ REQUIRED BYTE_ARRAY element (STRING); }} }}"
            ),
            ColumnType::Timestamp => format!("OPTIONAL INT64 {n} (TIMESTAMP(MICROS,true));"),
            ColumnType::Int => format!("OPTIONAL INT64 {n};"),
            ColumnType::RequiredInt => format!("REQUIRED INT64 {n};"),
            ColumnType::Float => format!("OPTIONAL FLOAT {n};"),
            ColumnType::Bool => format!("REQUIRED BOOLEAN {n};"),
        };
        s.push_str("  ");
        s.push_str(&line);
        s.push('\n');
    }
    s.push('}');
    s
}

/// One column's buffered values and levels.
enum Buffer {
    Bytes {
        vals: Vec<ByteArray>,
        def: Vec<i16>,
        rep: Vec<i16>,
    },
    Int {
        vals: Vec<i64>,
        def: Vec<i16>,
    },
    Float {
        vals: Vec<f32>,
        def: Vec<i16>,
    },
    Bool {
        vals: Vec<bool>,
    },
}

impl Buffer {
    fn for_kind(kind: ColumnType) -> Buffer {
        match kind {
            ColumnType::Text | ColumnType::RequiredText | ColumnType::TextList => Buffer::Bytes {
                vals: Vec::new(),
                def: Vec::new(),
                rep: Vec::new(),
            },
            ColumnType::Timestamp | ColumnType::Int | ColumnType::RequiredInt => Buffer::Int {
                vals: Vec::new(),
                def: Vec::new(),
            },
            ColumnType::Float => Buffer::Float {
                vals: Vec::new(),
                def: Vec::new(),
            },
            ColumnType::Bool => Buffer::Bool { vals: Vec::new() },
        }
    }

    /// Appends `v`; returns the text bytes added.
    fn push(&mut self, v: Value<'_>) -> usize {
        match (self, v) {
            (Buffer::Bytes { vals, def, .. }, Value::Text(t)) => {
                push_text(vals, def, t.map(str::as_bytes))
            }
            (Buffer::Bytes { vals, def, .. }, Value::Owned(t)) => {
                push_text(vals, def, t.as_deref().map(str::as_bytes))
            }
            (Buffer::Bytes { vals, def, rep }, Value::List(items)) => {
                if items.is_empty() {
                    def.push(0);
                    rep.push(0);
                }
                let mut n = 0;
                for (i, item) in items.iter().enumerate() {
                    def.push(1);
                    rep.push(i16::from(i > 0));
                    n += item.len();
                    vals.push(ByteArray::from(item.as_bytes().to_vec()));
                }
                n
            }
            (Buffer::Int { vals, def }, Value::Int(i)) => {
                def.push(i16::from(i.is_some()));
                vals.extend(i);
                0
            }
            (Buffer::Int { vals, def }, Value::Timestamp(t)) => {
                def.push(i16::from(t.is_some()));
                vals.extend(t.map(|(micros, _)| micros));
                0
            }
            (Buffer::Float { vals, def }, Value::Float(f)) => {
                def.push(i16::from(f.is_some()));
                vals.extend(f);
                0
            }
            (Buffer::Bool { vals }, Value::Bool(b)) => {
                vals.push(b);
                0
            }
            // The column kind and the value kind come from the same COLUMNS entry; a mismatch
            // is a programming error caught by the round-trip test, written as a null here.
            (
                Buffer::Bytes { def, .. } | Buffer::Int { def, .. } | Buffer::Float { def, .. },
                _,
            ) => {
                def.push(0);
                0
            }
            (Buffer::Bool { vals }, _) => {
                vals.push(false);
                0
            }
        }
    }
}

fn push_text(vals: &mut Vec<ByteArray>, def: &mut Vec<i16>, t: Option<&[u8]>) -> usize {
    def.push(i16::from(t.is_some()));
    match t {
        Some(b) => {
            vals.push(ByteArray::from(b.to_vec()));
            b.len()
        }
        None => 0,
    }
}

/// A Parquet file being written (to a file, or to memory with [`ParquetWriter::in_memory`]).
pub struct ParquetWriter<W: Write + Send = BufWriter<File>> {
    /// The file, or what errors name for an in-memory file.
    path: PathBuf,
    writer: SerializedFileWriter<W>,
    buffers: Vec<Buffer>,
    rows: usize,
    bytes: usize,
}

impl ParquetWriter {
    /// Create (truncate) `path`; pages are zstd-compressed.
    pub fn create(path: &Path) -> Result<Self, ExportError> {
        let level = ZstdLevel::try_new(3).map_err(|e| ExportError::Parquet {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        let props = WriterProperties::builder().set_compression(Compression::ZSTD(level));
        ParquetWriter::new(create(path)?, path, props)
    }
}

impl ParquetWriter<Vec<u8>> {
    /// A Parquet file built in memory to be read back at once, not stored: uncompressed, plain
    /// encoded, no statistics (each would cost time twice and save nothing);
    /// [`ParquetWriter::into_bytes`] gives the file. `name` is what errors call it.
    pub fn in_memory(name: &Path) -> Result<Self, ExportError> {
        let props = WriterProperties::builder()
            .set_compression(Compression::UNCOMPRESSED)
            .set_dictionary_enabled(false)
            .set_statistics_enabled(EnabledStatistics::None);
        ParquetWriter::new(Vec::new(), name, props)
    }

    /// The whole file: buffered rows, then the footer.
    pub fn into_bytes(mut self) -> Result<Vec<u8>, ExportError> {
        self.flush_row_group()?;
        let path = self.path.clone();
        self.writer.into_inner().map_err(|e| ExportError::Parquet {
            path,
            reason: e.to_string(),
        })
    }
}

impl<W: Write + Send> ParquetWriter<W> {
    fn new(sink: W, path: &Path, props: WriterPropertiesBuilder) -> Result<Self, ExportError> {
        let pq = |e: parquet::errors::ParquetError| ExportError::Parquet {
            path: path.to_path_buf(),
            reason: e.to_string(),
        };
        let schema = Arc::new(parse_message_type(&schema()).map_err(pq)?);
        let props = props
            .set_created_by(format!("newsarc {}", env!("CARGO_PKG_VERSION")))
            .build();
        let writer = SerializedFileWriter::new(sink, schema, Arc::new(props)).map_err(pq)?;
        Ok(ParquetWriter {
            path: path.to_path_buf(),
            writer,
            buffers: COLUMNS.iter().map(|c| Buffer::for_kind(c.kind)).collect(),
            rows: 0,
            bytes: 0,
        })
    }

    fn flush_row_group(&mut self) -> Result<(), ExportError> {
        if self.rows == 0 {
            return Ok(());
        }
        let path = self.path.clone();
        let pq = move |e: parquet::errors::ParquetError| ExportError::Parquet {
            path: path.clone(),
            reason: e.to_string(),
        };
        let mut rg = self.writer.next_row_group().map_err(&pq)?;
        for (buffer, column) in self.buffers.iter_mut().zip(COLUMNS) {
            let Some(mut col) = rg.next_column().map_err(&pq)? else {
                return Err(ExportError::Parquet {
                    path: self.path.clone(),
                    reason: format!("schema has no column for {}", column.name),
                });
            };
            let required = matches!(
                column.kind,
                ColumnType::RequiredText | ColumnType::RequiredInt | ColumnType::Bool
            );
            match buffer {
                Buffer::Bytes { vals, def, rep } => {
                    let rep = (column.kind == ColumnType::TextList).then_some(rep.as_slice());
                    let def = (!required).then_some(def.as_slice());
                    col.typed::<ByteArrayType>()
                        .write_batch(vals, def, rep)
                        .map_err(&pq)?;
                }
                Buffer::Int { vals, def } => {
                    let def = (!required).then_some(def.as_slice());
                    col.typed::<Int64Type>()
                        .write_batch(vals, def, None)
                        .map_err(&pq)?;
                }
                Buffer::Float { vals, def } => {
                    col.typed::<FloatType>()
                        .write_batch(vals, Some(def.as_slice()), None)
                        .map_err(&pq)?;
                }
                Buffer::Bool { vals } => {
                    col.typed::<BoolType>()
                        .write_batch(vals, None, None)
                        .map_err(&pq)?;
                }
            }
            col.close().map_err(&pq)?;
            *buffer = Buffer::for_kind(column.kind);
        }
        rg.close().map_err(&pq)?;
        self.rows = 0;
        self.bytes = 0;
        Ok(())
    }
}

impl<W: Write + Send> TableWriter for ParquetWriter<W> {
    fn write_row(&mut self, row: &DatasetRow) -> Result<(), ExportError> {
        for (buffer, column) in self.buffers.iter_mut().zip(COLUMNS) {
            self.bytes += buffer.push((column.get)(row));
        }
        self.rows += 1;
        if self.rows >= ROW_GROUP_ROWS || self.bytes >= ROW_GROUP_BYTES {
            self.flush_row_group()?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<(), ExportError> {
        self.flush_row_group()?;
        let path = self.path.clone();
        self.writer
            .close()
            .map(|_| ())
            .map_err(|e| ExportError::Parquet {
                path,
                reason: e.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};

    #[test]
    fn schema_parses() {
        parse_message_type(&schema()).unwrap();
    }

    #[test]
    fn rows_read_back_with_the_parquet_reader() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.parquet");
        let mut w: Box<dyn TableWriter> = Box::new(ParquetWriter::create(&path).unwrap());
        let mut rows = Vec::new();
        for i in 0..3 {
            let mut r = crate::export::table::tests::sample_row(i);
            if i == 1 {
                r.article.authors.clear();
                r.article.published = None;
            }
            if i == 2 {
                r.article.page_kind = crate::model::PageKind::Gallery;
                r.article.page_kind_confidence = Some(0.5);
            }
            w.write_row(&r).unwrap();
            rows.push(r);
        }
        w.finish().unwrap();
        let reader = SerializedFileReader::new(File::open(&path).unwrap()).unwrap();
        assert_eq!(reader.metadata().file_metadata().num_rows(), 3);
        let got: Vec<String> = reader
            .get_row_iter(None)
            .unwrap()
            .map(|r| r.unwrap().to_string())
            .collect();
        assert!(
            got[0].contains("authors: [\"Ada Lovelace\", \"Alan Turing\"]"),
            "{}",
            got[0]
        );
        assert!(got[1].contains("authors: []"), "{}", got[1]);
        assert!(got[1].contains("published: null"), "{}", got[1]);
        assert!(got[1].contains("page_kind_confidence: null"), "{}", got[1]);
        assert!(
            got[2].contains("page_kind: \"gallery\", page_kind_confidence: 0.5"),
            "{}",
            got[2]
        );
        assert!(
            got[2].contains("url: \"https://example.com/news/2\""),
            "{}",
            got[2]
        );
    }

    #[test]
    fn in_memory_file_holds_the_same_rows_as_a_file_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.parquet");
        let mut disk: Box<dyn TableWriter> = Box::new(ParquetWriter::create(&path).unwrap());
        let mut mem = ParquetWriter::in_memory(Path::new("<memory>")).unwrap();
        for i in 0..3 {
            let r = crate::export::table::tests::sample_row(i);
            disk.write_row(&r).unwrap();
            mem.write_row(&r).unwrap();
        }
        disk.finish().unwrap();
        let bytes = bytes::Bytes::from(mem.into_bytes().unwrap());
        let rows = |reader: &dyn FileReader| -> Vec<String> {
            let rows = reader.get_row_iter(None).unwrap();
            rows.map(|r| r.unwrap().to_string()).collect()
        };
        let from_mem = SerializedFileReader::new(bytes).unwrap();
        let from_disk = SerializedFileReader::new(File::open(&path).unwrap()).unwrap();
        assert_eq!(from_mem.metadata().file_metadata().num_rows(), 3);
        assert_eq!(rows(&from_mem), rows(&from_disk));
    }

    #[test]
    fn an_empty_in_memory_file_is_a_valid_parquet_file() {
        let bytes = ParquetWriter::in_memory(Path::new("<memory>"))
            .unwrap()
            .into_bytes()
            .unwrap();
        let reader = SerializedFileReader::new(bytes::Bytes::from(bytes)).unwrap();
        assert_eq!(reader.metadata().file_metadata().num_rows(), 0);
    }
}
