//! The archive writer thread: one [`ArchiveWriter`] fed by a bounded channel. Senders await
//! room (records are never dropped) and get an acknowledgement once the records are flushed;
//! a failed write is returned to the sender and poisons the writer (the crawl stops).

use std::path::PathBuf;
use std::thread::JoinHandle;

use tokio::sync::{mpsc, oneshot};

use crate::archive::{ArchiveError, ArchiveWriter, Record, Written};

/// Records to write together, in order, and where to report.
struct Job {
    records: Vec<Record>,
    ack: oneshot::Sender<Result<Vec<Written>, String>>,
}

/// The sending side (cheap to clone).
#[derive(Clone)]
pub struct WriterHandle {
    tx: mpsc::Sender<Job>,
}

/// A write that did not happen.
#[derive(Debug, thiserror::Error)]
#[error("archive write failed: {0}")]
pub struct WriteFailed(pub String);

impl WriterHandle {
    /// Write `records` in order; returns once they are flushed to the OS.
    pub async fn write(&self, records: Vec<Record>) -> Result<Vec<Written>, WriteFailed> {
        let (ack, rx) = oneshot::channel();
        self.tx
            .send(Job { records, ack })
            .await
            .map_err(|_| WriteFailed("the archive writer has stopped".into()))?;
        rx.await
            .map_err(|_| WriteFailed("the archive writer has stopped".into()))?
            .map_err(WriteFailed)
    }
}

/// The writer thread; join it with [`WriterThread::finish`] after dropping every handle.
pub struct WriterThread {
    join: JoinHandle<Result<Vec<PathBuf>, ArchiveError>>,
}

/// Start the writer thread with a channel of `capacity` jobs.
pub fn spawn(
    writer: ArchiveWriter,
    capacity: usize,
) -> Result<(WriterHandle, WriterThread), ArchiveError> {
    let (tx, mut rx) = mpsc::channel::<Job>(capacity.max(1));
    let join = std::thread::Builder::new()
        .name("newsarc-archive-writer".into())
        .spawn(move || {
            let mut writer = writer;
            let mut poisoned: Option<String> = None;
            while let Some(job) = rx.blocking_recv() {
                if let Some(p) = &poisoned {
                    let _ = job.ack.send(Err(p.clone()));
                    continue;
                }
                let mut out = Vec::with_capacity(job.records.len());
                let mut failed = None;
                for r in &job.records {
                    match writer.write(r) {
                        Ok(w) => out.push(w),
                        Err(e) => {
                            failed = Some(e.to_string());
                            break;
                        }
                    }
                }
                match failed {
                    Some(e) => {
                        poisoned = Some(e.clone());
                        let _ = job.ack.send(Err(e));
                    }
                    None => {
                        let _ = job.ack.send(Ok(out));
                    }
                }
            }
            writer.finish()
        })
        .map_err(|e| ArchiveError::io(PathBuf::from("<archive writer thread>"), e))?;
    Ok((WriterHandle { tx }, WriterThread { join }))
}

impl WriterThread {
    /// Wait for the thread to drain the channel and close the archive.
    pub fn finish(self) -> Result<Vec<PathBuf>, ArchiveError> {
        match self.join.join() {
            Ok(r) => r,
            Err(_) => Err(ArchiveError::io(
                PathBuf::from("<writer thread>"),
                std::io::Error::other("archive writer thread panicked"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::{ArchiveReader, UuidIds, WriterConfig, build};

    #[tokio::test]
    async fn writes_in_order_and_acks_after_flush() {
        let dir = tempfile::tempdir().unwrap();
        let w = ArchiveWriter::open(WriterConfig::new(dir.path()), chrono::Utc::now()).unwrap();
        let (h, t) = spawn(w, 1).unwrap();
        let mut tasks = Vec::new();
        for i in 0..20 {
            let h = h.clone();
            tasks.push(tokio::spawn(async move {
                let rec = build::metadata(
                    &format!("http://x/{i}"),
                    chrono::Utc::now(),
                    b"a: b\\r\\n".to_vec(),
                    None,
                    &mut UuidIds,
                );
                let w = h.write(vec![rec]).await.unwrap();
                // Acknowledged means readable from the file already.
                let back =
                    crate::archive::read_record_at(&w[0].path, w[0].offset, w[0].length).unwrap();
                assert_eq!(back.target_uri(), Some(format!("http://x/{i}").as_str()));
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        drop(h);
        let files = tokio::task::spawn_blocking(move || t.finish())
            .await
            .unwrap()
            .unwrap();
        let n: usize = files
            .iter()
            .map(|f| ArchiveReader::open(f).unwrap().count())
            .sum();
        assert_eq!(n, 21, "warcinfo + 20 records");
    }
}
