//! The rows of the crawl state as plain values: URLs to insert or taken from the frontier,
//! validators, digests, how a URL ended, counters.

/// Where a URL is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlStatus {
    /// Waiting to be fetched (possibly not before some time).
    Queued = 0,
    /// A response record is being written; resolved at start-up by reconciling with the archive.
    Pending = 1,
    /// Fetched and archived.
    Done = 2,
    /// Given up (reason stored).
    Failed = 3,
    /// Never fetched on purpose: a `rel=canonical` alias of a fetched page, or out of budget.
    Skipped = 4,
}

/// A URL to put into the frontier.
#[derive(Debug, Clone)]
pub struct NewUrl {
    /// The normalised URL.
    pub url: String,
    /// Its politeness key (`scheme://host:port`).
    pub origin: String,
    /// Link depth from a seed.
    pub depth: u32,
    /// Redirect hops that led here.
    pub hops: u32,
    /// Lower is fetched first (redirect targets 0, seeds and links 1).
    pub prio: i64,
    /// Index of the configured site it belongs to.
    pub site: u32,
    /// A date from discovery (sitemap `lastmod`, feed entry date), RFC 3339, if known.
    pub discovered: Option<String>,
}

/// A URL taken from the frontier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedUrl {
    /// Row id.
    pub id: i64,
    /// The URL.
    pub url: String,
    /// Politeness key.
    pub origin: String,
    /// Link depth.
    pub depth: u32,
    /// Redirect hops so far.
    pub hops: u32,
    /// Failed attempts so far.
    pub attempts: u32,
    /// Site index.
    pub site: u32,
}

/// What the frontier has for one origin right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// This URL may be fetched now.
    Ready(QueuedUrl),
    /// Something is queued but not before this time (ms since the epoch).
    Later(i64),
    /// Nothing queued for this origin.
    Empty,
}

/// Validators of an earlier capture, for conditional GET and revisit records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validators {
    /// `ETag` of the earlier response.
    pub etag: Option<String>,
    /// `Last-Modified` of the earlier response.
    pub last_modified: Option<String>,
    /// The earlier response record id.
    pub record_id: String,
    /// Its `WARC-Date` (RFC 3339).
    pub date: String,
    /// Where the record is: (archive file, offset, length), to re-read its payload.
    pub location: Option<(String, u64, u64)>,
}

/// An earlier capture with a given payload digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestHit {
    /// Its response record id.
    pub record_id: String,
    /// Its target URI.
    pub uri: String,
    /// Its `WARC-Date` (RFC 3339).
    pub date: String,
}

/// How a fetched URL ended, stored by [`CrawlState::finish`].
#[derive(Debug, Clone)]
pub struct Finish<'a> {
    /// Row id.
    pub id: i64,
    /// Done, Failed or Skipped.
    pub status: UrlStatus,
    /// Failure reason (for Failed / Skipped).
    pub reason: Option<&'a str>,
    /// HTTP status of the final response, if any.
    pub http_status: Option<u16>,
    /// Links found in the page (already scoped), inserted if unseen and within trap budgets.
    pub links: &'a [Scoped],
    /// Aliases (`rel=canonical` targets) to mark as seen without fetching.
    pub aliases: &'a [NewUrl],
    /// Validators to remember for the URL.
    pub validators: Option<(&'a str, &'a Validators)>,
    /// Payload digest to remember.
    pub digest: Option<(&'a str, &'a DigestHit)>,
    /// Whether this counts as a fetched page (for budgets).
    pub fetched: bool,
}

/// Counters over the whole state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StateCounts {
    /// Waiting.
    pub queued: u64,
    /// Pending reconciliation.
    pub pending: u64,
    /// Fetched.
    pub done: u64,
    /// Given up.
    pub failed: u64,
    /// Skipped on purpose.
    pub skipped: u64,
}

/// A URL to insert with its optional (calendar pattern, per-origin limit).
pub type Scoped = (NewUrl, Option<(String, u64)>);
