//! The `newsarc._native` extension module: newsarc's extraction, archive reader and dataset
//! rows for Python. Everything here converts between Python and the `newsarc` crate; no
//! behaviour of its own (the crate is the single source of behaviour).
//!
//! - `extract()` (extract.rs): one page → the Article JSON of `newsarc extract`.
//! - `records()` (records.rs): the records of a WARC file, as `Record` objects.
//! - `articles()` (articles.rs): the rows of `newsarc export`, or of a fresh parse.
//! - spark.rs: the native halves of `newsarc.spark`'s plan (scan a file; rows at offsets).
//! - rules.rs: the site rules (embedded, a folder, or none); values.rs: row values → Python.

/// The allocator of the `newsarc` CLI (see its `main.rs`), so that Python and Spark parse as
/// fast as the CLI; built with the dlopen-safe thread-local storage a Python extension needs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod articles;
mod extract;
mod records;
mod rules;
mod spark;
mod values;

use pyo3::create_exception;
use pyo3::prelude::*;

create_exception!(
    newsarc,
    NewsarcError,
    pyo3::exceptions::PyException,
    "A newsarc error: an unreadable or damaged archive, a bad selector folder, ... The message \
     names the file (and offset) and what to do."
);

/// The Python module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("NewsarcError", m.py().get_type::<NewsarcError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("EXTRACTOR", newsarc::model::extractor_info().label())?;
    m.add_function(wrap_pyfunction!(extract::extract, m)?)?;
    m.add_function(wrap_pyfunction!(records::records, m)?)?;
    m.add_class::<records::Record>()?;
    m.add_class::<records::Records>()?;
    m.add_function(wrap_pyfunction!(articles::articles, m)?)?;
    m.add_function(wrap_pyfunction!(articles::columns, m)?)?;
    m.add_function(wrap_pyfunction!(articles::archive_files, m)?)?;
    m.add_class::<articles::Articles>()?;
    m.add_function(wrap_pyfunction!(spark::_scan_file, m)?)?;
    m.add_function(wrap_pyfunction!(spark::_rows_at, m)?)?;
    m.add_function(wrap_pyfunction!(spark::_parquet_at, m)?)?;
    m.add_function(wrap_pyfunction!(spark::_select, m)?)?;
    Ok(())
}
