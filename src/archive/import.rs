//! Import of WARC files written by other tools (`.warc`, `.warc.gz` per-record or whole-file,
//! `.warc.zst`) into newsarc's format: every record kept byte for byte (headers and block),
//! re-framed one zstd frame per record and indexed; digests checked and mismatches reported.

use std::collections::BTreeMap;
use std::path::Path;

use super::reader::ArchiveReader;
use super::writer::ArchiveWriter;
use super::{ArchiveError, PayloadConvention};

/// What importing one file did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Records copied.
    pub records: u64,
    /// Bytes of WARC records copied (uncompressed).
    pub bytes: u64,
    /// Records whose payload digest was verified, by the bytes it covers (a chunked body
    /// de-chunked as WARC 1.1 says, or as transferred as wget/warcprox/warcio write it).
    pub payload_digests: BTreeMap<PayloadConvention, u64>,
    /// Records whose digest matched under no convention (still copied).
    pub digest_mismatches: Vec<ArchiveError>,
    /// Damaged input that could not be copied (skipped), with file and offset.
    pub errors: Vec<ArchiveError>,
}

/// Copy every readable record of `src` into `writer`. `progress` gets the input offset reached.
/// An unreadable input is reported in [`ImportReport::errors`]; `Err` means writing failed
/// (the import must stop).
pub fn import_file(
    src: &Path,
    writer: &mut ArchiveWriter,
    mut progress: impl FnMut(u64),
) -> Result<ImportReport, ArchiveError> {
    let mut rep = ImportReport::default();
    let reader = match ArchiveReader::open(src) {
        Ok(r) => r.lenient(true),
        Err(e) => {
            rep.errors.push(e);
            return Ok(rep);
        }
    };
    for item in reader {
        match item {
            Ok(r) => {
                match r.record.check_digests() {
                    Ok(Some(c)) => *rep.payload_digests.entry(c).or_default() += 1,
                    Ok(None) => {}
                    Err((header, recorded, computed)) => {
                        rep.digest_mismatches.push(ArchiveError::DigestMismatch {
                            path: src.to_path_buf(),
                            offset: r.offset,
                            header,
                            recorded,
                            computed,
                        });
                    }
                }
                writer.write(&r.record)?;
                rep.records += 1;
                rep.bytes += r.record.serialized_len() as u64;
                progress(r.offset + r.length);
            }
            Err(e) => rep.errors.push(e),
        }
    }
    Ok(rep)
}
