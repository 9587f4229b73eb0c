//! Writing a finished local file to an `s3://` destination so that the object appears only
//! when complete: one PUT for small files, else a multipart upload that is completed at the
//! end (and aborted on any failure, so no parts are left behind).

use std::io::Read;
use std::path::Path;

use object_store::{MultipartUpload, ObjectStoreExt, PutPayload};

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
            let up = store.put_multipart(&path).await?;
            upload_parts(up, &mut file, PART).await
        })?
        .map_err(denied)
}

/// Send `read` as parts of `part` bytes (a few at a time), then complete the upload; on any
/// failure (a part, the local file, the completion) abort it so no parts are left behind.
///
/// Not `WriteMultipart`: its `finish` sends the last part and returns that part's error
/// without aborting, which leaves an orphaned multipart upload in the bucket.
async fn upload_parts(
    mut up: Box<dyn MultipartUpload>,
    read: &mut (dyn Read + Send),
    part: usize,
) -> Result<(), object_store::Error> {
    let sent = send_parts(up.as_mut(), read, part).await;
    let done = match sent {
        Ok(()) => up.complete().await.map(|_| ()),
        Err(e) => Err(e),
    };
    if done.is_err() {
        let _ = up.abort().await;
    }
    done
}

/// Parts in flight at once.
const IN_FLIGHT: usize = 4;

/// Put every part of `read` and wait for all of them. Parts upload as tasks, so they keep
/// going while the next part is read; on a failure the others are cancelled (the set is
/// dropped) before the caller aborts.
async fn send_parts(
    up: &mut dyn MultipartUpload,
    read: &mut (dyn Read + Send),
    part: usize,
) -> Result<(), object_store::Error> {
    let mut running = tokio::task::JoinSet::new();
    loop {
        let mut buf = Vec::with_capacity(part);
        read.take(part as u64)
            .read_to_end(&mut buf)
            .map_err(|e| object_store::Error::Generic {
                store: "local file",
                source: Box::new(e),
            })?;
        if buf.is_empty() {
            break;
        }
        while running.len() >= IN_FLIGHT {
            if let Some(r) = running.join_next().await {
                r.map_err(joined)??;
            }
        }
        let last = buf.len() < part;
        running.spawn(up.put_part(PutPayload::from(buf)));
        if last {
            break;
        }
    }
    while let Some(r) = running.join_next().await {
        r.map_err(joined)??;
    }
    Ok(())
}

/// A part's task that panicked or was cancelled.
fn joined(e: tokio::task::JoinError) -> object_store::Error {
    object_store::Error::Generic {
        store: "multipart upload",
        source: Box::new(e),
    }
}

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::{Arc, Mutex};

    use object_store::{PutResult, UploadPart};

    use super::*;

    /// What the fake upload was asked to do.
    #[derive(Default, Debug)]
    struct Log {
        parts: Vec<usize>,
        completed: bool,
        aborted: bool,
    }

    /// A multipart upload whose part number `fail_part` (0-based) fails.
    #[derive(Debug)]
    struct Fake {
        log: Arc<Mutex<Log>>,
        fail_part: Option<usize>,
    }

    type Fut<'a, T> = Pin<Box<dyn Future<Output = object_store::Result<T>> + Send + 'a>>;

    impl MultipartUpload for Fake {
        fn put_part(&mut self, data: PutPayload) -> UploadPart {
            let mut log = self.log.lock().unwrap();
            let n = log.parts.len();
            log.parts.push(data.content_length());
            let fail = self.fail_part == Some(n);
            Box::pin(async move {
                match fail {
                    true => Err(object_store::Error::Generic {
                        store: "fake",
                        source: format!("part {n} failed").into(),
                    }),
                    false => Ok(()),
                }
            })
        }

        fn complete<'a, 'b>(&'a mut self) -> Fut<'b, PutResult>
        where
            'a: 'b,
            Self: 'b,
        {
            self.log.lock().unwrap().completed = true;
            Box::pin(async {
                Ok(PutResult {
                    e_tag: None,
                    version: None,
                })
            })
        }

        fn abort<'a, 'b>(&'a mut self) -> Fut<'b, ()>
        where
            'a: 'b,
            Self: 'b,
        {
            self.log.lock().unwrap().aborted = true;
            Box::pin(async { Ok(()) })
        }
    }

    fn run(data: &[u8], fail_part: Option<usize>) -> (Result<(), String>, Log) {
        let log = Arc::new(Mutex::new(Log::default()));
        let up = Box::new(Fake {
            log: log.clone(),
            fail_part,
        });
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let mut read = std::io::Cursor::new(data.to_vec());
        let r = rt
            .block_on(upload_parts(up, &mut read, 10))
            .map_err(|e| e.to_string());
        let log = std::mem::take(&mut *log.lock().unwrap());
        (r, log)
    }

    #[test]
    fn all_parts_sent_then_completed() {
        let (r, log) = run(&[7u8; 35], None);
        assert!(r.is_ok(), "{r:?}");
        assert_eq!(log.parts, [10, 10, 10, 5]);
        assert!(log.completed && !log.aborted);
    }

    #[test]
    fn a_failed_last_part_aborts_the_upload() {
        // The short last part is the one `WriteMultipart::finish` sent and left orphaned.
        let (r, log) = run(&[7u8; 35], Some(3));
        assert!(r.unwrap_err().contains("part 3 failed"));
        assert!(log.aborted && !log.completed, "{log:?}");
    }

    #[test]
    fn a_failed_middle_part_aborts_the_upload() {
        let (r, log) = run(&[7u8; 35], Some(1));
        assert!(r.unwrap_err().contains("part 1 failed"));
        assert!(log.aborted && !log.completed, "{log:?}");
    }

    #[test]
    fn a_failing_local_file_aborts_the_upload() {
        struct Broken(usize);
        impl Read for Broken {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if self.0 == 0 {
                    return Err(std::io::Error::other("disk gone"));
                }
                let n = buf.len().min(self.0);
                self.0 -= n;
                Ok(n)
            }
        }
        let log = Arc::new(Mutex::new(Log::default()));
        let up = Box::new(Fake {
            log: log.clone(),
            fail_part: None,
        });
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let e = rt
            .block_on(upload_parts(up, &mut Broken(15), 10))
            .unwrap_err();
        assert!(e.to_string().contains("disk gone"), "{e}");
        let log = log.lock().unwrap();
        assert!(log.aborted && !log.completed, "{log:?}");
    }
}
