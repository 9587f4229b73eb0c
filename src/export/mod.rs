//! Export an archive to research datasets (JSONL, CSV, Parquet) or to `.warc.gz`.
//!
//! [`row::COLUMNS`] defines the dataset once; [`table`] and [`parquet_table`] write it;
//! [`card`] describes it. Rows come from the archive's `conversion` records joined with their
//! `response` records ([`collect`]).

pub mod card;
pub mod filter;
pub mod parquet_table;
pub mod row;
pub mod table;

use std::path::PathBuf;

pub use filter::RowFilter;
pub use parquet_table::ParquetWriter;
pub use row::{COLUMNS, Column, ColumnType, DatasetRow, Value};
pub use table::{CsvWriter, JsonlWriter, TableWriter};

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
}
