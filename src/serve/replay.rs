//! `/replay/<ts>/<url>`: a capture's stored payload as it was received, its links pointed
//! back into the archive ([`super::rewrite`]), under a Content-Security-Policy that sandboxes
//! it (no scripts, an opaque origin) and lets it load nothing but other replay URLs. A URL
//! the archive does not hold is a 404: nothing is ever fetched from the live web.

use axum::body::Body;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use url::Url;

use super::app::AppState;
use super::catalog::Catalog;
use super::records::{nearest, original, record};
use super::reply::{HttpError, blocking};
use super::rewrite::Rewriter;
use crate::archive::cdxj::surt;

/// The replay path (the only path replayed pages may load from).
pub const PREFIX: &str = "/replay/";

/// The Content-Security-Policy of replayed payloads, for a server reached as `host`.
pub fn csp(host: Option<&str>) -> String {
    let origin = host
        .filter(|h| {
            !h.is_empty()
                && h.len() < 300
                && h.bytes().all(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']')
                })
        })
        .map(|h| format!("http://{h}{PREFIX} https://{h}{PREFIX}"));
    let (src, ancestors) = match &origin {
        Some(o) => (o.clone(), o.replace(PREFIX, "")),
        None => ("'none'".to_string(), "'none'".to_string()),
    };
    format!(
        "sandbox; default-src {src} data:; script-src 'none'; object-src 'none'; \
         style-src {src} data: 'unsafe-inline'; form-action 'none'; base-uri 'none'; \
         frame-ancestors {ancestors}"
    )
}

/// What a replay URL asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The key segment (`_k…/`) if one was given.
    pub key: Option<String>,
    /// 1–14 digits.
    pub ts: String,
    /// The archived URL.
    pub url: String,
}

/// Split `/replay/[_k<key>/]<ts>[xx_]/<url>` (raw path and query).
pub fn parse_target(path_and_query: &str) -> Result<Target, HttpError> {
    let rest = path_and_query
        .strip_prefix(PREFIX)
        .ok_or_else(|| HttpError::not_found("not a replay path"))?;
    let (key, rest) = match rest.strip_prefix("_k") {
        Some(r) => {
            let (k, r) = r.split_once('/').unwrap_or((r, ""));
            (Some(k.to_string()), r)
        }
        None => (None, rest),
    };
    let (ts, url) = rest.split_once('/').ok_or_else(|| {
        HttpError::bad_request(
            "a replay path is /replay/<timestamp>/<url>, e.g. /replay/2024/https://example.com/",
        )
    })?;
    let digits = ts.trim_end_matches(|c: char| c.is_ascii_lowercase() || c == '_');
    if !super::query::is_ts(digits) {
        return Err(HttpError::bad_request(format!(
            "bad replay timestamp {ts:?}: 1 to 14 digits (yyyyMMddhhmmss)"
        )));
    }
    let url = fix_scheme(url);
    match Url::parse(&url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => Ok(Target {
            key,
            ts: digits.to_string(),
            url,
        }),
        _ => Err(HttpError::bad_request(format!(
            "bad replay URL {url:?}: an absolute http:// or https:// URL"
        ))),
    }
}

/// `https:/x` (a collapsed double slash) → `https://x`.
fn fix_scheme(url: &str) -> String {
    for s in ["http:", "https:"] {
        if let Some(r) = url.strip_prefix(s)
            && r.starts_with('/')
            && !r.starts_with("//")
        {
            return format!("{s}/{r}");
        }
    }
    url.to_string()
}

/// The replay handler.
pub async fn replay(
    State(s): State<AppState>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
) -> Response {
    let policy = csp(headers.get(header::HOST).and_then(|h| h.to_str().ok()));
    let raw = uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let result = match parse_target(&raw) {
        Err(e) => Err(e),
        Ok(t) if !s.replay_allowed(t.key.as_deref(), &headers) => Err(HttpError {
            status: StatusCode::UNAUTHORIZED,
            message: "this server needs its access token".into(),
        }),
        Ok(t) => {
            let cat = s.catalog.clone();
            let prefix = format!("{PREFIX}{}", s.replay_key);
            blocking(move || payload(&cat, &t, &prefix)).await
        }
    };
    let mut resp = match result {
        Ok(r) => r,
        Err(e) => e.into_response(),
    };
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&policy) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    resp
}

/// The stored payload of the capture of `t.url` nearest to `t.ts`, ready to serve.
fn payload(cat: &Catalog, t: &Target, prefix: &str) -> Result<Response, HttpError> {
    let caps: Vec<_> = cat
        .captures_of(&surt(&t.url), 100_000)?
        .into_iter()
        .filter(|c| matches!(c.rtype.as_str(), "response" | "revisit" | "resource"))
        .collect();
    let Some(mut cap) = nearest(&caps, Some(&t.ts)) else {
        return Err(HttpError::not_found(format!(
            "{} is not in the archive (nothing is fetched from the live web)",
            t.url
        )));
    };
    if cap.rtype == "revisit" {
        cap = original(&caps, cap).ok_or_else(|| {
            HttpError::not_found(format!(
                "the capture of {} at {} is a revisit whose original is not in the archive",
                t.url, cap.ts
            ))
        })?;
    }
    let rec = record(cat, cap.file, cap.offset, cap.length)?;
    let page = Url::parse(&cap.url).map_err(|e| HttpError::internal(e.to_string()))?;
    let rw = Rewriter::new(&format!("{prefix}{}/", cap.ts), &page);
    let (status, ctype, location, body) = if rec.is_http() {
        let http = rec.http().map_err(|e| HttpError::internal(e.to_string()))?;
        let body = http
            .decoded_body()
            .map_err(|e| HttpError::internal(e.to_string()))?;
        let location = http.header("location").and_then(|l| rw.url(l));
        (
            http.status,
            http.header("content-type").map(str::to_string),
            location,
            body,
        )
    } else {
        (
            200,
            rec.headers.get("Content-Type").map(str::to_string),
            None,
            rec.block,
        )
    };
    let mime = ctype
        .as_deref()
        .map(crate::archive::mime_of)
        .unwrap_or_default();
    let body = match mime.as_str() {
        "text/html" | "application/xhtml+xml" => rw.html(&body),
        "text/css" => rw.css(&body),
        _ => body,
    };
    let status = StatusCode::from_u16(status)
        .ok()
        .filter(|s| !s.is_informational())
        .unwrap_or(StatusCode::OK);
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    let ctype = ctype.unwrap_or_else(|| "application/octet-stream".into());
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&ctype)
            .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream")),
    );
    if let Some(l) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        h.insert(header::LOCATION, l);
    }
    if let Some(t) = super::records::ts_time(&cap.ts)
        && let Ok(v) = HeaderValue::from_str(&t.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
    {
        h.insert("memento-datetime", v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_and_bad_ones_are_400() {
        let t = parse_target("/replay/20240503100001/https://example.com/a?b=1").unwrap();
        assert_eq!(t.ts, "20240503100001");
        assert_eq!(t.url, "https://example.com/a?b=1");
        assert_eq!(t.key, None);
        let t = parse_target("/replay/_kabc/2024im_/https:/example.com/").unwrap();
        assert_eq!((t.key.as_deref(), t.ts.as_str()), (Some("abc"), "2024"));
        assert_eq!(t.url, "https://example.com/");
        for bad in [
            "/replay/abc/https://example.com/",
            "/replay/2024/file:///etc/passwd",
            "/replay/2024",
            "/replay/2024/../../etc/passwd",
        ] {
            let e = parse_target(bad).unwrap_err();
            assert_eq!(e.status, StatusCode::BAD_REQUEST, "{bad}");
        }
    }

    #[test]
    fn policy_sandboxes_and_allows_only_the_replay_path() {
        let p = csp(Some("127.0.0.1:8080"));
        assert!(p.starts_with("sandbox;"));
        assert!(
            p.contains(
                "default-src http://127.0.0.1:8080/replay/ https://127.0.0.1:8080/replay/ data:;"
            ),
            "{p}"
        );
        assert!(p.contains("script-src 'none'"));
        assert!(
            p.contains("frame-ancestors http://127.0.0.1:8080 https://127.0.0.1:8080"),
            "{p}"
        );
        assert!(csp(Some("evil; script-src *")).contains("default-src 'none'"));
    }
}
