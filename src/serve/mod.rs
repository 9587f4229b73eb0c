//! `newsarc serve`: browse, search and check an archive in a web page.
//!
//! [`catalog`] keeps an index on disk beside the archive (SQLite catalogue of captures and
//! parses, tantivy full-text index), rebuilt when a CDXJ or archive file changes. [`app`]
//! routes the server-rendered pages ([`pages`], askama templates compiled into the binary,
//! no scripts), the CDX and article APIs ([`api`]) and the sandboxed replay of captured
//! payloads ([`replay`], [`rewrite`]). Every query parameter is checked in [`query`].
//!
//! This module reads the archive and its parses only: it uses `archive`, `export` (the
//! dataset row) and `model`, never the crawler or the network.

pub mod api;
pub mod app;
pub mod catalog;
mod chart;
mod diff;
mod error;
pub mod pages;
pub mod query;
mod records;
pub mod replay;
mod reply;
pub mod rewrite;
pub mod search;

pub use app::{AppState, ServeOptions, router};
pub use catalog::{Catalog, Progress};
pub use error::ServeError;
pub use reply::HttpError;
