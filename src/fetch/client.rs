//! The HTTP client: one GET with our headers, no automatic redirects or decompression, connect
//! and total timeouts, and a body-size cap. Returns the exchange as the bytes to archive.

use std::net::IpAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use url::Url;

/// Client settings.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The `User-Agent` header.
    pub user_agent: String,
    /// TCP/TLS connect timeout.
    pub connect_timeout: Duration,
    /// Timeout for the whole exchange (headers and body).
    pub timeout: Duration,
    /// Largest body kept; the rest is cut (and the record marked truncated).
    pub max_body: u64,
}

/// A fetch that produced no HTTP response.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// Could not connect (DNS, refused, TLS).
    #[error("{url}: connect failed: {source}")]
    Connect {
        /// The URL.
        url: String,
        /// The client error.
        #[source]
        source: reqwest::Error,
    },
    /// The exchange took longer than the timeout.
    #[error("{url}: timed out")]
    Timeout {
        /// The URL.
        url: String,
    },
    /// Any other transport error (reset connection, protocol error, bad header).
    #[error("{url}: {source}")]
    Transport {
        /// The URL.
        url: String,
        /// The client error.
        #[source]
        source: reqwest::Error,
    },
    /// The client could not be built.
    #[error("cannot build HTTP client: {0}")]
    Build(#[source] reqwest::Error),
}

impl FetchError {
    /// A short label for the summary ("connect", "timeout", "transport").
    pub fn label(&self) -> &'static str {
        match self {
            FetchError::Connect { .. } => "connect error",
            FetchError::Timeout { .. } => "timeout",
            FetchError::Transport { .. } => "transport error",
            FetchError::Build(_) => "client error",
        }
    }
}

/// One HTTP exchange, ready to archive.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// The requested URL.
    pub url: Url,
    /// When the request was sent.
    pub date: DateTime<Utc>,
    /// The request as sent (request line + headers).
    pub request: Vec<u8>,
    /// Status code.
    pub status: u16,
    /// Response headers in received order (names as the HTTP library reports them).
    pub headers: Vec<(String, String)>,
    /// The response head: status line + headers + blank line.
    pub head: Vec<u8>,
    /// The body exactly as received (transfer coding removed, content coding kept), maybe cut.
    pub body: Vec<u8>,
    /// Whether the body was cut at the size cap.
    pub truncated: bool,
    /// The server's IP address.
    pub ip: Option<IpAddr>,
}

impl Exchange {
    /// First value of a response header (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The HTTP response block to archive: head + body.
    pub fn response_block(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.head.len() + self.body.len());
        v.extend_from_slice(&self.head);
        v.extend_from_slice(&self.body);
        v
    }

    /// The redirect target, resolved against the URL, for 3xx responses with `Location`.
    pub fn location(&self) -> Option<String> {
        if !(300..400).contains(&self.status) {
            return None;
        }
        let loc = self.header("location")?;
        self.url.join(loc.trim()).ok().map(|u| u.to_string())
    }
}

/// Extra request headers for one fetch (conditional GET).
#[derive(Debug, Clone, Default)]
pub struct RequestExtras {
    /// `If-None-Match`.
    pub if_none_match: Option<String>,
    /// `If-Modified-Since`.
    pub if_modified_since: Option<String>,
}

/// The HTTP client (cheap to clone).
#[derive(Debug, Clone)]
pub struct HttpClient {
    client: reqwest::Client,
    cfg: ClientConfig,
}

const ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const ACCEPT_ENCODING: &str = "gzip, deflate, br";

impl HttpClient {
    /// Build the client: redirects off, no automatic decompression, timeouts set.
    pub fn new(cfg: ClientConfig) -> Result<HttpClient, FetchError> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(cfg.connect_timeout)
            .timeout(cfg.timeout)
            .pool_max_idle_per_host(2)
            // HTTP/1.1 only: archived heads keep the familiar `HTTP/1.1 200 OK` form that
            // every WARC reader expects.
            .http1_only()
            .build()
            .map_err(FetchError::Build)?;
        Ok(HttpClient { client, cfg })
    }

    /// The configured User-Agent.
    pub fn user_agent(&self) -> &str {
        &self.cfg.user_agent
    }

    /// GET `url` once. HTTP error statuses are responses, not errors.
    pub async fn get(&self, url: &Url, extras: &RequestExtras) -> Result<Exchange, FetchError> {
        let mut headers: Vec<(&str, String)> = vec![
            ("User-Agent", self.cfg.user_agent.clone()),
            ("Accept", ACCEPT.to_string()),
            ("Accept-Encoding", ACCEPT_ENCODING.to_string()),
        ];
        if let Some(v) = &extras.if_none_match {
            headers.push(("If-None-Match", v.clone()));
        }
        if let Some(v) = &extras.if_modified_since {
            headers.push(("If-Modified-Since", v.clone()));
        }
        let date = Utc::now();
        let mut req = self.client.get(url.clone());
        for (k, v) in &headers {
            req = req.header(*k, v);
        }
        let request = request_bytes(url, &headers);
        let us = url.to_string();
        let map = |e: reqwest::Error| classify(&us, e);
        let mut resp = req.send().await.map_err(map)?;
        let status = resp.status().as_u16();
        let ip = resp.remote_addr().map(|a| a.ip());
        let version = format!("{:?}", resp.version());
        let reason = resp.status().canonical_reason().unwrap_or("");
        let mut hdrs = Vec::with_capacity(resp.headers().len());
        let mut head = format!("{version} {status} {reason}\r\n").into_bytes();
        for (k, v) in resp.headers() {
            // The body we keep has its transfer coding removed, so the header would lie.
            if k == reqwest::header::TRANSFER_ENCODING {
                continue;
            }
            let val = String::from_utf8_lossy(v.as_bytes()).into_owned();
            head.extend_from_slice(k.as_str().as_bytes());
            head.extend_from_slice(b": ");
            head.extend_from_slice(v.as_bytes());
            head.extend_from_slice(b"\r\n");
            hdrs.push((k.as_str().to_string(), val));
        }
        head.extend_from_slice(b"\r\n");
        let mut body = Vec::new();
        let mut truncated = false;
        while let Some(chunk) = resp.chunk().await.map_err(map)? {
            let room = self.cfg.max_body.saturating_sub(body.len() as u64) as usize;
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                truncated = true;
                break;
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Exchange {
            url: url.clone(),
            date,
            request,
            status,
            headers: hdrs,
            head,
            body,
            truncated,
            ip,
        })
    }
}

fn classify(url: &str, e: reqwest::Error) -> FetchError {
    if e.is_timeout() {
        FetchError::Timeout {
            url: url.to_string(),
        }
    } else if e.is_connect() {
        FetchError::Connect {
            url: url.to_string(),
            source: e,
        }
    } else {
        FetchError::Transport {
            url: url.to_string(),
            source: e,
        }
    }
}

/// The request as sent, HTTP/1.1 form (request line, Host, our headers).
fn request_bytes(url: &Url, headers: &[(&str, String)]) -> Vec<u8> {
    let mut target = url.path().to_string();
    if let Some(q) = url.query() {
        target.push('?');
        target.push_str(q);
    }
    let host = match url.port() {
        Some(p) => format!("{}:{p}", url.host_str().unwrap_or("")),
        None => url.host_str().unwrap_or("").to_string(),
    };
    let mut s = format!("GET {target} HTTP/1.1\r\nHost: {host}\r\n");
    for (k, v) in headers {
        s.push_str(k);
        s.push_str(": ");
        s.push_str(v);
        s.push_str("\r\n");
    }
    s.push_str("\r\n");
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_line_and_host() {
        let u = Url::parse("http://x.org:8080/a/b?c=1").unwrap();
        let r = request_bytes(&u, &[("User-Agent", "ua".into())]);
        assert_eq!(
            String::from_utf8(r).unwrap(),
            "GET /a/b?c=1 HTTP/1.1\r\nHost: x.org:8080\r\nUser-Agent: ua\r\n\r\n"
        );
    }
}
