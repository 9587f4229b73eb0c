//! The crawl state on disk (SQLite, WAL): frontier and seen set, per-URL validators for
//! conditional GET, payload digests for revisits, retry counts, page counters and trap
//! pattern counters. Everything the crawler needs to resume after a crash lives here; memory
//! stays flat because nothing of it is mirrored in RAM.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

pub use super::rows::{
    DigestHit, Finish, NewUrl, Next, QueuedUrl, Scoped, StateCounts, UrlStatus, Validators,
};

/// A state database error, with the database path.
#[derive(Debug, thiserror::Error)]
#[error("crawl state {path}: {source}")]
pub struct StateError {
    /// The SQLite file.
    pub path: PathBuf,
    /// What SQLite said.
    #[source]
    pub source: rusqlite::Error,
}

fn insert_new(
    tx: &rusqlite::Transaction<'_>,
    urls: &[Scoped],
) -> rusqlite::Result<(Vec<NewUrl>, Vec<NewUrl>)> {
    let mut added = Vec::new();
    let mut trapped = Vec::new();
    let mut seen = tx.prepare_cached("SELECT 1 FROM urls WHERE url = ?1")?;
    let mut ins = tx.prepare_cached(
        "INSERT OR IGNORE INTO urls(url, origin, depth, hops, prio, site, discovered)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut pat_get =
        tx.prepare_cached("SELECT n FROM patterns WHERE origin = ?1 AND pattern = ?2")?;
    let mut pat_put = tx.prepare_cached(
        "INSERT INTO patterns(origin, pattern, n) VALUES (?1, ?2, 1)
         ON CONFLICT(origin, pattern) DO UPDATE SET n = n + 1",
    )?;
    for (u, pattern) in urls {
        if seen.exists(params![u.url])? {
            continue;
        }
        if let Some((p, limit)) = pattern {
            let n: i64 = pat_get
                .query_row(params![u.origin, p], |r| r.get(0))
                .optional()?
                .unwrap_or(0);
            if n.max(0) as u64 >= *limit {
                trapped.push(u.clone());
                continue;
            }
            pat_put.execute(params![u.origin, p])?;
        }
        let n = ins.execute(params![
            u.url,
            u.origin,
            u.depth,
            u.hops,
            u.prio,
            u.site,
            u.discovered
        ])?;
        if n > 0 {
            added.push(u.clone());
        }
    }
    Ok((added, trapped))
}

/// The crawl state database.
pub struct CrawlState {
    conn: Connection,
    path: PathBuf,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS urls (
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL UNIQUE,
  origin TEXT NOT NULL,
  depth INTEGER NOT NULL,
  hops INTEGER NOT NULL DEFAULT 0,
  prio INTEGER NOT NULL DEFAULT 1,
  site INTEGER NOT NULL DEFAULT 0,
  status INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  not_before INTEGER NOT NULL DEFAULT 0,
  pending_record TEXT,
  http_status INTEGER,
  reason TEXT,
  discovered TEXT
);
CREATE INDEX IF NOT EXISTS urls_queue ON urls(origin, status, prio, id);
CREATE INDEX IF NOT EXISTS urls_status ON urls(status);
CREATE TABLE IF NOT EXISTS validators (
  url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, record_id TEXT NOT NULL, date TEXT NOT NULL,
  file TEXT, offset INTEGER, length INTEGER
);
CREATE TABLE IF NOT EXISTS digests (
  digest TEXT PRIMARY KEY, record_id TEXT NOT NULL, uri TEXT NOT NULL, date TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS origin_pages (origin TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS patterns (
  origin TEXT NOT NULL, pattern TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY(origin, pattern)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
";

impl CrawlState {
    /// Open (or create) the state at `path`. `fresh` forgets the frontier, seen set and
    /// counters but keeps validators and payload digests, so a new crawl over the same archive
    /// sends conditional requests and writes revisits.
    pub fn open(path: &Path, fresh: bool) -> Result<CrawlState, StateError> {
        let err = |source| StateError {
            path: path.to_path_buf(),
            source,
        };
        let conn = Connection::open(path).map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        // Bounded page cache (~16 MB) keeps RSS flat however large the frontier grows.
        conn.pragma_update(None, "cache_size", -16000)
            .map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(err)?;
        conn.execute_batch(SCHEMA).map_err(err)?;
        if fresh {
            conn.execute_batch(
                "DELETE FROM urls; DELETE FROM origin_pages; DELETE FROM patterns; DELETE FROM meta;",
            )
            .map_err(err)?;
        }
        Ok(CrawlState {
            conn,
            path: path.to_path_buf(),
        })
    }

    fn err(&self, source: rusqlite::Error) -> StateError {
        StateError {
            path: self.path.clone(),
            source,
        }
    }

    /// Insert URLs not seen before (in one transaction). Returns the ones actually added and
    /// the ones refused by their trap-pattern budget. `pattern` gives, per URL, an optional
    /// calendar pattern and its per-origin limit.
    pub fn add(&mut self, urls: &[Scoped]) -> Result<(Vec<NewUrl>, Vec<NewUrl>), StateError> {
        let path = self.path.clone();
        let e = |source| StateError {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(e)?;
        let r = insert_new(&tx, urls).map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(r)
    }

    /// Whether the URL is known (in any status).
    pub fn seen(&self, url: &str) -> Result<bool, StateError> {
        self.conn
            .prepare_cached("SELECT 1 FROM urls WHERE url = ?1")
            .and_then(|mut s| s.exists(params![url]))
            .map_err(|e| self.err(e))
    }

    /// The queued row of `url`, if it is queued and due at `now_ms` (not pending, done or
    /// waiting for a retry): lets discovery fetch a seed it needs through the crawl path
    /// instead of a second time.
    pub fn queued(&self, url: &str, now_ms: i64) -> Result<Option<QueuedUrl>, StateError> {
        self.conn
            .prepare_cached(
                "SELECT id, url, origin, depth, hops, attempts, site FROM urls
                 WHERE url = ?1 AND status = 0 AND not_before <= ?2",
            )
            .and_then(|mut s| {
                s.query_row(params![url, now_ms], |r| {
                    Ok(QueuedUrl {
                        id: r.get(0)?,
                        url: r.get(1)?,
                        origin: r.get(2)?,
                        depth: r.get(3)?,
                        hops: r.get(4)?,
                        attempts: r.get(5)?,
                        site: r.get(6)?,
                    })
                })
                .optional()
            })
            .map_err(|e| self.err(e))
    }

    /// The next URL for `origin` at time `now_ms`.
    pub fn next_for(&self, origin: &str, now_ms: i64) -> Result<Next, StateError> {
        self.next_for_except(origin, now_ms, &HashSet::new())
    }

    /// The next URL for `origin` at time `now_ms` whose id is not in `busy` (URLs being
    /// fetched right now). `Empty` when every queued URL is busy.
    pub fn next_for_except(
        &self,
        origin: &str,
        now_ms: i64,
        busy: &HashSet<i64>,
    ) -> Result<Next, StateError> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT id, url, origin, depth, hops, attempts, site, not_before FROM urls
                 WHERE origin = ?1 AND status = 0 ORDER BY prio, id LIMIT 64",
            )
            .and_then(|mut s| {
                let rows = s.query_map(params![origin], |r| {
                    Ok((
                        QueuedUrl {
                            id: r.get(0)?,
                            url: r.get(1)?,
                            origin: r.get(2)?,
                            depth: r.get(3)?,
                            hops: r.get(4)?,
                            attempts: r.get(5)?,
                            site: r.get(6)?,
                        },
                        r.get::<_, i64>(7)?,
                    ))
                })?;
                let mut earliest: Option<i64> = None;
                for row in rows {
                    let (q, nb) = row?;
                    if busy.contains(&q.id) {
                        continue;
                    }
                    if nb <= now_ms {
                        return Ok(Next::Ready(q));
                    }
                    earliest = Some(earliest.map_or(nb, |e: i64| e.min(nb)));
                }
                Ok(match earliest {
                    Some(t) => Next::Later(t),
                    None => Next::Empty,
                })
            })
            .map_err(|e| self.err(e))?;
        if let Next::Later(_) = row {
            // The first 64 rows all wait; look for any ready row beyond them.
            let ready = self
                .conn
                .prepare_cached(
                    "SELECT id, url, origin, depth, hops, attempts, site FROM urls
                     WHERE origin = ?1 AND status = 0 AND not_before <= ?2 ORDER BY prio, id LIMIT ?3",
                )
                .and_then(|mut s| {
                    let rows = s.query_map(params![origin, now_ms, busy.len() as i64 + 1], |r| {
                        Ok(QueuedUrl {
                            id: r.get(0)?,
                            url: r.get(1)?,
                            origin: r.get(2)?,
                            depth: r.get(3)?,
                            hops: r.get(4)?,
                            attempts: r.get(5)?,
                            site: r.get(6)?,
                        })
                    })?;
                    for q in rows {
                        let q = q?;
                        if !busy.contains(&q.id) {
                            return Ok(Some(q));
                        }
                    }
                    Ok(None)
                })
                .map_err(|e| self.err(e))?;
            if let Some(q) = ready {
                return Ok(Next::Ready(q));
            }
        }
        Ok(row)
    }

    /// Origins with queued URLs.
    pub fn queued_origins(&self) -> Result<Vec<String>, StateError> {
        self.conn
            .prepare("SELECT DISTINCT origin FROM urls WHERE status = 0")
            .and_then(|mut s| {
                s.query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<String>>>()
            })
            .map_err(|e| self.err(e))
    }

    /// Mark a URL as being written with response record `record_id`.
    pub fn set_pending(&self, id: i64, record_id: &str) -> Result<(), StateError> {
        self.conn
            .prepare_cached("UPDATE urls SET status = 1, pending_record = ?2 WHERE id = ?1")
            .and_then(|mut s| s.execute(params![id, record_id]))
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// URLs left pending by a crash, with the response record id they were writing.
    pub fn pending(&self) -> Result<Vec<(QueuedUrl, String)>, StateError> {
        self.conn
            .prepare(
                "SELECT id, url, origin, depth, hops, attempts, site, pending_record FROM urls
                 WHERE status = 1",
            )
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok((
                        QueuedUrl {
                            id: r.get(0)?,
                            url: r.get(1)?,
                            origin: r.get(2)?,
                            depth: r.get(3)?,
                            hops: r.get(4)?,
                            attempts: r.get(5)?,
                            site: r.get(6)?,
                        },
                        r.get::<_, Option<String>>(7)?.unwrap_or_default(),
                    ))
                })?
                .collect()
            })
            .map_err(|e| self.err(e))
    }

    /// Put a URL back in the queue, not before `not_before_ms`, with `attempts` failures so far.
    pub fn retry_later(
        &self,
        id: i64,
        not_before_ms: i64,
        attempts: u32,
    ) -> Result<(), StateError> {
        self.conn
            .prepare_cached(
                "UPDATE urls SET status = 0, not_before = ?2, attempts = ?3, pending_record = NULL
                 WHERE id = ?1",
            )
            .and_then(|mut s| s.execute(params![id, not_before_ms, attempts]))
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Fail every queued URL of `origin` with `reason` (robots.txt keeps failing). Returns how
    /// many.
    pub fn fail_origin(&self, origin: &str, reason: &str) -> Result<u64, StateError> {
        self.conn
            .prepare_cached(
                "UPDATE urls SET status = 3, reason = ?2 WHERE origin = ?1 AND status = 0",
            )
            .and_then(|mut s| s.execute(params![origin, reason]))
            .map(|n| n as u64)
            .map_err(|e| self.err(e))
    }

    /// Record how a URL ended, insert its links and aliases, remember validators and digest,
    /// and count the page: all in one transaction.
    pub fn finish(&mut self, f: &Finish<'_>) -> Result<(Vec<NewUrl>, Vec<NewUrl>), StateError> {
        let path = self.path.clone();
        let e = |source| StateError {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(e)?;
        let origin: String = tx
            .prepare_cached(
                "UPDATE urls SET status = ?2, reason = ?3, http_status = ?4, pending_record = NULL
                 WHERE id = ?1 RETURNING origin",
            )
            .and_then(|mut s| {
                s.query_row(
                    params![f.id, f.status as i64, f.reason, f.http_status],
                    |r| r.get(0),
                )
            })
            .map_err(e)?;
        // Aliases first: a link to the page's own canonical URL is then already seen.
        {
            let mut ins = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO urls(url, origin, depth, hops, prio, site, discovered, status)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(e)?;
            for u in f.aliases {
                ins.execute(params![
                    u.url,
                    u.origin,
                    u.depth,
                    u.hops,
                    u.prio,
                    u.site,
                    u.discovered,
                    UrlStatus::Skipped as i64
                ])
                .map_err(e)?;
            }
        }
        let inserted = insert_new(&tx, f.links).map_err(e)?;
        if let Some((url, v)) = f.validators {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO validators(url, etag, last_modified, record_id, date, file,
                 offset, length) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .and_then(|mut s| {
                let (f, o, l) = match &v.location {
                    Some((f, o, l)) => (Some(f.as_str()), Some(*o as i64), Some(*l as i64)),
                    None => (None, None, None),
                };
                s.execute(params![
                    url,
                    v.etag,
                    v.last_modified,
                    v.record_id,
                    v.date,
                    f,
                    o,
                    l
                ])
            })
            .map_err(e)?;
        }
        if let Some((d, hit)) = f.digest {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO digests(digest, record_id, uri, date) VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut s| s.execute(params![d, hit.record_id, hit.uri, hit.date]))
            .map_err(e)?;
        }
        if f.fetched {
            tx.prepare_cached(
                "INSERT INTO origin_pages(origin, n) VALUES (?1, 1)
                 ON CONFLICT(origin) DO UPDATE SET n = n + 1",
            )
            .and_then(|mut s| s.execute(params![origin]))
            .map_err(e)?;
        }
        tx.commit().map_err(e)?;
        Ok(inserted)
    }

    /// Validators of the last capture of `url`.
    pub fn validators(&self, url: &str) -> Result<Option<Validators>, StateError> {
        self.conn
            .prepare_cached(
                "SELECT etag, last_modified, record_id, date, file, offset, length FROM validators
                 WHERE url = ?1",
            )
            .and_then(|mut s| {
                s.query_row(params![url], |r| {
                    let file: Option<String> = r.get(4)?;
                    let off: Option<i64> = r.get(5)?;
                    let len: Option<i64> = r.get(6)?;
                    Ok(Validators {
                        etag: r.get(0)?,
                        last_modified: r.get(1)?,
                        record_id: r.get(2)?,
                        date: r.get(3)?,
                        location: match (file, off, len) {
                            (Some(f), Some(o), Some(l)) => {
                                Some((f, o.max(0) as u64, l.max(0) as u64))
                            }
                            _ => None,
                        },
                    })
                })
                .optional()
            })
            .map_err(|e| self.err(e))
    }

    /// The first capture with payload digest `digest`.
    pub fn digest(&self, digest: &str) -> Result<Option<DigestHit>, StateError> {
        self.conn
            .prepare_cached("SELECT record_id, uri, date FROM digests WHERE digest = ?1")
            .and_then(|mut s| {
                s.query_row(params![digest], |r| {
                    Ok(DigestHit {
                        record_id: r.get(0)?,
                        uri: r.get(1)?,
                        date: r.get(2)?,
                    })
                })
                .optional()
            })
            .map_err(|e| self.err(e))
    }

    /// Pages fetched so far from `origin`.
    pub fn origin_pages(&self, origin: &str) -> Result<u64, StateError> {
        self.conn
            .prepare_cached("SELECT n FROM origin_pages WHERE origin = ?1")
            .and_then(|mut s| {
                s.query_row(params![origin], |r| r.get::<_, i64>(0))
                    .optional()
            })
            .map(|n| n.unwrap_or(0).max(0) as u64)
            .map_err(|e| self.err(e))
    }

    /// Pages fetched so far over all origins.
    pub fn total_pages(&self) -> Result<u64, StateError> {
        self.conn
            .query_row("SELECT COALESCE(SUM(n), 0) FROM origin_pages", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n.max(0) as u64)
            .map_err(|e| self.err(e))
    }

    /// Counts per status.
    pub fn counts(&self) -> Result<StateCounts, StateError> {
        let mut c = StateCounts::default();
        let mut s = self
            .conn
            .prepare("SELECT status, COUNT(*) FROM urls GROUP BY status")
            .map_err(|e| self.err(e))?;
        let rows = s
            .query_map([], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?.max(0) as u64))
            })
            .map_err(|e| self.err(e))?;
        for row in rows {
            let (st, n) = row.map_err(|e| self.err(e))?;
            match st {
                0 => c.queued = n,
                1 => c.pending = n,
                2 => c.done = n,
                3 => c.failed = n,
                _ => c.skipped += n,
            }
        }
        Ok(c)
    }
}

/// Discovery and `--watch` additions: captures without a frontier row, and re-queuing.
impl CrawlState {
    /// Remember validators and the payload digest of a capture that has no frontier row
    /// (sitemaps and feeds fetched by discovery), for conditional GET and revisits next time.
    pub fn remember(
        &self,
        url: &str,
        validators: Option<&Validators>,
        digest: Option<(&str, &DigestHit)>,
    ) -> Result<(), StateError> {
        if let Some(v) = validators {
            let (f, o, l) = match &v.location {
                Some((f, o, l)) => (Some(f.as_str()), Some(*o as i64), Some(*l as i64)),
                None => (None, None, None),
            };
            self.conn
                .prepare_cached(
                    "INSERT OR REPLACE INTO validators(url, etag, last_modified, record_id, date,
                     file, offset, length) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .and_then(|mut s| {
                    s.execute(params![
                        url,
                        v.etag,
                        v.last_modified,
                        v.record_id,
                        v.date,
                        f,
                        o,
                        l
                    ])
                })
                .map_err(|e| self.err(e))?;
        }
        if let Some((d, hit)) = digest {
            self.conn
                .prepare_cached(
                    "INSERT OR IGNORE INTO digests(digest, record_id, uri, date) VALUES (?1, ?2, ?3, ?4)",
                )
                .and_then(|mut s| s.execute(params![d, hit.record_id, hit.uri, hit.date]))
                .map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// Queue `u` for fetching again (`--watch`: a changed or young article), whatever became
    /// of it before; inserted when unknown. A URL already queued or pending is left alone.
    /// Returns whether it was (re)queued.
    pub fn requeue(&mut self, u: &NewUrl) -> Result<bool, StateError> {
        self.conn
            .prepare_cached(
                "INSERT INTO urls(url, origin, depth, hops, prio, site, discovered)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(url) DO UPDATE SET status = 0, attempts = 0, not_before = 0,
                   depth = excluded.depth, hops = 0, prio = excluded.prio, reason = NULL,
                   discovered = excluded.discovered
                 WHERE status NOT IN (0, 1)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    u.url,
                    u.origin,
                    u.depth,
                    u.hops,
                    u.prio,
                    u.site,
                    u.discovered
                ])
            })
            .map(|n| n > 0)
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nu(url: &str, origin: &str) -> NewUrl {
        NewUrl {
            url: url.into(),
            origin: origin.into(),
            depth: 0,
            hops: 0,
            prio: 1,
            site: 0,
            discovered: None,
        }
    }

    #[test]
    fn add_dedup_next_finish_resume() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.sqlite");
        let mut st = CrawlState::open(&p, false).unwrap();
        let o = "http://a:80";
        let (added, _) = st
            .add(&[
                (nu("http://a/1", o), None),
                (nu("http://a/1", o), None),
                (nu("http://a/2", o), None),
            ])
            .unwrap();
        assert_eq!(added.len(), 2);
        let Next::Ready(q) = st.next_for(o, 0).unwrap() else {
            panic!("expected ready")
        };
        assert_eq!(q.url, "http://a/1");
        // URLs being fetched are passed over; with all of them busy there is nothing to do.
        let busy: HashSet<i64> = [q.id].into();
        match st.next_for_except(o, 0, &busy).unwrap() {
            Next::Ready(r) => assert_eq!(r.url, "http://a/2"),
            other => panic!("{other:?}"),
        }
        let all = st.queued("http://a/2", 0).unwrap().map(|r| r.id);
        let busy: HashSet<i64> = [q.id, all.unwrap()].into();
        assert_eq!(st.next_for_except(o, 0, &busy).unwrap(), Next::Empty);
        st.set_pending(q.id, "<urn:uuid:1>").unwrap();
        assert_eq!(st.pending().unwrap().len(), 1);
        let links = vec![(nu("http://a/3", o), None), (nu("http://a/2", o), None)];
        st.finish(&Finish {
            id: q.id,
            status: UrlStatus::Done,
            reason: None,
            http_status: Some(200),
            links: &links,
            aliases: &[],
            validators: None,
            digest: None,
            fetched: true,
        })
        .unwrap();
        assert_eq!(st.origin_pages(o).unwrap(), 1);
        drop(st);
        let st = CrawlState::open(&p, false).unwrap();
        let c = st.counts().unwrap();
        assert_eq!((c.queued, c.done, c.pending), (2, 1, 0));
        st.retry_later(2, i64::MAX / 2, 1).unwrap();
        match st.next_for(o, 5).unwrap() {
            Next::Ready(q) => assert_eq!(q.url, "http://a/3"),
            other => panic!("{other:?}"),
        }
        drop(st);
        let st = CrawlState::open(&p, true).unwrap();
        assert_eq!(st.counts().unwrap(), StateCounts::default());
        assert_eq!(st.next_for(o, 0).unwrap(), Next::Empty);
    }

    #[test]
    fn pattern_budget() {
        let dir = tempfile::tempdir().unwrap();
        let mut st = CrawlState::open(&dir.path().join("s.sqlite"), false).unwrap();
        let o = "http://a:80";
        let items: Vec<_> = (0..5)
            .map(|i| {
                (
                    nu(&format!("http://a/cal/{i}"), o),
                    Some(("/cal/N".to_string(), 3)),
                )
            })
            .collect();
        let (added, trapped) = st.add(&items).unwrap();
        assert_eq!((added.len(), trapped.len()), (3, 2));
    }

    #[test]
    fn validators_and_digests() {
        let dir = tempfile::tempdir().unwrap();
        let mut st = CrawlState::open(&dir.path().join("s.sqlite"), false).unwrap();
        let o = "http://a:80";
        st.add(&[(nu("http://a/1", o), None)]).unwrap();
        let v = Validators {
            etag: Some("\"x\"".into()),
            last_modified: None,
            record_id: "<urn:uuid:r>".into(),
            date: "2026-01-01T00:00:00Z".into(),
            location: Some(("/a/f.warc.zst".into(), 10, 20)),
        };
        let h = DigestHit {
            record_id: "<urn:uuid:r>".into(),
            uri: "http://a/1".into(),
            date: "2026-01-01T00:00:00Z".into(),
        };
        st.finish(&Finish {
            id: 1,
            status: UrlStatus::Done,
            reason: None,
            http_status: Some(200),
            links: &[],
            aliases: &[nu("http://a/canon", o)],
            validators: Some(("http://a/1", &v)),
            digest: Some(("sha1:AAA", &h)),
            fetched: true,
        })
        .unwrap();
        assert!(st.seen("http://a/canon").unwrap());
        drop(st);
        let st2 = CrawlState::open(&dir.path().join("s.sqlite"), true).unwrap();
        assert_eq!(st2.validators("http://a/1").unwrap(), Some(v));
        assert_eq!(st2.digest("sha1:AAA").unwrap(), Some(h));
        assert!(!st2.seen("http://a/canon").unwrap());
    }

    #[test]
    fn queued_finds_only_due_queued_rows() {
        let dir = tempfile::tempdir().unwrap();
        let mut st = CrawlState::open(&dir.path().join("s.sqlite"), false).unwrap();
        let o = "http://a:80";
        st.add(&[(nu("http://a/", o), None), (nu("http://a/x", o), None)])
            .unwrap();
        let q = st.queued("http://a/", 0).unwrap().unwrap();
        assert_eq!((q.url.as_str(), q.depth), ("http://a/", 0));
        assert_eq!(st.queued("http://a/nope", 0).unwrap(), None);
        st.set_pending(q.id, "<urn:uuid:1>").unwrap();
        assert_eq!(st.queued("http://a/", 0).unwrap(), None, "pending");
        let x = st.queued("http://a/x", 0).unwrap().unwrap();
        st.retry_later(x.id, 100, 1).unwrap();
        assert_eq!(st.queued("http://a/x", 50).unwrap(), None, "not due yet");
        assert_eq!(
            st.queued("http://a/x", 100).unwrap().map(|q| q.attempts),
            Some(1)
        );
    }
}
