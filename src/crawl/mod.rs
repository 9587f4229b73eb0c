//! The async crawl pipeline: frontier → fetch → archive → extract, with politeness, budgets,
//! resume after a crash and a summary of what happened.
//!
//! One task per origin (`scheme://host:port`) fetches sequentially (one request in flight per
//! host, paced by its [`Pacer`](crate::fetch::Pacer)); a global semaphore caps requests in
//! flight across hosts; parsing runs in `spawn_blocking`; one writer thread owns the archive
//! (bounded channel). Per URL the order is: mark pending with the response record id → write
//! records (flushed) → parse → write conversion → mark done with its links (one SQLite
//! transaction). On start-up, pending URLs are reconciled against the archive, so `kill -9`
//! never loses or duplicates a capture.
//!
//! Discovery (sitemaps, feeds) feeds the crawl: [`Crawler::discover`] drives each site's
//! [`DiscoveryPlan`](crate::discover::DiscoveryPlan) through this crawler's fetch path before
//! [`Crawler::run`] ([`discovery`]); [`Crawler::watch`] keeps re-polling during the run
//! ([`watcher`]); [`Crawler::add_discovered`] queues URLs found elsewhere.

pub mod discovery;
mod process;
mod reconcile;
pub mod scope;
pub mod stats;
mod watch_store;
pub mod watcher;
mod worker;
pub mod writer;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{DateTime, Datelike, Utc};
use tokio::sync::{Notify, Semaphore, watch};

use crate::archive::{ArchiveError, ArchiveWriter, WriterConfig};
use crate::config::CrawlConfig;
use crate::fetch::{Backoff, ClientConfig, FetchError, HttpClient, Jitter, Pacer, RobotsEntry};
use crate::frontier::{CrawlState, StateError, normalize};
use crate::selectors::RuleSet;

pub use stats::{Progress, Stats, Summary};
pub use writer::WriteFailed;

/// File name of the crawl state inside the archive folder.
pub const STATE_FILE: &str = "crawl-state.sqlite";

/// A crawl that could not run or had to stop.
#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    /// The crawl state database failed.
    #[error(transparent)]
    State(#[from] StateError),
    /// Opening, repairing or closing the archive failed.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// A record could not be written: the crawl stopped.
    #[error(transparent)]
    Write(#[from] WriteFailed),
    /// The HTTP client could not be built.
    #[error(transparent)]
    Client(#[from] FetchError),
    /// The archive folder could not be created.
    #[error("cannot create archive folder {path}: {source}")]
    OutDir {
        /// The folder.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// Where and how to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Archive folder (the state lives in it too).
    pub out: PathBuf,
    /// Selector configs for extraction.
    pub rules: Arc<RuleSet>,
    /// Start over (keeps validators and digests for conditional GET and revisits).
    pub fresh: bool,
    /// Capacity of the archive writer channel (jobs).
    pub channel_capacity: usize,
    /// Parses running or waiting at once (bounds memory held by bodies).
    pub parse_slots: usize,
    /// Start a new archive file every UTC day (`--watch`).
    pub rotate_daily: bool,
}

impl RunOptions {
    /// Defaults for `out`.
    pub fn new(out: impl Into<PathBuf>) -> RunOptions {
        RunOptions {
            out: out.into(),
            rules: Arc::new(RuleSet::empty()),
            fresh: false,
            channel_capacity: 64,
            parse_slots: std::thread::available_parallelism()
                .map(|n| n.get() * 2)
                .unwrap_or(4),
            rotate_daily: false,
        }
    }
}

/// Lets another task (a signal handler) stop the crawl gracefully.
#[derive(Clone)]
pub struct StopHandle(watch::Sender<bool>);

impl StopHandle {
    /// Ask the crawl to stop: no new fetches; in-flight writes finish.
    pub fn stop(&self) {
        let _ = self.0.send(true);
    }
}

#[derive(Default)]
pub(crate) struct HostSlot {
    active: bool,
    ctx: Arc<tokio::sync::Mutex<HostCtx>>,
}

/// Per-origin politeness state, kept for the whole run.
#[derive(Default)]
pub(crate) struct HostCtx {
    pub robots: Option<RobotsEntry>,
    pub robots_failures: u32,
    pub pacer: Option<Pacer>,
    /// Pages fetched from the origin (all runs), tracked once a page budget applies.
    pub pages: Option<u64>,
    /// Fetches of the origin claimed and not yet answered (they count against its budget).
    pub in_flight: u64,
}

/// Everything the crawl tasks share.
pub(crate) struct Shared {
    pub cfg: CrawlConfig,
    pub client: HttpClient,
    pub agent: String,
    pub state: Mutex<CrawlState>,
    pub hosts: Mutex<HashMap<String, HostSlot>>,
    pub global: Semaphore,
    pub parse_slots: Arc<Semaphore>,
    pub writer: writer::WriterHandle,
    pub stats: Arc<Stats>,
    pub rules: Arc<RuleSet>,
    pub stop_tx: watch::Sender<bool>,
    pub stop_rx: watch::Receiver<bool>,
    pub fatal: Mutex<Option<String>>,
    pub active: AtomicUsize,
    pub idle: Notify,
    pub pages: AtomicU64,
    pub budget_hit: AtomicBool,
    /// Set while discovery runs before `run`: no worker may start yet.
    pub hold_workers: AtomicBool,
    pub jitter: Mutex<Jitter>,
    pub backoff: Backoff,
}

impl Shared {
    pub fn stopping(&self) -> bool {
        *self.stop_rx.borrow()
    }

    /// Resolves once a stop was requested.
    pub async fn stopped(&self) {
        let mut rx = self.stop_rx.clone();
        let _ = rx.wait_for(|s| *s).await;
    }

    pub fn fail_fatal(&self, msg: String) {
        if let Ok(mut f) = self.fatal.lock() {
            f.get_or_insert(msg);
        }
        let _ = self.stop_tx.send(true);
    }

    pub fn jitter(&self) -> f64 {
        self.jitter.lock().map(|mut j| j.next_f64()).unwrap_or(0.5)
    }

    pub fn year(&self) -> i32 {
        Utc::now().year()
    }

    pub fn state(&self) -> std::sync::MutexGuard<'_, CrawlState> {
        // A poisoned lock means a task panicked while holding it; the state itself is
        // transactional, so keep going with it.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn task_started(&self) {
        self.active.fetch_add(1, Ordering::SeqCst);
    }

    pub fn task_done(&self) {
        if self.active.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.idle.notify_one();
        }
    }
}

/// A crawl, ready to run.
pub struct Crawler {
    sh: Arc<Shared>,
    writer: writer::WriterThread,
    started: Instant,
    out: PathBuf,
}

impl Crawler {
    /// Open the state and the archive in `opts.out` (repairing a cut archive tail), queue the
    /// configured seeds.
    pub fn open(cfg: CrawlConfig, opts: RunOptions) -> Result<Crawler, CrawlError> {
        std::fs::create_dir_all(&opts.out).map_err(|source| CrawlError::OutDir {
            path: opts.out.clone(),
            source,
        })?;
        let state = CrawlState::open(&opts.out.join(STATE_FILE), opts.fresh)?;
        let mut wcfg = WriterConfig::new(&opts.out);
        wcfg.rotate_daily = opts.rotate_daily;
        wcfg.warcinfo = vec![
            ("operator-agent".to_string(), cfg.user_agent.clone()),
            (
                "robots".to_string(),
                "obey (RFC 9309), Crawl-delay honoured".to_string(),
            ),
            (
                "seeds".to_string(),
                cfg.seeds()
                    .iter()
                    .map(|(_, u)| u.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        ];
        let aw = ArchiveWriter::open(wcfg, Utc::now())?;
        let (wh, wt) = writer::spawn(aw, opts.channel_capacity)?;
        let client = HttpClient::new(ClientConfig {
            user_agent: cfg.user_agent.clone(),
            connect_timeout: cfg.connect_timeout,
            timeout: cfg.timeout,
            max_body: cfg.max_body,
        })?;
        let counts = state.counts()?;
        let pages = state.total_pages()?;
        let (stop_tx, stop_rx) = watch::channel(false);
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1);
        let sh = Arc::new(Shared {
            agent: crate::fetch::agent_token(&cfg.user_agent),
            global: Semaphore::new(cfg.concurrency),
            backoff: Backoff {
                base: cfg.backoff_base,
                cap: cfg.backoff_cap,
            },
            cfg,
            client,
            state: Mutex::new(state),
            hosts: Mutex::new(HashMap::new()),
            parse_slots: Arc::new(Semaphore::new(opts.parse_slots.max(1))),
            writer: wh,
            stats: Arc::new(Stats::new(counts.queued + counts.pending)),
            rules: opts.rules.clone(),
            stop_tx,
            stop_rx,
            fatal: Mutex::new(None),
            active: AtomicUsize::new(0),
            idle: Notify::new(),
            pages: AtomicU64::new(pages),
            budget_hit: AtomicBool::new(false),
            hold_workers: AtomicBool::new(false),
            jitter: Mutex::new(Jitter::new(seed)),
        });
        let crawler = Crawler {
            sh,
            writer: wt,
            started: Instant::now(),
            out: opts.out.clone(),
        };
        let seeds: Vec<_> = crawler
            .sh
            .cfg
            .seeds()
            .iter()
            .map(|(site, u)| {
                let u = normalize(u.as_str(), None).unwrap_or_else(|_| u.clone());
                (scope::seed(&u, *site, None), None)
            })
            .collect();
        worker::add_urls(&crawler.sh, &seeds, false)?;
        Ok(crawler)
    }

    /// The live counters (for a progress bar).
    pub fn stats(&self) -> Arc<Stats> {
        self.sh.stats.clone()
    }

    /// A handle to stop the crawl from another task.
    pub fn stop_handle(&self) -> StopHandle {
        StopHandle(self.sh.stop_tx.clone())
    }

    /// The seam for discovery: queue URLs found in sitemaps or feeds (with their dates, if
    /// known) as depth-0 seeds of the site they belong to. URLs of no configured site and
    /// already-seen URLs are ignored. Returns how many were new. Works before and during
    /// [`Crawler::run`].
    pub fn add_discovered(
        &self,
        urls: &[(String, Option<DateTime<Utc>>)],
    ) -> Result<usize, CrawlError> {
        let mut items = Vec::new();
        for (u, date) in urls {
            let Ok(url) = normalize(u, None) else {
                continue;
            };
            let Some(site) = self.sh.cfg.site_of(&url) else {
                continue;
            };
            items.push((scope::seed(&url, site, date.map(|d| d.to_rfc3339())), None));
        }
        let n = worker::add_urls(&self.sh, &items, true)?;
        Ok(n)
    }

    /// Run until the frontier is empty, a budget is reached, or a stop is requested. Returns
    /// the summary; a failed archive write is an error.
    pub async fn run(self) -> Result<Summary, CrawlError> {
        let sh = self.sh.clone();
        reconcile::reconcile(&sh, &self.out).await?;
        let origins = sh.state().queued_origins()?;
        tracing::info!(
            hosts = origins.len(),
            queued = sh.stats.progress().queued,
            user_agent = %sh.cfg.user_agent,
            "crawl started"
        );
        for o in origins {
            worker::ensure_worker(&sh, &o);
        }
        loop {
            let notified = sh.idle.notified();
            if sh.active.load(Ordering::SeqCst) == 0 {
                break;
            }
            notified.await;
        }
        let interrupted = sh.stopping() && sh.fatal.lock().map(|f| f.is_none()).unwrap_or(true);
        let fatal = sh.fatal.lock().ok().and_then(|f| f.clone());
        let left = sh
            .state()
            .counts()
            .map(|c| c.queued + c.pending)
            .unwrap_or(0);
        let summary = sh.stats.summary(
            self.started.elapsed(),
            left,
            interrupted && !sh.budget_hit.load(Ordering::SeqCst),
        );
        drop(sh);
        // Every task is done: dropping the last handles lets the writer thread finish.
        let Crawler { sh, writer, .. } = self;
        drop(sh);
        let closed = tokio::task::spawn_blocking(move || writer.finish()).await;
        match closed {
            Ok(r) => {
                r?;
            }
            Err(e) => {
                return Err(CrawlError::Write(WriteFailed(format!(
                    "archive writer join failed: {e}"
                ))));
            }
        }
        if let Some(f) = fatal {
            return Err(CrawlError::Write(WriteFailed(f)));
        }
        Ok(summary)
    }
}
