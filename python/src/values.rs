//! Rust values → Python objects: Article JSON (through `json.loads`, so the dict is exactly
//! the JSON's) and dataset rows (typed as the Parquet export types them).

use chrono::DateTime;
use newsarc::export::{COLUMNS, ColumnType, DatasetRow, Value};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList};

/// `json.loads(text)`, with the function looked up once.
pub fn json_loads(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let loads = LOADS.get_or_try_init(py, || {
        Ok::<_, PyErr>(py.import("json")?.getattr("loads")?.unbind())
    })?;
    loads.call1(py, (text,))
}

/// A dataset row as a dict of its columns, in [`COLUMNS`] order: text as `str`, lists as
/// `list[str]`, timestamps as aware `datetime`s in the offset the page gave (the same instant
/// the Parquet export stores in UTC), integers as `int`, the confidence as `float`.
pub fn row_dict<'py>(py: Python<'py>, row: &DatasetRow) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for c in COLUMNS {
        d.set_item(c.name, value(py, (c.get)(row))?)?;
    }
    Ok(d)
}

/// One column value.
pub fn value<'py>(py: Python<'py>, v: Value<'_>) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Text(t) => t.into_pyobject(py)?.into_any(),
        Value::Owned(t) => t.into_pyobject(py)?.into_any(),
        Value::List(l) => PyList::new(py, l)?.into_any(),
        Value::Timestamp(None) => py.None().into_bound(py),
        Value::Timestamp(Some((_, text))) => match DateTime::parse_from_rfc3339(&text) {
            Ok(t) => t.into_pyobject(py)?.into_any(),
            Err(_) => py.None().into_bound(py),
        },
        Value::Int(i) => i.into_pyobject(py)?.into_any(),
        Value::Float(f) => f.map(f64::from).into_pyobject(py)?.into_any(),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
    })
}

/// The dataset's columns as `(name, type)` pairs; types are `str`, `str!` (never null),
/// `list[str]`, `timestamp`, `int`, `int!`, `float`, `bool`.
pub fn column_types() -> Vec<(&'static str, &'static str)> {
    COLUMNS
        .iter()
        .map(|c| {
            let t = match c.kind {
                ColumnType::Text => "str",
                ColumnType::RequiredText => "str!",
                ColumnType::TextList => "list[str]",
                ColumnType::Timestamp => "timestamp",
                ColumnType::Int => "int",
                ColumnType::RequiredInt => "int!",
                ColumnType::Float => "float",
                ColumnType::Bool => "bool",
            };
            (c.name, t)
        })
        .collect()
}
