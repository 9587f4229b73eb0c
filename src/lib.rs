//! newsarc: archive news sites politely, extract clean articles, keep everything in WARC.
//!
//! The crate is one library plus the `newsarc` binary. Data flows
//! `crawl` → [`fetch`] → [`archive`] and [`extract`]; [`reparse`] and [`export`] read the
//! archive back. See `ARCHITECTURE.md` for the code map and the invariants each module keeps.
//!
//! ```no_run
//! use newsarc::extract::{extract, ExtractInput, ExtractOptions};
//! use newsarc::selectors::RuleSet;
//!
//! let html = std::fs::read("page.html").unwrap();
//! let input = ExtractInput::new(&html, "https://example.com/news/1");
//! let out = extract(&input, &RuleSet::empty(), &ExtractOptions::default());
//! println!("{:?}", out.article.title);
//! ```

pub mod archive;
pub mod codec;
pub mod config;
pub mod crawl;
pub mod discover;
pub mod export;
pub mod extract;
pub mod fetch;
pub mod frontier;
pub mod model;
pub mod reparse;
pub mod selectors;
pub mod serve;
pub mod store;
