//! Random access to one record by (offset, length), and expanding CLI arguments into the
//! archive files of a folder.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::ArchiveError;
use super::frame::{self, DICT_MAGIC, FrameScan, GZIP_MAGIC, ZSTD_MAGIC};
use super::inflate;
use super::reader::{BULK_LIMIT, MAX_RECORD};
use super::record::{Parsed, Record, parse_record};

/// Read the one record at (offset, length) — e.g. from a CDXJ entry.
pub fn read_record_at(path: &Path, offset: u64, length: u64) -> Result<Record, ArchiveError> {
    let mut f = File::open(path).map_err(|e| ArchiveError::io(path, e))?;
    let size = f.metadata().map_err(|e| ArchiveError::io(path, e))?.len();
    if offset.checked_add(length).is_none_or(|end| end > size) || length > MAX_RECORD {
        return Err(ArchiveError::Truncated {
            path: path.to_path_buf(),
            offset,
            missing: format!(
                "record of {length} bytes at {offset} runs past the end of the file ({size} bytes)"
            ),
        });
    }
    f.seek(SeekFrom::Start(offset))
        .map_err(|e| ArchiveError::io(path, e))?;
    let mut buf = vec![0u8; length as usize];
    f.read_exact(&mut buf)
        .map_err(|e| ArchiveError::io(path, e))?;
    let content = if buf.starts_with(&ZSTD_MAGIC) {
        let dict = read_dictionary(&mut f, path)?;
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
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&buf[..])
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
        out
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

/// The dictionary in a skippable frame at the start of a `.warc.zst`, if any.
fn read_dictionary(f: &mut File, path: &Path) -> Result<Option<Vec<u8>>, ArchiveError> {
    let mut head = [0u8; 8];
    f.seek(SeekFrom::Start(0))
        .map_err(|e| ArchiveError::io(path, e))?;
    if f.read_exact(&mut head).is_err() {
        return Ok(None);
    }
    if u32::from_le_bytes([head[0], head[1], head[2], head[3]]) != DICT_MAGIC {
        return Ok(None);
    }
    let len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
    let mut data = vec![0u8; len];
    f.read_exact(&mut data)
        .map_err(|e| ArchiveError::io(path, e))?;
    frame::dictionary_from_frame_data(&data)
        .map(Some)
        .map_err(|reason| ArchiveError::BadFrame {
            path: path.to_path_buf(),
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
