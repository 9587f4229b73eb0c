//! Site selector configs (`selectors/*.toml`): loading, validation, compilation into
//! [`SiteRules`], and lookup by host and capture date. Pure: the caller reads the files.

use chrono::{DateTime, Utc};

/// Compiled rules for one site (one config file). Filled in by the selector-config work.
#[derive(Debug, Clone, Default)]
pub struct SiteRules {
    /// Config name (file stem).
    pub name: String,
    /// Hash prefix of the config file.
    pub hash: String,
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

    /// The rules that apply to `host` for a page captured at `captured`, if any.
    pub fn lookup(&self, _host: &str, _captured: Option<DateTime<Utc>>) -> Option<&SiteRules> {
        self.sites.first()
    }
}
