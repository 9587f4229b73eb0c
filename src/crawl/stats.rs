//! Live counters of a crawl (read by the CLI for its progress bar) and the final [`Summary`].

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};
use std::time::Duration;

use crate::model::PageKind;

/// Counters updated by the crawl tasks.
#[derive(Debug, Default)]
pub struct Stats {
    fetched: AtomicU64,
    queued: AtomicI64,
    failed: AtomicU64,
    parse_failed: AtomicU64,
    conversions: AtomicU64,
    revisits: AtomicU64,
    retries: AtomicU64,
    robots_blocked: AtomicU64,
    truncated: AtomicU64,
    traps: AtomicU64,
    bytes_raw: AtomicU64,
    bytes_written: AtomicU64,
    records: AtomicU64,
    recovered: AtomicU64,
    by_status: Mutex<BTreeMap<u16, u64>>,
    failures: Mutex<BTreeMap<String, u64>>,
    kinds: Mutex<BTreeMap<PageKind, u64>>,
}

/// A point-in-time copy of the counters, for progress display.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Responses received (any status).
    pub fetched: u64,
    /// URLs waiting.
    pub queued: u64,
    /// URLs given up.
    pub failed: u64,
    /// Raw bytes received.
    pub bytes_raw: u64,
}

/// What a crawl did, for the summary table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Responses received per HTTP status.
    pub by_status: BTreeMap<u16, u64>,
    /// Responses received.
    pub fetched: u64,
    /// Conversion records written: pages of a parsed kind ([`PageKind::is_parsed`]: article,
    /// liveblog, gallery, video), not counting revisits (their payload was parsed before).
    pub conversions: u64,
    /// HTML pages the extractor classified, per page kind (revisits included): parsed kinds
    /// and the kinds archived raw only (listing, error, ...).
    pub kinds: BTreeMap<PageKind, u64>,
    /// Revisit records written (304 or identical payload).
    pub revisits: u64,
    /// Retries scheduled.
    pub retries: u64,
    /// URLs given up, per reason.
    pub failures: BTreeMap<String, u64>,
    /// URLs given up.
    pub failed: u64,
    /// Fetched pages the extractor could not parse (archived, but no conversion record).
    pub parse_failed: u64,
    /// URLs not fetched because robots.txt disallows them.
    pub robots_blocked: u64,
    /// Bodies cut at the size cap.
    pub truncated: u64,
    /// Links refused as crawler traps.
    pub traps: u64,
    /// HTTP bytes received (heads + bodies).
    pub bytes_raw: u64,
    /// Compressed bytes written to the archive.
    pub bytes_written: u64,
    /// Records written.
    pub records: u64,
    /// Captures found in the archive after a crash and finished from there (no refetch).
    pub recovered: u64,
    /// URLs still queued at the end (budget reached or interrupted).
    pub left_queued: u64,
    /// Wall time.
    pub elapsed: Duration,
    /// Stopped by a signal.
    pub interrupted: bool,
}

impl Stats {
    /// Start with `queued` URLs already waiting.
    pub fn new(queued: u64) -> Stats {
        let s = Stats::default();
        s.queued.store(queued as i64, Relaxed);
        s
    }
    pub(crate) fn fetched(&self, status: u16, raw: u64) {
        self.fetched.fetch_add(1, Relaxed);
        self.bytes_raw.fetch_add(raw, Relaxed);
        if let Ok(mut m) = self.by_status.lock() {
            *m.entry(status).or_default() += 1;
        }
    }
    pub(crate) fn queued_delta(&self, d: i64) {
        self.queued.fetch_add(d, Relaxed);
    }
    pub(crate) fn failed(&self, reason: &str) {
        self.failed.fetch_add(1, Relaxed);
        if let Ok(mut m) = self.failures.lock() {
            *m.entry(reason.to_string()).or_default() += 1;
        }
    }
    pub(crate) fn parse_failed(&self) {
        self.parse_failed.fetch_add(1, Relaxed);
    }
    pub(crate) fn conversion(&self) {
        self.conversions.fetch_add(1, Relaxed);
    }
    pub(crate) fn kind(&self, kind: PageKind) {
        if let Ok(mut m) = self.kinds.lock() {
            *m.entry(kind).or_default() += 1;
        }
    }
    pub(crate) fn revisit(&self) {
        self.revisits.fetch_add(1, Relaxed);
    }
    pub(crate) fn retry(&self) {
        self.retries.fetch_add(1, Relaxed);
    }
    pub(crate) fn robots_blocked(&self) {
        self.robots_blocked.fetch_add(1, Relaxed);
    }
    pub(crate) fn truncated(&self) {
        self.truncated.fetch_add(1, Relaxed);
    }
    pub(crate) fn traps(&self, n: u64) {
        self.traps.fetch_add(n, Relaxed);
    }
    pub(crate) fn recovered(&self) {
        self.recovered.fetch_add(1, Relaxed);
    }
    pub(crate) fn written(&self, records: u64, bytes: u64) {
        self.records.fetch_add(records, Relaxed);
        self.bytes_written.fetch_add(bytes, Relaxed);
    }

    /// Snapshot for a progress bar.
    pub fn progress(&self) -> Progress {
        Progress {
            fetched: self.fetched.load(Relaxed),
            queued: self.queued.load(Relaxed).max(0) as u64,
            failed: self.failed.load(Relaxed),
            bytes_raw: self.bytes_raw.load(Relaxed),
        }
    }

    /// The summary so far.
    pub fn summary(&self, elapsed: Duration, left_queued: u64, interrupted: bool) -> Summary {
        Summary {
            by_status: self.by_status.lock().map(|m| m.clone()).unwrap_or_default(),
            fetched: self.fetched.load(Relaxed),
            conversions: self.conversions.load(Relaxed),
            kinds: self.kinds.lock().map(|m| m.clone()).unwrap_or_default(),
            revisits: self.revisits.load(Relaxed),
            retries: self.retries.load(Relaxed),
            failures: self.failures.lock().map(|m| m.clone()).unwrap_or_default(),
            failed: self.failed.load(Relaxed),
            parse_failed: self.parse_failed.load(Relaxed),
            robots_blocked: self.robots_blocked.load(Relaxed),
            truncated: self.truncated.load(Relaxed),
            traps: self.traps.load(Relaxed),
            bytes_raw: self.bytes_raw.load(Relaxed),
            bytes_written: self.bytes_written.load(Relaxed),
            records: self.records.load(Relaxed),
            recovered: self.recovered.load(Relaxed),
            left_queued,
            elapsed,
            interrupted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up() {
        let s = Stats::new(3);
        s.fetched(200, 100);
        s.fetched(200, 50);
        s.fetched(404, 10);
        s.failed("timeout");
        s.failed("timeout");
        s.kind(PageKind::Listing);
        s.kind(PageKind::Article);
        s.kind(PageKind::Listing);
        s.queued_delta(-2);
        let p = s.progress();
        assert_eq!((p.fetched, p.queued, p.failed, p.bytes_raw), (3, 1, 2, 160));
        let sum = s.summary(Duration::from_secs(1), 0, false);
        assert_eq!(sum.by_status.get(&200), Some(&2));
        assert_eq!(sum.failures.get("timeout"), Some(&2));
        let kinds: Vec<_> = sum.kinds.into_iter().collect();
        assert_eq!(kinds, [(PageKind::Article, 1), (PageKind::Listing, 2)]);
    }
}
