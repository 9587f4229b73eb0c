//! What can go wrong while building or querying the serve index, with the file or query named.

use std::path::PathBuf;

/// An error of the serve index (building, opening or querying it).
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// An archive file or its CDXJ index could not be read.
    #[error(transparent)]
    Archive(#[from] crate::archive::ArchiveError),
    /// A file of the serve index could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The SQLite catalogue refused a statement.
    #[error("{path}: catalogue: {source}")]
    Sql {
        /// The catalogue file.
        path: PathBuf,
        /// What SQLite said.
        #[source]
        source: rusqlite::Error,
    },
    /// The full-text index refused an operation.
    #[error("{path}: full-text index: {reason}")]
    Search {
        /// The index folder.
        path: PathBuf,
        /// What tantivy said.
        reason: String,
    },
    /// No archive file was found in the arguments.
    #[error("no archive files (.warc.zst, .warc.gz, .warc) in {0}")]
    NoArchives(String),
}

impl ServeError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ServeError::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn sql(path: impl Into<PathBuf>) -> impl FnOnce(rusqlite::Error) -> Self {
        let path = path.into();
        move |source| ServeError::Sql { path, source }
    }

    pub(crate) fn search(path: impl Into<PathBuf>) -> impl FnOnce(tantivy::TantivyError) -> Self {
        let path = path.into();
        move |e| ServeError::Search {
            path,
            reason: e.to_string(),
        }
    }
}
