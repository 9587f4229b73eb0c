//! Building the object_store client for a bucket or a web server: client options, retries,
//! and the AWS settings (environment first, then the shared profile files).

use std::sync::Arc;
use std::time::Duration;

use object_store::aws::AmazonS3Builder;
use object_store::http::HttpBuilder;
use object_store::path::Path as ObjPath;
use object_store::{BackoffConfig, ClientOptions, ObjectStore, RetryConfig};

use super::profile::AwsProfile;
use super::{Location, StoreError, StoreOptions};

/// The cache key of the client serving `loc` (bucket or origin), and the object path in it.
pub(super) fn client_key(loc: &Location) -> Result<(String, ObjPath), StoreError> {
    let bad = |reason: String| StoreError::BadLocation {
        input: loc.to_string(),
        reason,
    };
    match loc {
        Location::S3 { bucket, key } => {
            let path = ObjPath::parse(key).map_err(|e| bad(format!("bad object key: {e}")))?;
            Ok((format!("s3://{bucket}"), path))
        }
        Location::Http(u) => {
            // `Location::parse` refuses these; a `Location` built by hand must not lose them
            // silently either (the client is made from the origin and the path only).
            if u.query().is_some() || !u.username().is_empty() || u.password().is_some() {
                return Err(bad(
                    "URLs with a query string or a login are not supported; copy the file locally"
                        .into(),
                ));
            }
            let path =
                ObjPath::from_url_path(u.path()).map_err(|e| bad(format!("bad URL path: {e}")))?;
            Ok((u.origin().ascii_serialization(), path))
        }
        Location::Local(_) => Err(bad("a local path has no object store client".into())),
    }
}

fn client_options() -> ClientOptions {
    ClientOptions::new()
        .with_allow_http(true)
        .with_connect_timeout(Duration::from_secs(10))
        // Whole-object GETs of large archives: a stalled read is resumed by `read.rs`.
        .with_timeout(Duration::from_secs(300))
}

/// object_store's own retries (request errors, 5xx); body failures are resumed in `read.rs`.
fn retry_config(opts: &StoreOptions) -> RetryConfig {
    RetryConfig {
        backoff: BackoffConfig {
            init_backoff: opts.backoff,
            max_backoff: Duration::from_secs(5),
            base: 2.0,
        },
        max_retries: opts.tries.saturating_sub(1) as usize,
        retry_timeout: Duration::from_secs(120),
    }
}

/// A new client for the bucket or server of `loc`.
pub(super) fn build(
    loc: &Location,
    opts: &StoreOptions,
) -> Result<Arc<dyn ObjectStore>, StoreError> {
    let url = loc.to_string();
    let config = |e: object_store::Error| StoreError::Config {
        url: url.clone(),
        reason: e.to_string(),
    };
    match loc {
        Location::S3 { bucket, .. } => {
            let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
            let b = s3_builder(bucket, opts, &env, &AwsProfile::from_env(env));
            Ok(Arc::new(b.build().map_err(config)?))
        }
        Location::Http(u) => {
            let store = HttpBuilder::new()
                .with_url(u.origin().ascii_serialization())
                .with_client_options(client_options())
                .with_retry(retry_config(opts))
                .build()
                .map_err(config)?;
            Ok(Arc::new(store))
        }
        Location::Local(_) => Err(StoreError::BadLocation {
            input: url.clone(),
            reason: "a local path has no object store client".into(),
        }),
    }
}

/// The S3 client settings: `AWS_*` variables, then the profile for what they leave out.
fn s3_builder(
    bucket: &str,
    opts: &StoreOptions,
    env: &dyn Fn(&str) -> Option<String>,
    profile: &AwsProfile,
) -> AmazonS3Builder {
    let mut b = AmazonS3Builder::from_env()
        .with_bucket_name(bucket)
        .with_client_options(client_options())
        .with_retry(retry_config(opts));
    if env("AWS_REGION").is_none() && env("AWS_DEFAULT_REGION").is_none() {
        b = b.with_region(profile.region.as_deref().unwrap_or("us-east-1"));
    }
    if env("AWS_ENDPOINT_URL").is_none()
        && env("AWS_ENDPOINT").is_none()
        && let Some(e) = &profile.endpoint_url
    {
        b = b.with_endpoint(e);
    }
    if opts.anonymous {
        return b.with_skip_signature(true);
    }
    if env("AWS_ACCESS_KEY_ID").is_none()
        && let (Some(k), Some(s)) = (&profile.access_key_id, &profile.secret_access_key)
    {
        b = b.with_access_key_id(k).with_secret_access_key(s);
        if let Some(t) = &profile.session_token {
            b = b.with_token(t);
        }
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_made_url_with_a_query_or_login_gets_no_client() {
        for u in [
            "https://h.example/x.warc.zst?sig=SECRET",
            "https://u:SECRET@h.example/x.warc.zst",
        ] {
            let loc = Location::Http(url::Url::parse(u).unwrap());
            let e = client_key(&loc).unwrap_err().to_string();
            assert!(e.contains("not supported") && !e.contains("SECRET"), "{e}");
        }
        let ok = Location::parse("https://h.example/a/x.warc.zst").unwrap();
        let (key, path) = client_key(&ok).unwrap();
        assert_eq!(
            (key.as_str(), path.as_ref()),
            ("https://h.example", "a/x.warc.zst")
        );
    }
}
