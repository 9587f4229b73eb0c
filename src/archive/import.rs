//! Import of foreign WARC files (placeholder).
