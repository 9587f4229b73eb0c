//! Dataset rows from a fresh parse of the stored responses, without writing anything: what
//! `reparse` followed by `export` would give, for callers that want the rows in memory (the
//! Python package's `articles(..., reparse=True)`).
//!
//! Every 2xx HTML `response` (and `revisit` whose payload is in the same files) is parsed with
//! the rules given; rows come in archive order. Unless all versions are wanted, only the newest
//! capture of each target URL is parsed: a first pass notes where each URL's newest capture
//! is (a few dozen bytes per URL), the second seeks to those records only. The dedup key is
//! the target URL, since the canonical URL is known only after the parse. Parsing runs in
//! batches on all cores (rayon); memory is bounded by the batch.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rayon::prelude::*;

use crate::archive::{
    ArchiveError, ArchiveReader, HttpMessage, ReadRecord, Record, RecordType, Source,
    read_record_from,
};
use crate::extract::{ExtractInput, ExtractOptions, extract};
use crate::selectors::RuleSet;

use super::row::DatasetRow;

/// Captures parsed together on all cores.
const BATCH: usize = 64;

/// A stored capture to parse: its record's place and what it is.
#[derive(Debug, Clone)]
struct Capture {
    src: Source,
    offset: u64,
    length: u64,
    uri: String,
    date: DateTime<Utc>,
    id: Option<String>,
    /// The HTTP message holding the payload (the response, or what a revisit repeats).
    http: Option<HttpMessage>,
}

/// Where a URL's newest capture is: (date, index of the file, offset).
type Newest = HashMap<String, (DateTime<Utc>, usize, u64)>;

/// Where a payload is: (file, offset, length).
type Payloads = HashMap<String, (Source, u64, u64)>;

/// The rows of a fresh parse of `files`; see the module docs.
pub struct FreshRows {
    files: std::iter::Enumerate<std::vec::IntoIter<Source>>,
    reader: Option<(usize, Source, ArchiveReader)>,
    rules: Arc<RuleSet>,
    opts: ExtractOptions,
    /// Payload digest → (file, offset, length) of the responses read so far, for revisits.
    payloads: Payloads,
    /// `None`: every capture; else the newest capture per target URL.
    newest: Option<Newest>,
    parse_time: DateTime<Utc>,
    ready: VecDeque<Result<DatasetRow, String>>,
    done: bool,
}

impl FreshRows {
    /// Parse the captures of `files` with `rules`. `parse_time` becomes every row's
    /// `parsed_time`. With `all_versions` false, a first pass over the files finds each URL's
    /// newest capture (this pass's read errors end it early and are returned).
    pub fn new(
        files: Vec<Source>,
        rules: Arc<RuleSet>,
        opts: ExtractOptions,
        all_versions: bool,
        parse_time: DateTime<Utc>,
    ) -> Result<Self, ArchiveError> {
        let newest = if all_versions {
            None
        } else {
            Some(newest_captures(&files)?)
        };
        Ok(FreshRows {
            files: files.into_iter().enumerate(),
            reader: None,
            rules,
            opts,
            payloads: HashMap::new(),
            newest,
            parse_time,
            ready: VecDeque::new(),
            done: false,
        })
    }

    /// The next capture worth parsing, or `None` at the end of the last file.
    fn next_capture(&mut self) -> Option<Result<Capture, String>> {
        loop {
            if self.reader.is_none() {
                let (index, src) = self.files.next()?;
                match ArchiveReader::from_source(src.as_ref()) {
                    Ok(r) => self.reader = Some((index, src, r.lenient(true))),
                    Err(e) => return Some(Err(e.to_string())),
                }
            }
            let (index, src, reader) = self.reader.as_mut()?;
            let (index, src) = (*index, src.clone());
            match reader.next() {
                None => self.reader = None,
                Some(Err(e)) => return Some(Err(e.to_string())),
                Some(Ok(rr)) => {
                    if let Some(c) = self.capture_of(index, &src, rr) {
                        return Some(c);
                    }
                }
            }
        }
    }

    /// The capture a record stands for, when it is a wanted HTML response or revisit.
    fn capture_of(
        &mut self,
        index: usize,
        src: &Source,
        rr: ReadRecord,
    ) -> Option<Result<Capture, String>> {
        let rec = rr.record;
        let kind = rec.record_type();
        if !matches!(kind, RecordType::Response | RecordType::Revisit) {
            return None;
        }
        let (uri, date) = (rec.target_uri()?.to_string(), rec.date()?);
        if kind == RecordType::Response
            && let Some(d) = rec.headers.get("WARC-Payload-Digest")
        {
            self.payloads
                .insert(d.to_string(), (src.clone(), rr.offset, rr.length));
        }
        if let Some(newest) = &self.newest
            && newest
                .get(&uri)
                .is_none_or(|(_, file, off)| *file != index || *off != rr.offset)
        {
            return None;
        }
        let location = format!("{}@{}", src.name().display(), rr.offset);
        let id = rec.id().map(str::to_string);
        let payload = match payload_record(rec, kind, &self.payloads) {
            Ok(Some(p)) => p,
            Ok(None) => return None,
            Err(e) => return Some(Err(format!("{location}: revisit target: {e}"))),
        };
        let http = payload
            .http()
            .ok()
            .filter(crate::reparse::is_html_response)?;
        Some(Ok(Capture {
            src: src.clone(),
            offset: rr.offset,
            length: rr.length,
            uri,
            date,
            id,
            http: Some(http),
        }))
    }

    /// Read up to a batch of captures and parse them on all cores.
    fn fill(&mut self) {
        let mut batch = Vec::with_capacity(BATCH);
        while batch.len() < BATCH {
            match self.next_capture() {
                None => {
                    self.done = true;
                    break;
                }
                Some(Err(e)) => self.ready.push_back(Err(e)),
                Some(Ok(c)) => batch.push(c),
            }
        }
        let (rules, opts, now) = (&self.rules, &self.opts, self.parse_time);
        let rows: Vec<Result<DatasetRow, String>> = batch
            .into_par_iter()
            .map(|c| parse(c, rules, opts, now))
            .collect();
        self.ready.extend(rows);
    }
}

impl Iterator for FreshRows {
    type Item = Result<DatasetRow, String>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.ready.is_empty() && !self.done {
            self.fill();
        }
        self.ready.pop_front()
    }
}

/// The record holding a capture's payload: the response itself, the response a revisit
/// repeats (`None` when it is not in these files: a 304 or an outside payload).
fn payload_record(
    rec: Record,
    kind: RecordType,
    payloads: &Payloads,
) -> Result<Option<Record>, ArchiveError> {
    if kind == RecordType::Response {
        return Ok(Some(rec));
    }
    let Some((p, off, len)) = rec
        .headers
        .get("WARC-Payload-Digest")
        .and_then(|d| payloads.get(d))
    else {
        return Ok(None);
    };
    read_record_from(p.as_ref(), *off, *len).map(Some)
}

/// Parse one capture into a row.
fn parse(
    mut c: Capture,
    rules: &RuleSet,
    opts: &ExtractOptions,
    now: DateTime<Utc>,
) -> Result<DatasetRow, String> {
    let location = format!("{}@{}", c.src.name().display(), c.offset);
    let http = c
        .http
        .take()
        .ok_or_else(|| format!("{location}: no HTTP"))?;
    // Without a content coding the payload is the body: no copy (as `reparse` does).
    let body: std::borrow::Cow<'_, [u8]> = match http.header("content-encoding") {
        None => std::borrow::Cow::Borrowed(&http.body),
        Some(_) => std::borrow::Cow::Owned(
            http.decoded_body()
                .map_err(|e| format!("{location}: {e}"))?,
        ),
    };
    let input = ExtractInput {
        body: &body,
        url: &c.uri,
        content_type: http.header("content-type"),
        captured: Some(c.date),
    };
    let article = extract(&input, rules, opts).article;
    Ok(DatasetRow {
        article,
        capture_time: Some(c.date),
        warc_file: Some(super::collect::file_name(c.src.name())),
        warc_offset: Some(c.offset),
        warc_length: Some(c.length),
        response_record_id: c.id,
        conversion_record_id: None,
        parsed_time: Some(now),
    })
}

/// First pass: the newest capture (latest WARC-Date, then the later record) of every target
/// URL among the 2xx responses of `files` and the revisits of a response seen before (what
/// `export` would find a parse of: a later 404 or a 304 does not hide the page).
fn newest_captures(files: &[Source]) -> Result<Newest, ArchiveError> {
    let mut newest = Newest::new();
    let mut digests = std::collections::HashSet::new();
    for (index, src) in files.iter().enumerate() {
        for rr in ArchiveReader::from_source(src.as_ref())?
            .lenient(true)
            .flatten()
        {
            let rec = &rr.record;
            let digest = rec.headers.get("WARC-Payload-Digest");
            let ok = match rec.record_type() {
                RecordType::Response => {
                    if let Some(d) = digest {
                        digests.insert(d.to_string());
                    }
                    crate::archive::head_info(&rec.block)
                        .is_some_and(|(status, _)| (200..300).contains(&status))
                }
                RecordType::Revisit => digest.is_some_and(|d| digests.contains(d)),
                _ => false,
            };
            let (true, Some(uri), Some(date)) = (ok, rec.target_uri(), rec.date()) else {
                continue;
            };
            match newest.get(uri) {
                Some((d, _, _)) if *d > date => {}
                _ => {
                    newest.insert(uri.to_string(), (date, index, rr.offset));
                }
            }
        }
    }
    Ok(newest)
}
