//! URL normalisation for dedup: only http(s), lowercase host, default port dropped, fragment
//! dropped, tracking and session parameters removed, empty query removed.

use url::Url;

/// Why a URL was refused by [`normalize`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    /// The text is not a URL (even relative to the base).
    #[error("not a valid URL: {url:?}: {reason}")]
    Invalid {
        /// The rejected text.
        url: String,
        /// What the parser said.
        reason: String,
    },
    /// The scheme is not http or https (mailto:, javascript:, ftp:, data: ...).
    #[error("unsupported scheme {scheme:?} in {url}: only http and https are crawled")]
    Scheme {
        /// The rejected URL.
        url: String,
        /// Its scheme.
        scheme: String,
    },
    /// The URL has no host.
    #[error("URL without a host: {url}")]
    NoHost {
        /// The rejected URL.
        url: String,
    },
}

/// Query parameters removed during normalisation (compared case-insensitively); any
/// parameter starting with `utm_` is removed as well.
const DROP_PARAMS: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "mc_cid",
    "mc_eid",
    "igshid",
    "_ga",
    "_gl",
    "ref_src",
    "phpsessid",
    "jsessionid",
    "sid",
    "sessionid",
    "session_id",
    "aspsessionid",
    "cfid",
    "cftoken",
];

fn dropped_param(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("utm_") || DROP_PARAMS.contains(&lower.as_str())
}

/// Parse `text` (relative to `base` if given) and normalise it for dedup.
///
/// Host lowercase and default port removal come from the WHATWG parser; on top of that the
/// fragment, tracking parameters (`utm_*`, `fbclid`, `gclid`, ...), session ids (query
/// `PHPSESSID`/`sid`/... and `;jsessionid=` path parameters) and an empty `?` are dropped.
pub fn normalize(text: &str, base: Option<&Url>) -> Result<Url, UrlError> {
    let text = text.trim();
    let parsed = match base {
        Some(b) => b.join(text),
        None => Url::parse(text),
    };
    let mut url = parsed.map_err(|e| UrlError::Invalid {
        url: text.to_string(),
        reason: e.to_string(),
    })?;
    match url.scheme() {
        "http" | "https" => {}
        other => {
            return Err(UrlError::Scheme {
                url: url.to_string(),
                scheme: other.to_string(),
            });
        }
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(UrlError::NoHost {
            url: url.to_string(),
        });
    }
    url.set_fragment(None);
    // `;jsessionid=...` style path parameters.
    let path = url.path().to_string();
    if let Some(pos) = path.to_ascii_lowercase().find(";jsessionid=") {
        let rest = &path[pos + 1..];
        let end = rest.find('/').map(|i| pos + 1 + i).unwrap_or(path.len());
        let mut cleaned = String::with_capacity(path.len());
        cleaned.push_str(&path[..pos]);
        cleaned.push_str(&path[end..]);
        url.set_path(&cleaned);
    }
    if let Some(query) = url.query() {
        if query.is_empty() {
            url.set_query(None);
        } else {
            let kept: Vec<(String, String)> = url
                .query_pairs()
                .filter(|(k, _)| !dropped_param(k))
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            let had = url.query_pairs().count();
            if kept.is_empty() {
                url.set_query(None);
            } else if kept.len() != had {
                url.query_pairs_mut().clear().extend_pairs(kept);
            }
        }
    }
    Ok(url)
}

/// The politeness key of a URL: `scheme://host:port` (robots.txt and rate limits are per origin).
pub fn origin_key(url: &Url) -> String {
    let host = url.host_str().unwrap_or("");
    let port = url.port_or_known_default().unwrap_or(0);
    format!("{}://{}:{}", url.scheme(), host, port)
}

pub use crate::config::site_key;

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        normalize(s, None)
            .map(|u| u.to_string())
            .unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn host_port_fragment() {
        assert_eq!(n("HTTP://Example.COM:80/a#frag"), "http://example.com/a");
        assert_eq!(n("https://example.com:443/"), "https://example.com/");
        assert_eq!(
            n("https://example.com:8443/x"),
            "https://example.com:8443/x"
        );
        assert_eq!(n("https://example.com"), "https://example.com/");
    }

    #[test]
    fn tracking_params_removed_order_kept() {
        assert_eq!(
            n("https://x.org/a?b=2&utm_source=tw&a=1&fbclid=Z&UTM_Medium=m&gclid=q"),
            "https://x.org/a?b=2&a=1"
        );
        assert_eq!(n("https://x.org/a?utm_source=tw"), "https://x.org/a");
        assert_eq!(n("https://x.org/a?"), "https://x.org/a");
        assert_eq!(n("https://x.org/a?id=5"), "https://x.org/a?id=5");
    }

    #[test]
    fn session_ids_removed() {
        assert_eq!(
            n("https://x.org/a?PHPSESSID=abc&p=1"),
            "https://x.org/a?p=1"
        );
        assert_eq!(
            n("https://x.org/a;jsessionid=ABC123/b?x=1"),
            "https://x.org/a/b?x=1"
        );
        assert_eq!(n("https://x.org/page;jsessionid=ABC"), "https://x.org/page");
    }

    #[test]
    fn relative_and_bad_schemes() {
        let base = Url::parse("https://x.org/news/a.html").ok();
        let r = normalize("../b.html#top", base.as_ref()).map(|u| u.to_string());
        assert_eq!(r, Ok("https://x.org/b.html".to_string()));
        assert!(matches!(
            normalize("mailto:a@b.c", None),
            Err(UrlError::Scheme { .. })
        ));
        assert!(matches!(
            normalize("javascript:void(0)", base.as_ref()),
            Err(UrlError::Scheme { .. })
        ));
        assert!(matches!(
            normalize("ftp://x.org/f", None),
            Err(UrlError::Scheme { .. })
        ));
        assert!(matches!(
            normalize("http://", None),
            Err(UrlError::Invalid { .. })
        ));
        assert!(matches!(
            normalize("not a url", None),
            Err(UrlError::Invalid { .. })
        ));
    }

    #[test]
    fn keys() {
        let u = Url::parse("http://WWW.Example.com/x").unwrap();
        assert_eq!(origin_key(&u), "http://www.example.com:80");
        assert_eq!(site_key(&u), "example.com");
        let u = Url::parse("http://127.0.0.1:8080/x").unwrap();
        assert_eq!(origin_key(&u), "http://127.0.0.1:8080");
    }
}
