//! Random access to one record by (offset, length) of any [`ArchiveSource`], and expanding CLI arguments into the
//! archive files of a folder.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::ArchiveError;
use super::frame::{self, DICT_MAGIC, FrameScan, GZIP_MAGIC, ZSTD_MAGIC};
use super::inflate;
use super::reader::{BULK_LIMIT, MAX_RECORD};
use super::record::{Parsed, Record, parse_record};
use super::source::{ArchiveSource, LocalFile};

/// Read the one record at (offset, length) of a local file — e.g. from a CDXJ entry.
pub fn read_record_at(path: &Path, offset: u64, length: u64) -> Result<Record, ArchiveError> {
    read_record_from(&LocalFile::new(path), offset, length)
}

/// Read the one record at (offset, length) of any source (one range read, plus the
/// dictionary's when the file has one).
pub fn read_record_from<S: ArchiveSource + ?Sized>(
    src: &S,
    offset: u64,
    length: u64,
) -> Result<Record, ArchiveError> {
    let path = src.name();
    if length > MAX_RECORD {
        return Err(ArchiveError::Truncated {
            path: path.to_path_buf(),
            offset,
            missing: format!("record of {length} bytes is over the {MAX_RECORD}-byte cap"),
        });
    }
    let buf = src.read_range(offset, length)?;
    let content = if buf.starts_with(&ZSTD_MAGIC) {
        let dict = src.dictionary()?;
        let bad = |reason: String| ArchiveError::BadFrame {
            path: path.to_path_buf(),
            offset,
            reason,
        };
        let declared = match frame::scan_frame(&buf) {
            FrameScan::Zstd { content_size, .. } => content_size,
            _ => None,
        };
        match (dict, declared) {
            // A trusted small declared size: decode in one call into an exact buffer.
            (Some(d), Some(n)) if n <= BULK_LIMIT => zstd::bulk::Decompressor::with_dictionary(&d)
                .and_then(|mut dec| dec.decompress(&buf, n as usize))
                .map_err(|e| bad(e.to_string()))?,
            (d, _) => inflate::zstd_capped(&buf, d.as_deref(), MAX_RECORD).map_err(bad)?,
        }
    } else if buf.starts_with(&GZIP_MAGIC) {
        gunzip_member(&buf, path, offset)?
    } else {
        buf
    };
    match parse_record(&content) {
        Ok(Parsed::Record(r, _)) => Ok(r),
        Ok(Parsed::Incomplete { .. }) => Err(ArchiveError::Truncated {
            path: path.to_path_buf(),
            offset,
            missing: "record longer than the given length".into(),
        }),
        Err(bad) => Err(ArchiveError::BadHeader {
            path: path.to_path_buf(),
            offset,
            reason: bad.reason,
        }),
    }
}

/// One gzip member, decompressed with the record size cap.
fn gunzip_member(buf: &[u8], path: &Path, offset: u64) -> Result<Vec<u8>, ArchiveError> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(buf)
        .take(MAX_RECORD + 1)
        .read_to_end(&mut out)
        .map_err(|e| e.to_string())
        .and_then(|_| match out.len() as u64 > MAX_RECORD {
            true => Err(format!(
                "member decompresses to more than {MAX_RECORD} bytes"
            )),
            false => Ok(()),
        })
        .map_err(|reason| ArchiveError::BadGzip {
            path: path.to_path_buf(),
            offset,
            reason,
        })?;
    Ok(out)
}

/// The dictionary in a skippable frame at the start of a `.warc.zst`, if any.
pub fn read_dictionary<S: ArchiveSource + ?Sized>(
    src: &S,
) -> Result<Option<Vec<u8>>, ArchiveError> {
    let head = match src.read_range(0, 8) {
        Ok(h) if h.len() == 8 => h,
        _ => return Ok(None),
    };
    if u32::from_le_bytes([head[0], head[1], head[2], head[3]]) != DICT_MAGIC {
        return Ok(None);
    }
    let len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as u64;
    let data = src.read_range(8, len)?;
    frame::dictionary_from_frame_data(&data)
        .map(Some)
        .map_err(|reason| ArchiveError::BadFrame {
            path: src.name().to_path_buf(),
            offset: 0,
            reason,
        })
}

/// Expand CLI arguments: a folder means every archive file in it (`.warc.zst`, `.warc.gz`,
/// `.warc`), sorted by name; files are kept as given.
pub fn archive_files(args: &[PathBuf]) -> Result<Vec<PathBuf>, ArchiveError> {
    let mut out = Vec::new();
    for a in args {
        let meta = std::fs::metadata(a).map_err(|e| ArchiveError::io(a, e))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            for entry in std::fs::read_dir(a).map_err(|e| ArchiveError::io(a, e))? {
                let p = entry.map_err(|e| ArchiveError::io(a, e))?.path();
                if is_archive_name(&p) && p.is_file() {
                    found.push(p);
                }
            }
            found.sort();
            out.extend(found);
        } else {
            out.push(a.clone());
        }
    }
    Ok(out)
}

/// Does the file name end in `.warc.zst`, `.warc.gz` or `.warc`?
pub fn is_archive_name(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    name.ends_with(".warc.zst") || name.ends_with(".warc.gz") || name.ends_with(".warc")
}
