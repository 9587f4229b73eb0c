//! Streaming, optionally lenient reading of `.warc.zst`, `.warc.gz` and `.warc` files.

use std::collections::VecDeque;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::ArchiveError;
use super::frame::{self, DICT_MAGIC, FrameScan, GZIP_MAGIC, ZSTD_MAGIC};
use super::payload_digest::PayloadConvention;
use super::record::{Parsed, Record, parse_record};
use super::window::{CHUNK, Window};

/// Largest record a reader accepts (decompressed), to survive hostile headers.
pub const MAX_RECORD: u64 = 4 * 1024 * 1024 * 1024;
/// Frames declaring up to this content size are decoded in one call into a reused buffer.
pub(super) const BULK_LIMIT: u64 = 256 * 1024 * 1024;

/// One record read from a file, with where it sits.
#[derive(Debug, Clone)]
pub struct ReadRecord {
    /// Byte offset of the record's frame / gzip member / record in the file.
    pub offset: u64,
    /// Its length in the file (compressed length for `.warc.zst` and `.warc.gz`).
    pub length: u64,
    /// The record.
    pub record: Record,
    /// When digests were verified: which bytes the payload digest was found to cover
    /// (`None`: not checked, or no payload digest to check).
    pub payload_digest: Option<PayloadConvention>,
}

/// Container format of a WARC file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One zstd frame per record.
    Zstd,
    /// gzip (per-record members or one whole-file member).
    Gzip,
    /// Uncompressed.
    Plain,
}

/// Which digests the reader checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verify {
    None,
    Block,
    Full,
}

/// Streaming reader over one archive file. Iterates `Result<ReadRecord, ArchiveError>`.
/// Strict (default): stops after the first error. Lenient: reports a damaged record or
/// garbage with its offset, resynchronises on the next zstd magic / gzip magic / `WARC/` line,
/// and carries on.
pub struct ArchiveReader {
    path: PathBuf,
    win: Window,
    format: Option<Format>,
    lenient: bool,
    verify: Verify,
    done: bool,
    pending: VecDeque<Result<ReadRecord, ArchiveError>>,
    dctx: Option<zstd::bulk::Decompressor<'static>>,
    /// The file's dictionary (from a skippable frame at offset 0), if any.
    dict: Option<Vec<u8>>,
    scratch: Vec<u8>,
}

impl ArchiveReader {
    /// Open a file; the format is detected from its first bytes.
    pub fn open(path: &Path) -> Result<Self, ArchiveError> {
        let file = File::open(path).map_err(|e| ArchiveError::io(path, e))?;
        Ok(Self::from_reader(path, file))
    }

    /// Stream an archive from wherever it is stored (a local file, an object, a URL).
    pub fn from_source<S: super::ArchiveSource + ?Sized>(src: &S) -> Result<Self, ArchiveError> {
        Ok(Self::from_reader(src.name(), src.open()?))
    }

    /// Read an archive from any byte stream (an in-memory buffer, a pipe); `name` stands for
    /// the file in errors and [`ArchiveReader::path`]. Offsets count from the stream's start.
    pub fn from_reader(name: impl Into<PathBuf>, source: impl Read + Send + 'static) -> Self {
        ArchiveReader {
            path: name.into(),
            win: Window {
                source: Box::new(source),
                buf: Vec::new(),
                start: 0,
                base: 0,
                eof: false,
            },
            format: None,
            lenient: false,
            verify: Verify::None,
            done: false,
            pending: VecDeque::new(),
            dctx: None,
            dict: None,
            scratch: Vec::new(),
        }
    }

    /// Lenient mode: report damaged records and continue with the next one.
    pub fn lenient(mut self, yes: bool) -> Self {
        self.lenient = yes;
        self
    }

    /// Check `WARC-Block-Digest`/`WARC-Payload-Digest` of every record (mismatch → error item).
    pub fn verify_digests(mut self, yes: bool) -> Self {
        self.verify = if yes { Verify::Full } else { Verify::None };
        self
    }

    /// Check only `WARC-Block-Digest` (every byte's integrity, one SHA-1 pass per record).
    pub fn verify_block_digests(mut self, yes: bool) -> Self {
        self.verify = if yes { Verify::Block } else { Verify::None };
        self
    }

    /// The file being read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The detected format (after the first `next()`).
    pub fn format(&self) -> Option<Format> {
        self.format
    }

    /// File offset just past the last byte consumed.
    pub fn position(&self) -> u64 {
        self.win.pos()
    }

    fn io(&self, e: std::io::Error) -> ArchiveError {
        ArchiveError::io(&self.path, e)
    }

    fn detect(&mut self) -> Result<Format, ArchiveError> {
        self.win.fill(8).map_err(|e| self.io(e))?;
        let head = self.win.avail();
        if head.is_empty() {
            return Err(ArchiveError::NotWarc {
                path: self.path.clone(),
                reason: "empty file, no records (offset 0)".into(),
            });
        }
        if head.starts_with(&ZSTD_MAGIC)
            || (head.len() >= 4
                && frame::is_skippable_magic(u32::from_le_bytes([
                    head[0], head[1], head[2], head[3],
                ])))
        {
            return Ok(Format::Zstd);
        }
        if head.starts_with(&GZIP_MAGIC) {
            return Ok(Format::Gzip);
        }
        if head.starts_with(b"WARC/") {
            return Ok(Format::Plain);
        }
        Err(ArchiveError::NotWarc {
            path: self.path.clone(),
            reason: format!(
                "offset 0 starts with {:02x?}, neither zstd, gzip nor a `WARC/` line",
                &head[..head.len().min(8)]
            ),
        })
    }

    /// Push a parsed record (with digest check if asked).
    fn emit(&mut self, offset: u64, length: u64, record: Record) {
        let check = match self.verify {
            Verify::None => Ok(None),
            Verify::Block => record.check_block_digest().map(|()| None),
            Verify::Full => record.check_digests(),
        };
        let payload_digest = match check {
            Ok(convention) => convention,
            Err((header, recorded, computed)) => {
                self.pending.push_back(Err(ArchiveError::DigestMismatch {
                    path: self.path.clone(),
                    offset,
                    header,
                    recorded,
                    computed,
                }));
                return;
            }
        };
        self.pending.push_back(Ok(ReadRecord {
            offset,
            length,
            record,
            payload_digest,
        }));
    }

    /// Report an error; in strict mode stop, in lenient mode resync after `from` bytes.
    fn fail(&mut self, err: ArchiveError, skip_at_least: usize) -> Result<(), ArchiveError> {
        self.pending.push_back(Err(err));
        if !self.lenient {
            self.done = true;
            return Ok(());
        }
        self.win.advance(skip_at_least.max(1));
        self.resync()
    }

    /// Advance to the next place a record can start; reports skipped garbage.
    fn resync(&mut self) -> Result<(), ArchiveError> {
        let start = self.win.pos();
        loop {
            let found = {
                let a = self.win.avail();
                match self.format {
                    Some(Format::Zstd) => memchr::memmem::find(a, &ZSTD_MAGIC),
                    Some(Format::Gzip) => memchr::memmem::find(a, &[0x1f, 0x8b, 0x08]),
                    _ => find_warc_line(a),
                }
            };
            if let Some(i) = found {
                self.win.advance(i);
                break;
            }
            let a = self.win.avail().len();
            if self.win.eof {
                self.win.advance(a);
                break;
            }
            self.win.advance(a.saturating_sub(8));
            let want = self.win.avail().len() + CHUNK;
            self.win.fill(want).map_err(|e| self.io(e))?;
        }
        let skipped = self.win.pos() - start;
        if skipped > 0 {
            self.pending.push_back(Err(ArchiveError::Garbage {
                path: self.path.clone(),
                offset: start,
                length: skipped,
            }));
        }
        Ok(())
    }

    fn step(&mut self) -> Result<(), ArchiveError> {
        match self.format {
            Some(Format::Zstd) => self.step_zstd(),
            Some(Format::Gzip) => self.step_gzip(),
            _ => self.step_plain(),
        }
    }

    fn step_zstd(&mut self) -> Result<(), ArchiveError> {
        let offset = self.win.pos();
        let mut need = 64;
        let (len, csize) = loop {
            self.win.fill(need).map_err(|e| self.io(e))?;
            if self.win.avail().is_empty() {
                self.done = true;
                return Ok(());
            }
            match frame::scan_frame(self.win.avail()) {
                FrameScan::Zstd { len, content_size } => break (len, content_size),
                FrameScan::Skippable { len, magic } => {
                    if magic == DICT_MAGIC && offset == 0 {
                        let data = self.win.avail()[8..len].to_vec();
                        match frame::dictionary_from_frame_data(&data).and_then(|d| {
                            zstd::bulk::Decompressor::with_dictionary(&d)
                                .map(|ctx| (ctx, d))
                                .map_err(|e| e.to_string())
                        }) {
                            Ok((ctx, d)) => {
                                self.dctx = Some(ctx);
                                self.dict = Some(d);
                            }
                            Err(reason) => {
                                return self.fail(
                                    ArchiveError::BadFrame {
                                        path: self.path.clone(),
                                        offset,
                                        reason: format!("dictionary frame: {reason}"),
                                    },
                                    len,
                                );
                            }
                        }
                    }
                    self.win.advance(len);
                    return Ok(());
                }
                FrameScan::NeedMore { need: n } => {
                    if self.win.eof {
                        self.pending.push_back(Err(ArchiveError::Truncated {
                            path: self.path.clone(),
                            offset,
                            missing: format!(
                                "zstd frame needs at least {n} bytes, file has {} left",
                                self.win.avail().len()
                            ),
                        }));
                        let rest = self.win.avail().len();
                        self.win.advance(rest);
                        self.done = true;
                        return Ok(());
                    }
                    need = n.max(need * 2);
                }
                FrameScan::Bad(reason) => {
                    let at_magic = self.win.avail().starts_with(&ZSTD_MAGIC);
                    if at_magic {
                        return self.fail(
                            ArchiveError::BadFrame {
                                path: self.path.clone(),
                                offset,
                                reason,
                            },
                            4,
                        );
                    }
                    if !self.lenient {
                        return self.fail(
                            ArchiveError::BadFrame {
                                path: self.path.clone(),
                                offset,
                                reason,
                            },
                            1,
                        );
                    }
                    return self.resync();
                }
            }
        };
        let content = {
            let data = &self.win.avail()[..len];
            match csize {
                Some(n) if n > MAX_RECORD => Err(format!(
                    "frame content size {n} over the {MAX_RECORD}-byte cap"
                )),
                Some(n) if n <= BULK_LIMIT => {
                    if self.dctx.is_none() {
                        self.dctx = zstd::bulk::Decompressor::new().ok();
                    }
                    match self.dctx.as_mut() {
                        Some(d) => {
                            self.scratch.clear();
                            self.scratch.reserve(n as usize);
                            d.decompress_to_buffer(data, &mut self.scratch)
                                .map(|_| ())
                                .map_err(|e| e.to_string())
                        }
                        None => Err("cannot create a zstd decompression context".into()),
                    }
                }
                // No or a very large declared size: stream, so a hostile header cannot make
                // us allocate gigabytes up front.
                _ => super::inflate::zstd_capped(data, self.dict.as_deref(), MAX_RECORD)
                    .map(|v| self.scratch = v),
            }
        };
        if let Err(reason) = content {
            // Skip the frame if the next frame starts right after it, else scan.
            let next_ok = self
                .win
                .avail()
                .get(len..len + 4)
                .is_some_and(|m| m == ZSTD_MAGIC)
                || self.win.avail().len() == len;
            let skip = if next_ok { len } else { 4 };
            return self.fail(
                ArchiveError::BadFrame {
                    path: self.path.clone(),
                    offset,
                    reason,
                },
                skip,
            );
        }
        self.win.advance(len);
        let content = std::mem::take(&mut self.scratch);
        self.records_in(&content, offset, len as u64);
        self.scratch = content;
        Ok(())
    }

    /// Parse the record(s) in a decompressed frame or member.
    fn records_in(&mut self, content: &[u8], offset: u64, length: u64) {
        let mut p = 0;
        while p < content.len() {
            let rest = &content[p..];
            if rest.iter().all(|b| b.is_ascii_whitespace()) {
                break;
            }
            match parse_record(rest) {
                Ok(Parsed::Record(r, used)) => {
                    self.emit(offset, length, r);
                    p += used;
                }
                Ok(Parsed::Incomplete { .. }) => {
                    self.pending.push_back(Err(ArchiveError::BadHeader {
                        path: self.path.clone(),
                        offset,
                        reason: "record longer than its compressed frame/member (Content-Length too large)".into(),
                    }));
                    break;
                }
                Err(bad) => {
                    self.pending.push_back(Err(ArchiveError::BadHeader {
                        path: self.path.clone(),
                        offset,
                        reason: bad.reason,
                    }));
                    break;
                }
            }
        }
        if !self.lenient && self.pending.iter().any(|r| r.is_err()) {
            self.done = true;
        }
    }

    fn step_plain(&mut self) -> Result<(), ArchiveError> {
        let mut need = 64 * 1024;
        loop {
            self.win.fill(need).map_err(|e| self.io(e))?;
            // Blank lines between records are tolerated.
            let ws = self
                .win
                .avail()
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
            self.win.advance(ws);
            let offset = self.win.pos();
            if self.win.avail().is_empty() {
                if self.win.eof {
                    self.done = true;
                    return Ok(());
                }
                continue;
            }
            match parse_record(self.win.avail()) {
                Ok(Parsed::Record(r, used)) => {
                    self.win.advance(used);
                    self.emit(offset, used as u64, r);
                    return Ok(());
                }
                Ok(Parsed::Incomplete { need: n }) => {
                    if self.win.eof {
                        let left = self.win.avail().len();
                        self.pending.push_back(Err(ArchiveError::Truncated {
                            path: self.path.clone(),
                            offset,
                            missing: format!(
                                "record needs {} bytes, file has {left} left",
                                n.max(left + 1)
                            ),
                        }));
                        self.win.advance(left);
                        self.done = true;
                        return Ok(());
                    }
                    need = n.max(need * 2);
                }
                Err(bad) => {
                    if self.win.avail().starts_with(b"WARC/") {
                        // Resume where the damage is, not just past `WARC/`: rescanning
                        // every line of a long bad header would be quadratic.
                        return self.fail(
                            ArchiveError::BadHeader {
                                path: self.path.clone(),
                                offset,
                                reason: bad.reason,
                            },
                            bad.skip.max(5),
                        );
                    }
                    if !self.lenient {
                        return self.fail(
                            ArchiveError::BadHeader {
                                path: self.path.clone(),
                                offset,
                                reason: bad.reason,
                            },
                            1,
                        );
                    }
                    return self.resync();
                }
            }
        }
    }

    fn step_gzip(&mut self) -> Result<(), ArchiveError> {
        let offset = self.win.pos();
        let mut need = 256 * 1024;
        loop {
            self.win.fill(need).map_err(|e| self.io(e))?;
            let avail = self.win.avail();
            if avail.is_empty() {
                self.done = true;
                return Ok(());
            }
            if !avail.starts_with(&GZIP_MAGIC) {
                if !self.lenient {
                    let e = ArchiveError::BadGzip {
                        path: self.path.clone(),
                        offset,
                        reason: "no gzip magic".into(),
                    };
                    return self.fail(e, 1);
                }
                return self.resync();
            }
            let mut slice = avail;
            let mut out = Vec::new();
            let res = {
                let mut dec = flate2::bufread::GzDecoder::new(&mut slice);
                (&mut dec).take(MAX_RECORD + 1).read_to_end(&mut out)
            };
            match res {
                Ok(_) if out.len() as u64 > MAX_RECORD => {
                    let err = ArchiveError::BadGzip {
                        path: self.path.clone(),
                        offset,
                        reason: format!("member decompresses to more than {MAX_RECORD} bytes"),
                    };
                    return self.fail(err, 2);
                }
                Ok(_) => {
                    let used = avail.len() - slice.len();
                    self.win.advance(used);
                    self.records_in(&out, offset, used as u64);
                    return Ok(());
                }
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !self.win.eof => {
                    need = avail.len() * 2;
                }
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    self.pending.push_back(Err(ArchiveError::Truncated {
                        path: self.path.clone(),
                        offset,
                        missing: format!("gzip member cut off: {e}"),
                    }));
                    let left = self.win.avail().len();
                    self.win.advance(left);
                    self.done = true;
                    return Ok(());
                }
                Err(e) => {
                    let err = ArchiveError::BadGzip {
                        path: self.path.clone(),
                        offset,
                        reason: e.to_string(),
                    };
                    return self.fail(err, 2);
                }
            }
        }
    }
}

fn find_warc_line(a: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&a[from..], b"WARC/1.") {
        let at = from + i;
        if at == 0 || a[at - 1] == b'\n' {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

impl Iterator for ArchiveReader {
    type Item = Result<ReadRecord, ArchiveError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(x) = self.pending.pop_front() {
                return Some(x);
            }
            if self.done {
                return None;
            }
            if self.format.is_none() {
                match self.detect() {
                    Ok(f) => self.format = Some(f),
                    Err(e) => {
                        self.done = true;
                        return Some(Err(e));
                    }
                }
            }
            if let Err(e) = self.step() {
                self.done = true;
                return Some(Err(e));
            }
        }
    }
}
