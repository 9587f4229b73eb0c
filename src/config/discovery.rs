//! Discovery and `--watch` settings of the crawl config: per-site feeds, sitemaps and sitemap
//! guesses, and the `[watch]` table (poll interval, re-fetches of young articles, rotation).

use std::time::Duration;

use serde::Deserialize;
use url::Url;

use super::{ConfigError, FileDefaults, FileSite, invalid};
use crate::discover::refresh::RefreshPolicy;
use crate::discover::robots_sitemaps::DEFAULT_SITEMAP_GUESSES;
use crate::discover::since::parse_span;

/// `[watch]` as written in the file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileWatch {
    /// Time between polls (`15m`); `--interval` overrides it.
    pub interval: Option<String>,
    /// Extra captures of a young article (default 2).
    pub refetches: Option<u32>,
    /// Re-fetches happen within this time after an article first appears (`2d`).
    pub refetch_within: Option<String>,
    /// Never re-fetch an article sooner than this after its last capture (`6h`).
    pub refetch_min_gap: Option<String>,
    /// Start a new archive file every UTC day (default true in watch mode).
    pub rotate_daily: Option<bool>,
}

/// Where one site's article URLs are discovered, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteDiscoveryConfig {
    /// `discover = true/false` as configured; unset means automatic (see
    /// [`SiteDiscoveryConfig::active`]).
    pub enabled: Option<bool>,
    /// Feed URLs.
    pub feeds: Vec<Url>,
    /// Sitemap URLs.
    pub sitemaps: Vec<Url>,
    /// Paths tried when no sitemap is declared (`[]` = none).
    pub guesses: Vec<String>,
}

impl SiteDiscoveryConfig {
    /// Whether discovery (robots.txt sitemaps, home-page feeds, sitemap guesses, configured
    /// feeds and sitemaps) runs for a site. Unless set explicitly it runs when the site lists
    /// feeds or sitemaps, when its `max_depth` is 0 (seeds, sitemaps and feeds only), or when
    /// `requested` (`--since`, `--watch`).
    pub fn active(&self, max_depth: u32, requested: bool) -> bool {
        self.enabled.unwrap_or(
            requested || max_depth == 0 || !self.feeds.is_empty() || !self.sitemaps.is_empty(),
        )
    }
}

impl Default for SiteDiscoveryConfig {
    fn default() -> Self {
        SiteDiscoveryConfig {
            enabled: None,
            feeds: Vec::new(),
            sitemaps: Vec::new(),
            guesses: DEFAULT_SITEMAP_GUESSES
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }
}

/// `--watch` settings, validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchConfig {
    /// Time between polls (from the file; `--interval` may override it).
    pub interval: Option<Duration>,
    /// Re-fetch schedule of young articles.
    pub refresh: RefreshPolicy,
    /// New archive file every UTC day.
    pub rotate_daily: bool,
}

impl Default for WatchConfig {
    fn default() -> Self {
        WatchConfig {
            interval: None,
            refresh: RefreshPolicy::default(),
            rotate_daily: true,
        }
    }
}

fn urls(key: &str, list: &[String]) -> Result<Vec<Url>, ConfigError> {
    list.iter()
        .enumerate()
        .map(|(i, s)| match Url::parse(s.trim()) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => Ok(u),
            _ => Err(invalid(
                format!("{key}[{i}]"),
                format!("{s:?} is not an absolute http(s) URL"),
            )),
        })
        .collect()
}

fn guesses(key: &str, list: &[String]) -> Result<Vec<String>, ConfigError> {
    for (i, g) in list.iter().enumerate() {
        if !g.starts_with('/') {
            return Err(invalid(
                format!("{key}[{i}]"),
                format!("{g:?} must be a path starting with `/` (like \"/sitemap.xml\")"),
            ));
        }
    }
    Ok(list.to_vec())
}

/// The discovery settings of one `[[site]]` (`key` names it in errors).
pub(crate) fn site(
    key: &str,
    fs: &FileSite,
    d: &FileDefaults,
) -> Result<SiteDiscoveryConfig, ConfigError> {
    let mut out = defaults(d)?;
    out.enabled = fs.discover.or(d.discover);
    out.feeds = urls(&format!("{key}.feeds"), &fs.feeds)?;
    out.sitemaps = urls(&format!("{key}.sitemaps"), &fs.sitemaps)?;
    if let Some(g) = &fs.sitemap_guesses {
        out.guesses = guesses(&format!("{key}.sitemap_guesses"), g)?;
    }
    Ok(out)
}

/// The discovery settings of a site made from a command-line seed.
pub(crate) fn defaults(d: &FileDefaults) -> Result<SiteDiscoveryConfig, ConfigError> {
    let mut out = SiteDiscoveryConfig {
        enabled: d.discover,
        ..Default::default()
    };
    if let Some(g) = &d.sitemap_guesses {
        out.guesses = guesses("[defaults].sitemap_guesses", g)?;
    }
    Ok(out)
}

fn span(key: &str, v: &Option<String>) -> Result<Option<Duration>, ConfigError> {
    v.as_deref()
        .map(|s| parse_span(s).map_err(|e| invalid(key, e.to_string())))
        .transpose()
}

/// Validates `[watch]`.
pub(crate) fn watch(w: &FileWatch) -> Result<WatchConfig, ConfigError> {
    let mut out = WatchConfig {
        interval: span("[watch].interval", &w.interval)?,
        ..Default::default()
    };
    if let Some(n) = w.refetches {
        if n > 100 {
            return Err(invalid(
                "[watch].refetches",
                format!("must be at most 100, got {n}"),
            ));
        }
        out.refresh.refetches = n;
    }
    if let Some(d) = span("[watch].refetch_within", &w.refetch_within)? {
        out.refresh.within = d;
    }
    if let Some(d) = span("[watch].refetch_min_gap", &w.refetch_min_gap)? {
        out.refresh.min_gap = d;
    }
    if let Some(r) = w.rotate_daily {
        out.rotate_daily = r;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Overrides, build};

    fn cfg(toml_text: &str) -> Result<crate::config::CrawlConfig, ConfigError> {
        let file: crate::config::FileConfig =
            toml::from_str(toml_text).map_err(|e| ConfigError::Parse {
                path: "t.toml".into(),
                message: e.to_string(),
            })?;
        build(Some(file), Overrides::default())
    }

    #[test]
    fn site_feeds_sitemaps_guesses_and_watch() {
        let c = cfg(r#"
[defaults]
sitemap_guesses = ["/sitemap.xml"]
[watch]
interval = "10m"
refetches = 3
refetch_within = "1d"
refetch_min_gap = "2h"
rotate_daily = false
[[site]]
name = "a"
seeds = ["https://a.example/"]
feeds = ["https://a.example/rss"]
sitemaps = ["https://a.example/news.xml"]
[[site]]
name = "b"
seeds = ["https://b.example/"]
discover = false
sitemap_guesses = []
"#)
        .unwrap();
        let a = &c.sites[0].discovery;
        assert!(a.active(3, false), "feeds listed");
        assert!(!c.sites[0].discovery.active(3, false) || a.enabled.is_none());
        assert_eq!(a.feeds[0].as_str(), "https://a.example/rss");
        assert_eq!(a.sitemaps[0].as_str(), "https://a.example/news.xml");
        assert_eq!(a.guesses, ["/sitemap.xml"]);
        let b = &c.sites[1].discovery;
        assert!(!b.active(0, true), "explicitly off");
        assert!(b.guesses.is_empty());
        assert_eq!(c.watch.interval, Some(Duration::from_secs(600)));
        assert_eq!(c.watch.refresh.refetches, 3);
        assert_eq!(c.watch.refresh.within, Duration::from_secs(86_400));
        assert_eq!(c.watch.refresh.min_gap, Duration::from_secs(7200));
        assert!(!c.watch.rotate_daily);
    }

    #[test]
    fn bad_values_name_the_key() {
        let base = "[[site]]\nname = \"a\"\nseeds = [\"https://a.example/\"]\n";
        for (extra, key) in [
            ("feeds = [\"/rss\"]", "feeds[0]"),
            ("sitemaps = [\"ftp://a/x\"]", "sitemaps[0]"),
            ("sitemap_guesses = [\"sitemap.xml\"]", "sitemap_guesses[0]"),
        ] {
            let err = cfg(&format!("{base}{extra}\n")).unwrap_err().to_string();
            assert!(err.contains(key), "{err}");
        }
        let err = cfg(&format!("[watch]\ninterval = \"soon\"\n{base}"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("[watch].interval"), "{err}");
        let err = cfg(&format!("[watch]\nevery = \"1h\"\n{base}"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("every"), "{err}");
    }
}
