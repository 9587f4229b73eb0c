//! The HTML pages (server-rendered with askama templates compiled into the binary): the
//! overview, a site's captures, search, one capture, its raw record.

pub mod capture;
pub mod overview;
pub mod raw;
pub mod search;
pub mod site;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// The stylesheet (the only asset; no CDN).
pub async fn stylesheet() -> Response {
    let mut r = include_str!("../templates/app.css").into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    r
}

/// `path?k=v&…` with the values form-encoded; empty values left out.
pub fn href(path: &str, params: &[(&str, &str)]) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in params.iter().filter(|(_, v)| !v.is_empty()) {
        ser.append_pair(k, v);
    }
    let q = ser.finish();
    if q.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{q}")
    }
}

/// The capture page of `url` at `ts`.
pub fn capture_href(url: &str, ts: &str) -> String {
    href("/capture", &[("url", url), ("ts", ts)])
}

/// The site page of `site`.
pub fn site_href(site: &str) -> String {
    let enc: String = url::form_urlencoded::byte_serialize(site.as_bytes()).collect();
    format!("/site/{enc}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_encode_values() {
        assert_eq!(
            capture_href("https://x.org/a?b=1&c=2", "2024"),
            "/capture?url=https%3A%2F%2Fx.org%2Fa%3Fb%3D1%26c%3D2&ts=2024"
        );
        assert_eq!(
            href("/search", &[("q", ""), ("site", "a b")]),
            "/search?site=a+b"
        );
        assert_eq!(site_href("bbc.co.uk"), "/site/bbc.co.uk");
    }
}
