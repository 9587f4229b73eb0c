//! The machine-readable APIs: a pywb-compatible CDX server (`/cdx`) and the export's JSON
//! rows (`/api/articles`).

use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::app::AppState;
use super::catalog::{CaptureRow, Catalog, CdxMatch, ListQuery};
use super::query::Params;
use super::records::{article, ts_time};
use super::reply::{HttpError, blocking};
use crate::archive::cdxj::surt;
use crate::export::DatasetRow;

/// How a CDX query's URL matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CdxKey {
    /// The SURT key or prefix.
    pub key: String,
    /// Exact, prefix or domain match (the character after the key is `)` or `,`).
    pub mode: CdxMatch,
}

/// The SURT key (or prefix) for `url` and pywb's `matchType`.
pub fn cdx_key(url: &str, match_type: &str) -> Result<CdxKey, HttpError> {
    let (url, star) = match url.strip_suffix('*') {
        Some(u) => (u, true),
        None => (url, false),
    };
    let full = if url.contains("://") {
        url.to_string()
    } else {
        format!("http://{url}")
    };
    let parsed = url::Url::parse(&full).map_err(|e| {
        HttpError::bad_request(format!("bad parameter url={url:?}: not a URL ({e})"))
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(HttpError::bad_request(format!(
            "bad parameter url={url:?}: an http(s) URL or host, e.g. example.com/news/*"
        )));
    }
    let key = surt(&full);
    let host_key = key.split(')').next().unwrap_or_default().to_string();
    let match_type = if star && match_type == "exact" {
        "prefix"
    } else {
        match_type
    };
    Ok(match match_type {
        "exact" => CdxKey {
            key,
            mode: CdxMatch::Exact,
        },
        "prefix" => {
            // `example.com/news/` and `example.com/news/*`: the path as given is the prefix.
            let key = if full.ends_with('/') || star {
                key
            } else {
                key.trim_end_matches('/').to_string()
            };
            CdxKey {
                key,
                mode: CdxMatch::Prefix,
            }
        }
        "host" => CdxKey {
            key: format!("{host_key})"),
            mode: CdxMatch::Prefix,
        },
        _ => CdxKey {
            key: host_key,
            mode: CdxMatch::Domain,
        },
    })
}

/// `/cdx?url=…[&matchType=exact|prefix|host|domain][&from=…][&to=…][&limit=…][&output=json]`
pub async fn cdx(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, HttpError> {
    let p = Params::parse(raw.as_deref());
    let url = p.get("url").ok_or_else(|| {
        HttpError::bad_request(
            "missing parameter url: e.g. /cdx?url=example.com/news/*&output=json",
        )
    })?;
    let match_type = p.choice("matchType", &["exact", "prefix", "host", "domain"])?;
    let key = cdx_key(url, match_type)?;
    let from = p.from_ts("from")?;
    let to = p.to_ts("to")?;
    let limit = p.limit("limit", 10_000, 100_000)?;
    let json = p.choice("output", &["cdxj", "json"])? == "json";
    blocking(move || {
        let rows = s
            .catalog
            .cdx(&key.key, key.mode, from.as_deref(), to.as_deref(), limit)?;
        let mut out = String::new();
        for r in &rows {
            out.push_str(&cdx_line(&s.catalog, r, json));
            out.push('\n');
        }
        let ctype = if json {
            "application/x-ndjson"
        } else {
            "text/x-cdxj; charset=utf-8"
        };
        let mut resp = out.into_response();
        resp.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
        Ok(resp)
    })
    .await
}

/// One CDX result: pywb's JSON object, or a CDXJ line.
fn cdx_line(cat: &Catalog, r: &CaptureRow, json: bool) -> String {
    let mut obj = serde_json::Map::new();
    if json {
        obj.insert("urlkey".into(), r.surt.clone().into());
        obj.insert("timestamp".into(), r.ts.clone().into());
    }
    obj.insert("url".into(), r.url.clone().into());
    if let Some(m) = &r.mime {
        obj.insert("mime".into(), m.clone().into());
    }
    if let Some(st) = r.status {
        obj.insert("status".into(), st.to_string().into());
    }
    if let Some(d) = &r.digest {
        obj.insert("digest".into(), d.clone().into());
    }
    obj.insert("length".into(), r.length.to_string().into());
    obj.insert("offset".into(), r.offset.to_string().into());
    obj.insert(
        "filename".into(),
        cat.file(r.file)
            .map(|f| f.name.clone())
            .unwrap_or_default()
            .into(),
    );
    if r.rtype != "response" {
        obj.insert("type".into(), r.rtype.clone().into());
    }
    let body = serde_json::Value::Object(obj).to_string();
    if json {
        body
    } else {
        format!("{} {} {body}", r.surt, r.ts)
    }
}

/// `/api/articles?[site=…][&from=…][&to=…][&kind=…][&lang=…][&limit=…][&page=…]`: the
/// newest parse of each capture as the export's JSON rows (one per line, newest capture
/// first), with the provenance columns that lead back to the raw record.
pub async fn articles(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, HttpError> {
    let p = Params::parse(raw.as_deref());
    let q = ListQuery {
        site: p.site("site")?.unwrap_or_default(),
        from: p.from_ts("from")?,
        to: p.to_ts("to")?,
        kind: p.kind()?,
        language: p.language()?,
        page: p.page()?,
        per_page: p.limit("limit", 100, 1000)?,
    };
    blocking(move || {
        let mut out = String::new();
        for (parse, cap) in s.catalog.current_parses(&q)? {
            let row = DatasetRow {
                article: article(&s.catalog, &parse)?,
                capture_time: ts_time(&cap.ts),
                warc_file: s.catalog.file(cap.file).map(|f| f.name.clone()),
                warc_offset: Some(cap.offset as u64),
                warc_length: Some(cap.length as u64),
                response_record_id: parse.refers_to.clone(),
                conversion_record_id: parse.record_id.clone(),
                parsed_time: ts_time(&parse.ts),
            };
            out.push_str(
                &serde_json::to_string(&row).map_err(|e| HttpError::internal(e.to_string()))?,
            );
            out.push('\n');
        }
        let mut resp = out.into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-ndjson"),
        );
        Ok(resp)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_like_pywb() {
        let k = cdx_key("https://www.example.com/news/a", "exact").unwrap();
        assert_eq!(
            (k.key.as_str(), k.mode),
            ("com,example)/news/a", CdxMatch::Exact)
        );
        let k = cdx_key("example.com/news/*", "exact").unwrap();
        assert_eq!(
            (k.key.as_str(), k.mode),
            ("com,example)/news/", CdxMatch::Prefix)
        );
        assert_eq!(
            cdx_key("example.com/x", "host").unwrap().key,
            "com,example)"
        );
        let d = cdx_key("example.com", "domain").unwrap();
        assert_eq!((d.key.as_str(), d.mode), ("com,example", CdxMatch::Domain));
        assert!(cdx_key("ftp://example.com/", "exact").is_err());
        assert!(cdx_key("http://", "exact").is_err());
    }
}
