//! A blocking [`Read`] over an object's GET stream. The stream runs as a task on the store's
//! runtime and hands chunks over a bounded channel; when the connection fails or drops
//! mid-file, the task asks again from the byte it reached (a range request, pinned to the
//! object's ETag), and after the retries gives up with an error naming the URL and offset.

use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures::StreamExt;
use object_store::path::Path as ObjPath;
use object_store::{GetOptions, GetRange, ObjectStore};
use tokio::sync::mpsc;

use super::StoreError;
use super::error::retryable;

/// Chunks buffered ahead of the reader.
const AHEAD: usize = 64;
/// Progress that resets the failure count: a connection that keeps delivering is not failing.
const PROGRESS_RESET: u64 = 1 << 20;

/// What one streaming read needs.
pub(super) struct Fetch {
    pub store: Arc<dyn ObjectStore>,
    pub path: ObjPath,
    pub url: String,
    /// Tries per stretch of the object (first request included).
    pub tries: u32,
    /// Wait before the first retry (doubled each time).
    pub backoff: Duration,
}

/// What the task sends: data, the end of the object, or the failure that ended the read.
enum Msg {
    Chunk(Bytes),
    End,
    Fail(StoreError),
}

type Tx = mpsc::Sender<Msg>;

/// The blocking end: reads the chunks the task sends.
pub(super) struct ObjectReader {
    rx: mpsc::Receiver<Msg>,
    cur: Bytes,
    ended: bool,
    task: tokio::task::JoinHandle<()>,
    url: String,
    /// Keeps the runtime the task runs on alive as long as the reader.
    _stores: super::Stores,
}

impl ObjectReader {
    /// Start streaming `fetch` on the runtime of `stores` from byte 0.
    pub fn start(
        stores: &super::Stores,
        rt: &tokio::runtime::Handle,
        fetch: Fetch,
    ) -> ObjectReader {
        let (tx, rx) = mpsc::channel(AHEAD);
        let url = fetch.url.clone();
        let task = rt.spawn(pump(fetch, tx));
        ObjectReader {
            rx,
            cur: Bytes::new(),
            ended: false,
            task,
            url,
            _stores: stores.clone(),
        }
    }
}

impl Read for ObjectReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.cur.is_empty() {
            if self.ended {
                return Ok(0);
            }
            match self.rx.blocking_recv() {
                Some(Msg::Chunk(b)) => self.cur = b,
                Some(Msg::End) => self.ended = true,
                Some(Msg::Fail(e)) => return Err(e.into_io()),
                // The task stopped without saying why (cancelled): never a silent end of file.
                None => {
                    return Err(std::io::Error::other(format!(
                        "{}: the download task stopped before the end of the object",
                        self.url
                    )));
                }
            }
        }
        let n = buf.len().min(self.cur.len());
        buf[..n].copy_from_slice(&self.cur.split_to(n));
        Ok(n)
    }
}

impl Drop for ObjectReader {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Why one request ended before the end of the object.
enum Stop {
    /// The reader went away: stop quietly.
    Closed,
    /// A failure; `retry` when asking again may help.
    Failed { reason: String, retry: bool },
}

/// How far a read has come: the next byte, and the object's ETag and size once known.
#[derive(Default)]
struct Progress {
    pos: u64,
    etag: Option<String>,
    size: Option<u64>,
}

/// Send the object's bytes from `p.pos` on; `Ok(())` at the end of the object.
async fn one_request(f: &Fetch, p: &mut Progress, tx: &Tx) -> Result<(), Stop> {
    // Everything arrived before the last request failed: asking for `bytes=size-` would get
    // 416 Range Not Satisfiable, which is not worth retrying.
    if p.size.is_some_and(|size| p.pos >= size) {
        return Ok(());
    }
    let Progress { pos, etag, size } = p;
    let opts = GetOptions {
        range: (*pos > 0).then_some(GetRange::Offset(*pos)),
        if_match: etag.clone(),
        ..Default::default()
    };
    let res = match f.store.get_opts(&f.path, opts).await {
        Ok(r) => r,
        Err(e) if !retryable(&e) => {
            let err = match StoreError::from_object(&f.url, e) {
                StoreError::Read { reason, .. } => StoreError::Read {
                    url: f.url.clone(),
                    offset: *pos,
                    tries: 1,
                    reason,
                },
                other => other,
            };
            let _ = tx.send(Msg::Fail(err)).await;
            return Err(Stop::Closed);
        }
        Err(e) => {
            return Err(Stop::Failed {
                reason: e.to_string(),
                retry: true,
            });
        }
    };
    if etag.is_none() {
        etag.clone_from(&res.meta.e_tag);
    }
    let size = *size.insert(res.meta.size);
    let mut stream = res.into_stream();
    while let Some(item) = stream.next().await {
        match item {
            Ok(b) => {
                *pos += b.len() as u64;
                if tx.send(Msg::Chunk(b)).await.is_err() {
                    return Err(Stop::Closed);
                }
            }
            // A failure after the last byte (e.g. at the end of the body) loses nothing.
            Err(_) if *pos >= size => break,
            Err(e) => {
                return Err(Stop::Failed {
                    reason: e.to_string(),
                    retry: true,
                });
            }
        }
    }
    if *pos < size {
        return Err(Stop::Failed {
            reason: format!("the connection closed at byte {pos} of {size}"),
            retry: true,
        });
    }
    Ok(())
}

/// The task: request, stream, and on failure resume from the byte reached.
async fn pump(f: Fetch, tx: Tx) {
    let mut p = Progress::default();
    let (mut tries, mut wait) = (0u32, f.backoff);
    let mut last_fail_at = 0u64;
    loop {
        tries += 1;
        let reason = match one_request(&f, &mut p, &tx).await {
            Ok(()) => {
                let _ = tx.send(Msg::End).await;
                return;
            }
            Err(Stop::Closed) => return,
            Err(Stop::Failed { reason, retry }) => {
                if retry && p.pos - last_fail_at >= PROGRESS_RESET {
                    (tries, wait) = (1, f.backoff);
                }
                if retry && tries < f.tries {
                    tracing::warn!(url = %f.url, offset = p.pos, %reason, "read failed, resuming");
                    last_fail_at = p.pos;
                    tokio::time::sleep(wait).await;
                    wait *= 2;
                    continue;
                }
                reason
            }
        };
        let _ = tx
            .send(Msg::Fail(StoreError::Read {
                url: f.url.clone(),
                offset: p.pos,
                tries,
                reason,
            }))
            .await;
        return;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use futures::future::BoxFuture;
    use futures::stream::BoxStream;
    use object_store::memory::InMemory;
    use object_store::{
        CopyOptions, GetResult, GetResultPayload, ListResult, MultipartUpload, ObjectMeta,
        ObjectStoreExt, PutMultipartOptions, PutOptions, PutPayload, PutResult, Result,
    };

    use super::*;

    /// An in-memory store whose GET bodies fail after their last byte; counts GETs.
    #[derive(Debug, Default)]
    struct TailFail {
        inner: InMemory,
        gets: AtomicUsize,
    }

    impl std::fmt::Display for TailFail {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "TailFail")
        }
    }

    impl ObjectStore for TailFail {
        fn put_opts<'a, 'b, 't>(
            &'a self,
            location: &'b ObjPath,
            payload: PutPayload,
            opts: PutOptions,
        ) -> BoxFuture<'t, Result<PutResult>>
        where
            'a: 't,
            'b: 't,
            Self: 't,
        {
            self.inner.put_opts(location, payload, opts)
        }

        fn put_multipart_opts<'a, 'b, 't>(
            &'a self,
            location: &'b ObjPath,
            opts: PutMultipartOptions,
        ) -> BoxFuture<'t, Result<Box<dyn MultipartUpload>>>
        where
            'a: 't,
            'b: 't,
            Self: 't,
        {
            self.inner.put_multipart_opts(location, opts)
        }

        fn get_opts<'a, 'b, 't>(
            &'a self,
            location: &'b ObjPath,
            options: GetOptions,
        ) -> BoxFuture<'t, Result<GetResult>>
        where
            'a: 't,
            'b: 't,
            Self: 't,
        {
            self.gets.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move {
                let r = self.inner.get_opts(location, options).await?;
                let (meta, range, attributes) =
                    (r.meta.clone(), r.range.clone(), r.attributes.clone());
                let body = r.into_stream();
                let tail = futures::stream::once(async {
                    Err(object_store::Error::Generic {
                        store: "TailFail",
                        source: "connection reset after the body".into(),
                    })
                });
                Ok(GetResult {
                    payload: GetResultPayload::Stream(body.chain(tail).boxed()),
                    meta,
                    range,
                    attributes,
                })
            })
        }

        fn delete_stream(
            &self,
            locations: BoxStream<'static, Result<ObjPath>>,
        ) -> BoxStream<'static, Result<ObjPath>> {
            self.inner.delete_stream(locations)
        }

        fn list(&self, prefix: Option<&ObjPath>) -> BoxStream<'static, Result<ObjectMeta>> {
            self.inner.list(prefix)
        }

        fn list_with_delimiter<'a, 'b, 't>(
            &'a self,
            prefix: Option<&'b ObjPath>,
        ) -> BoxFuture<'t, Result<ListResult>>
        where
            'a: 't,
            'b: 't,
            Self: 't,
        {
            self.inner.list_with_delimiter(prefix)
        }

        fn copy_opts<'a, 'b, 'c, 't>(
            &'a self,
            from: &'b ObjPath,
            to: &'c ObjPath,
            options: CopyOptions,
        ) -> BoxFuture<'t, Result<()>>
        where
            'a: 't,
            'b: 't,
            'c: 't,
            Self: 't,
        {
            self.inner.copy_opts(from, to, options)
        }
    }

    #[test]
    fn a_failure_after_the_last_byte_ends_the_read_cleanly() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let data: Vec<u8> = (0..5000u32).map(|i| i as u8).collect();
        let store = Arc::new(TailFail::default());
        let path = ObjPath::from("x.warc.zst");
        rt.block_on(store.put(&path, PutPayload::from(data.clone())))
            .unwrap();
        let fetch = Fetch {
            store: store.clone(),
            path,
            url: "s3://b/x.warc.zst".into(),
            tries: 4,
            backoff: Duration::from_millis(1),
        };
        let (tx, mut rx) = mpsc::channel(AHEAD);
        let (got, end) = rt.block_on(async move {
            tokio::spawn(pump(fetch, tx));
            let mut got = Vec::new();
            loop {
                match rx.recv().await {
                    Some(Msg::Chunk(b)) => got.extend_from_slice(&b),
                    Some(Msg::End) => return (got, Ok(())),
                    Some(Msg::Fail(e)) => return (got, Err(e.to_string())),
                    None => return (got, Err("task stopped".to_string())),
                }
            }
        });
        assert_eq!(end, Ok(()));
        assert_eq!(got, data);
        assert_eq!(
            store.gets.load(Ordering::SeqCst),
            1,
            "no request past the end"
        );
    }
}
