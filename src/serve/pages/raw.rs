//! `/raw?url=…&ts=…`: the WARC and HTTP headers of a capture's record; `/record?file=…&
//! offset=…`: that record as a `.warc` download. A file is named only as the catalogue
//! knows it (a bare archive file name, never a path) and the offset must be an indexed
//! record, so no request can reach another file or an arbitrary byte range.

use askama::Template;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, Response};

use crate::archive::cdxj::surt;
use crate::serve::app::AppState;
use crate::serve::query::Params;
use crate::serve::records::{nearest, record};
use crate::serve::reply::{HttpError, blocking};

#[derive(Template)]
#[template(path = "raw.html")]
struct RawPage {
    title: String,
    url: String,
    file: String,
    offset: i64,
    length: i64,
    download: String,
    capture_href: String,
    warc: Vec<(String, String)>,
    http_start: String,
    http: Vec<(String, String)>,
}

/// The raw headers page.
pub async fn page(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, HttpError> {
    let p = Params::parse(raw.as_deref());
    let url = p.url()?;
    let ts = p.digits_ts("ts")?;
    blocking(move || {
        let caps = s.catalog.captures_of(&surt(&url), 100_000)?;
        let cap = nearest(&caps, ts.as_deref())
            .ok_or_else(|| HttpError::not_found(format!("no capture of {url} in this archive")))?;
        let rec = record(&s.catalog, cap.file, cap.offset, cap.length)?;
        let file = s
            .catalog
            .file(cap.file)
            .map(|f| f.name.clone())
            .unwrap_or_default();
        let (http_start, http) = match rec.is_http().then(|| rec.http()) {
            Some(Ok(m)) => (m.start_line, m.headers),
            _ => (String::new(), Vec::new()),
        };
        let view = RawPage {
            title: format!("Raw record of {}", cap.url),
            url: cap.url.clone(),
            download: super::href(
                "/record",
                &[("file", &file), ("offset", &cap.offset.to_string())],
            ),
            capture_href: super::capture_href(&cap.url, &cap.ts),
            file,
            offset: cap.offset,
            length: cap.length,
            warc: rec
                .headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            http_start,
            http,
        };
        Ok(Html(view.render()?))
    })
    .await
}

/// Check a `file` parameter: a bare archive file name (no `/`, `\`, `..` or NUL).
pub fn plain_file_name(v: &str) -> Result<&str, HttpError> {
    let ok = !v.is_empty()
        && v.len() <= 255
        && !v.contains(['/', '\\', '\0'])
        && !v.contains("..")
        && crate::archive::is_archive_name(std::path::Path::new(v));
    if ok {
        Ok(v)
    } else {
        Err(HttpError::bad_request(format!(
            "bad parameter file={v:?}: the name of an archive file of this archive \
             (as CDX results give it), without a folder"
        )))
    }
}

/// The record download.
pub async fn download(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, HttpError> {
    let p = Params::parse(raw.as_deref());
    let name = plain_file_name(p.get("file").unwrap_or_default())?.to_string();
    let offset = match p.get("offset").map(str::parse::<i64>) {
        Some(Ok(o)) if o >= 0 => o,
        _ => {
            return Err(HttpError::bad_request(format!(
                "bad parameter offset={:?}: the record's offset, as CDX results give it",
                p.get("offset").unwrap_or_default()
            )));
        }
    };
    blocking(move || {
        let file = s
            .catalog
            .file_id(&name)
            .ok_or_else(|| HttpError::not_found(format!("no archive file named {name:?}")))?;
        let length = s.catalog.record_length(file, offset)?.ok_or_else(|| {
            HttpError::not_found(format!("no indexed record at offset {offset} of {name}"))
        })?;
        let rec = record(&s.catalog, file, offset, length)?;
        let mut r = Response::new(Body::from(rec.to_bytes()));
        let h = r.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/warc"),
        );
        let disp = format!(
            "attachment; filename=\"{}-{offset}.warc\"",
            name.replace('"', "")
        );
        if let Ok(v) = HeaderValue::from_str(&disp) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        Ok(r)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_archive_names() {
        assert!(plain_file_name("newsarc-20240503100000-00001.warc.zst").is_ok());
        for bad in [
            "../x.warc.zst",
            "/etc/passwd",
            "a/b.warc",
            "..warc",
            "x.txt",
            "",
            "a\\b.warc",
        ] {
            assert!(plain_file_name(bad).is_err(), "{bad}");
        }
    }
}
