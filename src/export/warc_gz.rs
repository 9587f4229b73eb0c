//! `.warc.gz` export: every record re-compressed as its own gzip member, byte for byte, so
//! warcio, pywb and ReplayWeb.page can open archives newsarc wrote.

use std::io::Write;
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::archive::{ArchiveReader, Source};

use super::ExportError;
use super::output::Partial;
use super::table::create;

/// Counts of a `.warc.gz` export.
#[derive(Debug, Default, Clone)]
pub struct WarcGzSummary {
    /// Records written.
    pub records: u64,
    /// Damaged input records skipped (reported, not copied).
    pub damaged: Vec<String>,
    /// Bytes written.
    pub bytes: u64,
}

/// Copy every record of `files` into `out` as per-record gzip members (`out` appears only
/// when every file was read).
pub fn export_warc_gz(files: &[Source], out: &Path) -> Result<WarcGzSummary, ExportError> {
    let io = |source| ExportError::Io {
        path: out.to_path_buf(),
        source,
    };
    let part = Partial::new(out);
    let mut w = create(part.path())?;
    let mut summary = WarcGzSummary::default();
    let mut raw = Vec::new();
    let mut member = Vec::new();
    for src in files {
        let reader = ArchiveReader::from_source(src.as_ref())?;
        for item in reader.lenient(true) {
            let rr = match item {
                Ok(rr) => rr,
                // The file could not be read on (network, disk): stop, write nothing.
                Err(e @ crate::archive::ArchiveError::Io { .. }) => return Err(e.into()),
                Err(e) => {
                    summary.damaged.push(e.to_string());
                    continue;
                }
            };
            raw.clear();
            rr.record.write_to(&mut raw);
            member.clear();
            let mut gz = GzEncoder::new(&mut member, Compression::new(6));
            gz.write_all(&raw).map_err(io)?;
            gz.finish().map_err(io)?;
            w.write_all(&member).map_err(io)?;
            summary.records += 1;
            summary.bytes += member.len() as u64;
        }
    }
    w.flush().map_err(io)?;
    drop(w);
    part.commit()?;
    Ok(summary)
}
