//! WARC/1.1 records, per-record zstd framing, the rotating writer, the lenient reader, the CDXJ
//! index and verify/repair.
//!
//! Files are real WARC/1.1: each record is its own zstd frame (content size + checksum), so
//! any record can be read by seeking to the offset its CDXJ line gives. See `ARCHITECTURE.md`
//! ("Archive") for the framing, index and repair rules.

mod access;
pub mod build;
pub mod cdxj;
mod digest;
mod error;
pub mod frame;
mod headers;
mod http;
mod ids;
pub mod import;
mod inflate;
mod payload_digest;
mod reader;
mod record;
pub mod repair;
mod source;
mod window;
mod writer;

pub use access::{
    archive_files, is_archive_name, read_dictionary, read_record_at, read_record_from,
};
pub use build::RefersTo;
pub use digest::{digest_matches, sha1_digest};
pub use error::ArchiveError;
pub use headers::{RecordType, WarcHeaders};
pub use http::{HttpMessage, head_info, mime_of, payload};
pub use ids::{IdGen, SeqIds, UuidIds};
pub use payload_digest::PayloadConvention;
pub use reader::{ArchiveReader, Format, ReadRecord};
pub use record::{Record, parse_warc_date, warc_date};
pub use source::{ArchiveSource, LocalFile, Source, local_sources};
pub use writer::{ArchiveWriter, WriterConfig, Written};
