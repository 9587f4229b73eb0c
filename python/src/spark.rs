//! The native halves of `newsarc.spark`'s stored-parse plan, which is `newsarc export`'s own
//! (scan → newest per key → seek), spread over Spark tasks:
//!
//! 1. `_scan_file(path)`: one task per archive file lists its responses and conversions
//!    (`export::collect::scan`, a few dozen bytes per record, no bodies);
//! 2. `_select(scans, all_versions)`, on the driver: joins conversions with their responses
//!    across files and keeps the newest per key (`export::collect::select`), grouped by the
//!    file of the conversion;
//! 3. `_parquet_at(items, ...)`: a task reads the winners of its conversion files back, builds
//!    the rows (`export::collect::row`), keeps those the filters keep (`RowFilter::keep`) and
//!    writes them with the export's own Parquet writer into memory; Python reads that file as
//!    Arrow batches for `mapInArrow`, so no row becomes a Python object. (`_rows_at` gives
//!    the same rows as dicts.)
//!
//! Dates cross the Spark boundary as microseconds since the epoch (UTC), so no time zone of a
//! worker can shift them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use newsarc::archive::Source;
use newsarc::export::collect::{self, ConversionLoc, ResponseLoc, Scan};
use newsarc::export::{DatasetRow, ParquetWriter, TableWriter};
use newsarc::model::PageKind;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use crate::NewsarcError;
use crate::articles::{FilterArgs, filter_of};
use crate::records::stores;
use crate::values::row_dict;

/// A response: (record id, file, offset, length, date µs).
type ResponseRow = (String, String, u64, u64, Option<i64>);
/// A conversion: (file, offset, length, date µs, record id, refers to, key, kind).
type ConversionRow = (
    String,
    u64,
    u64,
    Option<i64>,
    Option<String>,
    Option<String>,
    String,
    String,
);
/// A winner to read: a conversion, then its response's (file, offset, length, date µs).
type Item = (
    String,
    u64,
    u64,
    Option<i64>,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<u64>,
    Option<u64>,
    Option<i64>,
);

fn micros(d: Option<DateTime<Utc>>) -> Option<i64> {
    d.map(|d| d.timestamp_micros())
}

fn date(us: Option<i64>) -> Option<DateTime<Utc>> {
    us.and_then(DateTime::from_timestamp_micros)
}

/// The responses and conversions of one archive file. A damaged record raises (the Spark job
/// fails naming the file and offset), since a dataset must not lose rows silently.
#[pyfunction]
#[pyo3(signature = (path, *, anonymous=false))]
pub fn _scan_file(
    py: Python<'_>,
    path: String,
    anonymous: bool,
) -> PyResult<(Vec<ResponseRow>, Vec<ConversionRow>)> {
    py.detach(|| {
        let files = stores(anonymous)
            .resolve_all(std::slice::from_ref(&path))
            .map_err(|e| e.to_string())?;
        let scan = collect::scan(&files).map_err(|e| e.to_string())?;
        if !scan.problems.is_empty() {
            return Err(scan.problems.join("; "));
        }
        let name = |i: usize| scan.name(i).to_string_lossy().into_owned();
        let responses = scan
            .responses
            .iter()
            .map(|(id, r)| (id.clone(), name(r.file), r.offset, r.length, micros(r.date)))
            .collect();
        let conversions = scan
            .conversions
            .iter()
            .map(|c| {
                (
                    name(c.file),
                    c.offset,
                    c.length,
                    micros(c.date),
                    c.id.clone(),
                    c.refers_to.clone(),
                    c.key.clone(),
                    c.kind.name().to_string(),
                )
            })
            .collect();
        Ok((responses, conversions))
    })
    .map_err(NewsarcError::new_err)
}

/// The winners of `scans` (what `_scan_file` gave for each file), each joined with its
/// response, grouped by the file of the conversion (in file order, archive order within).
#[pyfunction]
#[pyo3(signature = (scans, all_versions=false))]
pub fn _select(
    py: Python<'_>,
    scans: Vec<(Vec<ResponseRow>, Vec<ConversionRow>)>,
    all_versions: bool,
) -> PyResult<Vec<Vec<Item>>> {
    Ok(py.detach(|| select_items(scans, all_versions)))
}

fn select_items(
    scans: Vec<(Vec<ResponseRow>, Vec<ConversionRow>)>,
    all_versions: bool,
) -> Vec<Vec<Item>> {
    let mut names: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut id_of = |name: String| -> usize {
        *index.entry(name.clone()).or_insert_with(|| {
            names.push(name);
            names.len() - 1
        })
    };
    let mut scan = Scan::default();
    for (responses, conversions) in scans {
        for (id, file, offset, length, d) in responses {
            let file = id_of(file);
            scan.responses.insert(
                id,
                ResponseLoc {
                    file,
                    offset,
                    length,
                    date: date(d),
                },
            );
        }
        for (file, offset, length, d, id, refers_to, key, kind) in conversions {
            let file = id_of(file);
            scan.conversions.push(ConversionLoc {
                file,
                offset,
                length,
                date: date(d),
                id,
                refers_to,
                key,
                kind: PageKind::from_name(&kind).unwrap_or(PageKind::Other),
                block: None,
            });
        }
    }
    let mut groups: Vec<Vec<Item>> = Vec::new();
    let mut last: Option<usize> = None;
    for c in collect::select(&scan, all_versions) {
        let r = c.refers_to.as_ref().and_then(|r| scan.responses.get(r));
        let item: Item = (
            names[c.file].clone(),
            c.offset,
            c.length,
            micros(c.date),
            c.id.clone(),
            c.refers_to.clone(),
            c.key.clone(),
            c.kind.name().to_string(),
            r.map(|r| names[r.file].clone()),
            r.map(|r| r.offset),
            r.map(|r| r.length),
            r.and_then(|r| micros(r.date)),
        );
        if last != Some(c.file) {
            groups.push(Vec::new());
            last = Some(c.file);
        }
        if let Some(g) = groups.last_mut() {
            g.push(item);
        }
    }
    groups
}

/// Read the winners `items` back and build their rows; only the rows the filters keep.
#[pyfunction]
#[pyo3(signature = (items, *, anonymous=false, **filters))]
pub fn _rows_at<'py>(
    py: Python<'py>,
    items: Vec<Item>,
    anonymous: bool,
    filters: Option<&Bound<'py, PyDict>>,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let filter = filter_of(&FilterArgs::from_kwargs(filters)?)?;
    let rows = py
        .detach(|| {
            let (scan, locs) = plan(&items, anonymous)?;
            locs.iter()
                .map(|c| collect::row(&scan, c))
                .collect::<Result<Vec<_>, String>>()
        })
        .map_err(NewsarcError::new_err)?;
    rows.iter()
        .filter(|r| filter.keep(r))
        .map(|r| row_dict(py, r))
        .collect()
}

/// The rows of the winners `items` that the filters keep, as one uncompressed Parquet file
/// (the export's writer and schema) in memory.
#[pyfunction]
#[pyo3(signature = (items, *, anonymous=false, **filters))]
pub fn _parquet_at<'py>(
    py: Python<'py>,
    items: Vec<Item>,
    anonymous: bool,
    filters: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let filter = filter_of(&FilterArgs::from_kwargs(filters)?)?;
    let bytes = py
        .detach(|| {
            let (scan, locs) = plan(&items, anonymous)?;
            let name = items.first().map(|i| i.0.as_str()).unwrap_or("<no rows>");
            let mut out =
                ParquetWriter::in_memory(std::path::Path::new(name)).map_err(|e| e.to_string())?;
            for c in &locs {
                let row: DatasetRow = collect::row(&scan, c)?;
                if filter.keep(&row) {
                    out.write_row(&row).map_err(|e| e.to_string())?;
                }
            }
            out.into_bytes().map_err(|e| e.to_string())
        })
        .map_err(NewsarcError::new_err)?;
    Ok(PyBytes::new(py, &bytes))
}

/// A scan holding just what `collect::row` needs for `items`.
fn plan(items: &[Item], anonymous: bool) -> Result<(Scan, Vec<ConversionLoc>), String> {
    let stores = stores(anonymous);
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut files: Vec<Source> = Vec::new();
    let mut file_of = |name: &str| -> Result<usize, String> {
        if let Some(i) = index.get(name) {
            return Ok(*i);
        }
        let loc = newsarc::store::Location::parse(name).map_err(|e| e.to_string())?;
        files.push(stores.open(&loc).map_err(|e| e.to_string())?);
        index.insert(name.to_string(), files.len() - 1);
        Ok(files.len() - 1)
    };
    let mut responses = HashMap::new();
    let mut locs = Vec::with_capacity(items.len());
    for (cf, co, cl, cd, id, refers, key, kind, rf, ro, rl, rd) in items {
        let file = file_of(cf)?;
        if let (Some(r), Some(rf), Some(ro), Some(rl)) = (refers, rf, ro, rl) {
            let rfile = file_of(rf)?;
            responses.insert(
                r.clone(),
                ResponseLoc {
                    file: rfile,
                    offset: *ro,
                    length: *rl,
                    date: date(*rd),
                },
            );
        }
        locs.push(ConversionLoc {
            file,
            offset: *co,
            length: *cl,
            date: date(*cd),
            id: id.clone(),
            refers_to: refers.clone(),
            key: key.clone(),
            kind: PageKind::from_name(kind).unwrap_or(PageKind::Other),
            block: None,
        });
    }
    let scan = Scan {
        files,
        responses,
        ..Default::default()
    };
    Ok((scan, locs))
}
