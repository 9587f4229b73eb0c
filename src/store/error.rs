//! The store layer's error type: every variant names the URL (and offset) it is about, and
//! says what to do about it.

use std::path::PathBuf;

/// What can go wrong finding, reading or writing archives in object storage or on a server.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The input is neither a local path nor a URL newsarc can read.
    #[error("{input}: {reason}")]
    BadLocation {
        /// The input as given.
        input: String,
        /// What is wrong and what is accepted.
        reason: String,
    },
    /// The server refused access (HTTP 401 or 403).
    #[error(
        "{url}: access denied ({reason}); check the credentials (AWS_ACCESS_KEY_ID / AWS_PROFILE), or pass --anonymous for a public bucket"
    )]
    Denied {
        /// The object or prefix.
        url: String,
        /// What the server said.
        reason: String,
    },
    /// No object at this URL (HTTP 404).
    #[error("{url}: not found")]
    NotFound {
        /// The object.
        url: String,
    },
    /// Reading stopped for good: the connection failed or dropped again after the retries.
    #[error(
        "{url}: reading stopped at byte offset {offset} after {tries} tries (retries resume at the byte reached): {reason}"
    )]
    Read {
        /// The object.
        url: String,
        /// The byte offset in the object where the data ends.
        offset: u64,
        /// Requests made for this stretch of the object.
        tries: u32,
        /// The last failure.
        reason: String,
    },
    /// The object is shorter than the range asked for (e.g. an index that is out of date).
    #[error("{url}: {len} bytes at offset {offset} asked for, {got} received")]
    ShortRange {
        /// The object.
        url: String,
        /// Start of the range.
        offset: u64,
        /// Bytes asked for.
        len: u64,
        /// Bytes received.
        got: u64,
    },
    /// Listing a prefix failed.
    #[error("{url}: cannot list the objects under it: {reason}")]
    List {
        /// The prefix.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// Writing an object failed; no object was made.
    #[error("{url}: upload of {local} failed, no object written: {reason}")]
    Upload {
        /// The destination.
        url: String,
        /// The local file being uploaded.
        local: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// The client could not be set up (bad endpoint, region, credentials file).
    #[error("object store setup for {url}: {reason}")]
    Config {
        /// The bucket or server.
        url: String,
        /// What is wrong.
        reason: String,
    },
    /// A local file or folder could not be read.
    #[error(transparent)]
    Local(#[from] crate::archive::ArchiveError),
}

impl StoreError {
    /// Is this a refusal that new credentials (or `--anonymous`) would fix?
    pub fn is_denied(&self) -> bool {
        matches!(self, StoreError::Denied { .. })
    }

    /// The error as an I/O error (what [`std::io::Read`] and the archive layer carry), with
    /// `PermissionDenied` / `NotFound` kinds kept.
    pub fn into_io(self) -> std::io::Error {
        let kind = match &self {
            StoreError::Denied { .. } => std::io::ErrorKind::PermissionDenied,
            StoreError::NotFound { .. } => std::io::ErrorKind::NotFound,
            _ => std::io::ErrorKind::Other,
        };
        std::io::Error::new(kind, self)
    }

    /// Classify an object_store error about `url`.
    pub(crate) fn from_object(url: &str, e: object_store::Error) -> StoreError {
        match e {
            object_store::Error::PermissionDenied { source, .. }
            | object_store::Error::Unauthenticated { source, .. } => StoreError::Denied {
                url: url.to_string(),
                reason: source.to_string(),
            },
            object_store::Error::NotFound { .. } => StoreError::NotFound {
                url: url.to_string(),
            },
            other => StoreError::Read {
                url: url.to_string(),
                offset: 0,
                tries: 1,
                reason: other.to_string(),
            },
        }
    }
}

/// Is it worth asking again after this failure (network trouble, not a refusal)?
pub(crate) fn retryable(e: &object_store::Error) -> bool {
    !matches!(
        e,
        object_store::Error::PermissionDenied { .. }
            | object_store::Error::Unauthenticated { .. }
            | object_store::Error::NotFound { .. }
            | object_store::Error::Precondition { .. }
            | object_store::Error::NotModified { .. }
            | object_store::Error::InvalidPath { .. }
            | object_store::Error::NotSupported { .. }
            | object_store::Error::NotImplemented { .. }
            | object_store::Error::UnknownConfigurationKey { .. }
    )
}
