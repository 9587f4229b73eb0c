//! Writing a finished local file to an `s3://` destination so that the object appears only
//! when complete: one PUT for small files, else a multipart upload that is completed at the
//! end (and aborted on failure).

use std::io::Read;
use std::path::Path;

use object_store::{ObjectStoreExt, PutPayload, WriteMultipart};

use super::{Location, StoreError, Stores};

/// Files up to this size go up in one PUT.
const SINGLE_PUT: u64 = 32 * 1024 * 1024;
/// Part size of multipart uploads.
const PART: usize = 16 * 1024 * 1024;

pub(super) fn upload(stores: &Stores, local: &Path, dest: &Location) -> Result<(), StoreError> {
    let url = dest.to_string();
    let fail = |reason: String| StoreError::Upload {
        url: url.clone(),
        local: local.to_path_buf(),
        reason,
    };
    if !matches!(dest, Location::S3 { .. }) || dest.is_prefix() {
        return Err(fail(
            "outputs can be local paths or s3://bucket/key objects only".into(),
        ));
    }
    let (store, path) = stores.client(dest)?;
    let mut file = std::fs::File::open(local).map_err(|e| fail(e.to_string()))?;
    let size = file.metadata().map_err(|e| fail(e.to_string()))?.len();
    let denied = |e: object_store::Error| match StoreError::from_object(&url, e) {
        d @ StoreError::Denied { .. } => d,
        other => fail(other.to_string()),
    };
    if size <= SINGLE_PUT {
        let mut buf = Vec::with_capacity(size as usize);
        file.read_to_end(&mut buf)
            .map_err(|e| fail(e.to_string()))?;
        let payload = PutPayload::from(buf);
        return stores
            .block_on(async move { store.put(&path, payload).await })?
            .map(|_| ())
            .map_err(denied);
    }
    stores
        .block_on(async move {
            let mut w =
                WriteMultipart::new_with_chunk_size(store.put_multipart(&path).await?, PART);
            let mut buf = vec![0u8; PART];
            loop {
                let n = match file.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) => {
                        let _ = w.abort().await;
                        return Err(object_store::Error::Generic {
                            store: "local file",
                            source: Box::new(e),
                        });
                    }
                };
                if let Err(e) = w.wait_for_capacity(4).await {
                    let _ = w.abort().await;
                    return Err(e);
                }
                w.write(&buf[..n]);
            }
            w.finish().await.map(|_| ())
        })?
        .map_err(denied)
}
