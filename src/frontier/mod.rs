//! URL normalisation, dedup, per-host queues and the crawl state kept on disk for resume.
//!
//! - [`normalize`](normalize::normalize) turns link text into the one URL form used for dedup.
//! - [`traps`] bounds crawler traps (long, deep, repeating and calendar URLs).
//! - [`state::CrawlState`] is the SQLite frontier + seen set + validators + digests.

pub mod normalize;
pub mod rows;
pub mod state;
pub mod traps;

pub use normalize::{UrlError, normalize, origin_key, site_key};
pub use state::{
    CrawlState, DigestHit, Finish, NewUrl, Next, QueuedUrl, Scoped, StateError, UrlStatus,
    Validators,
};
pub use traps::{TrapReason, TrapRules};
