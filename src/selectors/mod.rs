//! Site selector configs (`selectors/*.toml`): loading, validation, compilation into
//! [`SiteRules`], and lookup by host and capture date. Pure: the caller reads the files and
//! passes `(file name, contents)` pairs to [`RuleSet::load`]; every error of every file is
//! reported at once ([`LoadError`]). The format is documented in `selectors/README.md`.
//!
//! ```
//! use newsarc::selectors::RuleSet;
//! let toml = r#"
//! domains = ["example.com"]
//! [fields]
//! title = "h1.headline"
//! authors = { css = ".byline a", many = true }
//! "#;
//! let rules = RuleSet::load(&[("example.toml".into(), toml.into())]).unwrap();
//! assert!(rules.lookup("www.example.com", None).is_some());
//! ```

mod compile;
mod error;
mod raw;

use chrono::{DateTime, Utc};
use regex::Regex;
use scraper::Selector;
use sha2::{Digest, Sha256};

pub use error::{ConfigError, LoadError};

/// An article field a selector config can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// `title`
    Title,
    /// `description`
    Description,
    /// `authors` (a list)
    Authors,
    /// `published`
    Published,
    /// `modified`
    Modified,
    /// `language`
    Language,
    /// `section`
    Section,
    /// `tags` (a list)
    Tags,
    /// `image`
    Image,
    /// `canonical_url`
    CanonicalUrl,
    /// `site_name`
    SiteName,
    /// `body`
    Body,
}

impl Field {
    /// The field's key in configs and in the Article JSON.
    pub fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Description => "description",
            Field::Authors => "authors",
            Field::Published => "published",
            Field::Modified => "modified",
            Field::Language => "language",
            Field::Section => "section",
            Field::Tags => "tags",
            Field::Image => "image",
            Field::CanonicalUrl => "canonical_url",
            Field::SiteName => "site_name",
            Field::Body => "body",
        }
    }
}

/// One compiled selector: CSS, optional attribute, optional regex, `many` flag.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The compiled CSS selector.
    pub css: Selector,
    /// Its source text (for messages).
    pub css_src: String,
    /// Take this attribute instead of the text.
    pub attr: Option<String>,
    /// Keep only the first capture group (or the whole match) of this regex.
    pub regex: Option<Regex>,
    /// Take every match (lists; for `body`, every match is a paragraph block).
    pub many: bool,
}

impl Candidate {
    fn plain(css: Selector, src: &str) -> Self {
        Candidate {
            css,
            css_src: src.to_string(),
            attr: None,
            regex: None,
            many: false,
        }
    }
}

/// The rule of one field: candidates tried in order until one gives a value.
#[derive(Debug, Clone)]
pub struct FieldRule {
    /// Fallbacks, in order.
    pub candidates: Vec<Candidate>,
}

/// Field rules plus elements to remove and paywall markers.
#[derive(Debug, Clone, Default)]
pub struct Template {
    /// Elements removed before extraction.
    pub remove: Vec<Selector>,
    /// The page is paywalled when one of these matches.
    pub paywall: Vec<Selector>,
    /// Field rules.
    pub fields: Vec<(Field, FieldRule)>,
}

/// A template used for captures inside a date window.
#[derive(Debug, Clone)]
pub struct DatedTemplate {
    /// Inclusive start (None: since forever).
    pub from: Option<DateTime<Utc>>,
    /// Exclusive end (None: still current).
    pub until: Option<DateTime<Utc>>,
    /// The template.
    pub template: Template,
}

impl DatedTemplate {
    fn contains(&self, t: DateTime<Utc>) -> bool {
        self.from.is_none_or(|f| t >= f) && self.until.is_none_or(|u| t < u)
    }
}

/// A fixture test declared by a config (paths relative to `tests/fixtures/<name>/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestSpec {
    /// The stored page.
    pub page: String,
    /// The expected-fields JSON.
    pub expected: String,
}

/// The effective rules for one capture: base template merged with the dated one.
#[derive(Debug, Clone)]
pub struct Resolved<'a> {
    /// Elements to remove.
    pub remove: Vec<&'a Selector>,
    /// Paywall markers.
    pub paywall: Vec<&'a Selector>,
    /// Field rules (dated template first, then base).
    pub fields: Vec<(Field, &'a FieldRule)>,
}

impl Resolved<'_> {
    /// The rule for `field`, if any.
    pub fn field(&self, field: Field) -> Option<&FieldRule> {
        self.fields
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, r)| *r)
    }
}

/// Compiled rules for one site (one config file).
#[derive(Debug, Clone)]
pub struct SiteRules {
    /// Config name (file stem).
    pub name: String,
    /// First 12 hex digits of the SHA-256 of the config file.
    pub hash: String,
    /// The publication's name, if the config gives one.
    pub site_name: Option<String>,
    domains: Vec<String>,
    article_urls: Vec<Regex>,
    base: Template,
    templates: Vec<DatedTemplate>,
    /// Fixture tests.
    pub tests: Vec<TestSpec>,
}

impl SiteRules {
    /// This config's name and hash, as recorded in articles and conversion records.
    pub fn reference(&self) -> crate::model::SelectorsRef {
        crate::model::SelectorsRef {
            name: self.name.clone(),
            hash: self.hash.clone(),
        }
    }

    /// How specifically this config matches `host` (longer is better), if at all.
    fn host_match(&self, host: &str) -> Option<usize> {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.domains
            .iter()
            .filter(|d| match d.strip_prefix("*.") {
                Some(apex) => host == apex || host.ends_with(&format!(".{apex}")),
                None => host == **d || host.strip_prefix("www.") == Some(d.as_str()),
            })
            .map(|d| d.len() + usize::from(!d.starts_with("*.")))
            .max()
    }

    /// True when `url` is an article URL of this site (always true with no `article_urls`).
    pub fn is_article_url(&self, url: &str) -> bool {
        self.article_urls.is_empty() || self.article_urls.iter().any(|r| r.is_match(url))
    }

    /// The effective rules for a capture at `captured` (None: the current template).
    pub fn resolve(&self, captured: Option<DateTime<Utc>>) -> Resolved<'_> {
        let dated = match captured {
            Some(t) => self.templates.iter().find(|d| d.contains(t)),
            None => self.templates.iter().find(|d| d.until.is_none()),
        };
        let mut r = Resolved {
            remove: self.base.remove.iter().collect(),
            paywall: self.base.paywall.iter().collect(),
            fields: Vec::new(),
        };
        if let Some(d) = dated {
            r.remove.extend(d.template.remove.iter());
            r.paywall.extend(d.template.paywall.iter());
            r.fields
                .extend(d.template.fields.iter().map(|(f, x)| (*f, x)));
        }
        for (f, x) in &self.base.fields {
            if r.field(*f).is_none() {
                r.fields.push((*f, x));
            }
        }
        r
    }
}

/// First 12 hex digits of the SHA-256 of `contents`.
pub fn config_hash(contents: &[u8]) -> String {
    let d = Sha256::digest(contents);
    d.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// Every loaded site config, looked up by host and capture date.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    sites: Vec<SiteRules>,
}

impl RuleSet {
    /// A rule set with no site configs: extraction falls back to metadata and heuristics.
    pub fn empty() -> Self {
        RuleSet { sites: Vec::new() }
    }

    /// Load configs from `(file name, contents)` pairs; all errors of all files at once.
    pub fn load(files: &[(String, String)]) -> Result<RuleSet, LoadError> {
        let mut sites = Vec::new();
        let mut errors = Vec::new();
        for (file, contents) in files {
            let raw: raw::RawConfig = match toml::from_str(contents) {
                Ok(r) => r,
                Err(e) => {
                    let key = e
                        .span()
                        .map(|s| {
                            let line = contents[..s.start.min(contents.len())]
                                .matches('\n')
                                .count()
                                + 1;
                            format!("line {line}")
                        })
                        .unwrap_or_else(|| "(file)".into());
                    errors.push(ConfigError {
                        file: file.clone(),
                        key,
                        reason: e.message().to_string(),
                    });
                    continue;
                }
            };
            match compile::compile(file, &raw, config_hash(contents.as_bytes())) {
                Ok(s) => sites.push(s),
                Err(mut e) => errors.append(&mut e),
            }
        }
        for (i, a) in sites.iter().enumerate() {
            for b in &sites[i + 1..] {
                for d in &a.domains {
                    if b.domains.contains(d) {
                        errors.push(ConfigError {
                            file: format!("{}.toml", b.name),
                            key: "domains".into(),
                            reason: format!("{d:?} is also claimed by {}.toml", a.name),
                        });
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(RuleSet { sites })
        } else {
            Err(LoadError { errors })
        }
    }

    /// The site configs, in load order.
    pub fn sites(&self) -> &[SiteRules] {
        &self.sites
    }

    /// The rules that apply to `host`, if any (the most specific domain wins). The capture
    /// date is used by [`SiteRules::resolve`]; it is accepted here for callers' convenience.
    pub fn lookup(&self, host: &str, _captured: Option<DateTime<Utc>>) -> Option<&SiteRules> {
        self.sites
            .iter()
            .filter_map(|s| s.host_match(host).map(|m| (m, s)))
            .max_by_key(|(m, _)| *m)
            .map(|(_, s)| s)
    }
}

#[cfg(test)]
mod tests;
