//! Archives in object storage and on web servers: parsing `s3://` and `http(s)://` inputs,
//! listing a prefix to its archive files, streaming and range-reading objects
//! ([`RemoteFile`] implements [`ArchiveSource`]), and uploading finished outputs.
//!
//! Built on the `object_store` crate. One tokio runtime per [`Stores`] value (started on first
//! use) runs every request; callers stay synchronous. Credentials are the standard AWS ones:
//! the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
//! `AWS_REGION`, `AWS_ENDPOINT_URL`, …) first, then the `AWS_PROFILE` profile of
//! `~/.aws/credentials` and `~/.aws/config` ([`profile`]); `--anonymous` sends unsigned
//! requests (public buckets).

mod backend;
mod error;
pub mod inputs;
mod location;
pub mod profile;
mod read;
mod remote;
mod upload;

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use object_store::{ObjectStore, ObjectStoreExt};

use crate::archive::{LocalFile, Source, archive_files};

pub use error::StoreError;
pub use inputs::{Shard, read_inputs_file};
pub use location::Location;
pub use remote::RemoteFile;

/// How to reach remote archives.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Send unsigned requests (public buckets such as Common Crawl's); no credentials looked up.
    pub anonymous: bool,
    /// Requests per stretch of an object before giving up (first request included).
    pub tries: u32,
    /// Wait before the first retry (doubled at each one).
    pub backoff: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            anonymous: false,
            tries: 4,
            backoff: Duration::from_millis(200),
        }
    }
}

/// The clients for remote archives: one per bucket or web server, created on first use and
/// shared by every file read through them. Cheap to clone; the runtime lives as long as any
/// clone, file or reader made from it. Its blocking methods (and reading a [`RemoteFile`])
/// must be called from outside a tokio runtime (a plain thread, a rayon worker, Python).
#[derive(Clone)]
pub struct Stores {
    inner: Arc<Inner>,
}

struct Inner {
    opts: StoreOptions,
    runtime: OnceLock<Result<tokio::runtime::Runtime, String>>,
    clients: Mutex<HashMap<String, Arc<dyn ObjectStore>>>,
}

impl std::fmt::Debug for Stores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stores")
            .field("opts", &self.inner.opts)
            .finish()
    }
}

impl Default for Stores {
    fn default() -> Self {
        Stores::new(StoreOptions::default())
    }
}

impl Stores {
    /// Clients with these options (nothing is started until a remote location is used).
    pub fn new(opts: StoreOptions) -> Stores {
        Stores {
            inner: Arc::new(Inner {
                opts,
                runtime: OnceLock::new(),
                clients: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// The options in force.
    pub fn options(&self) -> &StoreOptions {
        &self.inner.opts
    }

    /// The runtime every request runs on (two worker threads, started once).
    fn runtime(&self) -> Result<tokio::runtime::Handle, StoreError> {
        let rt = self.inner.runtime.get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("newsarc-store")
                .enable_all()
                .build()
                .map_err(|e| e.to_string())
        });
        match rt {
            Ok(rt) => Ok(rt.handle().clone()),
            Err(reason) => Err(StoreError::Config {
                url: "(runtime)".into(),
                reason: reason.clone(),
            }),
        }
    }

    /// Run `fut` on the runtime and wait for it (from a thread outside the runtime).
    fn block_on<F: std::future::Future>(&self, fut: F) -> Result<F::Output, StoreError> {
        Ok(self.runtime()?.block_on(fut))
    }

    /// The client for the bucket or server of `loc`, and the object path inside it.
    fn client(
        &self,
        loc: &Location,
    ) -> Result<(Arc<dyn ObjectStore>, object_store::path::Path), StoreError> {
        let (key, path) = backend::client_key(loc)?;
        let mut clients = self
            .inner
            .clients
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(c) = clients.get(&key) {
            return Ok((c.clone(), path));
        }
        let c = backend::build(loc, &self.inner.opts)?;
        clients.insert(key, c.clone());
        Ok((c, path))
    }

    /// Every archive file an input names: a local file, every archive file of a local folder
    /// (sorted by name), an object or URL, or every archive object under an `s3://` prefix
    /// (sorted by key; the prefix's `.cdxj` objects are noted as their indexes).
    pub fn resolve(&self, input: &Location) -> Result<Vec<Source>, StoreError> {
        match input {
            Location::Local(p) => Ok(archive_files(std::slice::from_ref(p))?
                .into_iter()
                .map(LocalFile::source)
                .collect()),
            Location::Http(_) if input.is_prefix() => Err(StoreError::BadLocation {
                input: input.to_string(),
                reason: "a web server cannot list a folder; name the archive files (or list them in a file for --inputs)".into(),
            }),
            Location::S3 { .. } if input.is_prefix() => remote::list(self, input),
            _ => Ok(vec![self.open(input)?]),
        }
    }

    /// [`Stores::resolve`] for each input, in order, after parsing it ([`Location::parse`]).
    pub fn resolve_all<I: AsRef<OsStr>>(&self, inputs: &[I]) -> Result<Vec<Source>, StoreError> {
        let mut out = Vec::new();
        for i in inputs {
            out.extend(self.resolve(&Location::parse(i)?)?);
        }
        Ok(out)
    }

    /// One archive file (no folder or prefix expansion), read where it is.
    pub fn open(&self, loc: &Location) -> Result<Source, StoreError> {
        match loc {
            Location::Local(p) => Ok(LocalFile::source(p.clone())),
            _ => Ok(Arc::new(RemoteFile::new(self, loc, None, None)?)),
        }
    }

    /// Copy a finished local file to `dest` (`s3://` only). The object appears only once the
    /// whole file is uploaded (one PUT, or a multipart upload completed at the end and
    /// aborted on failure).
    pub fn upload(&self, local: &Path, dest: &Location) -> Result<(), StoreError> {
        upload::upload(self, local, dest)
    }

    /// Delete an object (best effort clean-up; a missing object is not an error).
    pub fn delete(&self, dest: &Location) -> Result<(), StoreError> {
        let (store, path) = self.client(dest)?;
        let url = dest.to_string();
        match self.block_on(async move { store.delete(&path).await })? {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(StoreError::from_object(&url, e)),
        }
    }
}
