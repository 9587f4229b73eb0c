//! `records(path, *, types=None, lenient=False) -> Records`: an iterator of `Record` over a
//! `.warc.zst` / `.warc.gz` / `.warc` file, read by the crate's streaming reader.

use std::sync::Mutex;

use chrono::{DateTime, Utc};
use newsarc::archive::{ArchiveReader, ReadRecord, RecordType};
use newsarc::store::{Location, StoreOptions, Stores};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::NewsarcError;

/// The record types `types=` accepts.
const TYPES: &[&str] = &[
    "warcinfo",
    "response",
    "resource",
    "request",
    "metadata",
    "revisit",
    "conversion",
    "continuation",
];

/// One WARC record.
#[pyclass(frozen, get_all, module = "newsarc")]
pub struct Record {
    /// WARC-Type (`response`, `request`, `conversion`, ...).
    #[pyo3(name = "type")]
    kind: String,
    /// WARC-Target-URI, if any.
    url: Option<String>,
    /// WARC-Date (aware, UTC), if readable.
    date: Option<DateTime<Utc>>,
    /// HTTP status of a response or revisit; None for other records.
    status: Option<u16>,
    /// HTTP header fields in order (empty for non-HTTP records).
    headers: Vec<(String, String)>,
    /// WARC header fields in order.
    warc_headers: Vec<(String, String)>,
    /// The payload: an HTTP body with transfer and content coding removed, else the block.
    payload: Py<PyBytes>,
    /// WARC-Record-ID.
    record_id: Option<String>,
    /// The archive file.
    file: String,
    /// Byte offset of the record in the file (seekable for `.warc.zst`).
    offset: u64,
    /// Length of the record in the file (compressed length when compressed).
    length: u64,
}

#[pymethods]
impl Record {
    fn __repr__(&self) -> String {
        format!(
            "<Record {} {} {}@{}>",
            self.kind,
            self.url.as_deref().unwrap_or("-"),
            self.file,
            self.offset
        )
    }

    /// The first HTTP header of that name (case-insensitive), or None.
    fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    }
}

/// The iterator `records()` returns.
#[pyclass(module = "newsarc")]
pub struct Records {
    reader: Mutex<ArchiveReader>,
    file: String,
    types: Option<Vec<RecordType>>,
    lenient: bool,
    problems: Mutex<Vec<String>>,
}

#[pymethods]
impl Records {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Record>> {
        loop {
            let next = py.detach(|| {
                let mut r = self.reader.lock().unwrap_or_else(|p| p.into_inner());
                r.next()
            });
            match next {
                None => return Ok(None),
                Some(Err(e)) if self.lenient => self
                    .problems
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(e.to_string()),
                Some(Err(e)) => return Err(NewsarcError::new_err(e.to_string())),
                Some(Ok(rr)) => {
                    if let Some(types) = &self.types
                        && !types.contains(&rr.record.record_type())
                    {
                        continue;
                    }
                    return record(py, rr, &self.file).map(Some);
                }
            }
        }
    }

    /// With `lenient=True`: the damaged stretches skipped so far (file, offset, reason).
    #[getter]
    fn problems(&self) -> Vec<String> {
        self.problems
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// Iterate over the records of a WARC file (`.warc.zst`, `.warc.gz`, `.warc`): a local
/// path, an `http(s)://` URL or an `s3://bucket/key` (streamed, never downloaded whole;
/// `anonymous`: unsigned requests, for public buckets; else AWS credentials as usual).
///
/// `types` keeps only records of those WARC-Types. A damaged or cut file raises
/// `NewsarcError` naming the file and offset when the reader reaches it, unless `lenient`:
/// then damaged stretches are skipped (and listed in the iterator's `problems`) and reading
/// resumes at the next record.
#[pyfunction]
#[pyo3(signature = (path, *, types=None, lenient=false, anonymous=false))]
pub fn records(
    py: Python<'_>,
    path: std::path::PathBuf,
    types: Option<Vec<String>>,
    lenient: bool,
    anonymous: bool,
) -> PyResult<Records> {
    let types = types.map(|t| parse_types(&t)).transpose()?;
    let reader = py
        .detach(|| {
            let loc = Location::parse(&path).map_err(|e| e.to_string())?;
            let src = stores(anonymous).open(&loc).map_err(|e| e.to_string())?;
            ArchiveReader::from_source(src.as_ref()).map_err(|e| e.to_string())
        })
        .map_err(NewsarcError::new_err)?
        .lenient(lenient);
    let path = path.to_string_lossy().into_owned();
    Ok(Records {
        reader: Mutex::new(reader),
        file: path,
        types,
        lenient,
        problems: Mutex::new(Vec::new()),
    })
}

fn parse_types(names: &[String]) -> PyResult<Vec<RecordType>> {
    names
        .iter()
        .map(|n| {
            let n = n.to_ascii_lowercase();
            if TYPES.contains(&n.as_str()) {
                Ok(RecordType::parse(&n))
            } else {
                Err(PyValueError::new_err(format!(
                    "unknown record type {n:?}; valid: {}",
                    TYPES.join(", ")
                )))
            }
        })
        .collect()
}

/// The clients for remote archives (nothing starts until a remote name is read).
pub fn stores(anonymous: bool) -> Stores {
    Stores::new(StoreOptions {
        anonymous,
        ..Default::default()
    })
}

/// A read record as a `Record`.
fn record(py: Python<'_>, rr: ReadRecord, file: &str) -> PyResult<Record> {
    let rec = rr.record;
    let kind = rec.record_type();
    let is_http = matches!(
        kind,
        RecordType::Response | RecordType::Revisit | RecordType::Request
    ) && rec.is_http();
    let (status, headers, payload) = match is_http.then(|| rec.http()).transpose() {
        Ok(Some(http)) => {
            let body = if http.header("content-encoding").is_some() {
                http.decoded_body()
                    .map_err(|e| NewsarcError::new_err(format!("{file}@{}: {e}", rr.offset)))?
            } else {
                http.body
            };
            let status = (http.status != 0).then_some(http.status);
            (status, http.headers, body)
        }
        Ok(None) => (None, Vec::new(), rec.block.clone()),
        Err(e) => return Err(NewsarcError::new_err(format!("{file}@{}: {e}", rr.offset))),
    };
    Ok(Record {
        kind: kind.as_str().to_string(),
        url: rec.target_uri().map(str::to_string),
        date: rec.date(),
        status,
        headers,
        warc_headers: rec
            .headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        payload: PyBytes::new(py, &payload).unbind(),
        record_id: rec.id().map(str::to_string),
        file: file.to_string(),
        offset: rr.offset,
        length: rr.length,
    })
}
