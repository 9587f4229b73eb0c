//! One archive file in a bucket or on a web server, read where it is: streamed for a full
//! pass, range requests for single records, its `.cdxj` fetched when it has one.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use futures::TryStreamExt;
use object_store::path::Path as ObjPath;
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt};

use crate::archive::{ArchiveError, ArchiveSource, Source, cdxj::cdxj_path, is_archive_name};

use super::read::{Fetch, ObjectReader};
use super::{Location, StoreError, Stores};

/// An archive object (S3) or file on a web server.
pub struct RemoteFile {
    stores: Stores,
    store: Arc<dyn ObjectStore>,
    path: ObjPath,
    loc: Location,
    /// The URL as a path, for errors and `warc_file`.
    name: PathBuf,
    size: OnceLock<Option<u64>>,
    /// Where its index is: known from a listing (`Some(None)`: it has none), else looked up.
    index: Option<Option<Location>>,
    dict: OnceLock<Option<Vec<u8>>>,
}

impl std::fmt::Debug for RemoteFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteFile")
            .field("url", &self.name)
            .finish()
    }
}

impl RemoteFile {
    /// The file at `loc`; `size` and `index` when a listing already told them.
    pub(super) fn new(
        stores: &Stores,
        loc: &Location,
        size: Option<u64>,
        index: Option<Option<Location>>,
    ) -> Result<RemoteFile, StoreError> {
        let (store, path) = stores.client(loc)?;
        let sz = OnceLock::new();
        if let Some(s) = size {
            let _ = sz.set(Some(s));
        }
        Ok(RemoteFile {
            stores: stores.clone(),
            store,
            path,
            loc: loc.clone(),
            name: PathBuf::from(loc.to_string()),
            size: sz,
            index,
            dict: OnceLock::new(),
        })
    }

    /// Its location.
    pub fn location(&self) -> &Location {
        &self.loc
    }

    fn url(&self) -> String {
        self.loc.to_string()
    }

    fn err(&self, e: StoreError) -> ArchiveError {
        ArchiveError::io(&self.name, e.into_io())
    }

    /// GET `range` of the object, retried like a stream.
    fn get_range(&self, offset: u64, len: u64) -> Result<Vec<u8>, StoreError> {
        let url = self.url();
        let opts = self.stores.options().clone();
        let (store, path) = (self.store.clone(), self.path.clone());
        let Some(end) = offset.checked_add(len) else {
            return Err(StoreError::ShortRange {
                url,
                offset,
                len,
                got: 0,
            });
        };
        self.stores.block_on(async move {
            let mut tries = 0;
            let mut wait = opts.backoff;
            loop {
                tries += 1;
                let o = GetOptions {
                    range: Some(GetRange::Bounded(offset..end)),
                    ..Default::default()
                };
                let got = match store.get_opts(&path, o).await {
                    Ok(r) => r.bytes().await,
                    Err(e) => Err(e),
                };
                match got {
                    Ok(b) if b.len() as u64 == len => return Ok(b.to_vec()),
                    Ok(b) => {
                        return Err(StoreError::ShortRange {
                            url,
                            offset,
                            len,
                            got: b.len() as u64,
                        });
                    }
                    Err(e) if !super::error::retryable(&e) => {
                        return Err(StoreError::from_object(&url, e));
                    }
                    Err(e) if tries >= opts.tries => {
                        return Err(StoreError::Read {
                            url,
                            offset,
                            tries,
                            reason: e.to_string(),
                        });
                    }
                    Err(_) => {
                        tokio::time::sleep(wait).await;
                        wait *= 2;
                    }
                }
            }
        })?
    }

    /// The whole (small) object at `loc`, `None` when there is none.
    fn get_small(&self, loc: &Location) -> Result<Option<Vec<u8>>, StoreError> {
        let (store, path) = self.stores.client(loc)?;
        let url = loc.to_string();
        let got = self.stores.block_on(async move {
            match store.get(&path).await {
                Ok(r) => r.bytes().await,
                Err(e) => Err(e),
            }
        })?;
        match got {
            Ok(b) => Ok(Some(b.to_vec())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(StoreError::from_object(&url, e)),
        }
    }

    fn head_size(&self) -> Result<u64, StoreError> {
        let (store, path, url) = (self.store.clone(), self.path.clone(), self.url());
        self.stores
            .block_on(async move { store.head(&path).await })?
            .map(|m| m.size)
            .map_err(|e| StoreError::from_object(&url, e))
    }
}

impl ArchiveSource for RemoteFile {
    fn name(&self) -> &Path {
        &self.name
    }

    fn size(&self) -> Option<u64> {
        *self.size.get_or_init(|| self.head_size().ok())
    }

    fn open(&self) -> Result<Box<dyn Read + Send>, ArchiveError> {
        let rt = self.stores.runtime().map_err(|e| self.err(e))?;
        let opts = self.stores.options();
        let fetch = Fetch {
            store: self.store.clone(),
            path: self.path.clone(),
            url: self.url(),
            tries: opts.tries.max(1),
            backoff: opts.backoff,
        };
        Ok(Box::new(ObjectReader::start(&self.stores, &rt, fetch)))
    }

    fn read_range(&self, offset: u64, len: u64) -> Result<Vec<u8>, ArchiveError> {
        if len == 0 {
            return Ok(Vec::new());
        }
        if offset.checked_add(len).is_none() {
            return Err(ArchiveError::Truncated {
                path: self.name.clone(),
                offset,
                missing: format!(
                    "record of {len} bytes at {offset} ends past the largest possible offset"
                ),
            });
        }
        self.get_range(offset, len).map_err(|e| match e {
            StoreError::ShortRange { got, .. } => ArchiveError::Truncated {
                path: self.name.clone(),
                offset,
                missing: format!("record of {len} bytes at {offset}: only {got} bytes there"),
            },
            e => self.err(e),
        })
    }

    fn index_text(&self) -> Result<Option<String>, ArchiveError> {
        let idx = match &self.index {
            Some(None) => return Ok(None),
            Some(Some(l)) => l.clone(),
            None => match Location::parse(cdxj_path(&self.name)) {
                Ok(l) => l,
                Err(_) => return Ok(None),
            },
        };
        match self.get_small(&idx) {
            Ok(Some(b)) => Ok(Some(String::from_utf8_lossy(&b).into_owned())),
            Ok(None) => Ok(None),
            Err(e) => Err(ArchiveError::io(cdxj_path(&self.name), e.into_io())),
        }
    }

    fn is_remote(&self) -> bool {
        true
    }

    fn dictionary(&self) -> Result<Option<Vec<u8>>, ArchiveError> {
        if let Some(d) = self.dict.get() {
            return Ok(d.clone());
        }
        // Only an answer is kept: a failed read (network, 403) is passed up and asked again.
        let d = crate::archive::read_dictionary(self)?;
        Ok(self.dict.get_or_init(|| d).clone())
    }
}

/// Every archive object under an `s3://` prefix, sorted by key, with its size and whether a
/// `.cdxj` sits beside it.
pub(super) fn list(stores: &Stores, prefix: &Location) -> Result<Vec<Source>, StoreError> {
    let Location::S3 { bucket, key } = prefix else {
        return Err(StoreError::BadLocation {
            input: prefix.to_string(),
            reason: "only s3:// prefixes can be listed".into(),
        });
    };
    let (store, path) = stores.client(prefix)?;
    let url = prefix.to_string();
    let metas = stores
        .block_on(async move {
            let p = (!key.is_empty()).then_some(path);
            store.list(p.as_ref()).try_collect::<Vec<_>>().await
        })?
        .map_err(|e| match StoreError::from_object(&url, e) {
            StoreError::Read { reason, .. } => StoreError::List {
                url: url.clone(),
                reason,
            },
            other => other,
        })?;
    let keys: std::collections::HashSet<String> =
        metas.iter().map(|m| m.location.to_string()).collect();
    let mut found: Vec<_> = metas
        .iter()
        .filter(|m| is_archive_name(Path::new(m.location.as_ref())))
        .collect();
    found.sort_by(|a, b| a.location.as_ref().cmp(b.location.as_ref()));
    let mut out: Vec<Source> = Vec::new();
    for m in found {
        let key = m.location.to_string();
        let loc = Location::S3 {
            bucket: bucket.clone(),
            key: key.clone(),
        };
        let idx_key = cdxj_path(Path::new(&key)).to_string_lossy().into_owned();
        let index = keys.contains(&idx_key).then(|| Location::S3 {
            bucket: bucket.clone(),
            key: idx_key,
        });
        out.push(Arc::new(RemoteFile::new(
            stores,
            &loc,
            Some(m.size),
            Some(index),
        )?));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_past_the_largest_offset_is_truncated_not_a_panic() {
        let stores = Stores::default();
        // Port 9 (discard): nothing may be asked of it, the range is refused before.
        let loc = Location::parse("http://127.0.0.1:9/x.warc.zst").unwrap();
        let f = RemoteFile::new(&stores, &loc, Some(100), Some(None)).unwrap();
        match f.read_range(u64::MAX - 5, 10) {
            Err(ArchiveError::Truncated {
                offset, missing, ..
            }) => {
                assert_eq!(offset, u64::MAX - 5);
                assert!(missing.contains("largest possible offset"), "{missing}");
            }
            other => panic!("{other:?}"),
        }
    }
}
