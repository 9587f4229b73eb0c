//! The archive layer's error type: every variant names the file (and offset) it is about.

use std::path::PathBuf;

/// Everything that can go wrong reading or writing archives.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// An I/O error on a file (or, for a remote file, an error of its store, which names the
    /// URL and offset itself and is then shown as it is).
    #[error("{}", io_text(.path, .source))]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A zstd frame that cannot be decoded (bad magic, corrupt block, checksum mismatch).
    #[error("{path} at offset {offset}: bad zstd frame: {reason}")]
    BadFrame {
        /// The file.
        path: PathBuf,
        /// Byte offset of the frame in the file.
        offset: u64,
        /// What is wrong.
        reason: String,
    },
    /// A gzip member that cannot be decoded.
    #[error("{path} at offset {offset}: bad gzip member: {reason}")]
    BadGzip {
        /// The file.
        path: PathBuf,
        /// Byte offset of the member in the file.
        offset: u64,
        /// What is wrong.
        reason: String,
    },
    /// A WARC record whose header cannot be parsed (no `WARC/` line, no Content-Length, …).
    #[error("{path} at offset {offset}: bad WARC record header: {reason}")]
    BadHeader {
        /// The file.
        path: PathBuf,
        /// Byte offset of the record in the file.
        offset: u64,
        /// What is wrong.
        reason: String,
    },
    /// A record whose block or payload does not match its recorded digest.
    #[error(
        "{path} at offset {offset}: {header} mismatch: recorded {recorded}, computed {computed}"
    )]
    DigestMismatch {
        /// The file.
        path: PathBuf,
        /// Byte offset of the record in the file.
        offset: u64,
        /// `WARC-Block-Digest` or `WARC-Payload-Digest`.
        header: &'static str,
        /// The digest in the header.
        recorded: String,
        /// The digest of the bytes.
        computed: String,
    },
    /// The file ends in the middle of a record (typically a crash while writing).
    #[error(
        "{path} at offset {offset}: truncated record ({missing}); run `newsarc verify --repair` to cut the file to its last whole record"
    )]
    Truncated {
        /// The file.
        path: PathBuf,
        /// Byte offset where the cut record starts.
        offset: u64,
        /// What was expected.
        missing: String,
    },
    /// Bytes between records that are not a record (skipped by the lenient reader).
    #[error("{path} at offset {offset}: {length} bytes of garbage before the next record")]
    Garbage {
        /// The file.
        path: PathBuf,
        /// Where the garbage starts.
        offset: u64,
        /// How many bytes were skipped.
        length: u64,
    },
    /// The file is neither WARC, nor gzip, nor zstd.
    #[error("{path}: not a WARC file ({reason})")]
    NotWarc {
        /// The file.
        path: PathBuf,
        /// What was found instead.
        reason: String,
    },
    /// A CDXJ index line that cannot be parsed.
    #[error("{path} line {line}: bad CDXJ line: {reason}")]
    BadIndex {
        /// The index file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The CDXJ index disagrees with the archive file.
    #[error("{path}: index out of date: {reason}; run `newsarc index` to rebuild it")]
    IndexMismatch {
        /// The archive file.
        path: PathBuf,
        /// What differs.
        reason: String,
    },
    /// An HTTP message inside a record that cannot be parsed.
    #[error("record {record}: bad HTTP message: {reason}")]
    BadHttp {
        /// The record's target URI or id.
        record: String,
        /// What is wrong.
        reason: String,
    },
    /// A body whose Content-Encoding cannot be removed (unknown coding, corrupt, over the cap).
    #[error("record {record}: cannot decode Content-Encoding {encoding}: {reason}")]
    Decode {
        /// The record's target URI or id.
        record: String,
        /// The coding.
        encoding: String,
        /// What is wrong.
        reason: String,
    },
    /// Invalid writer settings.
    #[error("{path}: bad archive writer config: {reason}")]
    Config {
        /// The archive folder.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// `path: I/O error: source`, or just `source` when it starts with the file's name already.
fn io_text(path: &std::path::Path, source: &std::io::Error) -> String {
    let (p, s) = (path.display().to_string(), source.to_string());
    if s.starts_with(&p) {
        s
    } else {
        format!("{p}: I/O error: {s}")
    }
}

impl ArchiveError {
    /// Wrap an I/O error with its file.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ArchiveError::Io {
            path: path.into(),
            source,
        }
    }

    /// The byte offset the error is about, if it is about a place in a file.
    pub fn offset(&self) -> Option<u64> {
        match self {
            ArchiveError::BadFrame { offset, .. }
            | ArchiveError::BadGzip { offset, .. }
            | ArchiveError::BadHeader { offset, .. }
            | ArchiveError::DigestMismatch { offset, .. }
            | ArchiveError::Truncated { offset, .. }
            | ArchiveError::Garbage { offset, .. } => Some(*offset),
            _ => None,
        }
    }
}
