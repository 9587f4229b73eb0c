//! Crawl configuration: the TOML crawl config plus command-line flags, validated once into a
//! typed [`CrawlConfig`](crate::config) that is the only thing the crawler receives.
