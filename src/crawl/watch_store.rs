//! What `--watch` remembers about the articles it queued: first seen, last fetch, number of
//! fetches, the listing's date. A small SQLite file beside the archive (`watch-state.sqlite`),
//! so a restarted watcher neither re-fetches everything nor forgets its re-fetch schedule.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use crate::discover::refresh::{ArticleRecord, RefreshPolicy};
use crate::frontier::StateError;

/// File name of the watch state inside the archive folder.
pub const WATCH_FILE: &str = "watch-state.sqlite";

/// The watch state database.
pub struct WatchStore {
    conn: Connection,
    path: PathBuf,
}

fn ts(d: DateTime<Utc>) -> i64 {
    d.timestamp()
}

fn from_ts(t: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(t, 0).unwrap_or_default()
}

impl WatchStore {
    /// Opens (or creates) the store at `path`.
    pub fn open(path: &Path) -> Result<WatchStore, StateError> {
        let err = |source| StateError {
            path: path.to_path_buf(),
            source,
        };
        let conn = Connection::open(path).map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(err)?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS articles (
               url TEXT PRIMARY KEY, first_seen INTEGER NOT NULL, last_fetch INTEGER NOT NULL,
               fetches INTEGER NOT NULL, listed INTEGER);
             CREATE INDEX IF NOT EXISTS articles_young ON articles(first_seen);",
        )
        .map_err(err)?;
        Ok(WatchStore {
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

    /// The record of `url`, if it was ever queued by discovery.
    pub fn get(&self, url: &str) -> Result<Option<ArticleRecord>, StateError> {
        self.conn
            .prepare_cached(
                "SELECT first_seen, last_fetch, fetches, listed FROM articles WHERE url = ?1",
            )
            .and_then(|mut s| {
                s.query_row(params![url], |r| {
                    Ok(ArticleRecord {
                        first_seen: from_ts(r.get(0)?),
                        last_fetch: from_ts(r.get(1)?),
                        fetches: r.get::<_, i64>(2)?.clamp(0, i64::from(u32::MAX)) as u32,
                        listed: r.get::<_, Option<i64>>(3)?.map(from_ts),
                    })
                })
                .optional()
            })
            .map_err(|e| self.err(e))
    }

    /// Records that `url` is queued for a fetch at `now` (listed with date `listed`).
    pub fn fetched(
        &self,
        url: &str,
        now: DateTime<Utc>,
        listed: Option<DateTime<Utc>>,
    ) -> Result<(), StateError> {
        self.conn
            .prepare_cached(
                "INSERT INTO articles(url, first_seen, last_fetch, fetches, listed)
                 VALUES (?1, ?2, ?2, 1, ?3)
                 ON CONFLICT(url) DO UPDATE SET last_fetch = ?2, fetches = fetches + 1,
                   listed = CASE WHEN ?3 IS NULL THEN listed
                     WHEN listed IS NULL OR ?3 > listed THEN ?3 ELSE listed END",
            )
            .and_then(|mut s| s.execute(params![url, ts(now), listed.map(ts)]))
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Articles whose scheduled re-fetch may be due at `now` (young enough, rested enough,
    /// budget left); the caller confirms with
    /// [`due_refetch`](crate::discover::refresh::due_refetch).
    pub fn due(
        &self,
        policy: &RefreshPolicy,
        now: DateTime<Utc>,
    ) -> Result<Vec<String>, StateError> {
        if policy.refetches == 0 {
            return Ok(Vec::new());
        }
        let gap = policy.gap().as_secs().min(i64::MAX as u64) as i64;
        let within = policy.within.as_secs().min(i64::MAX as u64) as i64;
        let now = ts(now);
        self.conn
            .prepare_cached(
                "SELECT url FROM articles WHERE fetches <= ?1 AND first_seen >= ?2 AND last_fetch <= ?3
                 ORDER BY first_seen DESC LIMIT 10000",
            )
            .and_then(|mut s| {
                let rows = s.query_map(
                    params![i64::from(policy.refetches), now.saturating_sub(within.saturating_add(gap)), now.saturating_sub(gap)],
                    |r| r.get::<_, String>(0),
                )?;
                rows.collect()
            })
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::refresh::{Decision, due_refetch};

    #[test]
    fn records_and_due_refetches() {
        let dir = tempfile::tempdir().unwrap();
        let st = WatchStore::open(&dir.path().join(WATCH_FILE)).unwrap();
        let t0: DateTime<Utc> = "2024-05-10T00:00:00Z".parse().unwrap();
        let listed: DateTime<Utc> = "2024-05-09T23:00:00Z".parse().unwrap();
        assert!(st.get("https://e.com/a").unwrap().is_none());
        st.fetched("https://e.com/a", t0, Some(listed)).unwrap();
        let r = st.get("https://e.com/a").unwrap().unwrap();
        assert_eq!(
            (r.first_seen, r.last_fetch, r.fetches, r.listed),
            (t0, t0, 1, Some(listed))
        );
        let p = RefreshPolicy::default();
        assert!(
            st.due(&p, t0 + chrono::Duration::hours(12))
                .unwrap()
                .is_empty()
        );
        let t1 = t0 + chrono::Duration::hours(24);
        assert_eq!(st.due(&p, t1).unwrap(), ["https://e.com/a"]);
        assert_eq!(due_refetch(&r, &p, t1), Decision::Refetch);
        st.fetched("https://e.com/a", t1, None).unwrap();
        let r = st.get("https://e.com/a").unwrap().unwrap();
        assert_eq!(
            (r.first_seen, r.last_fetch, r.fetches, r.listed),
            (t0, t1, 2, Some(listed))
        );
        let later: DateTime<Utc> = "2024-05-10T05:00:00Z".parse().unwrap();
        st.fetched("https://e.com/a", t1, Some(later)).unwrap();
        assert_eq!(
            st.get("https://e.com/a").unwrap().unwrap().listed,
            Some(later)
        );
        // Budget used: 3 fetches with 2 re-fetches allowed.
        assert!(
            st.due(&p, t1 + chrono::Duration::hours(24))
                .unwrap()
                .is_empty()
        );
    }
}
