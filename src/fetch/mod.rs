//! The HTTP side: client, robots.txt cache, per-host politeness, retries, redirects,
//! conditional GET and size/time caps.
//!
//! - [`client::HttpClient`] does one GET (no automatic redirects, no decompression) and returns
//!   an [`client::Exchange`] holding exactly the bytes to archive.
//! - [`robots`] classifies robots.txt responses (RFC 9309) and caches them per origin.
//! - [`pacer::Pacer`] spaces requests to one origin (governor), honouring `Crawl-delay`.
//! - [`backoff`] computes retry delays and parses `Retry-After`.
//! - [`decode`] removes Content-Encoding for extraction, capped against compression bombs.

pub mod backoff;
pub mod client;
pub mod pacer;
pub mod robots;

pub use crate::codec::{DecodeError, decode_body};
pub use backoff::{Backoff, Jitter, parse_retry_after};
pub use client::{ClientConfig, Exchange, FetchError, HttpClient, RequestExtras};
pub use pacer::Pacer;
pub use robots::{RobotsEntry, RobotsRules, agent_token, robots_url};
pub mod retry;
pub use retry::{Decision, decide, retryable_status};
