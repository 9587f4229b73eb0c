//! URL normalisation, dedup, per-host queues and the crawl state kept on disk for resume.
