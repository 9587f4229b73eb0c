//! The HTTP side: client, robots.txt cache, per-host politeness, retries, redirects,
//! conditional GET and size/time caps.
