//! Export an archive to research datasets (JSONL, CSV, Parquet) or to `.warc.gz`.
//!
//! [`row::COLUMNS`] defines the dataset once; [`table`] and [`parquet_table`] write it;
//! [`card`] describes it. Rows come from the archive's `conversion` records joined with their
//! `response` records ([`collect`]).

pub mod card;
pub mod collect;
pub mod filter;
pub mod fresh;
pub mod output;
pub mod parquet_table;
pub mod row;
pub mod table;
pub mod warc_gz;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::archive::Source;

use crate::model::PageKind;

pub use filter::{KindsError, RowFilter, parse_kinds};
pub use fresh::FreshRows;
pub use parquet_table::ParquetWriter;
pub use row::{COLUMNS, Column, ColumnType, DatasetRow, Value};
pub use table::{CsvWriter, JsonlWriter, TableWriter};

/// Output format of a dataset export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatasetFormat {
    /// JSON lines.
    Jsonl,
    /// CSV with a header (RFC 4180).
    Csv,
    /// Parquet (zstd).
    Parquet,
}

impl DatasetFormat {
    /// The name used on the command line and in the dataset card.
    pub fn name(self) -> &'static str {
        match self {
            DatasetFormat::Jsonl => "jsonl",
            DatasetFormat::Csv => "csv",
            DatasetFormat::Parquet => "parquet",
        }
    }
}

/// How a dataset is written.
#[derive(Debug, Clone, Copy)]
pub struct DatasetOptions {
    /// The file format.
    pub format: DatasetFormat,
    /// Every capture and parse instead of the newest per canonical URL.
    pub all_versions: bool,
    /// Write the CSV header line (off for the parts after the first of a sharded export, so
    /// the parts concatenate to one CSV).
    pub csv_header: bool,
}

impl DatasetOptions {
    /// Newest parse per URL, with a CSV header.
    pub fn new(format: DatasetFormat) -> Self {
        DatasetOptions {
            format,
            all_versions: false,
            csv_header: true,
        }
    }
}

/// What a dataset export did.
#[derive(Debug, Default)]
pub struct ExportSummary {
    /// Records read from the archives.
    pub records: u64,
    /// Conversion (parsed article) records found.
    pub conversions: u64,
    /// Rows written.
    pub rows: u64,
    /// Rows written per page kind.
    pub kinds: BTreeMap<PageKind, u64>,
    /// Rows left out by the filters (page kinds included).
    pub filtered: u64,
    /// Damaged records or unreadable conversions (reported, skipped).
    pub problems: Vec<String>,
    /// The dataset card written beside the output.
    pub card: PathBuf,
}

/// The path of the dataset card for `out`: `<out>.schema.md`.
pub fn card_path(out: &Path) -> PathBuf {
    let mut s = out.as_os_str().to_owned();
    s.push(".schema.md");
    PathBuf::from(s)
}

/// Export the articles of `files` to `out`, one row per article (newest parse of the newest
/// capture per canonical URL unless `all_versions`), then write the dataset card. Only the
/// page kinds the filter keeps are written (by default the parsed kinds: article, liveblog,
/// gallery, video). `out` and the card appear only when the export succeeds.
pub fn export_dataset(
    files: &[Source],
    out: &Path,
    opts: &DatasetOptions,
    filter: &RowFilter,
    mut progress: impl FnMut(u64),
) -> Result<ExportSummary, ExportError> {
    let scan = collect::scan(files)?;
    let mut summary = ExportSummary {
        records: scan.records,
        conversions: scan.conversions.len() as u64,
        problems: scan.problems.clone(),
        ..Default::default()
    };
    let part = output::Partial::new(out);
    let mut writer: Box<dyn TableWriter> = match opts.format {
        DatasetFormat::Jsonl => Box::new(JsonlWriter::create(part.path())?),
        DatasetFormat::Csv => {
            Box::new(CsvWriter::create_with_header(part.path(), opts.csv_header)?)
        }
        DatasetFormat::Parquet => Box::new(ParquetWriter::create(part.path())?),
    };
    let mut stats = card::DatasetStats::default();
    for c in collect::select(&scan, opts.all_versions) {
        // Checked before the row is read: most unwanted kinds cost no seek.
        if !filter.keeps_kind(c.kind) {
            summary.filtered += 1;
            continue;
        }
        let row = match collect::row(&scan, c) {
            Ok(row) => row,
            Err(e) => {
                summary.problems.push(e);
                continue;
            }
        };
        if !filter.keep(&row) {
            summary.filtered += 1;
            continue;
        }
        writer.write_row(&row)?;
        stats.add(&row);
        *summary.kinds.entry(row.article.page_kind).or_default() += 1;
        summary.rows += 1;
        progress(summary.rows);
    }
    writer.finish()?;
    let sources: Vec<String> = files
        .iter()
        .map(|s| s.name().display().to_string())
        .collect();
    let card = card::render(opts.format.name(), &sources, &stats, &filter.describe());
    summary.card = card_path(out);
    let card_part = output::Partial::new(&summary.card);
    std::fs::write(card_part.path(), card).map_err(|source| ExportError::Io {
        path: summary.card.clone(),
        source,
    })?;
    part.commit()?;
    card_part.commit()?;
    Ok(summary)
}

/// What can go wrong while exporting.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The Parquet writer refused.
    #[error("{path}: parquet: {reason}")]
    Parquet {
        /// The output file.
        path: PathBuf,
        /// What the writer said.
        reason: String,
    },
    /// An archive file could not be opened or read.
    #[error(transparent)]
    Archive(#[from] crate::archive::ArchiveError),
}
