//! Discovery of article URLs from sitemaps (indexes, news sitemaps, gzip) and RSS/Atom/JSON feeds.

pub mod body;
pub mod dates;
pub mod feed;
pub mod homepage;
pub mod robots_sitemaps;
pub mod seed;
pub mod since;
pub mod sitemap;
