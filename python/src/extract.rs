//! `extract(html, url=None, *, captured=None, site_rules=True, selectors=None) -> dict`.

use chrono::{DateTime, NaiveDateTime, Utc};
use newsarc::extract::{ExtractInput, ExtractOptions};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::rules::rules;
use crate::values::json_loads;

/// The page's URL when none is given.
const NO_URL: &str = "about:blank";

/// Extract the article fields of one HTML page.
///
/// Returns the Article object `newsarc extract` prints (without the `source` key the CLI adds
/// to name its input): equal after `json.dumps(..., sort_keys=True)`. `html` is the body as
/// received (bytes, any charset) or already-decoded text (str: read as UTF-8 whatever the page
/// declares). `captured` (a datetime, naive means UTC, or an RFC 3339 / `YYYY-MM-DD` string)
/// picks the template of a dated selector config. Site rules are the configs shipped with the
/// package, the folder `selectors`, or none (`site_rules=False`). The work runs without the
/// GIL, so threads extract in parallel.
#[pyfunction]
#[pyo3(signature = (html, url=None, *, captured=None, site_rules=true, selectors=None))]
pub fn extract(
    py: Python<'_>,
    html: &Bound<'_, PyAny>,
    url: Option<&str>,
    captured: Option<&Bound<'_, PyAny>>,
    site_rules: bool,
    selectors: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let (body, content_type) = body_of(html)?;
    let captured = captured.map(captured_time).transpose()?;
    let rules = rules(site_rules, selectors)?;
    let url = url.unwrap_or(NO_URL).to_string();
    let opts = ExtractOptions {
        no_site_rules: !site_rules,
        ..Default::default()
    };
    let json = py.detach(|| {
        let input = ExtractInput {
            body: &body,
            url: &url,
            content_type,
            captured,
        };
        let article = newsarc::extract::extract(&input, &rules, &opts).article;
        serde_json::to_string(&article)
    });
    let json = json.map_err(|e| PyValueError::new_err(format!("cannot serialise article: {e}")))?;
    json_loads(py, &json)
}

/// The bytes to parse, and the Content-Type that goes with them (text is UTF-8).
fn body_of(html: &Bound<'_, PyAny>) -> PyResult<(Vec<u8>, Option<&'static str>)> {
    if let Ok(b) = html.cast::<PyBytes>() {
        return Ok((b.as_bytes().to_vec(), None));
    }
    if let Ok(s) = html.cast::<PyString>() {
        return Ok((
            s.to_cow()?.as_bytes().to_vec(),
            Some("text/html; charset=utf-8"),
        ));
    }
    if let Ok(b) = html.extract::<Vec<u8>>() {
        return Ok((b, None));
    }
    Err(PyTypeError::new_err(format!(
        "html must be bytes or str, not {}",
        html.get_type().name()?
    )))
}

/// A capture time from a datetime (naive = UTC) or a string.
pub fn captured_time(v: &Bound<'_, PyAny>) -> PyResult<DateTime<Utc>> {
    if let Ok(d) = v.extract::<DateTime<Utc>>() {
        return Ok(d);
    }
    if let Ok(d) = v.extract::<DateTime<chrono::FixedOffset>>() {
        return Ok(d.with_timezone(&Utc));
    }
    if let Ok(d) = v.extract::<NaiveDateTime>() {
        return Ok(d.and_utc());
    }
    if let Ok(s) = v.extract::<String>() {
        return parse_time(&s).ok_or_else(|| {
            PyValueError::new_err(format!(
                "{s:?} is not a date: give an RFC 3339 time (2024-05-03T10:00:00Z) or YYYY-MM-DD"
            ))
        });
    }
    Err(PyTypeError::new_err(format!(
        "a time must be a datetime or a string, not {}",
        v.get_type().name()?
    )))
}

/// RFC 3339, or a day (`YYYY-MM-DD`, midnight UTC).
fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
}
