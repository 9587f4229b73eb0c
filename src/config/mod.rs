//! Crawl configuration: the TOML crawl config plus command-line flags, validated once into a
//! typed [`CrawlConfig`] that is the only thing the crawler receives.
//!
//! Precedence: a `[[site]]` value beats a command-line flag, which beats `[defaults]`, which
//! beats the built-in default. `--allow`/`--deny` add to every site's lists.

pub mod discovery;
pub mod file;

use std::path::{Path, PathBuf};
use std::time::Duration;

use regex::Regex;
use url::Url;

pub use discovery::{FileWatch, SiteDiscoveryConfig, WatchConfig};
pub use file::{FileConfig, FileDefaults, FileSite};

/// The version put into the User-Agent.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A config that cannot be used; says which file/key/value and why.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// TOML syntax or an unknown/mistyped key.
    #[error("{path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The TOML error (with line and key).
        message: String,
    },
    /// A value is out of range or malformed.
    #[error("{key}: {message}")]
    Invalid {
        /// Where (`[defaults].rate`, `site "x".seeds[2]`, `--allow`).
        key: String,
        /// What is wrong and how to fix it.
        message: String,
    },
}

/// Command-line values that override the file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Seed URLs from arguments and `--seeds-file`.
    pub seeds: Vec<String>,
    /// `--max-depth`.
    pub max_depth: Option<u32>,
    /// `--max-pages`.
    pub max_pages: Option<u64>,
    /// `--allow`.
    pub allow: Vec<String>,
    /// `--deny`.
    pub deny: Vec<String>,
    /// `--rate`.
    pub rate: Option<f64>,
    /// `--concurrency`.
    pub concurrency: Option<usize>,
    /// `--per-host-concurrency`.
    pub per_host_concurrency: Option<usize>,
    /// `--user-agent`.
    pub user_agent: Option<String>,
    /// `--contact`.
    pub contact: Option<String>,
}

/// One site, validated.
#[derive(Debug, Clone)]
pub struct Site {
    /// Name for logs.
    pub name: String,
    /// Site keys (host without `www.`) that belong to this site.
    pub keys: Vec<String>,
    /// Normalised seeds.
    pub seeds: Vec<Url>,
    /// Allow regexes (empty = allow all in scope).
    pub allow: Vec<Regex>,
    /// Deny regexes.
    pub deny: Vec<Regex>,
    /// Minimum gap between requests to one host (zero = unlimited).
    pub interval: Duration,
    /// Maximum link depth.
    pub max_depth: u32,
    /// Page budget per host.
    pub max_pages_per_host: Option<u64>,
    /// Selector config name.
    pub selectors: Option<String>,
    /// Links to other sites are out of scope.
    pub same_site: bool,
    /// Sitemap and feed discovery for this site.
    pub discovery: SiteDiscoveryConfig,
}

impl Site {
    /// Whether `url` passes this site's allow/deny lists.
    pub fn permits(&self, url: &str) -> bool {
        (self.allow.is_empty() || self.allow.iter().any(|r| r.is_match(url)))
            && !self.deny.iter().any(|r| r.is_match(url))
    }
}

/// Everything the crawler needs, validated.
#[derive(Debug, Clone)]
pub struct CrawlConfig {
    /// The User-Agent header.
    pub user_agent: String,
    /// Contact info (None = missing: the CLI warns).
    pub contact: Option<String>,
    /// Requests in flight across all hosts.
    pub concurrency: usize,
    /// Requests in flight to one origin at once (1 = one after the other), still paced.
    pub per_host_concurrency: usize,
    /// Stop after this many pages in total.
    pub max_pages: Option<u64>,
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// Whole-exchange timeout.
    pub timeout: Duration,
    /// Largest body kept.
    pub max_body: u64,
    /// Largest decoded body given to the extractor.
    pub max_decoded: u64,
    /// Retries per URL after the first attempt.
    pub max_retries: u32,
    /// First retry delay (doubles each time).
    pub backoff_base: Duration,
    /// Largest retry delay; a longer `Retry-After` fails the URL.
    pub backoff_cap: Duration,
    /// Crawler-trap limits.
    pub traps: TrapRules,
    /// Sites (seeds given on the command line form one site per host).
    pub sites: Vec<Site>,
    /// `--watch` settings.
    pub watch: WatchConfig,
}

impl CrawlConfig {
    /// The site a URL belongs to, by its host.
    pub fn site_of(&self, url: &Url) -> Option<usize> {
        let k = site_key(url);
        self.sites.iter().position(|s| s.keys.contains(&k))
    }

    /// All seeds with their site index.
    pub fn seeds(&self) -> Vec<(usize, Url)> {
        self.sites
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.seeds.iter().map(move |u| (i, u.clone())))
            .collect()
    }
}

/// Read and parse a crawl config file.
pub fn load_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| ConfigError::Parse {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Read a seeds file: one URL per line, `#` starts a comment, blank lines ignored.
pub fn read_seeds_file(path: &Path) -> Result<Vec<String>, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect())
}

pub(crate) fn invalid(key: impl Into<String>, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        key: key.into(),
        message: message.into(),
    }
}

fn regexes(key: &str, list: &[String]) -> Result<Vec<Regex>, ConfigError> {
    list.iter()
        .map(|r| Regex::new(r).map_err(|e| invalid(key, format!("bad regex {r:?}: {e}"))))
        .collect()
}

fn interval(key: &str, rate: f64) -> Result<Duration, ConfigError> {
    if !rate.is_finite() || rate < 0.0 {
        return Err(invalid(
            key,
            format!("rate must be a number of requests per second >= 0, got {rate}"),
        ));
    }
    if rate == 0.0 {
        return Ok(Duration::ZERO);
    }
    Ok(Duration::from_secs_f64(1.0 / rate))
}

fn secs(key: &str, v: Option<f64>, default: f64) -> Result<Duration, ConfigError> {
    let v = v.unwrap_or(default);
    if !v.is_finite() || v <= 0.0 || v > 86_400.0 {
        return Err(invalid(
            key,
            format!("must be seconds in (0, 86400], got {v}"),
        ));
    }
    Ok(Duration::from_secs_f64(v))
}

fn parse_seed(key: &str, s: &str) -> Result<Url, ConfigError> {
    let fix = "seeds must be absolute http(s) URLs like https://example.org/";
    let mut u =
        Url::parse(s.trim()).map_err(|e| invalid(key, format!("not a URL ({e}): {fix}")))?;
    if !matches!(u.scheme(), "http" | "https") {
        return Err(invalid(
            key,
            format!("unsupported scheme {:?}: {fix}", u.scheme()),
        ));
    }
    if u.host_str().is_none_or(str::is_empty) {
        return Err(invalid(key, format!("no host: {fix}")));
    }
    u.set_fragment(None);
    Ok(u)
}

/// Limits for trap detection.
#[derive(Debug, Clone)]
pub struct TrapRules {
    /// Longest URL accepted (characters).
    pub max_url_len: usize,
    /// Most path segments accepted.
    pub max_segments: usize,
    /// Most times one path segment (or a repeating run of segments) may occur.
    pub max_repeats: usize,
    /// Most URLs per host sharing one calendar-like pattern (digits collapsed).
    pub max_per_pattern: u64,
    /// Dates in URLs more than this many years after the current year are traps.
    pub future_years: i32,
    /// Dates in URLs before this year are traps.
    pub min_year: i32,
}

impl Default for TrapRules {
    fn default() -> Self {
        TrapRules {
            max_url_len: 2000,
            max_segments: 20,
            max_repeats: 3,
            max_per_pattern: 200,
            future_years: 1,
            min_year: 1990,
        }
    }
}

/// The site key used for "same site" scope: the host without a leading `www.` (ports and
/// schemes ignored, so `http://www.x.org` and `https://x.org:8443` are the same site).
pub fn site_key(url: &Url) -> String {
    let host = url.host_str().unwrap_or("").to_ascii_lowercase();
    host.strip_prefix("www.").unwrap_or(&host).to_string()
}

/// Validate `file` (or an empty config) with command-line `ov` into a [`CrawlConfig`].
pub fn build(file: Option<FileConfig>, ov: Overrides) -> Result<CrawlConfig, ConfigError> {
    let file = file.unwrap_or_default();
    let d = &file.defaults;
    let contact = ov
        .contact
        .clone()
        .or(file.contact.clone())
        .filter(|c| !c.trim().is_empty());
    let user_agent = match ov.user_agent.clone().or(file.user_agent.clone()) {
        Some(ua) if !ua.trim().is_empty() => ua,
        _ => match &contact {
            Some(c) => format!("newsarc/{VERSION} (+{c})"),
            None => format!("newsarc/{VERSION}"),
        },
    };
    let concurrency = ov.concurrency.or(d.concurrency).unwrap_or(16);
    if concurrency == 0 || concurrency > 4096 {
        return Err(invalid(
            "concurrency",
            format!("must be 1..=4096, got {concurrency}"),
        ));
    }
    let per_host_concurrency = ov
        .per_host_concurrency
        .or(d.per_host_concurrency)
        .unwrap_or(1);
    if per_host_concurrency == 0 || per_host_concurrency > concurrency.min(64) {
        return Err(invalid(
            "per_host_concurrency",
            format!(
                "must be 1..={} (at most 64 and at most `concurrency`), got {per_host_concurrency}",
                concurrency.min(64)
            ),
        ));
    }
    let default_interval = interval("rate", ov.rate.or(d.rate).unwrap_or(1.0))?;
    let max_depth = ov.max_depth.or(d.max_depth).unwrap_or(3);
    let max_body = d.max_body.unwrap_or(10 * 1024 * 1024);
    if max_body == 0 {
        return Err(invalid("[defaults].max_body", "must be > 0 bytes"));
    }
    let same_site = d.same_site.unwrap_or(true);
    let mut g_allow = d.allow.clone();
    g_allow.extend(ov.allow.iter().cloned());
    let mut g_deny = d.deny.clone();
    g_deny.extend(ov.deny.iter().cloned());
    let allow = regexes("allow", &g_allow)?;
    let deny = regexes("deny", &g_deny)?;

    let mut sites: Vec<Site> = Vec::new();
    for (i, fs) in file.site.iter().enumerate() {
        let key = format!("site {:?} (#{})", fs.name, i + 1);
        if fs.name.trim().is_empty() {
            return Err(invalid(format!("[[site]] #{}", i + 1), "needs a name"));
        }
        let seeds = fs
            .seeds
            .iter()
            .enumerate()
            .map(|(j, s)| parse_seed(&format!("{key}.seeds[{j}]"), s))
            .collect::<Result<Vec<_>, _>>()?;
        let mut keys: Vec<String> = seeds.iter().map(site_key).collect();
        for h in &fs.hosts {
            let h = h.trim().to_ascii_lowercase();
            keys.push(h.strip_prefix("www.").unwrap_or(&h).to_string());
        }
        keys.sort();
        keys.dedup();
        if keys.is_empty() {
            return Err(invalid(&key, "needs at least one seed or host"));
        }
        let mut a = allow.clone();
        a.extend(regexes(&format!("{key}.allow"), &fs.allow)?);
        let mut dn = deny.clone();
        dn.extend(regexes(&format!("{key}.deny"), &fs.deny)?);
        sites.push(Site {
            name: fs.name.clone(),
            keys,
            seeds,
            allow: a,
            deny: dn,
            interval: match fs.rate {
                Some(r) => interval(&format!("{key}.rate"), r)?,
                None => default_interval,
            },
            max_depth: fs
                .max_depth
                .or(ov.max_depth)
                .or(d.max_depth)
                .unwrap_or(max_depth),
            max_pages_per_host: fs.max_pages.or(d.max_pages_per_host),
            selectors: fs.selectors.clone(),
            same_site,
            discovery: discovery::site(&key, fs, d)?,
        });
    }
    for (j, s) in ov.seeds.iter().enumerate() {
        let u = parse_seed(&format!("seed #{} {s:?}", j + 1), s)?;
        let k = site_key(&u);
        if let Some(site) = sites.iter_mut().find(|x| x.keys.contains(&k)) {
            if !site.seeds.contains(&u) {
                site.seeds.push(u);
            }
            continue;
        }
        sites.push(Site {
            name: k.clone(),
            keys: vec![k],
            seeds: vec![u],
            allow: allow.clone(),
            deny: deny.clone(),
            interval: default_interval,
            max_depth,
            max_pages_per_host: d.max_pages_per_host,
            selectors: None,
            same_site,
            discovery: discovery::defaults(d)?,
        });
    }
    if sites.iter().all(|s| s.seeds.is_empty()) {
        return Err(invalid(
            "seeds",
            "nothing to crawl: give seed URLs as arguments, --seeds-file, or [[site]] seeds in --config",
        ));
    }
    let max_retries = d.max_retries.unwrap_or(3);
    if max_retries > 20 {
        return Err(invalid("[defaults].max_retries", "must be at most 20"));
    }
    Ok(CrawlConfig {
        user_agent,
        contact,
        concurrency,
        per_host_concurrency,
        max_pages: ov.max_pages.or(d.max_pages),
        connect_timeout: secs("[defaults].connect_timeout", d.connect_timeout, 10.0)?,
        timeout: secs("[defaults].timeout", d.timeout, 30.0)?,
        max_body,
        max_decoded: max_body
            .saturating_mul(5)
            .max(crate::codec::DEFAULT_DECODE_CAP),
        max_retries,
        backoff_base: secs("[defaults].retry_delay", d.retry_delay, 2.0)?,
        backoff_cap: secs("[defaults].max_retry_wait", d.max_retry_wait, 300.0)?,
        traps: TrapRules {
            max_per_pattern: d.trap_pattern_limit.unwrap_or(200),
            ..TrapRules::default()
        },
        sites,
        watch: discovery::watch(&file.watch)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"
contact = "mailto:archive@example.org"
[defaults]
rate = 0.5
concurrency = 8
max_depth = 2
max_pages = 1000
max_pages_per_host = 300
connect_timeout = 5
timeout = 20
max_body = 5000000
max_retries = 2
retry_delay = 0.5
max_retry_wait = 60
trap_pattern_limit = 50
same_site = true
deny = ["\\.pdf$"]

[[site]]
name = "hstoday"
seeds = ["https://www.hstoday.us/"]
hosts = ["hstoday.us"]
allow = ["^https://www\\.hstoday\\.us/"]
rate = 0.25
max_pages = 50
selectors = "hstoday"
"#;

    #[test]
    fn full_example_parses_and_validates() {
        let f: FileConfig = toml::from_str(FULL).unwrap();
        let c = build(
            Some(f),
            Overrides {
                seeds: vec!["https://other.example/a?utm_source=x".into()],
                rate: Some(2.0),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            c.user_agent,
            format!("newsarc/{VERSION} (+mailto:archive@example.org)")
        );
        assert_eq!(c.concurrency, 8);
        assert_eq!(c.backoff_base, Duration::from_millis(500));
        assert_eq!(c.backoff_cap, Duration::from_secs(60));
        assert_eq!(c.traps.max_per_pattern, 50);
        assert_eq!(c.sites.len(), 2);
        assert_eq!(c.sites[0].interval, Duration::from_secs(4));
        assert_eq!(c.sites[0].max_pages_per_host, Some(50));
        assert_eq!(c.sites[0].keys, vec!["hstoday.us".to_string()]);
        assert_eq!(c.sites[1].interval, Duration::from_millis(500));
        assert_eq!(
            c.sites[1].seeds[0].as_str(),
            "https://other.example/a?utm_source=x"
        );
        assert!(!c.sites[1].permits("https://other.example/x.pdf"));
        assert!(c.sites[0].permits("https://www.hstoday.us/x"));
        assert!(!c.sites[0].permits("https://evil.example/x"));
        let u = Url::parse("http://hstoday.us/page").unwrap();
        assert_eq!(c.site_of(&u), Some(0));
    }

    #[test]
    fn unknown_key_rejected() {
        let e = toml::from_str::<FileConfig>("[defaults]\nrat = 1\n").unwrap_err();
        assert!(e.to_string().contains("rat"), "{e}");
    }

    #[test]
    fn bad_values_named() {
        let e = build(
            None,
            Overrides {
                seeds: vec!["ftp://x/".into()],
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("seed #1"), "{e}");
        let e = build(
            None,
            Overrides {
                seeds: vec!["http://x/".into()],
                allow: vec!["(".into()],
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("allow"), "{e}");
        let e = build(
            None,
            Overrides {
                seeds: vec!["http://x/".into()],
                rate: Some(-1.0),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("rate"), "{e}");
        assert!(build(None, Overrides::default()).is_err());
    }

    #[test]
    fn no_contact_plain_agent() {
        let c = build(
            None,
            Overrides {
                seeds: vec!["http://x/".into()],
                ..Default::default()
            },
        )
        .unwrap();
        assert!(c.contact.is_none());
        assert_eq!(c.user_agent, format!("newsarc/{VERSION}"));
        assert_eq!(c.sites[0].interval, Duration::from_secs(1));
        assert_eq!(c.concurrency, 16);
    }

    #[test]
    fn per_host_concurrency_defaults_to_one_and_is_bounded() {
        let seeds = || vec!["http://x/".to_string()];
        let c = build(
            None,
            Overrides {
                seeds: seeds(),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(c.per_host_concurrency, 1);
        let f: FileConfig = toml::from_str("[defaults]\nper_host_concurrency = 4\n").unwrap();
        let c = build(
            Some(f),
            Overrides {
                seeds: seeds(),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(c.per_host_concurrency, 4);
        for (n, total) in [(0, None), (9, Some(8)), (65, Some(100))] {
            let e = build(
                None,
                Overrides {
                    seeds: seeds(),
                    per_host_concurrency: Some(n),
                    concurrency: total,
                    ..Default::default()
                },
            )
            .unwrap_err();
            assert!(e.to_string().contains("per_host_concurrency"), "{e}");
        }
    }

    #[test]
    fn seeds_file_comments() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.txt");
        std::fs::write(&p, "# list\nhttp://a/ # home\n\n  http://b/x\n").unwrap();
        assert_eq!(
            read_seeds_file(&p).unwrap(),
            vec!["http://a/", "http://b/x"]
        );
    }
}
