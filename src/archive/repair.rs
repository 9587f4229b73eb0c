//! Verification and crash repair of archive files: find the last whole record, truncate a
//! crash-cut tail, rebuild the index, and compare an index with its archive.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::ArchiveError;
use super::cdxj::{CdxjEntry, cdxj_path, parse_index, read_index, write_index};
use super::payload_digest::PayloadConvention;
use super::reader::ArchiveReader;
use super::source::{ArchiveSource, LocalFile};

/// What checking one file found.
#[derive(Debug, Default)]
pub struct FileCheck {
    /// Records read whole (and, if asked, with matching digests).
    pub records: u64,
    /// Every problem, in file order (damaged records, garbage, truncated tail, index).
    pub problems: Vec<ArchiveError>,
    /// Offset where a crash-cut record starts, if the file ends inside one.
    pub truncated_at: Option<u64>,
    /// Index entries built from the records.
    pub entries: Vec<CdxjEntry>,
    /// File size in bytes.
    pub size: u64,
    /// Records whose payload digest was checked, by the bytes it was found to cover (the
    /// file's convention for chunked bodies: WARC 1.1 de-chunked, or as transferred).
    pub payload_digests: BTreeMap<PayloadConvention, u64>,
}

impl FileCheck {
    /// True when nothing is wrong.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Read a whole file leniently, checking framing, headers and (if `digests`) digests.
/// `progress` is called with the file offset reached after each record.
pub fn check_file(
    path: &Path,
    digests: bool,
    progress: impl FnMut(u64),
) -> Result<FileCheck, ArchiveError> {
    std::fs::metadata(path).map_err(|e| ArchiveError::io(path, e))?;
    check_source(&LocalFile::new(path), digests, progress)
}

/// [`check_file`] for any source (streamed once; `size` is 0 when the source cannot tell).
pub fn check_source<S: ArchiveSource + ?Sized>(
    src: &S,
    digests: bool,
    mut progress: impl FnMut(u64),
) -> Result<FileCheck, ArchiveError> {
    let path = src.name();
    let mut out = FileCheck {
        size: src.size().unwrap_or(0),
        ..FileCheck::default()
    };
    let reader = ArchiveReader::from_source(src)?
        .lenient(true)
        .verify_digests(digests);
    for item in reader {
        match item {
            Ok(r) => {
                out.records += 1;
                if let Some(c) = r.payload_digest {
                    *out.payload_digests.entry(c).or_default() += 1;
                }
                out.entries.extend(CdxjEntry::from_record(&r, path));
                progress(r.offset + r.length);
            }
            Err(e) => {
                if let ArchiveError::Truncated { offset, .. } = &e {
                    out.truncated_at = Some(*offset);
                }
                out.problems.push(e);
            }
        }
    }
    Ok(out)
}

/// Compare the index file of `path` with the entries built from the archive.
pub fn check_index(path: &Path, entries: &[CdxjEntry]) -> Option<ArchiveError> {
    let idx = cdxj_path(path);
    if !idx.exists() {
        return Some(ArchiveError::IndexMismatch {
            path: path.to_path_buf(),
            reason: format!("no index file {}", idx.display()),
        });
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    match read_index(&idx, dir) {
        Ok(stored) => compare_index(path, entries, &stored),
        Err(e) => Some(e),
    }
}

/// [`check_index`] for any source: its index text (`None`: it has none) against the entries.
pub fn check_source_index(src: &dyn ArchiveSource, entries: &[CdxjEntry]) -> Option<ArchiveError> {
    let path = src.name();
    let idx = cdxj_path(path);
    match src.index_text() {
        Ok(Some(text)) => match parse_index(&text, &idx, path) {
            Ok(stored) => compare_index(path, entries, &stored),
            Err(e) => Some(e),
        },
        Ok(None) => Some(ArchiveError::IndexMismatch {
            path: path.to_path_buf(),
            reason: format!("no index file {}", idx.display()),
        }),
        Err(e) => Some(e),
    }
}

/// `None` when the stored index lists exactly the records found.
fn compare_index(path: &Path, entries: &[CdxjEntry], stored: &[CdxjEntry]) -> Option<ArchiveError> {
    let key = |e: &CdxjEntry| {
        (
            e.surt.clone(),
            e.timestamp.clone(),
            e.offset,
            e.length,
            e.record_type.clone(),
            e.digest.clone(),
        )
    };
    let want: BTreeSet<_> = entries.iter().map(key).collect();
    let have: BTreeSet<_> = stored.iter().map(key).collect();
    if want == have {
        return None;
    }
    let missing = want.difference(&have).count();
    let extra = have.difference(&want).count();
    Some(ArchiveError::IndexMismatch {
        path: path.to_path_buf(),
        reason: format!(
            "{missing} records missing from the index, {extra} index lines match no record"
        ),
    })
}

/// What a repair did.
#[derive(Debug)]
pub struct Repaired {
    /// The file.
    pub path: PathBuf,
    /// `(old size, new size)` when the tail was cut.
    pub truncated: Option<(u64, u64)>,
    /// Index entries written.
    pub entries: usize,
    /// Problems other than the cut tail that remain (damaged records in the middle).
    pub remaining: Vec<ArchiveError>,
}

/// Truncate a crash-cut tail to the last whole record and rebuild the index.
pub fn repair_file(path: &Path) -> Result<Repaired, ArchiveError> {
    let mut check = check_file(path, false, |_| {})?;
    let mut truncated = None;
    if let Some(at) = check.truncated_at {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| ArchiveError::io(path, e))?;
        f.set_len(at).map_err(|e| ArchiveError::io(path, e))?;
        f.sync_all().map_err(|e| ArchiveError::io(path, e))?;
        truncated = Some((check.size, at));
    }
    let remaining: Vec<ArchiveError> = check
        .problems
        .into_iter()
        .filter(|p| !matches!(p, ArchiveError::Truncated { .. }))
        .collect();
    let unreadable = remaining
        .iter()
        .any(|p| matches!(p, ArchiveError::NotWarc { .. }));
    if !unreadable {
        write_index(path, &mut check.entries)?;
    }
    Ok(Repaired {
        path: path.to_path_buf(),
        truncated,
        entries: check.entries.len(),
        remaining,
    })
}
