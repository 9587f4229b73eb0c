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

/// The dictionary in a skippable frame at the start of a `.warc.zst`, if any. Only a file
/// too short to hold the frame header has none for certain; any other failure to read it
/// (network, access) is passed up, or every dictionary-compressed record would look damaged.
pub fn read_dictionary<S: ArchiveSource + ?Sized>(
    src: &S,
) -> Result<Option<Vec<u8>>, ArchiveError> {
    let head = match src.read_range(0, 8) {
        Ok(h) if h.len() == 8 => h,
        Ok(_) | Err(ArchiveError::Truncated { .. }) => return Ok(None),
        // An empty object can answer a range request with an error (HTTP 416) rather than
        // short data: still no dictionary.
        Err(_) if src.size().is_some_and(|n| n < 8) => return Ok(None),
        Err(e) => return Err(e),
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::*;

    /// A source of `data` whose range reads fail with an I/O error while `down` is set.
    #[derive(Debug)]
    struct Flaky {
        name: PathBuf,
        data: Vec<u8>,
        down: AtomicBool,
    }

    impl ArchiveSource for Flaky {
        fn name(&self) -> &Path {
            &self.name
        }
        fn size(&self) -> Option<u64> {
            Some(self.data.len() as u64)
        }
        fn open(&self) -> Result<Box<dyn Read + Send>, ArchiveError> {
            Ok(Box::new(std::io::Cursor::new(self.data.clone())))
        }
        fn read_range(&self, offset: u64, len: u64) -> Result<Vec<u8>, ArchiveError> {
            if self.down.load(Ordering::SeqCst) {
                let e = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "403");
                return Err(ArchiveError::io(&self.name, e));
            }
            let (s, e) = (offset as usize, (offset + len) as usize);
            self.data
                .get(s..e)
                .map(<[u8]>::to_vec)
                .ok_or_else(|| ArchiveError::Truncated {
                    path: self.name.clone(),
                    offset,
                    missing: "past the end".into(),
                })
        }
        fn index_text(&self) -> Result<Option<String>, ArchiveError> {
            Ok(None)
        }
    }

    fn flaky(data: &[u8], down: bool) -> Flaky {
        Flaky {
            name: PathBuf::from("https://h.example/x.warc.zst"),
            data: data.to_vec(),
            down: AtomicBool::new(down),
        }
    }

    #[test]
    fn a_failed_dictionary_probe_is_an_error_not_no_dictionary() {
        let src = flaky(&[0u8; 64], true);
        let e = read_dictionary(&src).unwrap_err();
        assert!(e.to_string().contains("403"), "{e}");
        // The error is not remembered: once reads work, the answer is the real one.
        src.down.store(false, Ordering::SeqCst);
        assert_eq!(read_dictionary(&src).unwrap(), None);
    }

    #[test]
    fn a_file_too_short_for_a_frame_header_has_no_dictionary() {
        assert_eq!(read_dictionary(&flaky(&[1, 2, 3], false)).unwrap(), None);
        // Even when the short file's range read fails (an empty object's HTTP 416).
        assert_eq!(read_dictionary(&flaky(&[], true)).unwrap(), None);
    }
}
