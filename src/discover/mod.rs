//! Discovery of article URLs from sitemaps (indexes, news sitemaps, gzip) and RSS/Atom/JSON feeds.
