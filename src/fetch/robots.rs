//! robots.txt per origin (RFC 9309): how a robots response turns into rules, and the cache
//! entry that remembers them. 2xx → parsed rules (including `Crawl-delay`); other 4xx →
//! allow all; 5xx, 429 or a network error → unavailable: fetch nothing from the origin yet.

use std::time::{Duration, Instant};

use texting_robots::Robot;

/// The rules known for one origin.
#[derive(Debug)]
pub enum RobotsRules {
    /// No usable robots.txt (4xx): everything allowed.
    AllowAll,
    /// Parsed rules for our agent.
    Rules(Box<Robot>),
    /// robots.txt could not be fetched (5xx, 429, timeout): nothing may be fetched yet.
    Unavailable,
}

impl RobotsRules {
    /// Classify a robots.txt response (after redirects). `status = None` means a network error.
    pub fn from_response(agent: &str, status: Option<u16>, body: &[u8]) -> RobotsRules {
        match status {
            Some(s) if (200..300).contains(&s) => match Robot::new(agent, body) {
                Ok(r) => RobotsRules::Rules(Box::new(r)),
                // Unparseable robots.txt: treat like an empty one.
                Err(_) => RobotsRules::AllowAll,
            },
            Some(429) => RobotsRules::Unavailable,
            Some(s) if (400..500).contains(&s) => RobotsRules::AllowAll,
            _ => RobotsRules::Unavailable,
        }
    }

    /// Whether `url` may be fetched. Unavailable rules allow nothing.
    pub fn allowed(&self, url: &str) -> bool {
        match self {
            RobotsRules::AllowAll => true,
            RobotsRules::Rules(r) => r.allowed(url),
            RobotsRules::Unavailable => false,
        }
    }

    /// `Crawl-delay` for our agent, if any.
    pub fn crawl_delay(&self) -> Option<Duration> {
        match self {
            RobotsRules::Rules(r) => r
                .delay
                .filter(|d| d.is_finite() && *d > 0.0)
                .map(|d| Duration::from_secs_f64(f64::from(d).min(3600.0))),
            _ => None,
        }
    }

    /// `Sitemap:` lines, for discovery.
    pub fn sitemaps(&self) -> &[String] {
        match self {
            RobotsRules::Rules(r) => &r.sitemaps,
            _ => &[],
        }
    }
}

/// A cached robots.txt for one origin.
#[derive(Debug)]
pub struct RobotsEntry {
    /// The rules.
    pub rules: RobotsRules,
    /// When they were fetched.
    pub fetched: Instant,
}

/// How long robots rules stay valid (RFC 9309 suggests at most 24 h).
pub const ROBOTS_TTL: Duration = Duration::from_secs(24 * 3600);

impl RobotsEntry {
    /// Whether the entry can still be used at `now` (unavailable entries are never "fresh":
    /// the caller retries the fetch after its backoff).
    pub fn is_fresh(&self, now: Instant) -> bool {
        !matches!(self.rules, RobotsRules::Unavailable)
            && now.saturating_duration_since(self.fetched) < ROBOTS_TTL
    }
}

/// The robots.txt URL of an origin key `scheme://host:port`.
pub fn robots_url(url: &url::Url) -> String {
    let mut u = url.clone();
    u.set_path("/robots.txt");
    u.set_query(None);
    u.set_fragment(None);
    u.to_string()
}

/// The product token of a User-Agent (`newsarc/0.1 (+x)` → `newsarc`), matched against
/// `User-agent:` lines.
pub fn agent_token(user_agent: &str) -> String {
    user_agent
        .split(['/', ' '])
        .next()
        .unwrap_or(user_agent)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TXT: &[u8] = b"User-agent: *\nDisallow: /private/\nCrawl-delay: 0.5\n\nUser-agent: newsarc\nDisallow: /nonewsarc/\nCrawl-delay: 2\n\nSitemap: http://a/sitemap.xml\n";

    #[test]
    fn status_classes() {
        assert!(matches!(
            RobotsRules::from_response("newsarc", Some(404), b""),
            RobotsRules::AllowAll
        ));
        assert!(matches!(
            RobotsRules::from_response("newsarc", Some(403), b""),
            RobotsRules::AllowAll
        ));
        assert!(matches!(
            RobotsRules::from_response("newsarc", Some(500), b""),
            RobotsRules::Unavailable
        ));
        assert!(matches!(
            RobotsRules::from_response("newsarc", Some(503), b""),
            RobotsRules::Unavailable
        ));
        assert!(matches!(
            RobotsRules::from_response("newsarc", Some(429), b""),
            RobotsRules::Unavailable
        ));
        assert!(matches!(
            RobotsRules::from_response("newsarc", None, b""),
            RobotsRules::Unavailable
        ));
        assert!(!RobotsRules::Unavailable.allowed("http://a/"));
    }

    #[test]
    fn our_group_wins_with_delay() {
        let r = RobotsRules::from_response("newsarc", Some(200), TXT);
        assert!(!r.allowed("http://a/nonewsarc/x"));
        assert!(r.allowed("http://a/private/x"));
        assert_eq!(r.crawl_delay(), Some(Duration::from_secs(2)));
        assert_eq!(r.sitemaps(), &["http://a/sitemap.xml".to_string()]);
        let other = RobotsRules::from_response("otherbot", Some(200), TXT);
        assert!(!other.allowed("http://a/private/x"));
        assert_eq!(other.crawl_delay(), Some(Duration::from_millis(500)));
    }

    #[test]
    fn garbage_robots_is_harmless() {
        let r = RobotsRules::from_response("newsarc", Some(200), &[0xff, 0xfe, 0, 1, 2, b'\n']);
        assert!(r.allowed("http://a/x"));
    }

    #[test]
    fn freshness() {
        let now = Instant::now();
        let e = RobotsEntry {
            rules: RobotsRules::AllowAll,
            fetched: now,
        };
        assert!(e.is_fresh(now + Duration::from_secs(60)));
        assert!(!e.is_fresh(now + ROBOTS_TTL + Duration::from_secs(1)));
        let u = RobotsEntry {
            rules: RobotsRules::Unavailable,
            fetched: now,
        };
        assert!(!u.is_fresh(now));
    }

    #[test]
    fn helpers() {
        let u = url::Url::parse("http://x.org:81/a/b?c#d").unwrap();
        assert_eq!(robots_url(&u), "http://x.org:81/robots.txt");
        assert_eq!(agent_token("newsarc/0.1.0 (+me@x.org)"), "newsarc");
    }
}
