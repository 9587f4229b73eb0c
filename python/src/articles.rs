//! `articles(paths, *, reparse=False, kinds=None, ...) -> Articles`: the rows of `newsarc
//! export` as dicts, from the stored parses (newest per canonical URL, or all versions) or
//! from a fresh parse of the stored responses (`export::FreshRows`).

use std::sync::Mutex;

use newsarc::archive::Source as ArchiveFile;
use newsarc::export::collect::{self, ConversionLoc, Scan};
use newsarc::export::{DatasetRow, FreshRows, RowFilter, parse_kinds};
use newsarc::extract::ExtractOptions;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::NewsarcError;
use crate::extract::captured_time;
use crate::rules::rules;
use crate::values::{column_types, row_dict};

/// Where the rows come from.
enum Source {
    /// Stored parses: the scan, and the conversions still to read (in archive order).
    Stored {
        scan: Box<Scan>,
        todo: std::vec::IntoIter<ConversionLoc>,
    },
    /// A fresh parse of the stored responses.
    Fresh(Box<FreshRows>),
}

/// The iterator `articles()` returns. `problems` lists what could not be read (damaged
/// records, conversions that are not Article JSON), each naming file and offset; those rows
/// are skipped, as `newsarc export` skips and reports them.
#[pyclass(module = "newsarc")]
pub struct Articles {
    source: Mutex<Source>,
    filter: RowFilter,
    /// Spark mode: no filtering here; every row gets `_key` (the dedup key) and `_keep`.
    marked: bool,
    problems: Mutex<Vec<String>>,
}

#[pymethods]
impl Articles {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        loop {
            let next = py.detach(|| {
                let mut src = self.source.lock().unwrap_or_else(|p| p.into_inner());
                next_row(&mut src, &self.filter, self.marked)
            });
            match next {
                None => return Ok(None),
                Some(Err(e)) => self
                    .problems
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(e),
                Some(Ok(row)) => {
                    let keep = self.filter.keep(&row);
                    if !keep && !self.marked {
                        continue;
                    }
                    let d = row_dict(py, &row)?;
                    if self.marked {
                        let a = &row.article;
                        d.set_item("_key", a.canonical_url.as_deref().unwrap_or(&a.url))?;
                        d.set_item("_keep", keep)?;
                    }
                    return Ok(Some(d));
                }
            }
        }
    }

    /// What could not be read so far (file@offset: reason).
    #[getter]
    fn problems(&self) -> Vec<String> {
        self.problems
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// The next row (unfiltered but for the kind check that saves a seek).
fn next_row(
    src: &mut Source,
    filter: &RowFilter,
    marked: bool,
) -> Option<Result<DatasetRow, String>> {
    match src {
        Source::Fresh(rows) => rows.next(),
        Source::Stored { scan, todo } => loop {
            let c = todo.next()?;
            if marked || filter.keeps_kind(c.kind) {
                return Some(collect::row(scan, &c));
            }
        },
    }
}

/// The rows of a dataset export of the archives `paths` (files or folders).
///
/// By default the newest stored parse per canonical URL, of the parsed page kinds (article,
/// liveblog, gallery, video); `all_versions=True` gives every stored parse; `reparse=True`
/// parses the stored responses again now with the current extractor and `selectors` (or the
/// shipped rules; `site_rules=False`: none) instead of reading stored parses. The filters are
/// `newsarc export`'s: `kinds` (names or a comma list), `site`, `since`/`until` (datetime or
/// string; by publication date unless `by_capture_date`), `language`, `min_words`.
#[pyfunction]
#[pyo3(signature = (paths, *, reparse=false, kinds=None, site=None, since=None, until=None,
    by_capture_date=false, language=None, min_words=None, all_versions=false,
    site_rules=true, selectors=None, anonymous=false, _marked=false))]
#[allow(clippy::too_many_arguments)]
pub fn articles(
    py: Python<'_>,
    paths: &Bound<'_, PyAny>,
    reparse: bool,
    kinds: Option<&Bound<'_, PyAny>>,
    site: Option<String>,
    since: Option<&Bound<'_, PyAny>>,
    until: Option<&Bound<'_, PyAny>>,
    by_capture_date: bool,
    language: Option<String>,
    min_words: Option<usize>,
    all_versions: bool,
    site_rules: bool,
    selectors: Option<&str>,
    anonymous: bool,
    _marked: bool,
) -> PyResult<Articles> {
    let files = files_of(paths, anonymous)?;
    let filter = filter_of(&FilterArgs {
        kinds: kinds.cloned(),
        site,
        since: since.cloned(),
        until: until.cloned(),
        by_capture_date,
        language,
        min_words,
    })?;
    let source = if reparse {
        let rules = rules(site_rules, selectors)?;
        let opts = ExtractOptions {
            no_site_rules: !site_rules,
            ..Default::default()
        };
        let now = chrono::Utc::now();
        let rows = py
            .detach(|| FreshRows::new(files, rules, opts, all_versions, now))
            .map_err(|e| NewsarcError::new_err(e.to_string()))?;
        Source::Fresh(Box::new(rows))
    } else {
        if selectors.is_some() || !site_rules {
            return Err(PyValueError::new_err(
                "selectors= and site_rules= choose the rules of a fresh parse: pass reparse=True",
            ));
        }
        let scan = py
            .detach(|| collect::scan(&files))
            .map_err(|e| NewsarcError::new_err(e.to_string()))?;
        // All versions in Spark mode: the newest is chosen across files by Spark.
        let todo: Vec<ConversionLoc> = collect::select(&scan, all_versions || _marked)
            .into_iter()
            .cloned()
            .collect();
        Source::Stored {
            scan: Box::new(scan),
            todo: todo.into_iter(),
        }
    };
    let problems = match &source {
        Source::Stored { scan, .. } => scan.problems.clone(),
        Source::Fresh(_) => Vec::new(),
    };
    Ok(Articles {
        source: Mutex::new(source),
        filter,
        marked: _marked,
        problems: Mutex::new(problems),
    })
}

/// The row filters as Python gives them (the keyword arguments of `articles()`).
pub struct FilterArgs<'py> {
    pub kinds: Option<Bound<'py, PyAny>>,
    pub site: Option<String>,
    pub since: Option<Bound<'py, PyAny>>,
    pub until: Option<Bound<'py, PyAny>>,
    pub by_capture_date: bool,
    pub language: Option<String>,
    pub min_words: Option<usize>,
}

impl<'py> FilterArgs<'py> {
    /// The filters among keyword arguments (`None` values count as absent); any other key is
    /// a `TypeError`.
    pub fn from_kwargs(kw: Option<&Bound<'py, PyDict>>) -> PyResult<Self> {
        let mut args = FilterArgs {
            kinds: None,
            site: None,
            since: None,
            until: None,
            by_capture_date: false,
            language: None,
            min_words: None,
        };
        let Some(kw) = kw else { return Ok(args) };
        for (k, v) in kw.iter() {
            let key: String = k.extract()?;
            if v.is_none() {
                continue;
            }
            match key.as_str() {
                "kinds" => args.kinds = Some(v),
                "site" => args.site = Some(v.extract()?),
                "since" => args.since = Some(v),
                "until" => args.until = Some(v),
                "by_capture_date" => args.by_capture_date = v.extract()?,
                "language" => args.language = Some(v.extract()?),
                "min_words" => args.min_words = Some(v.extract()?),
                other => {
                    return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                        "unknown filter {other:?}: kinds, site, since, until, by_capture_date, \
                         language, min_words"
                    )));
                }
            }
        }
        Ok(args)
    }
}

/// The `RowFilter` the arguments describe (bad kinds or dates: `ValueError`).
pub fn filter_of(a: &FilterArgs<'_>) -> PyResult<RowFilter> {
    Ok(RowFilter {
        kinds: a.kinds.as_ref().map(kinds_of).transpose()?,
        site: a.site.clone(),
        since: a.since.as_ref().map(captured_time).transpose()?,
        until: a.until.as_ref().map(captured_time).transpose()?,
        by_capture_date: a.by_capture_date,
        language: a.language.clone(),
        min_words: a.min_words,
    })
}

/// `kinds`: a comma-separated string or a list of names.
fn kinds_of(
    v: &Bound<'_, PyAny>,
) -> PyResult<std::collections::BTreeSet<newsarc::model::PageKind>> {
    let list = match v.extract::<String>() {
        Ok(s) => s,
        Err(_) => v.extract::<Vec<String>>()?.join(","),
    };
    parse_kinds(&list).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// The names of `paths`: one string (path or URL) or a list of them.
fn names_of(paths: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    if let Ok(p) = paths.extract::<std::path::PathBuf>() {
        return Ok(vec![p.to_string_lossy().into_owned()]);
    }
    Ok(paths
        .extract::<Vec<std::path::PathBuf>>()?
        .into_iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect())
}

/// Archive files: each name a local file or folder, an `http(s)://` URL, or an `s3://`
/// object or prefix (`anonymous`: unsigned requests, for public buckets).
fn files_of(paths: &Bound<'_, PyAny>, anonymous: bool) -> PyResult<Vec<ArchiveFile>> {
    let names = names_of(paths)?;
    paths
        .py()
        .detach(|| crate::records::stores(anonymous).resolve_all(&names))
        .map_err(|e| NewsarcError::new_err(e.to_string()))
}

/// The archive files `paths` (files, folders, URLs, `s3://` prefixes) stand for, in the order
/// `export` reads them.
#[pyfunction]
#[pyo3(signature = (paths, *, anonymous=false))]
pub fn archive_files(paths: &Bound<'_, PyAny>, anonymous: bool) -> PyResult<Vec<String>> {
    Ok(files_of(paths, anonymous)?
        .into_iter()
        .map(|s| s.name().to_string_lossy().into_owned())
        .collect())
}

/// The dataset's columns as `(name, type)` pairs, in export order (see `newsarc.spark`).
#[pyfunction]
pub fn columns() -> Vec<(&'static str, &'static str)> {
    column_types()
}
