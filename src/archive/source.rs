//! Where an archive file's bytes come from: the [`ArchiveSource`] trait that readers, the
//! index and random access go through, and its local-file implementation.
//!
//! `archive` itself never uses the network: remote sources (HTTP, S3) implement this trait in
//! `crate::store`. Everything that reads archives by a list of files takes [`Source`]s, so a
//! local path and a URL are read the same way.

use std::fmt;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::ArchiveError;
use super::cdxj::{cdxj_path, index_is_fresh};

/// One archive file, wherever it is stored.
///
/// Errors name the file by [`ArchiveSource::name`] (a path, or a URL shown as a path).
pub trait ArchiveSource: Send + Sync + fmt::Debug {
    /// The file's name in errors, listings and the dataset's `warc_file`: its path or URL.
    fn name(&self) -> &Path;

    /// Its size in bytes, when known without reading it.
    fn size(&self) -> Option<u64>;

    /// A stream of the whole file from its first byte.
    fn open(&self) -> Result<Box<dyn Read + Send>, ArchiveError>;

    /// `len` bytes from `offset` (an error when the file is shorter).
    fn read_range(&self, offset: u64, len: u64) -> Result<Vec<u8>, ArchiveError>;

    /// The text of the file's CDXJ index when there is one to trust (`None`: no index, or
    /// one older than the file).
    fn index_text(&self) -> Result<Option<String>, ArchiveError>;

    /// Is reading a range expensive (a network round trip) compared with streaming?
    /// Callers that would seek back for many small records keep them in memory instead.
    fn is_remote(&self) -> bool {
        false
    }

    /// The file's zstd dictionary (a skippable frame at offset 0), if any.
    fn dictionary(&self) -> Result<Option<Vec<u8>>, ArchiveError> {
        super::access::read_dictionary(self)
    }
}

/// A shared handle on one archive file.
pub type Source = Arc<dyn ArchiveSource>;

/// An archive file on the local disk.
#[derive(Debug, Clone)]
pub struct LocalFile {
    path: PathBuf,
}

impl LocalFile {
    /// The file at `path` (not opened until read).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        LocalFile { path: path.into() }
    }

    /// The file as a shared [`Source`].
    pub fn source(path: impl Into<PathBuf>) -> Source {
        Arc::new(Self::new(path))
    }
}

/// Local files as sources, in the given order.
pub fn local_sources(paths: &[PathBuf]) -> Vec<Source> {
    paths.iter().map(|p| LocalFile::source(p.clone())).collect()
}

impl ArchiveSource for LocalFile {
    fn name(&self) -> &Path {
        &self.path
    }

    fn size(&self) -> Option<u64> {
        std::fs::metadata(&self.path).ok().map(|m| m.len())
    }

    fn open(&self) -> Result<Box<dyn Read + Send>, ArchiveError> {
        let f = File::open(&self.path).map_err(|e| ArchiveError::io(&self.path, e))?;
        Ok(Box::new(f))
    }

    fn read_range(&self, offset: u64, len: u64) -> Result<Vec<u8>, ArchiveError> {
        let io = |e| ArchiveError::io(&self.path, e);
        let mut f = File::open(&self.path).map_err(io)?;
        let size = f.metadata().map_err(io)?.len();
        if offset.checked_add(len).is_none_or(|end| end > size) {
            return Err(ArchiveError::Truncated {
                path: self.path.clone(),
                offset,
                missing: format!(
                    "record of {len} bytes at {offset} runs past the end of the file ({size} bytes)"
                ),
            });
        }
        f.seek(SeekFrom::Start(offset)).map_err(io)?;
        let mut buf = vec![0u8; len as usize];
        f.read_exact(&mut buf).map_err(io)?;
        Ok(buf)
    }

    fn index_text(&self) -> Result<Option<String>, ArchiveError> {
        if !index_is_fresh(&self.path) {
            return Ok(None);
        }
        let idx = cdxj_path(&self.path);
        std::fs::read_to_string(&idx)
            .map(Some)
            .map_err(|e| ArchiveError::io(&idx, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::cdxj::Index;
    use crate::archive::{
        ArchiveReader, ArchiveWriter, SeqIds, WriterConfig, build, read_record_from,
    };

    /// An archive held in memory, with an index text of our choosing (what a remote file is
    /// to the archive layer).
    #[derive(Debug)]
    struct Mem {
        name: PathBuf,
        data: Vec<u8>,
        index: Option<String>,
    }

    impl ArchiveSource for Mem {
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
            Ok(self.index.clone())
        }
        fn is_remote(&self) -> bool {
            true
        }
    }

    fn archive() -> (Vec<u8>, String) {
        let dir = tempfile::tempdir().unwrap();
        let t = chrono::DateTime::parse_from_rfc3339("2024-05-03T10:00:00Z")
            .unwrap()
            .to_utc();
        let mut w = ArchiveWriter::open(WriterConfig::new(dir.path()), t).unwrap();
        let mut ids = SeqIds::default();
        for i in 0..3 {
            let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>{i}</p>");
            let url = format!("https://example.com/{i}");
            w.write(&build::response(&url, t, http.into_bytes(), None, &mut ids))
                .unwrap();
        }
        let files = w.finish().unwrap();
        let data = std::fs::read(&files[0]).unwrap();
        let idx = std::fs::read_to_string(crate::archive::cdxj::cdxj_path(&files[0])).unwrap();
        (data, idx)
    }

    #[test]
    fn index_of_a_source_is_used_when_it_fits_and_rebuilt_when_not() {
        let (data, idx) = archive();
        let good: Source = Arc::new(Mem {
            name: PathBuf::from("http://h/a.warc.zst"),
            data: data.clone(),
            index: Some(idx.clone()),
        });
        let index = Index::load_sources(std::slice::from_ref(&good)).unwrap();
        let e = index.lookup("https://example.com/2")[0];
        assert_eq!(e.path, Path::new("http://h/a.warc.zst"));
        let rec = index.read_record(e).unwrap();
        assert!(rec.block.ends_with(b"<p>2</p>"));
        assert_eq!(
            read_record_from(good.as_ref(), e.offset, e.length).unwrap(),
            rec
        );

        // The same index over a shorter file: entries run past its end, so it is scanned.
        let cut = index.lookup("https://example.com/2")[0].offset as usize;
        let short: Source = Arc::new(Mem {
            name: PathBuf::from("http://h/b.warc.zst"),
            data: data[..cut].to_vec(),
            index: Some(idx),
        });
        let index = Index::load_sources(std::slice::from_ref(&short)).unwrap();
        assert!(index.lookup("https://example.com/2").is_empty());
        assert_eq!(index.lookup("https://example.com/1").len(), 1);

        // Streaming reads go through `open`.
        let n = ArchiveReader::from_source(good.as_ref()).unwrap().count();
        assert_eq!(n, 4, "warcinfo + 3 responses");
    }
}
