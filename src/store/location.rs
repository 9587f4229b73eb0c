//! What an input or output names: a local path, an `http(s)://` URL, or an `s3://` object or
//! prefix.

use std::ffi::OsStr;
use std::fmt;
use std::path::PathBuf;

use super::StoreError;

/// A parsed input or output location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A file or folder on the local disk.
    Local(PathBuf),
    /// A file on a web server (read with GET and Range requests).
    Http(url::Url),
    /// An S3 object, or every object under a prefix when `key` is empty or ends in `/`.
    S3 {
        /// The bucket.
        bucket: String,
        /// The key or prefix (no leading `/`).
        key: String,
    },
}

impl Location {
    /// Parse an argument: `s3://bucket/key`, `s3://bucket/prefix/`, `http(s)://…`, else a
    /// local path.
    pub fn parse(input: impl AsRef<OsStr>) -> Result<Location, StoreError> {
        let raw = input.as_ref();
        let Some(s) = raw.to_str() else {
            return Ok(Location::Local(PathBuf::from(raw)));
        };
        let bad = |reason: &str| StoreError::BadLocation {
            input: redact(s),
            reason: reason.to_string(),
        };
        let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
        if let Some(rest) = s.strip_prefix("s3://") {
            let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(bad(
                    "no bucket name; write s3://bucket/key or s3://bucket/prefix/",
                ));
            }
            if key.contains("//") || key.starts_with('/') {
                return Err(bad("empty path segment (`//`) in the key"));
            }
            return Ok(Location::S3 {
                bucket: bucket.to_string(),
                key: key.to_string(),
            });
        }
        if lower.starts_with("http://") || lower.starts_with("https://") {
            let url = url::Url::parse(s).map_err(|e| bad(&format!("not a valid URL: {e}")))?;
            if url.host_str().is_none() {
                return Err(bad("no host in the URL"));
            }
            if url.query().is_some() {
                return Err(bad(
                    "URLs with a query string (`?…`, e.g. presigned URLs) are not supported: the query would be dropped and another resource read; copy the file locally or read it as s3://bucket/key with credentials",
                ));
            }
            if !url.username().is_empty() || url.password().is_some() {
                return Err(bad(
                    "credentials in the URL (`user:password@`) are not supported, as they would end up in error messages and in the dataset's warc_file column; copy the file locally or serve it without a login",
                ));
            }
            return Ok(Location::Http(url));
        }
        if s.contains("://") {
            return Err(bad(
                "unsupported scheme; use a local path, s3://bucket/key, s3://bucket/prefix/ or http(s)://",
            ));
        }
        Ok(Location::Local(PathBuf::from(s)))
    }

    /// Is it somewhere other than the local disk?
    pub fn is_remote(&self) -> bool {
        !matches!(self, Location::Local(_))
    }

    /// Does it name a folder or prefix (all archive files under it) rather than one file?
    /// Local folders are only known by looking at the disk, so `false` for local paths.
    pub fn is_prefix(&self) -> bool {
        match self {
            Location::S3 { key, .. } => key.is_empty() || key.ends_with('/'),
            Location::Http(u) => u.path().ends_with('/'),
            Location::Local(_) => false,
        }
    }

    /// The location of `name` inside this folder or prefix (`s3://b/out/` + `x.warc.zst`).
    pub fn join(&self, name: &str) -> Location {
        match self {
            Location::Local(p) => Location::Local(p.join(name)),
            Location::S3 { bucket, key } => {
                let sep = if key.is_empty() || key.ends_with('/') {
                    ""
                } else {
                    "/"
                };
                Location::S3 {
                    bucket: bucket.clone(),
                    key: format!("{key}{sep}{name}"),
                }
            }
            Location::Http(u) => {
                let mut u = u.clone();
                if !u.path().ends_with('/') {
                    u.set_path(&format!("{}/", u.path()));
                }
                Location::Http(u.join(name).unwrap_or(u))
            }
        }
    }

    /// This location with `suffix` added to its last part (`x.jsonl` → `x.jsonl.schema.md`).
    pub fn with_suffix(&self, suffix: &str) -> Location {
        match self {
            Location::Local(p) => {
                let mut s = p.as_os_str().to_owned();
                s.push(suffix);
                Location::Local(PathBuf::from(s))
            }
            Location::S3 { bucket, key } => Location::S3 {
                bucket: bucket.clone(),
                key: format!("{key}{suffix}"),
            },
            Location::Http(u) => {
                let mut u = u.clone();
                u.set_path(&format!("{}{suffix}", u.path()));
                Location::Http(u)
            }
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Local(p) => write!(f, "{}", p.display()),
            Location::Http(u) => write!(f, "{}", redact_url(u)),
            Location::S3 { bucket, key } => write!(f, "s3://{bucket}/{key}"),
        }
    }
}

/// `u` without its user name, password and query (which may carry a signature), so that
/// errors, logs and the `warc_file` column never show them.
fn redact_url(u: &url::Url) -> String {
    if u.username().is_empty() && u.password().is_none() && u.query().is_none() {
        return u.to_string();
    }
    let mut r = u.clone();
    // Neither can fail for the http(s) URLs with a host that `Location::parse` accepts.
    let _ = r.set_username("");
    let _ = r.set_password(None);
    let redacted = r.query().is_some();
    r.set_query(None);
    match redacted {
        true => format!("{r}?<query redacted>"),
        false => r.to_string(),
    }
}

/// An input as it may appear in an error: an http(s) URL redacted like [`redact_url`], even
/// one too broken to parse.
fn redact(input: &str) -> String {
    match url::Url::parse(input) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => redact_url(&u),
        // An S3 key may hold `@` and `?`, and never a secret.
        _ if input.starts_with("s3://") => input.to_string(),
        _ => redact_text(input),
    }
}

/// [`redact`] for text that is not a valid URL: drop `…@` from the authority and the query.
fn redact_text(input: &str) -> String {
    let Some((scheme, rest)) = input.split_once("://") else {
        return input.to_string();
    };
    let (rest, query) = match rest.split_once('?') {
        Some((r, _)) => (r, "?<query redacted>"),
        None => (rest, ""),
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    format!("{scheme}://{host}{path}{query}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_kinds() {
        assert_eq!(
            Location::parse("archive/x.warc.zst").unwrap(),
            Location::Local(PathBuf::from("archive/x.warc.zst"))
        );
        let s3 = Location::parse("s3://commoncrawl/crawl-data/CC-NEWS/2024/").unwrap();
        assert_eq!(
            s3,
            Location::S3 {
                bucket: "commoncrawl".into(),
                key: "crawl-data/CC-NEWS/2024/".into()
            }
        );
        assert!(s3.is_prefix() && s3.is_remote());
        assert!(Location::parse("s3://b").unwrap().is_prefix());
        assert!(!Location::parse("s3://b/k.warc.gz").unwrap().is_prefix());
        let h = Location::parse("http://127.0.0.1:8080/a/x.warc.zst").unwrap();
        assert!(matches!(h, Location::Http(_)) && !h.is_prefix());
        assert_eq!(h.to_string(), "http://127.0.0.1:8080/a/x.warc.zst");
    }

    #[test]
    fn bad_locations_are_named() {
        for bad in [
            "s3://",
            "s3:///key",
            "ftp://host/x.warc",
            "http://",
            "s3://b//k",
        ] {
            let e = Location::parse(bad).unwrap_err().to_string();
            assert!(e.starts_with(bad), "{e}");
        }
    }

    #[test]
    fn join_and_suffix() {
        let p = Location::parse("s3://b/out/").unwrap();
        assert_eq!(p.join("x.warc.zst").to_string(), "s3://b/out/x.warc.zst");
        let p = Location::parse("s3://b/out").unwrap();
        assert_eq!(p.join("x.cdxj").to_string(), "s3://b/out/x.cdxj");
        assert_eq!(
            Location::parse("s3://b/a.csv")
                .unwrap()
                .with_suffix(".schema.md")
                .to_string(),
            "s3://b/a.csv.schema.md"
        );
        assert_eq!(
            Location::parse("d/a.csv")
                .unwrap()
                .with_suffix(".tmp")
                .to_string(),
            "d/a.csv.tmp"
        );
    }

    #[test]
    fn query_strings_and_logins_are_refused_without_showing_them() {
        for (input, why) in [
            (
                "https://h.example/x.warc.zst?X-Amz-Signature=SECRET",
                "query string",
            ),
            ("https://user:SECRET@h.example/x.warc.zst", "credentials"),
            ("http://SECRET@h.example/x.warc.zst", "credentials"),
            ("https://h.example/x.warc.zst?", "query string"),
        ] {
            let e = Location::parse(input).unwrap_err().to_string();
            assert!(e.contains(why), "{e}");
            assert!(!e.contains("SECRET"), "{e}");
            assert!(e.contains("h.example/x.warc.zst"), "{e}");
        }
    }

    #[test]
    fn broken_urls_are_redacted_too() {
        for input in [
            "http://u:SECRET@/x.warc.zst",
            "https://u:SECRET@h:99999/x?s=SECRET",
        ] {
            let e = Location::parse(input).unwrap_err().to_string();
            assert!(!e.contains("SECRET"), "{e}");
            assert!(e.contains("x"), "{e}");
        }
        assert_eq!(redact_text("ftp://u:p@h/a?q"), "ftp://h/a?<query redacted>");
        assert_eq!(redact_text("no scheme"), "no scheme");
        let e = Location::parse("ftp://u:SECRET@h/x.warc")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("ftp://h/x.warc: unsupported scheme"), "{e}");
    }

    #[test]
    fn display_redacts_login_and_query() {
        let u = url::Url::parse("https://user:SECRET@h.example/a/x.warc.zst?sig=SECRET").unwrap();
        let shown = Location::Http(u).to_string();
        assert_eq!(shown, "https://h.example/a/x.warc.zst?<query redacted>");
        let u = url::Url::parse("https://user:SECRET@h.example/x.warc.zst").unwrap();
        assert_eq!(
            Location::Http(u).to_string(),
            "https://h.example/x.warc.zst"
        );
    }
}
